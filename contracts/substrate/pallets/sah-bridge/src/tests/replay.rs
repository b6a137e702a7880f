//! Replay protection as consumed bitmaps (PROTOCOL.md §2): the bit arithmetic and the storage layout
//! the relayer reads, out-of-order delivery, the word boundaries, replays within a word, across words
//! and across sources, duplicates inside a batch, governance, a seeded random sequence against a
//! reference set, and the storage version and its migration from message ids.

use super::*;
use crate::consumed::{bit_is_set, set_bit, word_index, ConsumedWord, TouchedWords};
use crate::migrations::v1;
use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, BTreeSet};

/// The word with exactly these nonces' bits set, built as a 256-bit big-endian integer from two
/// u128 halves (independently of the pallet's byte and mask arithmetic).
fn word_with(nonces: &[u64]) -> ConsumedWord {
    let (mut high, mut low) = (0u128, 0u128);
    for n in nonces {
        let i = (n & 0xff) as u32;
        if i < 128 {
            low |= 1 << i;
        } else {
            high |= 1 << (i - 128);
        }
    }
    let mut word = [0u8; 32];
    word[..16].copy_from_slice(&high.to_be_bytes());
    word[16..].copy_from_slice(&low.to_be_bytes());
    word
}

/// `m` with its header's nonce replaced (the message stays valid: any u64 is a nonce).
fn at_nonce(mut m: Vec<u8>, nonce: u64) -> Vec<u8> {
    m[10..18].copy_from_slice(&nonce.to_be_bytes());
    m
}

/// A transfer from `source` of `amount` wrapped SAH to alice, under `nonce`.
fn transfer(w: &mut World, source: u32, nonce: u64, amount: u128) -> Vec<u8> {
    at_nonce(
        w.transfer_in(source, ETHEREUM, sah_token(), &alice(), amount),
        nonce,
    )
}

fn sah_issuance() -> u128 {
    wrapped(ETHEREUM, sah_token()).map_or(0, Assets::total_issuance)
}

#[test]
fn bit_i_of_a_word_is_the_big_endian_word_shifted_right_by_i() {
    for nonce in [
        0u64,
        1,
        7,
        8,
        9,
        127,
        128,
        254,
        255,
        256,
        257,
        511,
        512,
        u64::MAX - 1,
        u64::MAX,
    ] {
        let mut word = [0u8; 32];
        set_bit(&mut word, nonce);
        assert_eq!(word, word_with(&[nonce]), "nonce {nonce}");
        // only that bit: no other nonce of the word reads as set
        let base = nonce & !0xff;
        for other in 0..256u64 {
            assert_eq!(
                bit_is_set(&word, base | other),
                base | other == nonce,
                "nonce {nonce}, other {other}"
            );
        }
    }
    // bit 0 is the low bit of the last byte, bit 255 the high bit of the first
    assert_eq!(word_with(&[0])[31], 1);
    assert_eq!(word_with(&[255])[0], 0x80);
    assert_eq!(word_index(255), 0);
    assert_eq!(word_index(256), 1);
    assert_eq!(word_index(511), 1);
    assert_eq!(word_index(512), 2);
    assert_eq!(word_index(u64::MAX), (1 << 56) - 1);
}

#[test]
fn a_word_is_stored_as_its_32_bytes_under_twox64concat_keys() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let m = transfer(&mut w, ETHEREUM, 0x0203, 5);
        assert_ok!(w.deliver(&m));
        // what the relayer's `sahBridge.consumedWords(source, wordIndex)` reads: the pallet and
        // item prefixes, twox64(source u32 LE) || source, twox64(index u64 LE) || index
        let twox64concat = |b: &[u8]| [&sp_io::hashing::twox_64(b)[..], b].concat();
        let key = [
            &sp_io::hashing::twox_128(b"SahBridge")[..],
            &sp_io::hashing::twox_128(b"ConsumedWords"),
            &twox64concat(&ETHEREUM.to_le_bytes()),
            &twox64concat(&2u64.to_le_bytes()),
        ]
        .concat();
        assert_eq!(ConsumedWords::<Test>::hashed_key_for(ETHEREUM, 2), key);
        let word = word_with(&[0x0203]);
        assert_eq!(
            sp_io::storage::get(&key).map(|v| v.to_vec()),
            Some(word.to_vec())
        );
        assert_eq!(SahBridge::consumed_word(ETHEREUM, 2), word);
        // a word no delivery touched is absent and reads as zero
        assert!(!ConsumedWords::<Test>::contains_key(ETHEREUM, 1));
        assert_eq!(SahBridge::consumed_word(ETHEREUM, 1), [0; 32]);
    });
}

