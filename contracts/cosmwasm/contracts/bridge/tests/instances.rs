//! The signed digest binds the verifying instance (docs/PROTOCOL.md §2): sha256 of the chain-id string the
//! blocks carry and the bridge's own canonical address, read by the contract on every call. A second bridge in
//! the same app with the same protocol chain id and key refuses every message signed for the first (single or
//! batch, any kind, before or after the first took it), and a chain with another chain-id string refuses what
//! was signed for the same address on this one.
mod common;

use common::*;
use cosmwasm_std::{Addr, HexBinary};
use sah_bridge_cosmwasm::msg::QueryMsg;
use sah_bridge_cosmwasm::state::Config;
use sah_bridge_protocol::{AttestationAction, DataAttestation, Governance, Payload};

fn config_of(w: &World, bridge: &Addr) -> Config {
    w.query_on(bridge, &QueryMsg::Config {})
}

fn consumed_on(w: &World, bridge: &Addr, m: &[u8]) -> bool {
    w.consumed_on(bridge, m)
}

/// One message of each kind this bridge takes alone: a mint, an attestation, governance for `w`'s bridge.
fn one_of_each(w: &mut World) -> Vec<(&'static str, Vec<u8>)> {
    let alice = w.addr("alice");
    let transfer = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 1_000);
    let attestation = w.message_in(
        ETHEREUM,
        [0x11; 32],
        Payload::DataAttestation(DataAttestation {
            action: AttestationAction::Register,
            data_hash: [0xda; 32],
            timestamp: 1_700_000_000,
            owner_did: "did:pkh:eip155:1:0x00000000000000000000000000000000000a11ce".into(),
            uri: "ipfs://bafy".into(),
            license: "MIT".into(),
        }),
    );
    let rate = w.governance(Governance::SetRateLimit {
        origin_chain: ETHEREUM,
        origin_token: sah_token(),
        capacity: 1_000_000,
    });
    let pause = w.governance(Governance::Pause);
    vec![("transfer", transfer), ("attestation", attestation), ("governance", rate), ("governance pause", pause)]
}

#[test]
fn a_second_bridge_with_the_same_chain_id_and_key_refuses_every_message_signed_for_the_first() {
    let mut w = World::new();
    let twin = w.add_bridge(CHAIN);
    assert_ne!(twin, w.bridge);
    let (a, b) = (config_of(&w, &w.bridge), config_of(&w, &twin));
    assert_eq!((a.chain_id, a.epoch, &a.group_key), (b.chain_id, b.epoch, &b.group_key), "the same chain, epoch, key");
    let first = w.instance();
    assert_eq!(w.instance_of(&twin).chain_binding, first.chain_binding);
    assert_ne!(w.instance_of(&twin).bridge, first.bridge);

    // a batch first (the pause below stops transfers), then one message of each kind alone
    let alice = w.addr("alice");
    let batch = vec![
        w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 5),
        w.transfer_in(POLKADOT, POLKADOT, [7; 32], &alice, 6),
    ];
    let sig = w.signer.sign_batch(1, CHAIN, &first, &batch);
    let e = w.deliver_batch_to(&twin, &batch, 1, sig.clone()).unwrap_err();
    assert_eq!(error_code(&e), "InvalidSignature", "batch");
    w.deliver_batch_with(&batch, 1, sig.clone()).unwrap();
    let e = w.deliver_batch_to(&twin, &batch, 1, sig).unwrap_err();
    assert_eq!(error_code(&e), "InvalidSignature", "batch, after the first bridge took it");

    for (what, m) in one_of_each(&mut w) {
        let sig = w.signer.sign_message(1, CHAIN, &first, &m);
        let e = w.deliver_with_to(&twin, &m, 1, sig.clone()).unwrap_err();
        assert_eq!(error_code(&e), "InvalidSignature", "{what}");
        w.deliver_with(&m, 1, sig.clone()).unwrap_or_else(|e| panic!("{what}: {e:#}"));
        let e = w.deliver_with_to(&twin, &m, 1, sig).unwrap_err();
        assert_eq!(error_code(&e), "InvalidSignature", "{what}, after the first bridge took it");
        assert!(consumed_on(&w, &w.bridge, &m) && !consumed_on(&w, &twin, &m), "{what}");
    }
    for m in &batch {
        assert!(consumed_on(&w, &w.bridge, m) && !consumed_on(&w, &twin, m));
    }
    // the first bridge took everything; the second nothing
    assert!(config_of(&w, &w.bridge).paused);
    let twin_config = config_of(&w, &twin);
    assert!(!twin_config.paused);
    assert_eq!(twin_config.governance_nonce, 0);
    let on_twin: Option<Addr> = w.query_on(
        &twin,
        &QueryMsg::WrappedToken { origin_chain: ETHEREUM, origin_token: HexBinary::from(sah_token().as_slice()) },
    );
    assert_eq!(on_twin, None);

    // the other way round: what is signed for the second bridge is its own, and the first refuses it
    let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 9);
    let for_twin = w.signer.sign_message(1, CHAIN, &w.instance_of(&twin), &m);
    let e = w.deliver_with(&m, 1, for_twin.clone()).unwrap_err();
    assert_eq!(error_code(&e), "InvalidSignature");
    w.deliver_with_to(&twin, &m, 1, for_twin).unwrap();
    let on_twin: Option<Addr> = w.query_on(
        &twin,
        &QueryMsg::WrappedToken { origin_chain: ETHEREUM, origin_token: HexBinary::from(sah_token().as_slice()) },
    );
    assert_eq!(w.cw20_balance(&on_twin.unwrap(), &alice), 9);
}

