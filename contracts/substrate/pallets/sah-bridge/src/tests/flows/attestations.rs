//! Data attestations (PROTOCOL.md §7.2): local `attest` and `revoke` with every refusal, and the
//! registry's state machine for delivered registers and revokes (conflicts, stale registers,
//! revocation is final).

use super::*;

// ------------------------------------------------------------------------------------ attest

#[test]
fn attest_records_locally_and_sends_one_register_per_destination() {
    new_test_ext().execute_with(|| {
        let h = [0xda; 32];
        let owner = did(&alice());
        System::reset_events();
        assert_ok!(attest(
            &alice(),
            h,
            b"ipfs://x",
            b"CC0-1.0",
            &[ETHEREUM, COSMOS]
        ));
        let r = Attestations::<Test>::get(h).unwrap();
        assert_eq!(r.data_hash, h);
        assert_eq!(r.owner_did.to_vec(), owner.as_bytes());
        assert_eq!((r.origin_chain, r.origin_nonce), (CHAIN, 0));
        assert_eq!(
            (&r.uri[..], &r.license[..]),
            (&b"ipfs://x"[..], &b"CC0-1.0"[..])
        );
        assert_eq!((r.timestamp, r.revoked, r.revoked_at), (START, false, 0));
        assert!(
            events_matching(|e| matches!(
                e,
                Event::AttestationRegistered {
                    reattested: false,
                    origin_nonce: 0,
                    ..
                }
            )) == 1
        );
        let sent = take_sent();
        assert_eq!(sent.len(), 2);
        for (i, (nonce, m)) in sent.iter().enumerate() {
            assert_eq!(*nonce, i as u64 + 1);
            assert_eq!(
                OutboundMessages::<Test>::get(nonce),
                Some(H256(message_id(m)))
            );
            let (hd, a) = attestation_of(m);
            assert_eq!(hd.kind, Kind::DataAttestation);
            assert_eq!(
                (hd.source_chain, hd.destination_chain, hd.nonce),
                (CHAIN, [ETHEREUM, COSMOS][i], *nonce)
            );
            assert_eq!(hd.sender, bytes32(&alice()));
            assert_eq!(hd.recipient, [0; 32]);
            assert_eq!(a.action, AttestationAction::Register);
            assert_eq!(a.data_hash, h);
            assert_eq!(a.timestamp, START);
            assert_eq!(a.owner_did, owner);
            assert_eq!(
                (a.uri.as_str(), a.license.as_str()),
                ("ipfs://x", "CC0-1.0")
            );
        }
        assert_eq!(OutboundNonce::<Test>::get(), 2);
    });
}

#[test]
fn attest_refusals_are_named_and_change_nothing() {
    new_test_ext().execute_with(|| {
        let h = [0xda; 32];
        let long_uri = vec![b'u'; 2049];
        let long_license = vec![b'l'; 257];
        let cases: Vec<(Error<Test>, Call)> = vec![
            (
                Error::<Test>::InvalidField,
                Box::new(move || attest(&alice(), [0; 32], b"", b"", &[ETHEREUM])),
            ),
            (
                Error::<Test>::InvalidField,
                Box::new({
                    let u = long_uri.clone();
                    move || attest(&alice(), h, &u, b"", &[ETHEREUM])
                }),
            ),
            (
                Error::<Test>::InvalidField,
                Box::new(move || attest(&alice(), h, &[0xff, 0xfe], b"", &[ETHEREUM])),
            ),
            (
                Error::<Test>::InvalidField,
                Box::new({
                    let l = long_license.clone();
                    move || attest(&alice(), h, b"", &l, &[ETHEREUM])
                }),
            ),
            (
                Error::<Test>::InvalidField,
                Box::new(move || attest(&alice(), h, b"", &[0xc3], &[ETHEREUM])),
            ),
            (
                Error::<Test>::EmptyDestinations,
                Box::new(move || attest(&alice(), h, b"", b"", &[])),
            ),
            (
                Error::<Test>::InvalidDestination,
                Box::new(move || attest(&alice(), h, b"", b"", &[CHAIN])),
            ),
            (
                Error::<Test>::InvalidDestination,
                Box::new(move || attest(&alice(), h, b"", b"", &[0])),
            ),
            (
                Error::<Test>::InvalidDestination,
                Box::new(move || attest(&alice(), h, b"", b"", &[999])),
            ),
            (
                Error::<Test>::InvalidDestination,
                Box::new(move || attest(&alice(), h, b"", b"", &[ETHEREUM, COSMOS, ETHEREUM])),
            ),
        ];
        for (expected, f) in cases {
            assert_noop!(f(), expected);
        }
        // the limits themselves are fine
        assert_ok!(attest(
            &alice(),
            h,
            &vec![b'u'; 2048],
            &vec![b'l'; 256],
            &[ETHEREUM]
        ));
        // paused: refused
        Paused::<Test>::put(true);
        assert_noop!(
            attest(&alice(), [1; 32], b"", b"", &[ETHEREUM]),
            Error::<Test>::BridgePaused
        );
        assert_noop!(
            revoke(&alice(), h, &[ETHEREUM]),
            Error::<Test>::BridgePaused
        );
    });
}

