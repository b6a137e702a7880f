//! receive_message and receive_batch: mints, unlocks, and every refusal, each leaving no trace.
mod common;

use common::*;
use cosmwasm_std::{Api, CanonicalAddr, HexBinary};
use cw_multi_test::Executor;
use sah_bridge_cosmwasm::msg::{ExecuteMsg, QueryMsg};
use sah_bridge_cosmwasm::state::WrappedOrigin;
use sah_bridge_protocol::{message_id, Governance, Header, Kind, Message, Payload};

fn consumed(w: &World, m: &[u8]) -> bool {
    w.consumed(m)
}

#[test]
fn first_transfer_creates_the_wrapped_cw20_then_mints_into_it() {
    let mut w = World::new();
    let (alice, bob) = (w.addr("alice"), w.addr("bob"));
    let m1 = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 1_000);
    let res = w.deliver(&m1).unwrap();
    let token = w.wrapped(ETHEREUM, sah_token()).expect("wrapped token created");
    assert_eq!(event_attr(&res, "sah_wrapped_token_created", "token").unwrap(), token.to_string());
    assert_eq!(
        event_attr(&res, "sah_message_received", "message_id").unwrap(),
        format!("0x{}", hex::encode(message_id(&m1)))
    );
    assert_eq!(w.cw20_balance(&token, &alice), 1_000);
    assert!(consumed(&w, &m1));

    let info: cw20::TokenInfoResponse =
        w.app.wrap().query_wasm_smart(token.clone(), &cw20::Cw20QueryMsg::TokenInfo {}).unwrap();
    assert_eq!((info.name.as_str(), info.symbol.as_str(), info.decimals), ("SAH Token", "SAH", 18));
    let minter: cw20::MinterResponse =
        w.app.wrap().query_wasm_smart(token.clone(), &cw20::Cw20QueryMsg::Minter {}).unwrap();
    assert_eq!(minter.minter, w.bridge.to_string(), "only the bridge mints");
    let origin: Option<WrappedOrigin> = w.query(&QueryMsg::WrappedOrigin { token: token.to_string() });
    assert_eq!(origin.unwrap().origin_token.as_slice(), sah_token());

    let m2 = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &bob, 250);
    let res = w.deliver(&m2).unwrap();
    assert!(event_attr(&res, "sah_wrapped_token_created", "token").is_none(), "no second token");
    assert_eq!(w.cw20_balance(&token, &bob), 250);
    assert_eq!(w.cw20_supply(&token), 1_250);
}

#[test]
fn a_transfer_home_unlocks_what_was_locked_and_never_more() {
    let mut w = World::new();
    let (alice, bob) = (w.addr("alice"), w.addr("bob"));
    w.lock("alice", 5_000, DENOM, ETHEREUM, [0x22; 32]).unwrap();
    let bob_before = w.bank(&bob, DENOM);

    let back = w.transfer_in(ETHEREUM, CHAIN, native_token(DENOM), &bob, 3_000);
    w.deliver(&back).unwrap();
    assert_eq!(w.bank(&bob, DENOM), bob_before + 3_000);
    assert_eq!(w.locked(DENOM), 2_000);
    assert_eq!(w.bank(&w.bridge, DENOM), 2_000);

    let too_much = w.transfer_in(ETHEREUM, CHAIN, native_token(DENOM), &bob, 2_001);
    let e = w.deliver(&too_much).unwrap_err();
    assert_eq!(error_code(&e), "InsufficientLocked");
    assert!(!consumed(&w, &too_much), "a refused message stays deliverable");

    let unknown = w.transfer_in(ETHEREUM, CHAIN, native_token("unever"), &bob, 1);
    assert_eq!(error_code(&w.deliver(&unknown).unwrap_err()), "UnknownOriginToken");

    assert_eq!(w.locked(DENOM), 2_000);
    assert_eq!(w.bank(&alice, DENOM) + w.bank(&bob, DENOM) + 2_000, 2_000_000_000_000);
}

