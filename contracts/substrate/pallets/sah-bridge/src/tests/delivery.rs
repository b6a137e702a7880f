//! The checks every delivered message passes: consumed once, for this chain, under a known epoch's
//! key with a valid signature, decoded first; and a paused bridge refuses all but governance.

use super::*;

#[test]
fn replays_wrong_destinations_wrong_epochs_and_bad_signatures_are_refused() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 1_000);
        assert_ok!(w.deliver(&m));
        let sah = wrapped(ETHEREUM, sah_token()).unwrap();

        // replay
        assert_noop!(w.deliver(&m), Error::<Test>::MessageAlreadyConsumed);

        // for another chain (signed for that chain, as a relayer set would)
        let mut other =
            Message::decode(&w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 5)).unwrap();
        other.header.destination_chain = COSMOS;
        let other = other.encode();
        let sig = w.signer.sign_message(1, COSMOS, &other);
        assert_noop!(
            w.deliver_with(&other, 1, sig),
            Error::<Test>::WrongDestination
        );

        let fresh = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 7);
        // signed for another destination: the digest binds the destination
        let sig = w.signer.sign_message(1, COSMOS, &fresh);
        assert_noop!(
            w.deliver_with(&fresh, 1, sig),
            Error::<Test>::InvalidSignature
        );
        // epochs this bridge has no key for
        for epoch in [0, 2, u32::MAX] {
            let sig = w.signer.sign_message(epoch, CHAIN, &fresh);
            assert_noop!(
                w.deliver_with(&fresh, epoch, sig),
                Error::<Test>::UnknownEpoch
            );
        }
        // signed by another key
        let sig = Signer::derived("intruder").sign_message(1, CHAIN, &fresh);
        assert_noop!(
            w.deliver_with(&fresh, 1, sig),
            Error::<Test>::InvalidSignature
        );
        // a good signature of another message
        let sig = w.signer.sign_message(1, CHAIN, &m);
        assert_noop!(
            w.deliver_with(&fresh, 1, sig),
            Error::<Test>::InvalidSignature
        );
        // malformed signatures (a wrong length cannot be encoded: the call takes [u8; 65])
        let good = w.signer.sign_message(1, CHAIN, &fresh);
        let with = |f: &dyn Fn(&mut [u8; 65])| {
            let mut s = good;
            f(&mut s);
            s
        };
        // the digest this bridge checks (for its instance, over the leaf of the id), on which the
        // verifier names each fault as the vectors do
        let digest =
            SahBridge::signed_digest(1, &sah_bridge_protocol::merkle::leaf(&message_id(&fresh)));
        assert_eq!(
            SahBridge::check_signature(&w.signer.group_key, &digest, &good),
            Ok(())
        );
        for (what, bad, reason) in [
            (
                "R not on the curve",
                with(&|s| s[1..33].copy_from_slice(&[0xff; 32])),
                "InvalidCommitment",
            ),
            ("bad R prefix", with(&|s| s[0] = 0x05), "InvalidCommitment"),
            ("R prefix 04", with(&|s| s[0] = 0x04), "InvalidCommitment"),
            (
                "z = 0",
                with(&|s| s[33..].copy_from_slice(&[0; 32])),
                "ScalarOutOfRange",
            ),
            (
                "z >= n",
                with(&|s| s[33..].copy_from_slice(&[0xff; 32])),
                "ScalarOutOfRange",
            ),
            ("z flipped", with(&|s| s[64] ^= 1), "InvalidSignature"),
            ("all zero", [0u8; 65], "InvalidCommitment"),
        ] {
            let _c = context(what);
            assert_noop!(
                w.deliver_with(&fresh, 1, bad),
                Error::<Test>::InvalidSignature
            );
            assert_eq!(
                SahBridge::check_signature(&w.signer.group_key, &digest, &bad)
                    .map_err(|e| e.code()),
                Err(reason)
            );
        }
        // a malformed message names the codec's error (decoding comes first)
        let short = fresh[..81].to_vec();
        assert_noop!(
            w.deliver_with(&short, 1, w.signer.sign_message(1, CHAIN, &short)),
            Error::<Test>::MessageTooShort
        );
        let mut long = fresh.clone();
        long.push(0);
        assert_noop!(
            w.deliver_with(&long, 1, w.signer.sign_message(1, CHAIN, &long)),
            Error::<Test>::PayloadLength
        );
        // an unsigned origin is refused before anything is looked at
        assert_noop!(
            SahBridge::receive_message(
                RuntimeOrigin::none(),
                fresh.clone().try_into().unwrap(),
                1,
                good
            ),
            DispatchError::BadOrigin
        );

        // none of it moved anything; the fresh message goes through with a right signature
        assert_eq!(Assets::total_issuance(sah), 1_000);
        assert!(!consumed(&fresh));
        assert_ok!(w.deliver(&fresh));
        assert_eq!(Assets::total_issuance(sah), 1_007);
    });
}

#[test]
fn a_result_for_a_job_this_chain_never_posted_is_refused_by_name() {
    new_test_ext().execute_with(|| {
        let w = World::new();
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
            payload: Payload::ComputeResult(ComputeResult {
                outcome: Outcome::Expired,
                job_id: [3; 32],
                result_hash: [0; 32],
                executor: [0; 32],
                timestamp: 1,
            }),
        }
        .encode();
        assert_noop!(w.deliver(&m), Error::<Test>::UnknownJob);
        assert_noop!(
            w.deliver_batch(std::slice::from_ref(&m)),
            Error::<Test>::UnknownJob
        );
        assert!(!consumed(&m));
    });
}

#[test]
fn a_paused_bridge_refuses_transfers_until_governance_unpauses() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let pause = w.governance(Governance::Pause);
        assert_ok!(w.deliver(&pause));
        assert!(bridge_events().contains(&Event::Paused { by: None }));
        let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 10);
        assert_noop!(w.deliver(&m), Error::<Test>::BridgePaused);
        assert_noop!(
            w.deliver_batch(std::slice::from_ref(&m)),
            Error::<Test>::BridgePaused
        );
        // governance still arrives
        let unpause = w.governance(Governance::Unpause);
        assert_ok!(w.deliver(&unpause));
        assert!(bridge_events().contains(&Event::Unpaused));
        assert_ok!(w.deliver(&m));
        assert_eq!(
            asset_balance(wrapped(ETHEREUM, sah_token()).unwrap(), &alice()),
            10
        );
    });
}