#[test]
fn nonces_are_delivered_out_of_order_each_once() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let order = [5u64, 3, 9, 1, 4, 2, 8, 7, 6];
        for (i, n) in order.iter().enumerate() {
            let m = transfer(&mut w, ETHEREUM, *n, 10);
            assert!(!consumed(&m));
            assert_ok!(w.deliver(&m));
            assert!(consumed(&m));
            assert_noop!(w.deliver(&m), Error::<Test>::MessageAlreadyConsumed);
            assert_eq!(
                SahBridge::consumed_word(ETHEREUM, 0),
                word_with(&order[..=i]),
                "after nonce {n}"
            );
        }
        assert_eq!(sah_issuance(), 90);
        // in a batch too: the higher nonces first, one delivered before skipped
        let batch: Vec<Vec<u8>> = [12u64, 11, 10, 4]
            .iter()
            .map(|n| transfer(&mut w, ETHEREUM, *n, 1))
            .collect();
        System::reset_events();
        assert_ok!(w.deliver_batch(&batch));
        assert_eq!(received_events(), 3);
        assert_eq!(sah_issuance(), 93);
        assert_eq!(
            SahBridge::consumed_word(ETHEREUM, 0),
            word_with(&(1..=12).collect::<Vec<_>>())
        );
    });
}

#[test]
fn the_word_boundaries_255_256_511_512_and_u64_max() {
    let nonces = [255u64, 256, 511, 512, u64::MAX];
    let neighbours = [254u64, 257, 510, 513, u64::MAX - 1];
    let check = |source: u32| {
        assert_eq!(SahBridge::consumed_word(source, 0), word_with(&[255]));
        assert_eq!(SahBridge::consumed_word(source, 1), word_with(&[256, 511]));
        assert_eq!(SahBridge::consumed_word(source, 2), word_with(&[512]));
        assert_eq!(
            SahBridge::consumed_word(source, (1 << 56) - 1),
            word_with(&[u64::MAX])
        );
        assert_eq!(ConsumedWords::<Test>::iter_prefix(source).count(), 4);
        for n in nonces {
            assert!(SahBridge::is_consumed(source, n), "{n}");
        }
        for n in neighbours {
            assert!(!SahBridge::is_consumed(source, n), "{n}");
        }
    };
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        // one at a time (ETHEREUM)
        for n in nonces {
            let m = transfer(&mut w, ETHEREUM, n, 1);
            assert_ok!(w.deliver(&m));
            assert_noop!(w.deliver(&m), Error::<Test>::MessageAlreadyConsumed);
        }
        check(ETHEREUM);
        // in one batch (COSMOS): four words, each written once
        let batch: Vec<Vec<u8>> = nonces
            .iter()
            .map(|n| transfer(&mut w, COSMOS, *n, 1))
            .collect();
        assert_ok!(w.deliver_batch(&batch));
        check(COSMOS);
        for m in &batch {
            assert_noop!(w.deliver(m), Error::<Test>::MessageAlreadyConsumed);
        }
        assert_noop!(
            w.deliver_batch(&batch),
            Error::<Test>::BatchAlreadyDelivered
        );
        // the neighbours still go through, next to their word's bits
        for n in neighbours {
            let m = transfer(&mut w, ETHEREUM, n, 1);
            assert_ok!(w.deliver(&m));
        }
        assert_eq!(
            SahBridge::consumed_word(ETHEREUM, 0),
            word_with(&[254, 255])
        );
        assert_eq!(
            SahBridge::consumed_word(ETHEREUM, 1),
            word_with(&[256, 257, 510, 511])
        );
        assert_eq!(
            SahBridge::consumed_word(ETHEREUM, 2),
            word_with(&[512, 513])
        );
        assert_eq!(
            SahBridge::consumed_word(ETHEREUM, (1 << 56) - 1),
            word_with(&[u64::MAX - 1, u64::MAX])
        );
        assert_eq!(sah_issuance(), 15);
    });
}

