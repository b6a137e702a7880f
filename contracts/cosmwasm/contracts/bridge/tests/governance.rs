//! Governance messages (key rotation, pause, rate limits, pauser) and their refusals.
mod common;

use common::*;
use cosmwasm_std::HexBinary;
use cw_multi_test::Executor;
use sah_bridge_cosmwasm::msg::{ExecuteMsg, QueryMsg};
use sah_bridge_cosmwasm::state::{Config, RateLimit};
use sah_bridge_protocol::{Governance, Message};

fn config(w: &World) -> Config {
    w.query(&QueryMsg::Config {})
}

#[test]
fn key_rotation_keeps_the_old_key_for_its_grace_period_only() {
    let mut w = World::new();
    let alice = w.addr("alice");
    let old = w.signer.clone();
    let new = Signer::derived("epoch 2");
    let rotate =
        w.governance(Governance::RotateKey { new_epoch: 2, new_group_key: new.group_key, grace_seconds: 3_600 });
    let res = w.deliver(&rotate).unwrap();
    assert_eq!(event_attr(&res, "sah_key_rotated", "epoch").unwrap(), "2");
    let c = config(&w);
    assert_eq!((c.epoch, c.group_key.as_slice()), (2, new.group_key.as_slice()));

    // under the new key
    let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 1);
    w.deliver_with(&m, 2, new.sign_message(2, CHAIN, &w.instance(), &m)).unwrap();
    // the new key does not sign for epoch 1, nor the old key for epoch 2
    let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 2);
    assert_eq!(
        error_code(&w.deliver_with(&m, 1, new.sign_message(1, CHAIN, &w.instance(), &m)).unwrap_err()),
        "InvalidSignature"
    );
    assert_eq!(
        error_code(&w.deliver_with(&m, 2, old.sign_message(2, CHAIN, &w.instance(), &m)).unwrap_err()),
        "InvalidSignature"
    );
    // the old key within its grace period
    w.deliver_with(&m, 1, old.sign_message(1, CHAIN, &w.instance(), &m)).unwrap();
    // ... but never for governance
    let pause = w.governance(Governance::Pause);
    let e = w.deliver_with(&pause, 1, old.sign_message(1, CHAIN, &w.instance(), &pause)).unwrap_err();
    assert_eq!(error_code(&e), "GovernanceRequiresCurrentEpoch");
    // and not after it
    w.app.update_block(|b| b.time = b.time.plus_seconds(3_601));
    let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 3);
    assert_eq!(
        error_code(&w.deliver_with(&m, 1, old.sign_message(1, CHAIN, &w.instance(), &m)).unwrap_err()),
        "EpochExpired"
    );
    let token = w.wrapped(ETHEREUM, sah_token()).unwrap();
    assert_eq!(w.cw20_balance(&token, &alice), 3);

    // a zero grace retires the key at once
    let newer = Signer::derived("epoch 3");
    w.signer = new.clone();
    w.epoch = 2;
    let rotate = w.governance(Governance::RotateKey { new_epoch: 3, new_group_key: newer.group_key, grace_seconds: 0 });
    w.deliver(&rotate).unwrap();
    let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 4);
    assert_eq!(
        error_code(&w.deliver_with(&m, 2, new.sign_message(2, CHAIN, &w.instance(), &m)).unwrap_err()),
        "UnknownEpoch"
    );
    w.deliver_with(&m, 3, newer.sign_message(3, CHAIN, &w.instance(), &m)).unwrap();
}

#[test]
fn rotation_refusals_are_named_and_change_nothing() {
    let mut w = World::new();
    let new = Signer::derived("epoch 2");
    let skip = w.governance(Governance::RotateKey { new_epoch: 3, new_group_key: new.group_key, grace_seconds: 0 });
    assert_eq!(error_code(&w.deliver(&skip).unwrap_err()), "InvalidEpochTransition");
    let long = w.governance(Governance::RotateKey {
        new_epoch: 2,
        new_group_key: new.group_key,
        grace_seconds: 30 * 86_400 + 1,
    });
    assert_eq!(error_code(&w.deliver(&long).unwrap_err()), "GracePeriodTooLong");
    let c = config(&w);
    assert_eq!((c.epoch, c.group_key.as_slice(), c.governance_nonce), (1, w.signer.group_key.as_slice(), 0));
}

