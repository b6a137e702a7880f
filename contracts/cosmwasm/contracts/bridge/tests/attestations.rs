//! Data attestations (docs/PROTOCOL.md §7.2): attest / revoke here, the registry on delivery, conflicts.
mod common;

use common::*;
use cosmwasm_std::HexBinary;
use sah_bridge_cosmwasm::msg::{AttestationResponse, ExecuteMsg, QueryMsg};
use sah_bridge_cosmwasm::state::{AttestationAction, AttestationConflict, AttestationRecord};
use sah_bridge_protocol::{message_id, AttestationAction as Action, DataAttestation, Kind, Message, Payload};

const H: [u8; 32] = [0xda; 32];

fn hb(b: &[u8]) -> HexBinary {
    HexBinary::from(b)
}

fn attest(
    w: &mut World,
    who: &str,
    hash: &[u8],
    uri: &str,
    license: &str,
    to: Vec<u32>,
) -> anyhow::Result<cw_multi_test::AppResponse> {
    w.exec(
        who,
        &ExecuteMsg::Attest { data_hash: hb(hash), uri: uri.into(), license: license.into(), destinations: to },
        &[],
    )
}

fn revoke(w: &mut World, who: &str, hash: &[u8], to: Vec<u32>) -> anyhow::Result<cw_multi_test::AppResponse> {
    w.exec(who, &ExecuteMsg::Revoke { data_hash: hb(hash), destinations: to }, &[])
}

fn record_on(w: &World, bridge: &cosmwasm_std::Addr, hash: [u8; 32]) -> AttestationResponse {
    w.query_on(bridge, &QueryMsg::Attestation { data_hash: hb(&hash) })
}

fn record(w: &World, hash: [u8; 32]) -> AttestationResponse {
    record_on(w, &w.bridge, hash)
}

fn conflicts(w: &World, hash: [u8; 32], start_after: Option<u64>, limit: Option<u32>) -> Vec<AttestationConflict> {
    w.query(&QueryMsg::AttestationConflicts { data_hash: hb(&hash), start_after, limit })
}

fn did(w: &World, who: &str) -> String {
    format!("did:pkh:cosmos:{}:{}", w.app.block_info().chain_id, w.addr(who))
}

fn nonce(w: &World) -> u64 {
    w.query(&QueryMsg::OutboundNonce {})
}

/// An attestation message from `source` as its bridge would send it.
fn attestation_in(w: &mut World, source: u32, action: Action, owner: &str, uri: &str, timestamp: u64) -> Vec<u8> {
    w.message_in(
        source,
        [0x11; 32],
        Payload::DataAttestation(DataAttestation {
            action,
            data_hash: H,
            timestamp,
            owner_did: owner.into(),
            uri: if action == Action::Register { uri.into() } else { String::new() },
            license: if action == Action::Register { "MIT".into() } else { String::new() },
        }),
    )
}

#[test]
fn attest_records_here_and_sends_one_register_per_destination() {
    let mut w = World::new();
    let alice = w.addr("alice");
    w.set_time(1_800_000_000);
    let res = attest(&mut w, "alice", &H, "ipfs://bafy", "CC-BY-4.0", vec![ETHEREUM, POLKADOT]).unwrap();

    let sent = sent_messages(&res);
    assert_eq!(sent.len(), 2);
    for (i, (bytes, dest)) in sent.iter().zip([ETHEREUM, POLKADOT]).enumerate() {
        let m = Message::decode(bytes).unwrap();
        assert_eq!(m.header.kind, Kind::DataAttestation);
        assert_eq!((m.header.source_chain, m.header.destination_chain, m.header.nonce), (CHAIN, dest, i as u64 + 1));
        assert_eq!((m.header.sender, m.header.recipient), (w.bytes32(&alice), [0; 32]));
        let Payload::DataAttestation(a) = m.payload else { panic!() };
        assert_eq!((a.action, a.data_hash, a.timestamp), (Action::Register, H, 1_800_000_000));
        assert_eq!(a.owner_did, did(&w, "alice"));
        assert_eq!((a.uri.as_str(), a.license.as_str()), ("ipfs://bafy", "CC-BY-4.0"));
        let stored: Option<HexBinary> = w.query(&QueryMsg::OutboundMessageId { nonce: i as u64 + 1 });
        assert_eq!(stored.unwrap().as_slice(), message_id(bytes));
    }
    assert_eq!(nonce(&w), 2);
    let r = record(&w, H);
    assert_eq!(r.conflict_count, 0);
    assert_eq!(
        r.record.unwrap(),
        AttestationRecord {
            data_hash: hb(&H),
            owner_did: did(&w, "alice"),
            origin_chain: CHAIN,
            origin_nonce: 0,
            uri: "ipfs://bafy".into(),
            license: "CC-BY-4.0".into(),
            timestamp: 1_800_000_000,
            revoked: false,
            revoked_at: 0,
        }
    );
    assert!(has_event(&res, "sah_attestation_registered"));
}