#[test]
fn reattest_by_the_owner_updates_and_another_owner_is_a_conflict_that_changes_nothing() {
    new_test_ext().execute_with(|| {
        let h = [0xdb; 32];
        assert_ok!(attest(&alice(), h, b"v1", b"MIT", &[ETHEREUM]));
        advance(10);
        assert_ok!(attest(&alice(), h, b"v2", b"GPL-3.0", &[COSMOS]));
        let r = Attestations::<Test>::get(h).unwrap();
        assert_eq!(
            (&r.uri[..], &r.license[..], r.timestamp),
            (&b"v2"[..], &b"GPL-3.0"[..], START + 10)
        );
        let before = Attestations::<Test>::get(h).unwrap();
        System::reset_events();
        // bob's attest of alice's hash: recorded as a conflict here, still sent on
        assert_ok!(attest(&bob(), h, b"mine", b"", &[ETHEREUM]));
        assert_eq!(Attestations::<Test>::get(h).unwrap(), before);
        assert_eq!(ConflictCount::<Test>::get(h), 1);
        let c = AttestationConflicts::<Test>::get(h, 0).unwrap();
        assert_eq!(c.owner_did.to_vec(), did(&bob()).into_bytes());
        assert_eq!(
            (c.origin_chain, c.nonce, c.timestamp, c.action),
            (CHAIN, 0, START + 10, AttestAction::Register)
        );
        assert_eq!(take_sent().len(), 1);
    });
}

#[test]
fn revoke_is_the_owners_only_and_revocation_is_final() {
    new_test_ext().execute_with(|| {
        let h = [0xdc; 32];
        assert_noop!(revoke(&alice(), h, &[ETHEREUM]), Error::<Test>::NotOwner);
        assert_ok!(attest(&alice(), h, b"u", b"l", &[ETHEREUM]));
        assert_noop!(revoke(&bob(), h, &[ETHEREUM]), Error::<Test>::NotOwner);
        assert_noop!(revoke(&alice(), h, &[]), Error::<Test>::EmptyDestinations);
        take_sent();
        advance(5);
        assert_ok!(revoke(&alice(), h, &[ETHEREUM, COSMOS]));
        let r = Attestations::<Test>::get(h).unwrap();
        assert!(r.revoked);
        assert_eq!(r.revoked_at, START + 5);
        assert_eq!(&r.uri[..], b"u", "a revocation keeps what was registered");
        let sent = take_sent();
        assert_eq!(sent.len(), 2);
        for (_, m) in &sent {
            let (hd, a) = attestation_of(m);
            assert_eq!(a.action, AttestationAction::Revoke);
            assert_eq!((a.uri.as_str(), a.license.as_str()), ("", ""));
            assert_eq!(a.owner_did, did(&alice()));
            assert_eq!(hd.sender, bytes32(&alice()));
        }
        // again (to tell another chain): allowed, nothing changes here
        let before = Attestations::<Test>::get(h).unwrap();
        assert_ok!(revoke(&alice(), h, &[COSMOS]));
        assert_eq!(Attestations::<Test>::get(h).unwrap(), before);
        // the owner cannot register a revoked hash again; a non-owner's is a conflict
        assert_noop!(
            attest(&alice(), h, b"u", b"l", &[ETHEREUM]),
            Error::<Test>::AttestationRevoked
        );
        assert_noop!(revoke(&bob(), h, &[ETHEREUM]), Error::<Test>::NotOwner);
        assert_ok!(attest(&bob(), h, b"u", b"l", &[ETHEREUM]));
        assert_eq!(ConflictCount::<Test>::get(h), 1);
        assert_eq!(Attestations::<Test>::get(h).unwrap(), before);
    });
}

