//! lock and burn: what leaves this chain, and every refusal on the way out.
mod common;

use common::*;
use cosmwasm_std::{coins, HexBinary};
use cw_multi_test::Executor;
use sah_bridge_cosmwasm::msg::{ExecuteMsg, QueryMsg};
use sah_bridge_protocol::{message_id, Governance, Kind, Message, Payload};

#[test]
fn lock_escrows_the_coin_emits_the_message_and_stores_its_id_by_nonce() {
    let mut w = World::new();
    let alice = w.addr("alice");
    let before = w.bank(&alice, DENOM);
    let res = w.lock("alice", 2_500, DENOM, ETHEREUM, [0x22; 32]).unwrap();

    assert_eq!(w.bank(&alice, DENOM), before - 2_500);
    assert_eq!(w.bank(&w.bridge, DENOM), 2_500);
    assert_eq!(w.locked(DENOM), 2_500);
    let nonce: u64 = w.query(&QueryMsg::OutboundNonce {});
    assert_eq!(nonce, 1);

    let bytes = hex_bytes(&event_attr(&res, "sah_message_sent", "message").unwrap());
    let id = message_id(&bytes);
    assert_eq!(event_attr(&res, "sah_message_sent", "message_id").unwrap(), format!("0x{}", hex::encode(id)));
    let stored: Option<HexBinary> = w.query(&QueryMsg::OutboundMessageId { nonce: 1 });
    assert_eq!(stored.unwrap().as_slice(), id);

    let m = Message::decode(&bytes).unwrap();
    assert_eq!(m.header.kind, Kind::TokenTransfer);
    assert_eq!((m.header.source_chain, m.header.destination_chain, m.header.nonce), (CHAIN, ETHEREUM, 1));
    assert_eq!(m.header.sender, w.bytes32(&alice));
    assert_eq!(m.header.recipient, [0x22; 32]);
    let Payload::TokenTransfer(t) = m.payload else { panic!("not a transfer") };
    assert_eq!((t.origin_chain, t.origin_token, t.amount), (CHAIN, native_token(DENOM), 2_500));
    // no bank metadata for the denom: 6 decimals and the denom as symbol and name
    assert_eq!((t.decimals, t.symbol, t.name), (6, pad32(b"ustake"), pad32(b"ustake")));

    // the next lock gets the next nonce, and the totals add up
    w.lock("bob", 500, DENOM, POLKADOT, [0x33; 32]).unwrap();
    let nonce: u64 = w.query(&QueryMsg::OutboundNonce {});
    assert_eq!(nonce, 2);
    assert_eq!(w.locked(DENOM), 3_000);

    // a denom configured at instantiation carries its metadata
    let res = w.lock("alice", 7, "uatom", ETHEREUM, [0x22; 32]).unwrap();
    let m = Message::decode(&hex_bytes(&event_attr(&res, "sah_message_sent", "message").unwrap())).unwrap();
    let Payload::TokenTransfer(t) = m.payload else { panic!("not a transfer") };
    assert_eq!((t.origin_token, t.decimals), (native_token("uatom"), 6));
    assert_eq!((t.symbol, t.name), (pad32(b"ATOM"), pad32(b"Cosmos Hub Atom")));
    assert_eq!((w.locked("uatom"), w.locked(DENOM)), (7, 3_000));
    let stored: Option<HexBinary> = w.query(&QueryMsg::OutboundMessageId { nonce: 4 });
    assert!(stored.is_none());
}