#[test]
fn replays_within_a_word_across_words_and_across_sources() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let eth1 = transfer(&mut w, ETHEREUM, 1, 100);
        assert_ok!(w.deliver(&eth1));
        // within the word: the same message, and another message under the same pair
        assert_noop!(w.deliver(&eth1), Error::<Test>::MessageAlreadyConsumed);
        let other_body = transfer(&mut w, ETHEREUM, 1, 999);
        assert_ne!(message_id(&other_body), message_id(&eth1));
        assert_noop!(
            w.deliver(&other_body),
            Error::<Test>::MessageAlreadyConsumed
        );
        // the same nonce from another source is another message
        let cosmos1 = transfer(&mut w, COSMOS, 1, 10);
        assert_ok!(w.deliver(&cosmos1));
        assert_noop!(w.deliver(&cosmos1), Error::<Test>::MessageAlreadyConsumed);
        // the same bit position in the next word is another message
        let eth257 = transfer(&mut w, ETHEREUM, 257, 1);
        assert_ok!(w.deliver(&eth257));
        assert_noop!(w.deliver(&eth257), Error::<Test>::MessageAlreadyConsumed);
        assert_noop!(w.deliver(&eth1), Error::<Test>::MessageAlreadyConsumed);
        assert_eq!(SahBridge::consumed_word(ETHEREUM, 0), word_with(&[1]));
        assert_eq!(SahBridge::consumed_word(ETHEREUM, 1), word_with(&[257]));
        assert_eq!(SahBridge::consumed_word(COSMOS, 0), word_with(&[1]));
        // a third source's word 0 is untouched
        assert!(!ConsumedWords::<Test>::contains_key(1, 0));
        assert_eq!(sah_issuance(), 111);

        // in batches: nothing new across words and sources is refused, a new one among them lands
        assert_noop!(
            w.deliver_batch(&[
                eth1.clone(),
                eth257.clone(),
                cosmos1.clone(),
                other_body.clone()
            ]),
            Error::<Test>::BatchAlreadyDelivered
        );
        let eth2 = transfer(&mut w, ETHEREUM, 2, 1_000);
        System::reset_events();
        assert_ok!(w.deliver_batch(&[eth1.clone(), other_body, eth2.clone(), cosmos1]));
        assert_eq!(received_events(), 1);
        assert!(bridge_events().contains(&Event::MessageReceived {
            message_id: H256(message_id(&eth2)),
            source_chain: ETHEREUM,
            nonce: 2,
        }));
        assert_eq!(SahBridge::consumed_word(ETHEREUM, 0), word_with(&[1, 2]));
        assert_eq!(sah_issuance(), 1_111);
    });
}

#[test]
fn a_duplicate_inside_one_batch_is_delivered_once() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        // the same message twice
        let m = transfer(&mut w, ETHEREUM, 3, 7);
        System::reset_events();
        assert_ok!(w.deliver_batch(&[m.clone(), m.clone()]));
        assert_eq!(received_events(), 1);
        let root = sah_bridge_protocol::merkle::root(&[message_id(&m), message_id(&m)]);
        assert!(bridge_events().contains(&Event::BatchDelivered {
            root: H256(root),
            delivered: 1
        }));
        assert_eq!(sah_issuance(), 7);
        // two messages under one pair: the first delivered, the second skipped
        let first = transfer(&mut w, COSMOS, 300, 20);
        let second = transfer(&mut w, COSMOS, 300, 50);
        let fresh = transfer(&mut w, COSMOS, 301, 1);
        System::reset_events();
        assert_ok!(w.deliver_batch(&[first.clone(), second.clone(), fresh]));
        assert_eq!(received_events(), 2);
        let second_id = H256(message_id(&second));
        assert!(!bridge_events().iter().any(
            |e| matches!(e, Event::MessageReceived { message_id, .. } if *message_id == second_id)
        ));
        assert_eq!(sah_issuance(), 28);
        assert_eq!(SahBridge::consumed_word(COSMOS, 1), word_with(&[300, 301]));
        // and a batch of duplicates of delivered messages has nothing new
        assert_noop!(
            w.deliver_batch(&[m.clone(), second, m]),
            Error::<Test>::BatchAlreadyDelivered
        );
        // a refused batch writes no word, even for the messages before the refusal
        let a = transfer(&mut w, 1, 1, 1);
        let mut zero = Message::decode(&transfer(&mut w, 1, 2, 1)).unwrap();
        if let Payload::TokenTransfer(t) = &mut zero.payload {
            t.amount = 0;
        }
        assert_noop!(
            w.deliver_batch(&[a.clone(), a, zero.encode()]),
            Error::<Test>::ZeroAmount
        );
        assert!(!ConsumedWords::<Test>::contains_key(1, 0));
    });
}