#[test]
fn governance_must_target_this_bridge_with_a_fresh_nonce() {
    let mut w = World::new();
    let mut other = Message::decode(&w.governance(Governance::Pause)).unwrap();
    other.header.recipient = [0x99; 32];
    let other = other.encode();
    assert_eq!(error_code(&w.deliver(&other).unwrap_err()), "WrongGovernanceTarget");

    w.governance_nonce = 4;
    let five = w.governance(Governance::Pause);
    w.deliver(&five).unwrap();
    w.governance_nonce = 2;
    let three = w.governance(Governance::Unpause);
    assert_eq!(error_code(&w.deliver(&three).unwrap_err()), "StaleGovernanceNonce");
    assert!(config(&w).paused);
    // the same nonce with another body: (chain 0, nonce 5) is consumed, which the bridge checks before the nonce
    // order (docs/PROTOCOL.md §8.2, step 3 before step 6); refused either way, and nothing applied
    w.governance_nonce = 4;
    let five_again = w.governance(Governance::Unpause);
    assert_eq!(error_code(&w.deliver(&five_again).unwrap_err()), "MessageAlreadyConsumed");
    assert!(config(&w).paused);
    assert_eq!(config(&w).governance_nonce, 5);
    // an older nonce never delivered stays unconsumed: refused by the nonce order, not as a replay
    assert!(w.consumed(&five) && !w.consumed(&three));
}

#[test]
fn the_pauser_pauses_only_governance_unpauses_and_governance_names_the_pauser() {
    let mut w = World::new();
    let (pauser, alice) = (w.addr("pauser"), w.addr("alice"));
    let e = w.app.execute_contract(alice.clone(), w.bridge.clone(), &ExecuteMsg::Pause {}, &[]).unwrap_err();
    assert_eq!(error_code(&e), "NotPauser");
    assert!(!config(&w).paused);
    w.app.execute_contract(pauser.clone(), w.bridge.clone(), &ExecuteMsg::Pause {}, &[]).unwrap();
    assert!(config(&w).paused);
    let unpause = w.governance(Governance::Unpause);
    w.deliver(&unpause).unwrap();
    assert!(!config(&w).paused);

    let alice_form = w.bytes32(&alice);
    let set = w.governance(Governance::SetPauser { pauser: alice_form });
    w.deliver(&set).unwrap();
    assert_eq!(config(&w).pauser, Some(alice.clone()));
    let e = w.app.execute_contract(pauser, w.bridge.clone(), &ExecuteMsg::Pause {}, &[]).unwrap_err();
    assert_eq!(error_code(&e), "NotPauser");
    let none = w.governance(Governance::SetPauser { pauser: [0; 32] });
    w.deliver(&none).unwrap();
    assert_eq!(config(&w).pauser, None);
    let e = w.app.execute_contract(alice, w.bridge.clone(), &ExecuteMsg::Pause {}, &[]).unwrap_err();
    assert_eq!(error_code(&e), "NotPauser");
}

#[test]
fn the_rate_limit_caps_inbound_amounts_per_day_and_refills_linearly() {
    let mut w = World::new();
    let alice = w.addr("alice");
    let set =
        w.governance(Governance::SetRateLimit { origin_chain: ETHEREUM, origin_token: sah_token(), capacity: 1_000 });
    w.deliver(&set).unwrap();
    let limit: Option<RateLimit> =
        w.query(&QueryMsg::RateLimit { origin_chain: ETHEREUM, origin_token: HexBinary::from(sah_token().as_slice()) });
    assert_eq!(limit.unwrap().capacity.u128(), 1_000);

    let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 800);
    w.deliver(&m).unwrap();
    let over = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 201);
    assert_eq!(error_code(&w.deliver(&over).unwrap_err()), "RateLimitExceeded");
    // another token is not limited
    let other = w.transfer_in(POLKADOT, POLKADOT, [0x07; 32], &alice, 1_000_000);
    w.deliver(&other).unwrap();
    // a quarter day refills a quarter of the capacity
    w.app.update_block(|b| b.time = b.time.plus_seconds(21_600));
    w.deliver(&over).unwrap();
    let token = w.wrapped(ETHEREUM, sah_token()).unwrap();
    assert_eq!(w.cw20_balance(&token, &alice), 1_001);
    let next = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 250);
    assert_eq!(error_code(&w.deliver(&next).unwrap_err()), "RateLimitExceeded");
    // capacity 0 lifts the limit
    let lift =
        w.governance(Governance::SetRateLimit { origin_chain: ETHEREUM, origin_token: sah_token(), capacity: 0 });
    w.deliver(&lift).unwrap();
    w.deliver(&next).unwrap();
}

