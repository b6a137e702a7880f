//! What a signature is bound to (PROTOCOL.md §2, protocol v2): the verifying instance (the genesis
//! hash and the configured `InstanceId`), a message's leaf as opposed to an inner node of a batch's
//! tree, and the key epoch, counted from the genesis config's starting epoch.

use super::*;
use crate::PreviousKeyExpiry;
use sah_bridge_protocol::{merkle, Instance};

/// A second instance id: another bridge with the same protocol chain id and key.
fn second_instance_id() -> [u8; 32] {
    Sha256::digest(b"a second sah-bridge instance").into()
}

/// Another genesis hash than the mock's placeholder (Polkadot's): the same runtime on another chain,
/// or a fork that kept this one's storage.
fn other_genesis() -> H256 {
    let bytes = hex_bytes("91b171bb158e2d3848fa23a9f1c25182fb8e20313b2c1eb49219da7a70ce90c3");
    H256(bytes.try_into().unwrap())
}

/// What a node does to `BlockHash(0)`: block 1 is initialised with the genesis block as its parent.
fn initialise_block_one(genesis: H256) {
    System::set_block_number(0);
    System::initialize(&1, &genesis, &Default::default());
}

/// A bridge on `CHAIN` with the vectors' test key, and its instance id. `InstanceId` is a
/// thread-local of the mock, so [`Bridge::on`] sets it before running anything on this bridge.
struct Bridge {
    ext: sp_io::TestExternalities,
    instance_id: [u8; 32],
}

impl Bridge {
    fn new(instance_id: [u8; 32]) -> Self {
        Bridge {
            ext: TestGenesis {
                instance_id,
                ..Default::default()
            }
            .build(),
            instance_id,
        }
    }

    fn on<R>(&mut self, f: impl FnOnce() -> R) -> R {
        ChainId::set(CHAIN);
        InstanceId::set(self.instance_id);
        self.ext.execute_with(f)
    }
}

#[test]
fn a_second_bridge_with_the_same_chain_id_and_key_refuses_what_the_first_was_sent() {
    let mut first = Bridge::new(vectors_instance_id());
    let mut second = Bridge::new(second_instance_id());
    let first_instance = first.on(SahBridge::instance);
    let second_instance = second.on(SahBridge::instance);
    // same chain (genesis hash), same protocol chain id, same key: only the instance id differs
    assert_eq!(first_instance.chain_binding, second_instance.chain_binding);
    assert_eq!(second_instance.bridge, second_instance_id());
    assert_ne!(first_instance, second_instance);
    assert_eq!(
        first.on(CurrentKey::<Test>::get),
        second.on(CurrentKey::<Test>::get)
    );

    let mut w = first.on(World::new);
    let signer = w.signer.clone();
    let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 100);
    let batch = vec![
        w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &bob(), 200),
        w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &carol(), 300),
    ];
    // governance is addressed to the pallet's account, which both bridges share (same PalletId):
    // only the instance tells them apart
    let pause = w.governance(Governance::Pause);
    let sig = signer.sign_message_for(&first_instance, 1, CHAIN, &m);
    let batch_sig = signer.sign_batch_for(&first_instance, 1, CHAIN, &batch);
    let pause_sig = signer.sign_message_for(&first_instance, 1, CHAIN, &pause);

    second.on(|| {
        let _c = context("what was signed for the first bridge, on the second");
        assert_noop!(w.deliver_with(&m, 1, sig), Error::<Test>::InvalidSignature);
        assert_noop!(
            w.deliver_batch_with(&batch, 1, batch_sig),
            Error::<Test>::InvalidSignature
        );
        assert_noop!(
            w.deliver_with(&pause, 1, pause_sig),
            Error::<Test>::InvalidSignature
        );
        assert!(!Paused::<Test>::get());
    });
    first.on(|| {
        assert_ok!(w.deliver_with(&m, 1, sig));
        assert_ok!(w.deliver_batch_with(&batch, 1, batch_sig));
        assert_ok!(w.deliver_with(&pause, 1, pause_sig));
        assert!(Paused::<Test>::get());
        assert_eq!(
            Assets::total_issuance(wrapped(ETHEREUM, sah_token()).unwrap()),
            600
        );
    });
    // and the other way round
    let n = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 7);
    let sig = signer.sign_message_for(&second_instance, 1, CHAIN, &n);
    first.on(|| {
        assert_noop!(w.deliver_with(&n, 1, sig), Error::<Test>::InvalidSignature);
    });
    second.on(|| {
        assert_ok!(w.deliver_with(&n, 1, sig));
        assert!(!consumed(&m) && consumed(&n));
        assert_eq!(
            asset_balance(wrapped(ETHEREUM, sah_token()).unwrap(), &alice()),
            7
        );
    });
}