// ------------------------------------------------------------------------------------ registry inbound

#[test]
fn delivered_attestations_follow_the_registry_state_machine() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let h = [0xa1; 32];
        let owner = "did:pkh:eip155:1:0x000000000000000000000000000000000000da7a";
        let other = "did:pkh:eip155:1:0x0000000000000000000000000000000000000bad";
        // (none) -> Registered
        let m1 = w.flow_in(
            ETHEREUM,
            [0x11; 32],
            register_payload(h, owner, "ipfs://1", 100),
        );
        assert_ok!(w.deliver(&m1));
        let r = Attestations::<Test>::get(h).unwrap();
        assert_eq!(
            (r.origin_chain, r.origin_nonce, r.timestamp),
            (ETHEREUM, 1, 100)
        );
        assert_eq!(&r.uri[..], b"ipfs://1");
        // same owner from another chain: a re-attestation (origin updated)
        let m2 = w.flow_in(
            COSMOS,
            [0x12; 32],
            register_payload(h, owner, "ipfs://2", 200),
        );
        assert_ok!(w.deliver(&m2));
        let r = Attestations::<Test>::get(h).unwrap();
        assert_eq!(
            (r.origin_chain, r.origin_nonce, r.timestamp),
            (COSMOS, 1, 200)
        );
        assert_eq!(&r.uri[..], b"ipfs://2");
        // another owner: register and revoke are conflicts, the record stays as it is
        let before = r.clone();
        let m3 = w.flow_in(
            ETHEREUM,
            [0x13; 32],
            register_payload(h, other, "evil", 300),
        );
        let m4 = w.flow_in(ETHEREUM, [0x13; 32], revoke_payload(h, other, 301));
        assert_ok!(w.deliver(&m3));
        assert_ok!(w.deliver(&m4));
        assert_eq!(Attestations::<Test>::get(h).unwrap(), before);
        let cs = SahBridge::conflicts(h);
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[0].action, AttestAction::Register);
        assert_eq!(cs[1].action, AttestAction::Revoke);
        assert_eq!(
            (cs[1].origin_chain, cs[1].nonce, cs[1].timestamp),
            (ETHEREUM, 3, 301)
        );
        assert_eq!(&cs[1].owner_did[..], other.as_bytes());
        // the owner revokes: Revoked
        let m5 = w.flow_in(ETHEREUM, [0x11; 32], revoke_payload(h, owner, 400));
        assert_ok!(w.deliver(&m5));
        let r = Attestations::<Test>::get(h).unwrap();
        assert!(r.revoked);
        assert_eq!(r.revoked_at, 400);
        // a register after the revocation (e.g. an older one delivered late) does not revive it
        let m6 = w.flow_in(
            ETHEREUM,
            [0x11; 32],
            register_payload(h, owner, "ipfs://3", 90),
        );
        assert_ok!(w.deliver(&m6));
        assert_eq!(Attestations::<Test>::get(h).unwrap(), r);
        assert_eq!(ConflictCount::<Test>::get(h), 3);
        // every one of them consumed once
        for m in [&m1, &m2, &m3, &m4, &m5, &m6] {
            assert!(consumed(m));
            assert_noop!(w.deliver(m), Error::<Test>::MessageAlreadyConsumed);
        }
    });
}