#[test]
fn replay_wrong_destination_wrong_epoch_and_bad_signatures_are_refused() {
    let mut w = World::new();
    let alice = w.addr("alice");
    let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 1_000);
    w.deliver(&m).unwrap();
    let token = w.wrapped(ETHEREUM, sah_token()).unwrap();

    // replay
    assert_eq!(error_code(&w.deliver(&m).unwrap_err()), "MessageAlreadyConsumed");

    // for another chain (signed for that chain, as a relayer set would)
    let mut other = Message::decode(&w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 5)).unwrap();
    other.header.destination_chain = POLKADOT;
    let other = other.encode();
    let sig = w.signer.sign_message(1, POLKADOT, &w.instance(), &other);
    assert_eq!(error_code(&w.deliver_with(&other, 1, sig).unwrap_err()), "WrongDestination");

    let fresh = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 7);
    // signed for another destination: the digest binds the destination
    let sig = w.signer.sign_message(1, POLKADOT, &w.instance(), &fresh);
    assert_eq!(error_code(&w.deliver_with(&fresh, 1, sig).unwrap_err()), "InvalidSignature");
    // an epoch this bridge has no key for
    let sig = w.signer.sign_message(2, CHAIN, &w.instance(), &fresh);
    assert_eq!(error_code(&w.deliver_with(&fresh, 2, sig).unwrap_err()), "UnknownEpoch");
    // signed by another key
    let sig = Signer::derived("intruder").sign_message(1, CHAIN, &w.instance(), &fresh);
    assert_eq!(error_code(&w.deliver_with(&fresh, 1, sig).unwrap_err()), "InvalidSignature");
    // a good signature of another message
    let sig = w.signer.sign_message(1, CHAIN, &w.instance(), &m);
    assert_eq!(error_code(&w.deliver_with(&fresh, 1, sig).unwrap_err()), "InvalidSignature");
    // malformed signatures
    let good = w.signer.sign_message(1, CHAIN, &w.instance(), &fresh).to_vec();
    for (what, bad) in [
        ("empty", vec![]),
        ("64 bytes", good[..64].to_vec()),
        ("97-byte EVM form", [good.clone(), vec![0; 32]].concat()),
        ("R not on the curve", [vec![0x02], vec![0xff; 32], good[33..].to_vec()].concat()),
        ("bad R prefix", [vec![0x05], good[1..].to_vec()].concat()),
        ("z = 0", [good[..33].to_vec(), vec![0; 32]].concat()),
        ("z >= n", [good[..33].to_vec(), vec![0xff; 32]].concat()),
    ] {
        let e = w.deliver_with(&fresh, 1, HexBinary::from(bad)).unwrap_err();
        assert_eq!(error_code(&e), "InvalidSignature", "{what}");
    }
    // a malformed message names the codec's error
    let e = w.deliver_with(&fresh[..81], 1, w.signer.sign_message(1, CHAIN, &w.instance(), &fresh[..81])).unwrap_err();
    assert_eq!(error_code(&e), "MessageTooShort");
    let mut long = fresh.clone();
    long.push(0);
    let e = w.deliver_with(&long, 1, w.signer.sign_message(1, CHAIN, &w.instance(), &long)).unwrap_err();
    assert_eq!(error_code(&e), "PayloadLength");

    // none of it moved anything; the fresh message still goes through with a right signature
    assert_eq!(w.cw20_supply(&token), 1_000);
    assert!(!consumed(&w, &fresh));
    w.deliver(&fresh).unwrap();
    assert_eq!(w.cw20_supply(&token), 1_007);
}

#[test]
fn a_result_for_a_job_this_bridge_never_posted_is_refused_and_stays_deliverable() {
    let mut w = World::new();
    let m = Message {
        header: Header {
            version: 1,
            kind: Kind::ComputeResult,
            source_chain: ETHEREUM,
            destination_chain: CHAIN,
            nonce: 1,
            sender: [1; 32],
            recipient: [2; 32],
        },
        payload: Payload::ComputeResult(sah_bridge_protocol::ComputeResult {
            outcome: sah_bridge_protocol::Outcome::Expired,
            job_id: [3; 32],
            result_hash: [0; 32],
            executor: [0; 32],
            timestamp: 1,
        }),
    }
    .encode();
    assert_eq!(error_code(&w.deliver(&m).unwrap_err()), "UnknownJob");
    assert_eq!(error_code(&w.deliver_batch(std::slice::from_ref(&m)).unwrap_err()), "UnknownJob");
    assert!(!consumed(&w, &m));
}

#[test]
fn a_paused_bridge_refuses_transfers_until_governance_unpauses() {
    let mut w = World::new();
    let alice = w.addr("alice");
    let pause = w.governance(Governance::Pause);
    w.deliver(&pause).unwrap();
    let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 10);
    assert_eq!(error_code(&w.deliver(&m).unwrap_err()), "BridgePaused");
    assert_eq!(error_code(&w.deliver_batch(std::slice::from_ref(&m)).unwrap_err()), "BridgePaused");
    let unpause = w.governance(Governance::Unpause);
    w.deliver(&unpause).unwrap();
    w.deliver(&m).unwrap();
    assert_eq!(w.cw20_balance(&w.wrapped(ETHEREUM, sah_token()).unwrap(), &alice), 10);
}