#[test]
fn attest_refusals_are_named_and_change_nothing() {
    let mut w = World::new();
    let long_uri = "u".repeat(2049);
    let long_license = "l".repeat(257);
    for (what, hash, uri, license, to, code) in [
        ("zero hash", vec![0u8; 32], "", "", vec![ETHEREUM], "InvalidField"),
        ("short hash", vec![1u8; 31], "", "", vec![ETHEREUM], "InvalidField"),
        ("uri over 2048", H.to_vec(), long_uri.as_str(), "", vec![ETHEREUM], "InvalidField"),
        ("license over 256", H.to_vec(), "", long_license.as_str(), vec![ETHEREUM], "InvalidField"),
        ("no destination", H.to_vec(), "", "", vec![], "EmptyDestinations"),
        ("this chain", H.to_vec(), "", "", vec![ETHEREUM, CHAIN], "InvalidDestination"),
        ("governance chain", H.to_vec(), "", "", vec![0], "InvalidDestination"),
        ("unknown chain", H.to_vec(), "", "", vec![999], "InvalidDestination"),
        ("twice", H.to_vec(), "", "", vec![ETHEREUM, POLKADOT, ETHEREUM], "InvalidDestination"),
    ] {
        let e = attest(&mut w, "alice", &hash, uri, license, to).unwrap_err();
        assert_eq!(error_code(&e), code, "{what}");
    }
    let e = revoke(&mut w, "alice", &[0u8; 32], vec![ETHEREUM]).unwrap_err();
    assert_eq!(error_code(&e), "InvalidField");
    assert!(record(&w, H).record.is_none());
    assert_eq!(nonce(&w), 0);

    // the limits themselves are fine
    attest(&mut w, "alice", &H, &"u".repeat(2048), &"l".repeat(256), vec![ETHEREUM]).unwrap();
    assert_eq!(record(&w, H).record.unwrap().uri.len(), 2048);

    let pause = w.governance(sah_bridge_protocol::Governance::Pause);
    w.deliver(&pause).unwrap();
    assert_eq!(error_code(&attest(&mut w, "alice", &[2; 32], "", "", vec![ETHEREUM]).unwrap_err()), "BridgePaused");
    assert_eq!(error_code(&revoke(&mut w, "alice", &H, vec![ETHEREUM]).unwrap_err()), "BridgePaused");
    assert_eq!(nonce(&w), 1);
}