#[test]
fn a_revoke_delivered_before_its_register_creates_the_record_revoked() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let h = [0xa2; 32];
        let owner = "did:pkh:cosmos:sah-1:sah1xyz";
        let reg = w.flow_in(COSMOS, [1; 32], register_payload(h, owner, "u", 10));
        let rev = w.flow_in(COSMOS, [1; 32], revoke_payload(h, owner, 20));
        assert_ok!(w.deliver(&rev));
        let r = Attestations::<Test>::get(h).unwrap();
        assert!(r.revoked);
        assert_eq!(
            (r.origin_chain, r.origin_nonce, r.timestamp, r.revoked_at),
            (COSMOS, 2, 20, 20)
        );
        assert!(r.uri.is_empty() && r.license.is_empty());
        // the register it overtook (same origin, lower nonce) is stale: nothing changes, no
        // conflict either, and it is consumed
        System::reset_events();
        assert_ok!(w.deliver(&reg));
        assert!(consumed(&reg));
        assert_eq!(Attestations::<Test>::get(h).unwrap(), r);
        assert_eq!(ConflictCount::<Test>::get(h), 0);
        assert_eq!(
            events_matching(|e| matches!(
                e,
                Event::AttestationStale {
                    origin_chain: COSMOS,
                    nonce: 1,
                    ..
                }
            )),
            1
        );
        assert_eq!(
            events_matching(|e| matches!(e, Event::AttestationConflict { .. })),
            0
        );
    });
}