#[test]
fn every_vector_signed_for_the_vectors_instance_is_refused_by_another_instance_or_chain() {
    let v = vectors();
    let key = Signer::test_key().group_key;
    let valid = v["valid"].as_array().unwrap();
    for vector in valid {
        let name = vector["name"].as_str().unwrap();
        let destination = num(&vector["header"]["destinationChain"]);
        let epoch = num(&vector["epoch"]);
        let encoding = hex_bytes(vector["encoding"].as_str().unwrap());
        let leaf = merkle::leaf(&message_id(&encoding));
        let _c = context(name);
        // the vectors' instance: the signature holds (vectors.rs delivers them)
        new_test_ext_on(destination).execute_with(|| {
            let digest = SahBridge::signed_digest(epoch, &leaf);
            assert_eq!(
                SahBridge::check_signature(&key, &digest, &substrate_sig(vector)),
                Ok(())
            );
        });
        // another instance id, same chain id and key
        TestGenesis {
            chain: destination,
            instance_id: second_instance_id(),
            ..Default::default()
        }
        .build()
        .execute_with(|| {
            let w = World::new().at_epoch(epoch);
            assert_noop!(
                w.deliver_with(&encoding, epoch, substrate_sig(vector)),
                Error::<Test>::InvalidSignature
            );
        });
        // another genesis hash, same instance id, chain id and key
        new_test_ext_on(destination).execute_with(|| {
            initialise_block_one(other_genesis());
            let w = World::new().at_epoch(epoch);
            assert_noop!(
                w.deliver_with(&encoding, epoch, substrate_sig(vector)),
                Error::<Test>::InvalidSignature
            );
        });
    }
    // the batch likewise
    let b = &v["batch"];
    let destination = num(&b["destinationChain"]);
    let epoch = num(&b["epoch"]);
    let messages: Vec<Vec<u8>> = b["encodings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| hex_bytes(m.as_str().unwrap()))
        .collect();
    TestGenesis {
        chain: destination,
        instance_id: second_instance_id(),
        ..Default::default()
    }
    .build()
    .execute_with(|| {
        let w = World::new().at_epoch(epoch);
        assert_noop!(
            w.deliver_batch_with(&messages, epoch, substrate_sig(b)),
            Error::<Test>::InvalidSignature
        );
    });
    new_test_ext_on(destination).execute_with(|| {
        initialise_block_one(other_genesis());
        let w = World::new().at_epoch(epoch);
        assert_noop!(
            w.deliver_batch_with(&messages, epoch, substrate_sig(b)),
            Error::<Test>::InvalidSignature
        );
    });
}

#[test]
fn the_chain_binding_is_the_genesis_hash_block_one_is_initialised_with() {
    new_test_ext().execute_with(|| {
        // before block 1: frame_system's placeholder, as in every test externality
        assert_eq!(SahBridge::genesis_hash(), H256(HASH69));
        let mut w = World::new();
        let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 5);
        let for_placeholder = w.signer.sign_message(1, CHAIN, &m);
        // a node initialises block 1 with the genesis block as parent: BlockHash(0) is the real
        // genesis hash from then on, before any extrinsic
        initialise_block_one(other_genesis());
        assert_eq!(frame_system::BlockHash::<Test>::get(0), other_genesis());
        assert_eq!(
            SahBridge::instance(),
            Instance {
                chain_binding: other_genesis().0,
                bridge: vectors_instance_id()
            }
        );
        // what was signed for another genesis hash (another chain running this runtime) is refused
        assert_noop!(
            w.deliver_with(&m, 1, for_placeholder),
            Error::<Test>::InvalidSignature
        );
        // signed for this one: delivered; later blocks keep BlockHash(0)
        System::finalize();
        System::initialize(&2, &H256([0x22; 32]), &Default::default());
        assert_eq!(SahBridge::genesis_hash(), other_genesis());
        assert_ok!(w.deliver(&m));
        assert!(consumed(&m));
    });
}