#[test]
fn the_owner_re_attests_and_revokes_others_only_conflict() {
    let mut w = World::new();
    attest(&mut w, "alice", &H, "v1", "MIT", vec![ETHEREUM]).unwrap();
    w.set_time(w.now() + 10);
    let res = attest(&mut w, "alice", &H, "v2", "Apache-2.0", vec![POLKADOT]).unwrap();
    assert!(has_event(&res, "sah_attestation_updated"));
    let r = record(&w, H).record.unwrap();
    assert_eq!((r.uri.as_str(), r.license.as_str(), r.timestamp), ("v2", "Apache-2.0", w.now()));

    // bob attests the same hash: a conflict here (never an error), and his register still goes out
    let res = attest(&mut w, "bob", &H, "bob's", "", vec![ETHEREUM]).unwrap();
    assert!(has_event(&res, "sah_attestation_conflict"));
    assert_eq!(sent_messages(&res).len(), 1);
    let r2 = record(&w, H);
    assert_eq!(r2.record.unwrap(), r, "a conflict never overwrites the record");
    assert_eq!(r2.conflict_count, 1);
    let c = &conflicts(&w, H, None, None)[0];
    assert_eq!((c.owner_did.clone(), c.origin_chain, c.nonce), (did(&w, "bob"), CHAIN, 0));
    assert_eq!(c.action, AttestationAction::Register);

    // bob may not revoke alice's record (nor a hash with no record)
    let before = nonce(&w);
    assert_eq!(error_code(&revoke(&mut w, "bob", &H, vec![ETHEREUM]).unwrap_err()), "NotOwner");
    assert_eq!(error_code(&revoke(&mut w, "alice", &[7; 32], vec![ETHEREUM]).unwrap_err()), "NotOwner");
    assert_eq!(nonce(&w), before);
    assert!(!record(&w, H).record.unwrap().revoked);
    assert_eq!(record(&w, H).conflict_count, 1, "a refused revoke is no conflict");

    // alice revokes: revoked here, one revoke message per destination with no uri or license
    let res = revoke(&mut w, "alice", &H, vec![ETHEREUM, POLKADOT]).unwrap();
    let sent = sent_messages(&res);
    assert_eq!(sent.len(), 2);
    for bytes in &sent {
        let Payload::DataAttestation(a) = Message::decode(bytes).unwrap().payload else { panic!() };
        assert_eq!(
            (a.action, a.owner_did.clone(), a.uri.as_str(), a.license.as_str()),
            (Action::Revoke, did(&w, "alice"), "", "")
        );
    }
    let r = record(&w, H).record.unwrap();
    assert!(r.revoked);
    assert_eq!((r.revoked_at, r.uri.as_str()), (w.now(), "v2"));

    // a revocation is final: alice cannot register it again, but may send the revocation further
    let before = nonce(&w);
    assert_eq!(error_code(&attest(&mut w, "alice", &H, "v3", "", vec![ETHEREUM]).unwrap_err()), "AttestationRevoked");
    assert_eq!((nonce(&w), record(&w, H).record.unwrap(), record(&w, H).conflict_count), (before, r.clone(), 1));
    let res = revoke(&mut w, "alice", &H, vec![10002]).unwrap();
    assert_eq!(sent_messages(&res).len(), 1);
    assert!(has_event(&res, "sah_attestation_ignored"));
    assert_eq!(record(&w, H).record.unwrap(), r);
}

#[test]
fn delivered_attestations_follow_the_registry_state_machine() {
    let mut w = World::new();
    let (x, y) = ("did:pkh:eip155:1:0x00000000000000000000000000000000000000aa", "did:pkh:eip155:1:0xbb");

    let m = attestation_in(&mut w, ETHEREUM, Action::Register, x, "one", 100);
    let res = w.deliver(&m).unwrap();
    assert!(has_event(&res, "sah_attestation_registered"));
    let first = record(&w, H).record.unwrap();
    assert_eq!(
        (first.owner_did.as_str(), first.origin_chain, first.origin_nonce, first.timestamp),
        (x, ETHEREUM, 1, 100)
    );
    assert_eq!(error_code(&w.deliver(&m).unwrap_err()), "MessageAlreadyConsumed");

    // the same owner again (from another chain even): a re-attestation updates uri, timestamp and origin
    let m = attestation_in(&mut w, POLKADOT, Action::Register, x, "two", 200);
    assert!(has_event(&w.deliver(&m).unwrap(), "sah_attestation_updated"));
    let updated = record(&w, H).record.unwrap();
    assert_eq!(
        (updated.uri.as_str(), updated.origin_chain, updated.origin_nonce, updated.timestamp),
        ("two", POLKADOT, 1, 200)
    );

    // another owner: registers and revokes are conflicts, consumed, and the record stays as it is
    let m1 = attestation_in(&mut w, ETHEREUM, Action::Register, y, "mine", 300);
    let m2 = attestation_in(&mut w, ETHEREUM, Action::Revoke, y, "", 301);
    let res = w.deliver_batch(&[m1.clone(), m2.clone()]).unwrap();
    assert_eq!(res.events.iter().filter(|e| e.ty == "wasm-sah_attestation_conflict").count(), 2);
    assert_eq!(record(&w, H).record.unwrap(), updated);
    let c = conflicts(&w, H, None, None);
    assert_eq!(c.len(), 2);
    assert_eq!(
        (c[0].owner_did.as_str(), c[0].nonce, c[0].timestamp, c[0].action.clone()),
        (y, 2, 300, AttestationAction::Register)
    );
    assert_eq!((c[1].nonce, c[1].action.clone()), (3, AttestationAction::Revoke));
    // pages
    assert_eq!(conflicts(&w, H, Some(0), None), c[1..].to_vec());
    assert_eq!(conflicts(&w, H, None, Some(1)), c[..1].to_vec());

    // the owner revokes: final; a register by the owner after it (e.g. one that crossed it) is a conflict,
    // a second revoke by the owner changes nothing
    let m = attestation_in(&mut w, ETHEREUM, Action::Revoke, x, "", 400);
    assert!(has_event(&w.deliver(&m).unwrap(), "sah_attestation_revoked"));
    let revoked = record(&w, H).record.unwrap();
    assert!(revoked.revoked && revoked.revoked_at == 400 && revoked.uri == "two");
    let late = attestation_in(&mut w, ETHEREUM, Action::Register, x, "three", 350);
    assert!(has_event(&w.deliver(&late).unwrap(), "sah_attestation_conflict"));
    assert_eq!(record(&w, H).conflict_count, 3);
    let again = attestation_in(&mut w, ETHEREUM, Action::Revoke, x, "", 500);
    assert!(has_event(&w.deliver(&again).unwrap(), "sah_attestation_ignored"));
    assert_eq!(record(&w, H).record.unwrap(), revoked);
    assert_eq!(record(&w, H).conflict_count, 3, "a second revoke by the owner is no conflict");
    // another owner on the revoked record: still a conflict
    let m = attestation_in(&mut w, POLKADOT, Action::Register, y, "now mine?", 600);
    w.deliver(&m).unwrap();
    assert_eq!(record(&w, H).conflict_count, 4);
    assert_eq!(record(&w, H).record.unwrap(), revoked);
    let c = conflicts(&w, H, Some(1), None);
    assert_eq!(
        (c[0].owner_did.as_str(), c[0].origin_chain, c[0].nonce, c[0].timestamp, c[0].action.clone()),
        (x, ETHEREUM, 5, 350, AttestationAction::Register)
    );
    assert_eq!((c[1].owner_did.as_str(), c[1].origin_chain), (y, POLKADOT));
}