#[test]
fn a_chain_with_another_chain_id_refuses_what_was_signed_for_the_same_address() {
    let mut here = World::new();
    let mut fork = World::with_chain_id(CHAIN, "sah-fork-1");
    // the same code, key, protocol chain id and contract address: only the chain-id string differs
    assert_eq!(fork.bridge, here.bridge);
    assert_eq!(fork.instance().bridge, here.instance().bridge);
    assert_ne!(fork.instance().chain_binding, here.instance().chain_binding);

    let alice = here.addr("alice");
    let batch = vec![
        here.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 5),
        here.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 6),
    ];
    let sig = here.signer.sign_batch(1, CHAIN, &here.instance(), &batch);
    assert_eq!(error_code(&fork.deliver_batch_with(&batch, 1, sig.clone()).unwrap_err()), "InvalidSignature");
    here.deliver_batch_with(&batch, 1, sig).unwrap();

    // governance names the bridge by address, which both chains share: the chain-id string tells them apart
    for (what, m) in one_of_each(&mut here) {
        let sig = here.signer.sign_message(1, CHAIN, &here.instance(), &m);
        assert_eq!(error_code(&fork.deliver_with(&m, 1, sig.clone()).unwrap_err()), "InvalidSignature", "{what}");
        here.deliver_with(&m, 1, sig.clone()).unwrap_or_else(|e| panic!("{what}: {e:#}"));
        assert_eq!(error_code(&fork.deliver_with(&m, 1, sig).unwrap_err()), "InvalidSignature", "{what}");
    }
    assert!(config_of(&here, &here.bridge).paused);
    assert!(!config_of(&fork, &fork.bridge).paused);
    assert_eq!(config_of(&fork, &fork.bridge).governance_nonce, 0);
}

#[test]
fn the_chain_binding_is_read_on_every_call_not_kept_from_instantiation() {
    let mut w = World::new();
    let alice = w.addr("alice");
    let before = w.instance();
    let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 3);
    let signed_before = w.signer.sign_message(1, CHAIN, &before, &m);
    // the chain continues under another chain-id string (a fork that kept the state)
    w.app.update_block(|b| b.chain_id = "sah-fork-1".into());
    let after = w.instance();
    assert_ne!(after.chain_binding, before.chain_binding);
    assert_eq!(error_code(&w.deliver_with(&m, 1, signed_before).unwrap_err()), "InvalidSignature");
    w.deliver_with(&m, 1, w.signer.sign_message(1, CHAIN, &after, &m)).unwrap();
    assert!(consumed_on(&w, &w.bridge, &m));
}