#[test]
fn instantiation_refuses_bad_keys_the_governance_chain_and_epochs_without_a_successor() {
    let mut w = World::new();
    let code = w.app.store_code(bridge_contract());
    let admin = w.addr("admin");
    let mut try_instantiate = |chain: u32, epoch: Option<u32>, key: Vec<u8>| {
        w.app.instantiate_contract(
            code,
            admin.clone(),
            &sah_bridge_cosmwasm::msg::InstantiateMsg {
                chain_id: chain,
                epoch,
                group_key: HexBinary::from(key),
                pauser: None,
                cw20_code_id: 1,
                native_denoms: vec![],
            },
            &[],
            "bad",
            None,
        )
    };
    let good = Signer::test_key().group_key.to_vec();
    let mut try_key = |chain: u32, key: Vec<u8>| try_instantiate(chain, None, key).unwrap_err();
    assert_eq!(error_code(&try_key(0, good.clone())), "InvalidDestination");
    assert_eq!(error_code(&try_key(CHAIN, good[..32].to_vec())), "InvalidGroupKey");
    // x = n (>= n): the ecrecover trick needs x < n
    let n = hex_bytes("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
    assert_eq!(error_code(&try_key(CHAIN, [vec![2], n].concat())), "InvalidGroupKey");
    assert_eq!(error_code(&try_key(CHAIN, [vec![4], good[1..].to_vec()].concat())), "InvalidGroupKey");
    // epoch 0 is no epoch; u32::MAX has no successor to rotate to
    for epoch in [0, u32::MAX] {
        let e = try_instantiate(CHAIN, Some(epoch), good.clone()).unwrap_err();
        assert_eq!(error_code(&e), "InvalidStartingEpoch", "epoch {epoch}");
    }
    // the epoch is checked before the key
    assert_eq!(error_code(&try_instantiate(CHAIN, Some(0), vec![]).unwrap_err()), "InvalidStartingEpoch");
    // the last epoch that can still rotate, and the default
    let mut started = vec![];
    for (epoch, expect) in [(Some(u32::MAX - 1), u32::MAX - 1), (Some(1), 1), (None, 1)] {
        started.push((try_instantiate(CHAIN, epoch, good.clone()).unwrap(), expect));
    }
    for (bridge, expect) in started {
        let c: Config = w.query_on(&bridge, &QueryMsg::Config {});
        assert_eq!(c.epoch, expect);
    }
}

#[test]
fn a_bridge_started_at_epoch_5_takes_epoch_5_only_and_rotates_to_6() {
    let mut w = World::starting_at(CHAIN, Some(5));
    let alice = w.addr("alice");
    let c = config(&w);
    assert_eq!((c.epoch, c.group_key.as_slice(), c.previous_key), (5, w.signer.group_key.as_slice(), None));
    // the same key signing under an older epoch: no key for it here, whichever epoch
    let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 1);
    for old in [1, 4] {
        let sig = w.signer.sign_message(old, CHAIN, &w.instance(), &m);
        assert_eq!(error_code(&w.deliver_with(&m, old, sig).unwrap_err()), "UnknownEpoch", "epoch {old}");
        let sig = w.signer.sign_batch(old, CHAIN, &w.instance(), std::slice::from_ref(&m));
        let e = w.deliver_batch_with(std::slice::from_ref(&m), old, sig).unwrap_err();
        assert_eq!(error_code(&e), "UnknownEpoch", "batch, epoch {old}");
    }
    // nor an epoch ahead
    let sig = w.signer.sign_message(6, CHAIN, &w.instance(), &m);
    assert_eq!(error_code(&w.deliver_with(&m, 6, sig).unwrap_err()), "UnknownEpoch");
    // an epoch-5 signature presented as epoch 4: the epoch is refused before the signature is looked at
    let sig5 = w.signer.sign_message(5, CHAIN, &w.instance(), &m);
    assert_eq!(error_code(&w.deliver_with(&m, 4, sig5.clone()).unwrap_err()), "UnknownEpoch");
    // epoch 5 is the current one
    w.deliver_with(&m, 5, sig5).unwrap();
    let batch = vec![
        w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 2),
        w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 3),
    ];
    w.deliver_batch(&batch).unwrap();
    let token = w.wrapped(ETHEREUM, sah_token()).unwrap();
    assert_eq!(w.cw20_balance(&token, &alice), 6);

    // rotations continue from it: 7 is no successor of 5, 6 is
    let new = Signer::derived("epoch 6");
    let skip = w.governance(Governance::RotateKey { new_epoch: 7, new_group_key: new.group_key, grace_seconds: 0 });
    assert_eq!(error_code(&w.deliver(&skip).unwrap_err()), "InvalidEpochTransition");
    let back = w.governance(Governance::RotateKey { new_epoch: 2, new_group_key: new.group_key, grace_seconds: 0 });
    assert_eq!(error_code(&w.deliver(&back).unwrap_err()), "InvalidEpochTransition");
    let rotate = w.governance(Governance::RotateKey { new_epoch: 6, new_group_key: new.group_key, grace_seconds: 600 });
    let res = w.deliver(&rotate).unwrap();
    assert_eq!(event_attr(&res, "sah_key_rotated", "epoch").unwrap(), "6");
    let c = config(&w);
    assert_eq!((c.epoch, c.group_key.as_slice()), (6, new.group_key.as_slice()));
    assert_eq!(c.previous_key.unwrap().as_slice(), w.signer.group_key.as_slice());
    // the new key under 6; the old one under 5 for its grace period; 4 still nothing
    let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 10);
    w.deliver_with(&m, 6, new.sign_message(6, CHAIN, &w.instance(), &m)).unwrap();
    let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 20);
    w.deliver_with(&m, 5, w.signer.sign_message(5, CHAIN, &w.instance(), &m)).unwrap();
    let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 40);
    let sig = w.signer.sign_message(4, CHAIN, &w.instance(), &m);
    assert_eq!(error_code(&w.deliver_with(&m, 4, sig).unwrap_err()), "UnknownEpoch");
    assert_eq!(w.cw20_balance(&token, &alice), 36);
}