#[test]
fn a_register_by_the_owner_of_a_revoked_record_is_a_conflict() {
    let mut w = World::new();
    let x = "did:pkh:eip155:1:0x00000000000000000000000000000000000000aa";
    let register = attestation_in(&mut w, ETHEREUM, Action::Register, x, "v1", 10);
    let revoke = attestation_in(&mut w, ETHEREUM, Action::Revoke, x, "", 20);
    let reregister = attestation_in(&mut w, ETHEREUM, Action::Register, x, "v2", 30);
    w.deliver(&register).unwrap();
    w.deliver(&revoke).unwrap();
    let revoked = record(&w, H).record.unwrap();
    assert!(revoked.revoked);

    // consumed (delivery never fails for the registry's reasons), recorded, the record untouched
    let res = w.deliver(&reregister).unwrap();
    assert!(has_event(&res, "sah_attestation_conflict"));
    assert_eq!(event_attr(&res, "sah_attestation_conflict", "record_revoked").as_deref(), Some("true"));
    assert_eq!(error_code(&w.deliver(&reregister).unwrap_err()), "MessageAlreadyConsumed");
    let r = record(&w, H);
    assert_eq!((r.record.unwrap(), r.conflict_count), (revoked, 1));
    let c = &conflicts(&w, H, None, None)[0];
    assert_eq!(
        (c.data_hash.clone(), c.owner_did.as_str(), c.origin_chain, c.nonce, c.timestamp, c.action.clone()),
        (hb(&H), x, ETHEREUM, 3, 30, AttestationAction::Register)
    );
}