#[test]
fn a_stale_register_from_the_records_origin_changes_nothing() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let h = [0xa4; 32];
        let owner = "did:pkh:eip155:10001:0x000000000000000000000000000000000000da7a";
        // what the origin sent, in this order (nonces 1..=5)
        let mut m: Vec<Vec<u8>> = (1..=4u64)
            .map(|i| {
                w.flow_in(
                    ETHEREUM,
                    [0x11; 32],
                    register_payload(h, owner, &format!("ipfs://{i}"), 100 * i),
                )
            })
            .collect();
        m.push(w.flow_in(ETHEREUM, [0x11; 32], revoke_payload(h, owner, 500)));
        let stale = |event_nonce: u64| {
            events_matching(|e| {
                matches!(e, Event::AttestationStale { origin_chain: ETHEREUM, nonce, .. }
                    if *nonce == event_nonce)
            })
        };
        // nonce 2 first, then nonce 1: the older register is stale
        assert_ok!(w.deliver(&m[1]));
        let r = Attestations::<Test>::get(h).unwrap();
        assert_eq!(
            (r.origin_chain, r.origin_nonce, r.timestamp),
            (ETHEREUM, 2, 200)
        );
        System::reset_events();
        assert_ok!(w.deliver(&m[0]));
        assert!(consumed(&m[0]));
        assert_eq!(Attestations::<Test>::get(h).unwrap(), r);
        assert_eq!(ConflictCount::<Test>::get(h), 0);
        assert_eq!(stale(1), 1);
        assert_eq!(
            events_matching(|e| matches!(e, Event::AttestationRegistered { .. })),
            0
        );
        // the same owner from another origin chain is never stale (nonces are per source)
        let other = w.flow_in(
            COSMOS,
            [0x12; 32],
            register_payload(h, owner, "ipfs://c", 250),
        );
        assert_ok!(w.deliver(&other));
        let r = Attestations::<Test>::get(h).unwrap();
        assert_eq!(
            (r.origin_chain, r.origin_nonce, &r.uri[..]),
            (COSMOS, 1, &b"ipfs://c"[..])
        );
        // back to the first origin with a newer nonce: a re-attestation
        assert_ok!(w.deliver(&m[3]));
        let r = Attestations::<Test>::get(h).unwrap();
        assert_eq!(
            (r.origin_chain, r.origin_nonce, &r.uri[..]),
            (ETHEREUM, 4, &b"ipfs://4"[..])
        );
        // revoked; the register of nonce 3 arrives after it: stale, not a conflict
        assert_ok!(w.deliver(&m[4]));
        let r = Attestations::<Test>::get(h).unwrap();
        assert!(r.revoked);
        System::reset_events();
        assert_ok!(w.deliver(&m[2]));
        assert!(consumed(&m[2]));
        assert_eq!(Attestations::<Test>::get(h).unwrap(), r);
        assert_eq!(ConflictCount::<Test>::get(h), 0);
        assert_eq!(stale(3), 1);
        // a newer register by the owner of the revoked record: a conflict (revocation is final)
        let late = w.flow_in(
            ETHEREUM,
            [0x11; 32],
            register_payload(h, owner, "ipfs://6", 600),
        );
        assert_ok!(w.deliver(&late));
        assert_eq!(Attestations::<Test>::get(h).unwrap(), r);
        assert_eq!(ConflictCount::<Test>::get(h), 1);
        let c = &SahBridge::conflicts(h)[0];
        assert_eq!(
            (c.origin_chain, c.nonce, c.action),
            (ETHEREUM, 6, AttestAction::Register)
        );
        // a revoke is never stale: a revoke by the owner of a revoked record changes nothing
        let before = Attestations::<Test>::get(h).unwrap();
        let again = w.flow_in(ETHEREUM, [0x11; 32], revoke_payload(h, owner, 700));
        assert_ok!(w.deliver(&again));
        assert_eq!(Attestations::<Test>::get(h).unwrap(), before);
        assert_eq!(ConflictCount::<Test>::get(h), 1);
        // a local re-attestation (origin this chain, nonce 0) is never stale
        assert_ok!(attest(&alice(), [0xa5; 32], b"v1", b"", &[ETHEREUM]));
        assert_ok!(attest(&alice(), [0xa5; 32], b"v2", b"", &[ETHEREUM]));
        assert_eq!(
            &Attestations::<Test>::get([0xa5; 32]).unwrap().uri[..],
            b"v2"
        );
    });
}

#[test]
fn revoke_refusals_are_named_and_change_nothing() {
    new_test_ext().execute_with(|| {
        let h = [0xdd; 32];
        // no record here
        assert_noop!(revoke(&alice(), h, &[ETHEREUM]), Error::<Test>::NotOwner);
        assert_ok!(attest(&alice(), h, b"u", b"l", &[ETHEREUM]));
        // bob's attest of it is only a conflict: he owns nothing here
        assert_ok!(attest(&bob(), h, b"u", b"l", &[ETHEREUM]));
        assert_noop!(revoke(&bob(), h, &[ETHEREUM]), Error::<Test>::NotOwner);
        assert_noop!(revoke(&alice(), h, &[]), Error::<Test>::EmptyDestinations);
        for d in [
            &[0][..],
            &[CHAIN],
            &[999],
            &[ETHEREUM, COSMOS, ETHEREUM],
            &[ETHEREUM, 999],
        ] {
            let _c = context(format!("{d:?}"));
            assert_noop!(revoke(&alice(), h, d), Error::<Test>::InvalidDestination);
        }
        assert!(!Attestations::<Test>::get(h).unwrap().revoked);
        // the owner with good destinations
        assert_ok!(revoke(&alice(), h, &[ETHEREUM, COSMOS]));
        assert!(Attestations::<Test>::get(h).unwrap().revoked);
    });
}