#[test]
fn lock_refusals_are_named_and_change_nothing() {
    let mut w = World::new();
    let alice = w.addr("alice");
    let before = w.bank(&alice, DENOM);

    let no_funds = w.lock("alice", 0, DENOM, ETHEREUM, [0x22; 32]).unwrap_err();
    assert_eq!(error_code(&no_funds), "Payment");

    let two_denoms = w
        .app
        .execute_contract(
            alice.clone(),
            w.bridge.clone(),
            &ExecuteMsg::Lock { destination_chain: ETHEREUM, recipient: HexBinary::from([0x22; 32].as_slice()) },
            &[coins(5, DENOM)[0].clone(), coins(5, "uatom")[0].clone()],
        )
        .unwrap_err();
    assert_eq!(error_code(&two_denoms), "Payment");

    for destination in [CHAIN, 0] {
        let e = w.lock("alice", 10, DENOM, destination, [0x22; 32]).unwrap_err();
        assert_eq!(error_code(&e), "InvalidDestination", "destination {destination}");
    }
    let zero_recipient = w.lock("alice", 10, DENOM, ETHEREUM, [0; 32]).unwrap_err();
    assert_eq!(error_code(&zero_recipient), "InvalidRecipient");
    let short_recipient = w
        .app
        .execute_contract(
            alice.clone(),
            w.bridge.clone(),
            &ExecuteMsg::Lock { destination_chain: ETHEREUM, recipient: HexBinary::from([0x22; 20].as_slice()) },
            &coins(10, DENOM),
        )
        .unwrap_err();
    assert_eq!(error_code(&short_recipient), "InvalidRecipient");

    let pause = w.governance(Governance::Pause);
    w.deliver(&pause).unwrap();
    let paused = w.lock("alice", 10, DENOM, ETHEREUM, [0x22; 32]).unwrap_err();
    assert_eq!(error_code(&paused), "BridgePaused");

    // nothing moved, no nonce was used
    assert_eq!(w.bank(&alice, DENOM), before);
    assert_eq!(w.locked(DENOM), 0);
    let nonce: u64 = w.query(&QueryMsg::OutboundNonce {});
    assert_eq!(nonce, 0);
}

#[test]
fn burn_of_a_wrapped_token_burns_it_and_sends_its_origin_on() {
    let mut w = World::new();
    let alice = w.addr("alice");
    let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 1_000);
    w.deliver(&m).unwrap();
    let token = w.wrapped(ETHEREUM, sah_token()).unwrap();
    assert_eq!(w.cw20_balance(&token, &alice), 1_000);

    let res = w.burn("alice", &token, 400, ETHEREUM, [0x44; 32]).unwrap();
    assert_eq!(w.cw20_balance(&token, &alice), 600);
    assert_eq!(w.cw20_balance(&token, &w.bridge), 0);
    assert_eq!(w.cw20_supply(&token), 600);

    let bytes = hex_bytes(&event_attr(&res, "sah_message_sent", "message").unwrap());
    let m = Message::decode(&bytes).unwrap();
    assert_eq!(m.header.sender, w.bytes32(&alice));
    assert_eq!((m.header.destination_chain, m.header.recipient), (ETHEREUM, [0x44; 32]));
    let Payload::TokenTransfer(t) = m.payload else { panic!("not a transfer") };
    assert_eq!((t.origin_chain, t.origin_token, t.amount, t.decimals), (ETHEREUM, sah_token(), 400, 18));
    assert_eq!((t.symbol, t.name), (pad32(b"SAH"), pad32(b"SAH Token")));
    let stored: Option<HexBinary> = w.query(&QueryMsg::OutboundMessageId { nonce: 1 });
    assert_eq!(stored.unwrap().as_slice(), message_id(&bytes));

    // wrapped to wrapped: burned here, minted on a third chain
    w.burn("alice", &token, 100, POLKADOT, [0x55; 32]).unwrap();
    assert_eq!(w.cw20_supply(&token), 500);
}

#[test]
fn burn_refusals_are_named_and_change_nothing() {
    let mut w = World::new();
    let alice = w.addr("alice");
    let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 1_000);
    w.deliver(&m).unwrap();
    let token = w.wrapped(ETHEREUM, sah_token()).unwrap();

    for destination in [CHAIN, 0] {
        let e = w.burn("alice", &token, 10, destination, [0x44; 32]).unwrap_err();
        assert_eq!(error_code(&e), "InvalidDestination");
    }
    let e = w.burn("alice", &token, 10, ETHEREUM, [0; 32]).unwrap_err();
    assert_eq!(error_code(&e), "InvalidRecipient");

    // a cw20 the bridge did not create cannot be "burned" through it
    let foreign = w.foreign_cw20(&alice, 1_000);
    let e = w.burn("alice", &foreign, 10, ETHEREUM, [0x44; 32]).unwrap_err();
    assert_eq!(error_code(&e), "UnknownWrappedToken");
    assert_eq!(w.cw20_balance(&foreign, &alice), 1_000);

    let pause = w.governance(Governance::Pause);
    w.deliver(&pause).unwrap();
    let e = w.burn("alice", &token, 10, ETHEREUM, [0x44; 32]).unwrap_err();
    assert_eq!(error_code(&e), "BridgePaused");

    assert_eq!(w.cw20_balance(&token, &alice), 1_000);
    assert_eq!(w.cw20_supply(&token), 1_000);
    let nonce: u64 = w.query(&QueryMsg::OutboundNonce {});
    assert_eq!(nonce, 0);
}