#[test]
fn a_stale_register_from_the_records_origin_changes_nothing() {
    let mut w = World::new();
    let x = "did:pkh:eip155:1:0x00000000000000000000000000000000000000aa";
    let r1 = attestation_in(&mut w, ETHEREUM, Action::Register, x, "one", 10);
    let r2 = attestation_in(&mut w, ETHEREUM, Action::Register, x, "two", 20);
    let r3 = attestation_in(&mut w, ETHEREUM, Action::Register, x, "three", 30);
    w.deliver(&r1).unwrap();
    w.deliver(&r3).unwrap();
    let newest = record(&w, H).record.unwrap();
    assert_eq!(
        (newest.uri.as_str(), newest.origin_chain, newest.origin_nonce, newest.timestamp),
        ("three", ETHEREUM, 3, 30)
    );

    // nonce 2 < 3 from the same origin: consumed, nothing changes, no conflict
    let res = w.deliver(&r2).unwrap();
    assert!(has_event(&res, "sah_attestation_ignored"));
    assert_eq!(event_attr(&res, "sah_attestation_ignored", "reason").as_deref(), Some("stale"));
    assert_eq!(error_code(&w.deliver(&r2).unwrap_err()), "MessageAlreadyConsumed");
    assert_eq!((record(&w, H).record.unwrap(), record(&w, H).conflict_count), (newest.clone(), 0));

    // the same owner from another origin is compared with nothing: a re-attestation, whatever its nonce
    let other = attestation_in(&mut w, POLKADOT, Action::Register, x, "from polkadot", 5);
    assert!(has_event(&w.deliver(&other).unwrap(), "sah_attestation_updated"));
    let r = record(&w, H).record.unwrap();
    assert_eq!((r.uri.as_str(), r.origin_chain, r.origin_nonce, r.timestamp), ("from polkadot", POLKADOT, 1, 5));

    // a revoke is never stale: revocation is final whatever the order
    let revoke = attestation_in(&mut w, POLKADOT, Action::Revoke, x, "", 40);
    let later = attestation_in(&mut w, POLKADOT, Action::Register, x, "later", 50);
    w.deliver(&later).unwrap();
    assert_eq!(record(&w, H).record.unwrap().origin_nonce, 3);
    assert!(has_event(&w.deliver(&revoke).unwrap(), "sah_attestation_revoked"));
    let r = record(&w, H);
    assert!(r.record.unwrap().revoked);
    assert_eq!(r.conflict_count, 0);
}

#[test]
fn a_revoke_for_an_unknown_hash_creates_the_record_revoked() {
    let mut w = World::new();
    let x = "did:pkh:polkadot:91b171bb158e2d3848fa23a9f1c25182:5Grw";
    // the revoke overtook its register: the register (an older nonce from the record's origin) is stale
    // when it arrives, and changes nothing: no update, no conflict
    let register = attestation_in(&mut w, POLKADOT, Action::Register, x, "ipfs://x", 10);
    let revoke = attestation_in(&mut w, POLKADOT, Action::Revoke, x, "", 20);
    w.deliver(&revoke).unwrap();
    let r = record(&w, H).record.unwrap();
    assert!(r.revoked);
    assert_eq!(
        (r.owner_did.as_str(), r.origin_chain, r.origin_nonce, r.uri.as_str(), r.timestamp, r.revoked_at),
        (x, POLKADOT, 2, "", 20, 20)
    );
    let res = w.deliver(&register).unwrap();
    assert_eq!(event_attr(&res, "sah_attestation_ignored", "reason").as_deref(), Some("stale"));
    assert_eq!((record(&w, H).record.unwrap(), record(&w, H).conflict_count), (r.clone(), 0));
    assert_eq!(error_code(&w.deliver(&register).unwrap_err()), "MessageAlreadyConsumed");
    // a register by the owner sent after the revoke (a newer nonce): a conflict, the record stays revoked
    let newer = attestation_in(&mut w, POLKADOT, Action::Register, x, "ipfs://y", 30);
    assert!(has_event(&w.deliver(&newer).unwrap(), "sah_attestation_conflict"));
    let c = conflicts(&w, H, None, None);
    assert_eq!(
        (c.len(), c[0].owner_did.as_str(), c[0].nonce, c[0].action.clone()),
        (1, x, 3, AttestationAction::Register)
    );
    assert_eq!(record(&w, H).record.unwrap(), r);
}