#[test]
fn governance_is_consumed_under_source_0_and_its_nonce() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let pause = w.governance(Governance::Pause);
        assert_ok!(w.deliver(&pause));
        assert_noop!(w.deliver(&pause), Error::<Test>::MessageAlreadyConsumed);
        assert_eq!(SahBridge::consumed_word(0, 0), word_with(&[1]));
        // across a word: nonce 256 is bit 0 of word 1 of source 0
        w.governance_nonce = 255;
        let unpause = w.governance(Governance::Unpause);
        assert_ok!(w.deliver(&unpause));
        assert_noop!(w.deliver(&unpause), Error::<Test>::MessageAlreadyConsumed);
        assert_eq!(GovernanceNonce::<Test>::get(), 256);
        assert_eq!(SahBridge::consumed_word(0, 1), word_with(&[256]));
        // another body under the applied nonce is a replay, before it is stale
        w.governance_nonce = 255;
        let pause_again = w.governance(Governance::Pause);
        assert_noop!(
            w.deliver(&pause_again),
            Error::<Test>::MessageAlreadyConsumed
        );
        // an older nonce never delivered is stale (not consumed)
        w.governance_nonce = 1;
        let two = w.governance(Governance::Pause);
        assert_noop!(w.deliver(&two), Error::<Test>::StaleGovernanceNonce);
        assert!(!consumed(&two));
        // a source chain's nonces 1 and 256 are its own
        for n in [1, 256] {
            let m = transfer(&mut w, ETHEREUM, n, 1);
            assert_ok!(w.deliver(&m));
        }
        // in a batch, a governance message delivered before is skipped (consumed is checked before
        // governance is refused: PROTOCOL.md §8.2); a new one is refused
        let m = transfer(&mut w, ETHEREUM, 2, 1);
        System::reset_events();
        assert_ok!(w.deliver_batch(&[pause.clone(), m]));
        assert_eq!(received_events(), 1);
        w.governance_nonce = 300;
        let fresh = w.governance(Governance::Pause);
        assert_noop!(
            w.deliver_batch(&[pause, fresh]),
            Error::<Test>::GovernanceNotBatchable
        );
    });
}

#[test]
fn a_call_reads_each_word_once_and_writes_each_changed_word_once() {
    new_test_ext().execute_with(|| {
        ConsumedWords::<Test>::insert(ETHEREUM, 0, word_with(&[3]));
        let mut words = TouchedWords::<Test>::default();
        assert!(words.is_consumed(ETHEREUM, 3));
        assert!(!words.is_consumed(ETHEREUM, 4));
        words.consume(ETHEREUM, 4);
        assert!(words.is_consumed(ETHEREUM, 4), "seen within the call");
        assert!(
            !SahBridge::is_consumed(ETHEREUM, 4),
            "not stored before save"
        );
        words.consume(COSMOS, 4);
        for n in 5..200 {
            words.consume(ETHEREUM, n);
        }
        // read only
        assert!(!words.is_consumed(ETHEREUM, 300));
        assert_eq!(
            words.reads(),
            3,
            "(ETHEREUM, 0), (COSMOS, 0), (ETHEREUM, 1)"
        );
        assert_eq!(words.save(), 2, "(ETHEREUM, 0) and (COSMOS, 0)");
        let mut expected: Vec<u64> = (3..200).collect();
        assert_eq!(SahBridge::consumed_word(ETHEREUM, 0), word_with(&expected));
        expected.retain(|n| *n == 4);
        assert_eq!(SahBridge::consumed_word(COSMOS, 0), word_with(&expected));
        // a word only read is not written
        assert!(!ConsumedWords::<Test>::contains_key(ETHEREUM, 1));
    });
}