#[test]
fn conflicts_are_capped_per_data_hash_and_never_overwrite() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let h = [0xa3; 32];
        let first = w.flow_in(
            ETHEREUM,
            [1; 32],
            register_payload(h, "did:x:owner", "u", 1),
        );
        assert_ok!(w.deliver(&first));
        let record = Attestations::<Test>::get(h).unwrap();
        System::reset_events();
        let n = MAX_CONFLICTS + 3;
        for i in 0..n {
            let m = w.flow_in(
                ETHEREUM,
                [2; 32],
                register_payload(h, &format!("did:x:other{i}"), "v", 2 + i as u64),
            );
            assert_ok!(w.deliver(&m));
        }
        assert_eq!(Attestations::<Test>::get(h).unwrap(), record);
        assert_eq!(ConflictCount::<Test>::get(h), n);
        let cs = SahBridge::conflicts(h);
        assert_eq!(cs.len() as u32, MAX_CONFLICTS);
        for (i, c) in cs.iter().enumerate() {
            assert_eq!(&c.owner_did[..], format!("did:x:other{i}").as_bytes());
        }
        assert!(AttestationConflicts::<Test>::get(h, MAX_CONFLICTS).is_none());
        assert_eq!(
            events_matching(|e| matches!(e, Event::AttestationConflict { stored: false, .. })),
            3
        );
        assert_eq!(
            events_matching(|e| matches!(e, Event::AttestationConflict { stored: true, .. })),
            MAX_CONFLICTS as usize
        );
    });
}

#[test]
fn attestations_in_a_batch_and_a_paused_bridge() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let ms: Vec<Vec<u8>> = (0..4u8)
            .map(|i| {
                w.flow_in(
                    ETHEREUM,
                    [1; 32],
                    register_payload([0xb0 + i; 32], "did:x:a", "u", 1),
                )
            })
            .collect();
        Paused::<Test>::put(true);
        assert_noop!(w.deliver(&ms[0]), Error::<Test>::BridgePaused);
        assert_noop!(w.deliver_batch(&ms), Error::<Test>::BridgePaused);
        Paused::<Test>::put(false);
        assert_ok!(w.deliver(&ms[0]));
        // the batch skips what was delivered
        assert_ok!(w.deliver_batch(&ms));
        assert!(ms.iter().all(|m| consumed(m)));
        assert!((0..4u8).all(|i| Attestations::<Test>::contains_key([0xb0 + i; 32])));
        assert_noop!(w.deliver_batch(&ms), Error::<Test>::BatchAlreadyDelivered);
    });
}

#[test]
fn the_vectors_flow_messages_run_through_the_pallet() {
    let v = vectors();
    for vector in v["valid"].as_array().unwrap() {
        let kind = vector["kind"].as_str().unwrap();
        if !["DataAttestation", "ComputeJob", "ComputeResult"].contains(&kind) {
            continue;
        }
        let name = vector["name"].as_str().unwrap();
        let destination = num(&vector["header"]["destinationChain"]);
        let epoch = num(&vector["epoch"]);
        let encoding = hex_bytes(vector["encoding"].as_str().unwrap());
        let _c = context(name);
        new_test_ext_on(destination).execute_with(|| {
            let w = World::new().at_epoch(epoch);
            let deliver = || w.deliver_with(&encoding, epoch, substrate_sig(vector));
            let m = decode(&encoding);
            match m.payload {
                Payload::DataAttestation(a) => {
                    deliver().unwrap_or_else(|e| panic!("{name}: {e:?}"));
                    let r = Attestations::<Test>::get(a.data_hash).unwrap();
                    assert_eq!(&r.owner_did[..], a.owner_did.as_bytes(), "{name}");
                    assert_eq!(r.revoked, a.action == AttestationAction::Revoke, "{name}");
                }
                Payload::ComputeJob(ComputeJob::Post { job_id, .. }) => {
                    deliver().unwrap_or_else(|e| panic!("{name}: {e:?}"));
                    assert_eq!(
                        ReceivedJobs::<Test>::get(job_id).unwrap().state,
                        ReceivedJobState::Open
                    );
                }
                // a cancel or a result for a job this fresh chain never saw
                _ => {
                    assert_noop!(deliver(), Error::<Test>::UnknownJob);
                }
            }
        });
    }
}