#[test]
fn an_inner_node_of_a_batch_is_never_taken_for_a_message() {
    let v = vectors();
    let b = &v["batch"];
    let list = |f: &str| -> Vec<[u8; 32]> { b[f].as_array().unwrap().iter().map(hex32).collect() };
    let (ids, leaves) = (list("messageIds"), list("leaves"));
    let root = hex32(&b["root"]);
    let inner = hex32(&b["innerNode"]);
    let encodings: Vec<Vec<u8>> = b["encodings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| hex_bytes(m.as_str().unwrap()))
        .collect();
    assert_eq!(ids.len(), 3);

    // the hashing: leaf = keccak256(0x00 || id), node = keccak256(0x01 || min || max)
    let keccak = |parts: &[&[u8]]| sp_io::hashing::keccak_256(&parts.concat());
    for (id, leaf) in ids.iter().zip(&leaves) {
        assert_eq!(merkle::leaf(id), *leaf);
        assert_eq!(keccak(&[&[0x00], id]), *leaf);
    }
    let (lo, hi) = if leaves[0] <= leaves[1] {
        (leaves[0], leaves[1])
    } else {
        (leaves[1], leaves[0])
    };
    let node_preimage = [&[0x01u8][..], &lo, &hi].concat();
    assert_eq!(sp_io::hashing::keccak_256(&node_preimage), inner);
    assert_eq!(merkle::hash_pair(&leaves[0], &leaves[1]), inner);
    assert_eq!(merkle::hash_pair(&inner, &leaves[2]), root);
    assert_eq!(merkle::root(&ids), root);
    // every message's path leads from its id to the root; the third's sibling is the inner node
    let proofs: Vec<Vec<[u8; 32]>> = b["proofs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_array().unwrap().iter().map(hex32).collect())
        .collect();
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(merkle::proof(&ids, i), proofs[i]);
        assert!(merkle::verify(id, &proofs[i], &root));
    }
    assert_eq!(proofs[2], vec![inner]);

    // the attack: the inner node presented as a message id, with the rest of its path. Hashed as a
    // leaf it leads to another root; without the leaf prefix (v1) it would have led to this one
    let path = [leaves[2]];
    assert!(!merkle::verify(&inner, &path, &root));
    assert_ne!(merkle::root_from_proof(&inner, &path), root);
    assert_ne!(merkle::leaf(&inner), inner);
    let unprefixed = path.iter().fold(inner, |acc, s| merkle::hash_pair(&acc, s));
    assert_eq!(unprefixed, root, "the node does stand for two leaves");

    // through the pallet: a "message" whose id is the inner node (its 65-byte preimage) beside the
    // batch's third message, under the batch's signature for this pallet
    new_test_ext_on(num(&b["destinationChain"])).execute_with(|| {
        let epoch = num(&b["epoch"]);
        let w = World::new().at_epoch(epoch);
        assert_eq!(message_id(&node_preimage), inner);
        let forged = vec![node_preimage.clone(), encodings[2].clone()];
        assert_noop!(
            w.deliver_batch_with(&forged, epoch, substrate_sig(b)),
            Error::<Test>::InvalidSignature
        );
        // and the node's preimage on its own is no message (decoded first)
        assert_noop!(
            w.deliver_with(&node_preimage, epoch, substrate_sig(b)),
            Error::<Test>::MessageTooShort
        );
        // the genuine batch passes the signature check (its third transfer then takes the wrapped
        // supply past u128: vectors.rs)
        assert_noop!(
            w.deliver_batch_with(&encodings, epoch, substrate_sig(b)),
            Error::<Test>::AmountTooLarge
        );
        // nothing consumed: no message's bit, no word of their sources
        assert!(encodings.iter().all(|m| !consumed(m)));
        assert!(encodings.iter().all(|m| ConsumedWords::<Test>::iter_prefix(
            source_and_nonce(m).0
        )
        .next()
        .is_none()));
    });
}

#[test]
fn a_bridge_deployed_at_epoch_5_takes_epoch_5_signatures_only_and_rotates_to_6() {
    TestGenesis {
        epoch: 5,
        ..Default::default()
    }
    .build()
    .execute_with(|| {
        assert_eq!(Epoch::<Test>::get(), 5);
        assert_eq!(
            CurrentKey::<Test>::get(),
            Some(Signer::test_key().group_key)
        );
        assert_eq!(PreviousKey::<Test>::get(), None);
        let mut w = World::new();
        assert_eq!(w.epoch, 5);
        let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 10);
        // the same key signing for older epochs (the set's past on another deployment), or the next
        for epoch in [1, 4, 6] {
            let _c = context(format!("epoch {epoch}"));
            assert_noop!(
                w.deliver_with(&m, epoch, w.signer.sign_message(epoch, CHAIN, &m)),
                Error::<Test>::UnknownEpoch
            );
            assert_noop!(
                w.deliver_batch_with(
                    std::slice::from_ref(&m),
                    epoch,
                    w.signer.sign_batch(epoch, CHAIN, std::slice::from_ref(&m))
                ),
                Error::<Test>::UnknownEpoch
            );
        }
        // governance under an older epoch as well
        let pause = w.governance(Governance::Pause);
        assert_noop!(
            w.deliver_with(&pause, 4, w.signer.sign_message(4, CHAIN, &pause)),
            Error::<Test>::UnknownEpoch
        );
        // an epoch-5 signature over epoch 4's digest is not epoch 4's
        assert_noop!(
            w.deliver_with(&m, 5, w.signer.sign_message(4, CHAIN, &m)),
            Error::<Test>::InvalidSignature
        );
        assert_ok!(w.deliver_with(&m, 5, w.signer.sign_message(5, CHAIN, &m)));
        assert!(consumed(&m));

        // rotations go on from 5: to 6 only
        let next = Signer::derived("epoch 6");
        for bad in [1, 2, 5, 7] {
            let r = w.governance(Governance::RotateKey {
                new_epoch: bad,
                new_group_key: next.group_key,
                grace_seconds: 0,
            });
            assert_noop!(w.deliver(&r), Error::<Test>::InvalidEpochTransition);
        }
        let r = w.governance(Governance::RotateKey {
            new_epoch: 6,
            new_group_key: next.group_key,
            grace_seconds: 60,
        });
        assert_ok!(w.deliver(&r));
        assert!(bridge_events().contains(&Event::KeyRotated {
            epoch: 6,
            group_key: next.group_key,
            previous_key_expiry: START + 60
        }));
        assert_eq!(
            (
                Epoch::<Test>::get(),
                CurrentKey::<Test>::get(),
                PreviousKey::<Test>::get(),
                PreviousKeyExpiry::<Test>::get()
            ),
            (
                6,
                Some(next.group_key),
                Some(w.signer.group_key),
                START + 60
            )
        );
        let n = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 20);
        // epoch 5 is the previous epoch now, within its grace; 4 is still unknown
        assert_noop!(
            w.deliver_with(&n, 4, w.signer.sign_message(4, CHAIN, &n)),
            Error::<Test>::UnknownEpoch
        );
        assert_noop!(
            w.deliver_with(&n, 6, w.signer.sign_message(6, CHAIN, &n)),
            Error::<Test>::InvalidSignature
        );
        assert_ok!(w.deliver_with(&n, 6, next.sign_message(6, CHAIN, &n)));
        let o = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 30);
        assert_ok!(w.deliver_with(&o, 5, w.signer.sign_message(5, CHAIN, &o)));
        assert_eq!(
            asset_balance(wrapped(ETHEREUM, sah_token()).unwrap(), &alice()),
            60
        );
    });
}