/// A seeded random sequence of single deliveries and batches (duplicates, other bodies under a
/// delivered pair, three sources, nonces around word boundaries and near u64::MAX) against a
/// reference set of delivered `(source, nonce)`: every outcome, every word and the minted total.
fn random_against_reference(seed: u64) {
    const STEPS: usize = 120;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let sources = [ETHEREUM, COSMOS, 1];
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let mut delivered: BTreeSet<(u32, u64)> = BTreeSet::new();
        let mut minted = 0u128;
        let random_message = |rng: &mut ChaCha8Rng, w: &mut World| {
            let source = sources[(rng.next_u32() % 3) as usize];
            let nonce = match rng.next_u32() % 8 {
                // near the top of the nonce space
                0 => u64::MAX - u64::from(rng.next_u32() % 300),
                // around the first word boundaries, so that pairs repeat
                _ => 1 + u64::from(rng.next_u32() % 600),
            };
            let amount = 1 + u128::from(rng.next_u32() % 1_000);
            (source, nonce, amount, transfer(w, source, nonce, amount))
        };
        for step in 0..STEPS {
            let _c = context(format!("seed {seed}, step {step}"));
            if rng.next_u32() % 3 == 0 {
                let (source, nonce, amount, m) = random_message(&mut rng, &mut w);
                if delivered.contains(&(source, nonce)) {
                    assert_noop!(w.deliver(&m), Error::<Test>::MessageAlreadyConsumed);
                } else {
                    assert_ok!(w.deliver(&m));
                    delivered.insert((source, nonce));
                    minted += amount;
                }
            } else {
                let n = 1 + (rng.next_u32() % 16) as usize;
                let mut batch: Vec<(u32, u64, u128, Vec<u8>)> = Vec::new();
                for _ in 0..n {
                    // a third of the time, a message already in the batch again
                    if !batch.is_empty() && rng.next_u32() % 3 == 0 {
                        let again = batch[(rng.next_u32() as usize) % batch.len()].clone();
                        batch.push(again);
                    } else {
                        batch.push(random_message(&mut rng, &mut w));
                    }
                }
                let messages: Vec<Vec<u8>> = batch.iter().map(|b| b.3.clone()).collect();
                let mut seen = delivered.clone();
                let mut new_amount = 0u128;
                for (source, nonce, amount, _) in &batch {
                    if seen.insert((*source, *nonce)) {
                        new_amount += amount;
                    }
                }
                let new = seen.len() - delivered.len();
                if new == 0 {
                    assert_noop!(
                        w.deliver_batch(&messages),
                        Error::<Test>::BatchAlreadyDelivered
                    );
                } else {
                    System::reset_events();
                    assert_ok!(w.deliver_batch(&messages));
                    assert_eq!(received_events(), new);
                    delivered = seen;
                    minted += new_amount;
                }
            }
            // every word is the reference's, and there is no other
            let mut words: BTreeMap<(u32, u64), Vec<u64>> = BTreeMap::new();
            for (source, nonce) in &delivered {
                words
                    .entry((*source, word_index(*nonce)))
                    .or_default()
                    .push(*nonce);
            }
            for ((source, index), nonces) in &words {
                assert_eq!(
                    SahBridge::consumed_word(*source, *index),
                    word_with(nonces),
                    "word {index} of {source}"
                );
            }
            assert_eq!(ConsumedWords::<Test>::iter().count(), words.len());
            assert_eq!(sah_issuance(), minted);
        }
        assert!(delivered.len() > 50, "the sequence delivered enough");
    });
}

#[test]
fn random_deliveries_match_a_reference_set() {
    for seed in [1, 2, 3] {
        random_against_reference(seed);
    }
}

// ------------------------------------------------------------------------------ storage version

frame_support::parameter_types! {
    /// The deliveries a chain's `MessageReceived` events list, for the migration test.
    pub static Delivered: Vec<v1::Delivery> = Vec::new();
}

#[test]
fn genesis_writes_storage_version_1() {
    new_test_ext().execute_with(|| {
        assert_eq!(SahBridge::on_chain_storage_version(), 1);
        assert_eq!(SahBridge::in_code_storage_version(), 1);
    });
}