#[test]
fn a_bridge_started_at_the_last_epoch_that_can_rotate_rotates_once() {
    let mut w = World::starting_at(CHAIN, Some(u32::MAX - 1));
    let alice = w.addr("alice");
    let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 1);
    w.deliver(&m).unwrap();
    let key = w.signer.group_key;
    let rotate = w.governance(Governance::RotateKey { new_epoch: u32::MAX, new_group_key: key, grace_seconds: 0 });
    w.deliver(&rotate).unwrap();
    w.epoch = u32::MAX;
    assert_eq!(config(&w).epoch, u32::MAX);
    let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 2);
    w.deliver(&m).unwrap();
    // u32::MAX has no successor: no rotation stays, goes back, or wraps around to 0 (which the codec refuses)
    for new_epoch in [u32::MAX, 1] {
        let stay = w.governance(Governance::RotateKey { new_epoch, new_group_key: key, grace_seconds: 0 });
        assert_eq!(error_code(&w.deliver(&stay).unwrap_err()), "InvalidEpochTransition", "{new_epoch}");
    }
    let wrap = w.governance(Governance::RotateKey { new_epoch: 0, new_group_key: key, grace_seconds: 0 });
    assert_eq!(error_code(&w.deliver(&wrap).unwrap_err()), "InvalidField");
    assert_eq!(config(&w).epoch, u32::MAX);
}
