//! Batches: many messages under one signature over their Merkle root, those delivered before
//! skipped, all or nothing.

use super::*;

#[test]
fn a_batch_delivers_many_under_one_signature_and_creates_an_asset_once() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let batch = vec![
            w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 100),
            w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &bob(), 200),
            w.transfer_in(COSMOS, COSMOS, [0x07; 32], &carol(), 300),
            w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &carol(), 400),
            w.transfer_in(COSMOS, COSMOS, [0x07; 32], &alice(), 500),
        ];
        assert_ok!(w.deliver_batch(&batch));
        assert_eq!(
            created_events(),
            2,
            "one asset per origin token, even when a batch mints it several times"
        );
        assert_eq!(received_events(), 5);
        let ids: Vec<[u8; 32]> = batch.iter().map(|m| message_id(m)).collect();
        assert!(bridge_events().contains(&Event::BatchDelivered {
            root: H256(sah_bridge_protocol::merkle::root(&ids)),
            delivered: 5
        }));
        let sah = wrapped(ETHEREUM, sah_token()).unwrap();
        let atom = wrapped(COSMOS, [0x07; 32]).unwrap();
        assert_eq!(
            (
                asset_balance(sah, &alice()),
                asset_balance(sah, &bob()),
                asset_balance(sah, &carol())
            ),
            (100, 200, 400)
        );
        assert_eq!(
            (asset_balance(atom, &carol()), asset_balance(atom, &alice())),
            (300, 500)
        );
        assert!(batch.iter().all(|m| consumed(m)));

        // the same batch again: nothing new
        assert_noop!(
            w.deliver_batch(&batch),
            Error::<Test>::BatchAlreadyDelivered
        );
        // one of a batch delivered alone first is skipped when the batch comes
        let more = vec![
            w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 1),
            w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 2),
        ];
        assert_ok!(w.deliver(&more[0]));
        System::reset_events();
        assert_ok!(w.deliver_batch(&more));
        assert_eq!(received_events(), 1);
        assert_eq!(asset_balance(sah, &alice()), 103);
        assert_eq!(Assets::total_issuance(sah), 703);
        // the same message twice in one batch is delivered once
        let dup = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &bob(), 9);
        assert_ok!(w.deliver_batch(&[dup.clone(), dup.clone()]));
        assert_eq!(asset_balance(sah, &bob()), 209);
        // a batch of one is a single message (root = the leaf of its id): the single-message
        // signature fits
        let one = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &bob(), 1);
        let sig = w.signer.sign_message(1, CHAIN, &one);
        assert_ok!(w.deliver_batch_with(&[one], 1, sig));
        assert_eq!(asset_balance(sah, &bob()), 210);
    });
}

#[test]
fn batch_refusals_are_named_and_change_nothing() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        assert_noop!(
            w.deliver_batch_with(&[], 1, [0u8; 65]),
            Error::<Test>::EmptyBatch
        );

        let a = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 100);
        let mut b = Message::decode(&w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 100))
            .unwrap();
        b.header.destination_chain = COSMOS;
        let b = b.encode();
        assert_noop!(
            w.deliver_batch(&[a.clone(), b.clone()]),
            Error::<Test>::WrongDestination
        );

        let gov = w.governance(Governance::Pause);
        assert_noop!(
            w.deliver_batch(&[a.clone(), gov.clone()]),
            Error::<Test>::GovernanceNotBatchable
        );

        let short = a[..81].to_vec();
        assert_noop!(
            w.deliver_batch(&[a.clone(), short.clone()]),
            Error::<Test>::MessageTooShort
        );

        // a signature over another batch (here: a batch without the last message)
        let c = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 5);
        let d = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 6);
        let sig = w.signer.sign_batch(1, CHAIN, &[a.clone(), c.clone()]);
        assert_noop!(
            w.deliver_batch_with(&[a.clone(), c.clone(), d.clone()], 1, sig),
            Error::<Test>::InvalidSignature
        );
        // the same messages in another order have another root (but note: the tree hashes sorted
        // pairs, so swapping two siblings, here a and c, keeps the root; PROTOCOL.md §2)
        let sig = w
            .signer
            .sign_batch(1, CHAIN, &[a.clone(), c.clone(), d.clone()]);
        assert_noop!(
            w.deliver_batch_with(&[d.clone(), c.clone(), a.clone()], 1, sig),
            Error::<Test>::InvalidSignature
        );
        assert_noop!(
            w.deliver_batch_with(&[a.clone(), c.clone()], 2, sig),
            Error::<Test>::UnknownEpoch
        );
        // a bad message after good ones: all or nothing
        let mut zero =
            Message::decode(&w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 1)).unwrap();
        if let Payload::TokenTransfer(t) = &mut zero.payload {
            t.amount = 0;
        }
        let zero = zero.encode();
        assert_noop!(
            w.deliver_batch(&[a.clone(), c.clone(), zero.clone()]),
            Error::<Test>::ZeroAmount
        );

        assert!(
            wrapped(ETHEREUM, sah_token()).is_none(),
            "nothing was minted"
        );
        assert!(!consumed(&a) && !consumed(&c));
        // the bound on the batch size is the call's type: MaxBatch + 1 messages do not encode
        let too_many: Vec<crate::MessageOf<Test>> =
            (0..17).map(|_| a.clone().try_into().unwrap()).collect();
        assert!(crate::BatchOf::<Test>::try_from(too_many).is_err());
    });
}