#[test]
fn version_0_ids_become_bits_given_the_deliveries_of_the_chain_events() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        // a version 0 chain: three deliveries kept by id
        let old: Vec<Vec<u8>> = vec![
            transfer(&mut w, ETHEREUM, 1, 1),
            transfer(&mut w, ETHEREUM, 300, 1),
            w.governance(Governance::Pause),
        ];
        StorageVersion::new(0).put::<SahBridge>();
        for m in &old {
            v1::Consumed::<Test>::insert(H256(message_id(m)), ());
        }
        // the events list them, and one more the chain never delivered (a wrong list)
        let never = transfer(&mut w, COSMOS, 9, 1);
        Delivered::set(
            old.iter()
                .chain([&never])
                .map(|m| {
                    let (source, nonce) = source_and_nonce(m);
                    (H256(message_id(m)), source, nonce)
                })
                .collect(),
        );
        v1::MigrateToV1::<Test, Delivered>::on_runtime_upgrade();
        assert_eq!(SahBridge::on_chain_storage_version(), 1);
        assert!(old.iter().all(|m| consumed(m)));
        assert!(!consumed(&never), "an id not in Consumed sets no bit");
        assert_eq!(v1::Consumed::<Test>::iter().count(), 0);
        assert_eq!(SahBridge::consumed_word(ETHEREUM, 0), word_with(&[1]));
        assert_eq!(SahBridge::consumed_word(ETHEREUM, 1), word_with(&[300]));
        assert_eq!(SahBridge::consumed_word(0, 0), word_with(&[1]));
        for m in &old {
            assert_noop!(w.deliver(m), Error::<Test>::MessageAlreadyConsumed);
        }
        // at version 1 it does nothing
        v1::Consumed::<Test>::insert(H256(message_id(&never)), ());
        v1::MigrateToV1::<Test, Delivered>::on_runtime_upgrade();
        assert!(!consumed(&never));
        assert_eq!(v1::Consumed::<Test>::iter().count(), 1);
    });
}

#[test]
fn version_0_ids_missing_from_the_list_stay() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let listed = transfer(&mut w, ETHEREUM, 1, 1);
        let unlisted = transfer(&mut w, ETHEREUM, 2, 1);
        StorageVersion::new(0).put::<SahBridge>();
        for m in [&listed, &unlisted] {
            v1::Consumed::<Test>::insert(H256(message_id(m)), ());
        }
        Delivered::set(vec![(H256(message_id(&listed)), ETHEREUM, 1)]);
        v1::MigrateToV1::<Test, Delivered>::on_runtime_upgrade();
        assert!(consumed(&listed) && !consumed(&unlisted));
        // what the list missed is not lost (and try-runtime's post-upgrade check fails on it)
        assert_eq!(
            v1::Consumed::<Test>::iter_keys().collect::<Vec<_>>(),
            vec![H256(message_id(&unlisted))]
        );
    });
}

/// try-runtime's checks around the migration: they pass when the list covers every id, and fail
/// when an id is missing from it.
#[cfg(feature = "try-runtime")]
#[test]
fn try_runtime_checks_the_migration_converted_every_id() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let a = transfer(&mut w, ETHEREUM, 1, 1);
        let b = transfer(&mut w, COSMOS, 700, 1);
        StorageVersion::new(0).put::<SahBridge>();
        for m in [&a, &b] {
            v1::Consumed::<Test>::insert(H256(message_id(m)), ());
        }
        Delivered::set(
            [&a, &b]
                .iter()
                .map(|m| {
                    let (source, nonce) = source_and_nonce(m);
                    (H256(message_id(m)), source, nonce)
                })
                .collect(),
        );
        assert!(frame_support::storage::with_transaction_unchecked(|| {
            let checked = v1::MigrateToV1::<Test, Delivered>::try_on_runtime_upgrade(true);
            frame_support::storage::TransactionOutcome::Rollback(checked)
        })
        .is_ok());
        Delivered::set(vec![(H256(message_id(&a)), ETHEREUM, 1)]);
        assert_eq!(
            v1::MigrateToV1::<Test, Delivered>::try_on_runtime_upgrade(true),
            Err(sp_runtime::TryRuntimeError::Other(
                "sah-bridge v1: delivered message ids missing from the list stay in Consumed and \
                 could be delivered again"
            ))
        );
    });
}