#[test]
fn conflicts_never_overwrite_whatever_the_order() {
    // many owners from several chains race for one hash, delivered in a seeded random order (so a
    // source's messages arrive out of nonce order too): the registry follows §7.2's state machine, kept
    // here as a reference model, message by message
    use rand_chacha::rand_core::{RngCore, SeedableRng};
    #[derive(Clone, Debug, PartialEq)]
    struct Model {
        owner: String,
        origin: (u32, u64),
        uri: String,
        revoked: bool,
    }
    for seed in [7u64, 8, 9] {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let mut w = World::new();
        let owners: Vec<String> = (0..3).map(|i| format!("did:pkh:eip155:1:0x{i:040x}")).collect();
        let mut messages = vec![];
        for i in 0..60u64 {
            let owner = owners[(rng.next_u32() % 3) as usize].clone();
            let source = [ETHEREUM, POLKADOT, 10002][(rng.next_u32() % 3) as usize];
            let action = if rng.next_u32() % 5 == 0 { Action::Revoke } else { Action::Register };
            let uri = format!("uri {i}");
            let nonce = w.nonces.get(&source).copied().unwrap_or(0) + 1;
            let m = attestation_in(&mut w, source, action, &owner, &uri, i);
            messages.push((owner, action, source, nonce, uri, m));
        }
        // a seeded shuffle (Fisher-Yates)
        for i in (1..messages.len()).rev() {
            messages.swap(i, (rng.next_u32() as usize) % (i + 1));
        }
        let mut model: Option<Model> = None;
        let (mut expected_conflicts, mut stale) = (0u64, 0);
        for (who, action, source, nonce, uri, m) in &messages {
            let ctx = format!("seed {seed}: {who} {action:?} from {source} nonce {nonce}");
            let res = w.deliver(m).unwrap();
            model = match model.take() {
                None => Some(Model {
                    owner: who.clone(),
                    origin: (*source, *nonce),
                    uri: if *action == Action::Register { uri.clone() } else { String::new() },
                    revoked: *action == Action::Revoke,
                }),
                // stale first: an older register by the owner from the record's origin, revoked or not
                Some(r)
                    if r.owner == *who
                        && *action == Action::Register
                        && r.origin.0 == *source
                        && *nonce < r.origin.1 =>
                {
                    stale += 1;
                    assert_eq!(
                        event_attr(&res, "sah_attestation_ignored", "reason").as_deref(),
                        Some("stale"),
                        "{ctx}"
                    );
                    Some(r)
                }
                Some(r) if r.owner != *who || (r.revoked && *action == Action::Register) => {
                    expected_conflicts += 1;
                    assert!(has_event(&res, "sah_attestation_conflict"), "{ctx}");
                    Some(r)
                }
                Some(r) if *action == Action::Revoke => Some(Model { revoked: true, ..r }),
                Some(r) => Some(Model { origin: (*source, *nonce), uri: uri.clone(), ..r }),
            };
            let expected = model.as_ref().unwrap();
            let got = record(&w, H).record.unwrap();
            let got = Model {
                owner: got.owner_did,
                origin: (got.origin_chain, got.origin_nonce),
                uri: got.uri,
                revoked: got.revoked,
            };
            assert_eq!(&got, expected, "{ctx}");
            assert_eq!(record(&w, H).conflict_count, expected_conflicts, "{ctx}");
        }
        assert_eq!(conflicts(&w, H, None, Some(200)).len() as u64, expected_conflicts);
        assert!(expected_conflicts > 10 && stale > 0, "seed {seed}: {expected_conflicts} conflicts, {stale} stale");
    }
}

#[test]
fn an_attestation_made_here_lands_on_another_cosmwasm_bridge() {
    let mut w = World::new();
    let b = w.add_bridge(POLKADOT);
    let res = attest(&mut w, "alice", &H, "ipfs://a", "MIT", vec![POLKADOT]).unwrap();
    let m = sent_messages(&res).remove(0);
    w.deliver_to(&b, POLKADOT, &m).unwrap();
    let there = record_on(&w, &b, H).record.unwrap();
    assert_eq!((there.owner_did.clone(), there.origin_chain, there.origin_nonce), (did(&w, "alice"), CHAIN, 1));
    assert_eq!(there.uri, "ipfs://a");
    assert_eq!(error_code(&w.deliver_to(&b, POLKADOT, &m).unwrap_err()), "MessageAlreadyConsumed");

    // bob (another DID) cannot revoke it on either bridge
    assert_eq!(error_code(&revoke(&mut w, "bob", &H, vec![POLKADOT]).unwrap_err()), "NotOwner");
    let e =
        w.exec_on(&b, "bob", &ExecuteMsg::Revoke { data_hash: hb(&H), destinations: vec![CHAIN] }, &[]).unwrap_err();
    assert_eq!(error_code(&e), "NotOwner");

    let res = revoke(&mut w, "alice", &H, vec![POLKADOT]).unwrap();
    w.deliver_to(&b, POLKADOT, &sent_messages(&res)[0]).unwrap();
    assert!(record_on(&w, &b, H).record.unwrap().revoked);
    assert_eq!(record_on(&w, &b, H).conflict_count, 0);
}