#[test]
fn a_batch_delivers_many_under_one_signature_and_creates_a_token_once() {
    let mut w = World::new();
    let (alice, bob, carol) = (w.addr("alice"), w.addr("bob"), w.addr("carol"));
    let batch = vec![
        w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 100),
        w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &bob, 200),
        w.transfer_in(POLKADOT, POLKADOT, [0x07; 32], &carol, 300),
        w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &carol, 400),
        w.transfer_in(POLKADOT, POLKADOT, [0x07; 32], &alice, 500),
    ];
    let res = w.deliver_batch(&batch).unwrap();
    let created = res.events.iter().filter(|e| e.ty == "wasm-sah_wrapped_token_created").count();
    assert_eq!(created, 2, "one cw20 per origin token, even when a batch mints it several times");
    let sah = w.wrapped(ETHEREUM, sah_token()).unwrap();
    let dot = w.wrapped(POLKADOT, [0x07; 32]).unwrap();
    assert_eq!(
        (w.cw20_balance(&sah, &alice), w.cw20_balance(&sah, &bob), w.cw20_balance(&sah, &carol)),
        (100, 200, 400)
    );
    assert_eq!((w.cw20_balance(&dot, &carol), w.cw20_balance(&dot, &alice)), (300, 500));
    assert!(batch.iter().all(|m| consumed(&w, m)));

    // the same batch again: nothing new
    assert_eq!(error_code(&w.deliver_batch(&batch).unwrap_err()), "BatchAlreadyDelivered");
    // one of a batch delivered alone first is skipped when the batch comes
    let more = vec![
        w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 1),
        w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 2),
    ];
    w.deliver(&more[0]).unwrap();
    let res = w.deliver_batch(&more).unwrap();
    assert_eq!(res.events.iter().filter(|e| e.ty == "wasm-sah_message_received").count(), 1);
    assert_eq!(w.cw20_balance(&sah, &alice), 103);
    assert_eq!(w.cw20_supply(&sah), 703);
}

#[test]
fn batch_refusals_are_named_and_change_nothing() {
    let mut w = World::new();
    let alice = w.addr("alice");
    let relayer = w.addr("relayer");
    let e = w
        .app
        .execute_contract(
            relayer,
            w.bridge.clone(),
            &ExecuteMsg::ReceiveBatch { messages: vec![], epoch: 1, signature: HexBinary::from(vec![0u8; 65]) },
            &[],
        )
        .unwrap_err();
    assert_eq!(error_code(&e), "EmptyBatch");

    let a = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 100);
    let mut b = Message::decode(&w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 100)).unwrap();
    b.header.destination_chain = POLKADOT;
    let b = b.encode();
    assert_eq!(error_code(&w.deliver_batch(&[a.clone(), b]).unwrap_err()), "WrongDestination");

    let gov = w.governance(Governance::Pause);
    assert_eq!(error_code(&w.deliver_batch(&[a.clone(), gov]).unwrap_err()), "GovernanceNotBatchable");

    // a signature over another batch (here: a batch without the last message)
    let c = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 5);
    let d = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 6);
    let sig = w.signer.sign_batch(1, CHAIN, &w.instance(), &[a.clone(), c.clone()]);
    let relayer = w.addr("relayer");
    let e = w
        .app
        .execute_contract(
            relayer,
            w.bridge.clone(),
            &ExecuteMsg::ReceiveBatch {
                messages: vec![HexBinary::from(a.clone()), HexBinary::from(c.clone()), HexBinary::from(d.clone())],
                epoch: 1,
                signature: sig,
            },
            &[],
        )
        .unwrap_err();
    assert_eq!(error_code(&e), "InvalidSignature");

    assert!(w.wrapped(ETHEREUM, sah_token()).is_none(), "nothing was minted");
    assert!(!consumed(&w, &a) && !consumed(&w, &c));
}

#[test]
fn recipients_are_read_in_the_protocol_account_form() {
    let mut w = World::new();
    // a 20-byte account travels left-padded with 12 zero bytes; a 32-byte address (contracts) as is
    let account = w.app.api().addr_humanize(&CanonicalAddr::from([7u8; 20].as_slice())).unwrap();
    let mut form = [0u8; 32];
    form[12..].copy_from_slice(&[7u8; 20]);
    assert_eq!(w.bytes32(&account), form);
    let contract = w.bridge.clone();
    assert_ne!(w.bytes32(&contract)[..12], [0u8; 12]);

    let to_account = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &account, 9);
    assert_eq!(Message::decode(&to_account).unwrap().header.recipient, form);
    w.deliver(&to_account).unwrap();
    let to_contract = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &contract, 4);
    w.deliver(&to_contract).unwrap();
    let token = w.wrapped(ETHEREUM, sah_token()).unwrap();
    assert_eq!((w.cw20_balance(&token, &account), w.cw20_balance(&token, &contract)), (9, 4));
}
