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
    w.deliver_with(&m, 2, new.sign_message(2, CHAIN, &m)).unwrap();
    // the new key does not sign for epoch 1, nor the old key for epoch 2
    let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 2);
    assert_eq!(error_code(&w.deliver_with(&m, 1, new.sign_message(1, CHAIN, &m)).unwrap_err()), "InvalidSignature");
    assert_eq!(error_code(&w.deliver_with(&m, 2, old.sign_message(2, CHAIN, &m)).unwrap_err()), "InvalidSignature");
    // the old key within its grace period
    w.deliver_with(&m, 1, old.sign_message(1, CHAIN, &m)).unwrap();
    // ... but never for governance
    let pause = w.governance(Governance::Pause);
    let e = w.deliver_with(&pause, 1, old.sign_message(1, CHAIN, &pause)).unwrap_err();
    assert_eq!(error_code(&e), "GovernanceRequiresCurrentEpoch");
    // and not after it
    w.app.update_block(|b| b.time = b.time.plus_seconds(3_601));
    let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 3);
    assert_eq!(error_code(&w.deliver_with(&m, 1, old.sign_message(1, CHAIN, &m)).unwrap_err()), "EpochExpired");
    let token = w.wrapped(ETHEREUM, sah_token()).unwrap();
    assert_eq!(w.cw20_balance(&token, &alice), 3);

    // a zero grace retires the key at once
    let newer = Signer::derived("epoch 3");
    w.signer = new.clone();
    w.epoch = 2;
    let rotate = w.governance(Governance::RotateKey { new_epoch: 3, new_group_key: newer.group_key, grace_seconds: 0 });
    w.deliver(&rotate).unwrap();
    let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 4);
    assert_eq!(error_code(&w.deliver_with(&m, 2, new.sign_message(2, CHAIN, &m)).unwrap_err()), "UnknownEpoch");
    w.deliver_with(&m, 3, newer.sign_message(3, CHAIN, &m)).unwrap();
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
    // the same nonce with another body is stale too
    w.governance_nonce = 4;
    let five_again = w.governance(Governance::Unpause);
    assert_eq!(error_code(&w.deliver(&five_again).unwrap_err()), "StaleGovernanceNonce");
    assert_eq!(config(&w).governance_nonce, 5);
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
fn instantiation_refuses_bad_keys_and_the_governance_chain() {
    let mut w = World::new();
    let code = w.app.store_code(bridge_contract());
    let admin = w.addr("admin");
    let mut try_key = |chain: u32, key: Vec<u8>| {
        w.app
            .instantiate_contract(
                code,
                admin.clone(),
                &sah_bridge_cosmwasm::msg::InstantiateMsg {
                    chain_id: chain,
                    group_key: HexBinary::from(key),
                    pauser: None,
                    cw20_code_id: 1,
                    native_denoms: vec![],
                },
                &[],
                "bad",
                None,
            )
            .unwrap_err()
    };
    let good = Signer::test_key().group_key.to_vec();
    assert_eq!(error_code(&try_key(0, good.clone())), "InvalidDestination");
    assert_eq!(error_code(&try_key(CHAIN, good[..32].to_vec())), "InvalidGroupKey");
    // x = n (>= n): the ecrecover trick needs x < n
    let n = hex_bytes("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
    assert_eq!(error_code(&try_key(CHAIN, [vec![2], n].concat())), "InvalidGroupKey");
    assert_eq!(error_code(&try_key(CHAIN, [vec![4], good[1..].to_vec()].concat())), "InvalidGroupKey");
}