#[test]
fn a_bridge_deployed_at_the_last_epoch_but_one_rotates_once() {
    TestGenesis {
        epoch: u32::MAX - 1,
        ..Default::default()
    }
    .build()
    .execute_with(|| {
        let mut w = World::new().at_epoch(u32::MAX);
        assert_eq!(Epoch::<Test>::get(), u32::MAX);
        let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 1);
        assert_ok!(w.deliver(&m));
        // no epoch after u32::MAX: a rotation from it is refused by name, never wraps to 0 (which
        // the codec refuses first)
        for (new_epoch, error) in [
            (u32::MAX, Error::<Test>::InvalidEpochTransition),
            (0, Error::<Test>::InvalidField),
        ] {
            let r = w.governance(Governance::RotateKey {
                new_epoch,
                new_group_key: w.signer.group_key,
                grace_seconds: 0,
            });
            assert_noop!(w.deliver(&r), error);
        }
    });
}

fn build_at_epoch(epoch: u32) {
    let _ = RuntimeGenesisConfig {
        sah_bridge: crate::GenesisConfig {
            group_key: Signer::test_key().group_key.to_vec(),
            pauser: None,
            epoch,
        },
        ..Default::default()
    }
    .build_storage();
}

#[test]
fn the_default_genesis_config_starts_at_epoch_one() {
    let config = crate::GenesisConfig::<Test>::default();
    assert_eq!(
        (config.epoch, config.group_key.len(), config.pauser.clone()),
        (1, 0, None)
    );
    // what a chain spec writes (the dev runtime's preset serializes the whole config)
    assert_eq!(serde_json::to_value(&config).unwrap()["epoch"], 1);
}

#[test]
#[should_panic(expected = "sah-bridge genesis: epoch must be at least 1")]
fn genesis_refuses_epoch_zero() {
    build_at_epoch(0);
}

#[test]
#[should_panic(expected = "sah-bridge genesis: epoch must be below u32::MAX")]
fn genesis_refuses_the_last_epoch() {
    build_at_epoch(u32::MAX);
}
