//! The golden vectors (test/vectors/messages.json) through the contract: the signatures a TypeScript
//! FROST signer (@noble/curves) made for the vectors' CosmWasm instance (`instances.cosmwasm`, delivered as
//! `deliveries.cosmwasm`) verify with the chain's secp256k1 recovery on a bridge that is that instance, and on
//! no other (a second bridge in the same app, a chain with another chain-id string, the other families'
//! instances); every malformed encoding is refused with the codec's named error.
mod common;

use common::*;
use cosmwasm_std::{Api, HexBinary};
use sah_bridge_protocol::{digest_preimage, merkle, message_id, signing_digest, Governance, Instance};
use sha2::{Digest, Sha256};

/// A number the vectors write as a JSON number or as a decimal string.
fn num(v: &serde_json::Value) -> u32 {
    v.as_u64().map(|n| n as u32).or_else(|| v.as_str().and_then(|s| s.parse().ok())).expect("a number")
}

fn hexb(v: &serde_json::Value) -> HexBinary {
    HexBinary::from(hex_bytes(v.as_str().unwrap()))
}

fn bytes_of(v: &serde_json::Value) -> Vec<u8> {
    hex_bytes(v.as_str().unwrap())
}

/// Another family's instance as the vectors write it (`instances.evm`, `instances.substrate`).
fn family_instance(v: &serde_json::Value, family: &str) -> Instance {
    let i = &v["instances"][family];
    Instance { chain_binding: hex32(&i["chainBinding"]), bridge: hex32(&i["bridge"]) }
}

/// A chain-id string other than the vectors' (a fork, a testnet that reuses the code and the address).
const OTHER_CHAIN_ID: &str = "sah-vectors-2";

#[test]
fn the_world_is_the_vectors_cosmwasm_instance() {
    let v = vectors();
    let i = &v["instances"]["cosmwasm"];
    let w = World::new();
    assert_eq!(w.app.block_info().chain_id, i["chainId"].as_str().unwrap());
    assert_eq!(hex32(&i["chainBinding"]), <[u8; 32]>::from(Sha256::digest(i["chainId"].as_str().unwrap())));
    // the bridge is the app's first contract: MockApiBech32's address of "contract0", canonical sha256 of it
    assert_eq!(w.bridge, w.app.api().addr_make("contract0"));
    let canonical = w.app.api().addr_canonicalize(w.bridge.as_str()).unwrap();
    assert_eq!(canonical.as_slice(), bytes_of(&i["canonicalAddress"]));
    assert_eq!(canonical.as_slice(), <[u8; 32]>::from(Sha256::digest(b"contract0")));
    assert_eq!(hex32(&i["bridge"]), hex32(&i["canonicalAddress"]), "32 bytes: no padding");
    assert_eq!(w.instance(), vector_instance());
    // a world on another chain-id string: the same bridge address, another binding
    let fork = World::with_chain_id(CHAIN, OTHER_CHAIN_ID);
    assert_eq!(fork.bridge, w.bridge);
    assert_eq!(fork.instance().bridge, w.instance().bridge);
    assert_ne!(fork.instance().chain_binding, w.instance().chain_binding);
}

#[test]
fn every_valid_vector_passes_the_signature_check_on_its_destination_and_no_other_instance() {
    let v = vectors();
    let mut checked = 0;
    for vector in v["valid"].as_array().unwrap() {
        let name = vector["name"].as_str().unwrap();
        let destination = num(&vector["header"]["destinationChain"]);
        let epoch = num(&vector["epoch"]);
        let encoding = bytes_of(&vector["encoding"]);
        let id = message_id(&encoding);
        assert_eq!(id, hex32(&vector["messageId"]), "{name}");
        assert_eq!(merkle::leaf(&id), hex32(&vector["leaf"]), "{name}");
        let delivery = &vector["deliveries"]["cosmwasm"];
        let signature = hexb(&delivery["signature"]);
        let mut w = World::with_chain(destination).at_epoch(epoch);
        // the digest this bridge checks is the one the vector signed (a single message: its leaf is the root)
        let instance = w.instance();
        assert_eq!(
            digest_preimage(epoch, destination, &instance, &merkle::leaf(&id)).to_vec(),
            bytes_of(&delivery["preimage"]),
            "{name}"
        );
        let digest = signing_digest(epoch, destination, &instance, &merkle::leaf(&id));
        assert_eq!(digest, hex32(&delivery["signingDigest"]), "{name}");

        // the same message signed for the other families' instances: not for this bridge
        for family in ["evm", "substrate"] {
            assert_ne!(family_instance(&v, family), instance);
            let other = hexb(&vector["deliveries"][family]["signature"]);
            let e = w.deliver_with(&encoding, epoch, other).unwrap_err();
            assert_eq!(error_code(&e), "InvalidSignature", "{name}: signed for the {family} instance");
        }
        // a second bridge in the same app for the same protocol chain, under the same key and epoch: the
        // signature is this bridge's only
        let twin = w.add_bridge_at(destination, Some(epoch));
        assert_ne!(w.instance_of(&twin), instance);
        let e = w.deliver_with_to(&twin, &encoding, epoch, signature.clone()).unwrap_err();
        assert_eq!(error_code(&e), "InvalidSignature", "{name}: delivered to a second instance");

        let result = w.deliver_with(&encoding, epoch, signature.clone());
        // what follows the signature check decides the outcome; never the signature itself
        match vector["kind"].as_str().unwrap() {
            // a transfer home unlocks, and this fresh bridge holds nothing of that token
            "TokenTransfer" if num(&vector["payload"]["originChain"]) == destination => {
                assert_eq!(error_code(&result.unwrap_err()), "UnknownOriginToken", "{name}")
            }
            "TokenTransfer" => {
                result.unwrap_or_else(|e| panic!("{name}: {e:#}"));
                assert_eq!(message_id(&encoding), hex32(&vector["messageId"]), "{name}");
                assert!(w.consumed(&encoding), "{name}");
            }
            // the vectors' governance target is not this test bridge's address
            "Governance" => assert_eq!(error_code(&result.unwrap_err()), "WrongGovernanceTarget", "{name}"),
            // an attestation always lands (a revoke with no record here creates it revoked); a post opens
            // the job here
            "DataAttestation" => {
                result.unwrap_or_else(|e| panic!("{name}: {e:#}"));
            }
            "ComputeJob" if vector["payload"]["action"] == "Post" => {
                result.unwrap_or_else(|e| panic!("{name}: {e:#}"));
            }
            // a cancel or a result for a job this fresh bridge never saw
            _ => assert_eq!(error_code(&result.unwrap_err()), "UnknownJob", "{name}"),
        }
        // the second instance still refuses it, delivered or not on the first
        let e = w.deliver_with_to(&twin, &encoding, epoch, signature.clone()).unwrap_err();
        assert_eq!(error_code(&e), "InvalidSignature", "{name}: delivered to a second instance");

        // the same message on any other chain is refused
        let mut elsewhere = World::with_chain(destination + 1).at_epoch(epoch);
        let e = elsewhere.deliver_with(&encoding, epoch, signature.clone()).unwrap_err();
        assert_eq!(error_code(&e), "WrongDestination", "{name}");
        // the same protocol chain and the same bridge address on a chain with another chain-id string
        let mut fork = World::with_chain_id(destination, OTHER_CHAIN_ID).at_epoch(epoch);
        assert_eq!(fork.bridge, w.bridge, "{name}");
        let e = fork.deliver_with(&encoding, epoch, signature).unwrap_err();
        assert_eq!(error_code(&e), "InvalidSignature", "{name}: on another chain id");
        checked += 1;
    }
    assert_eq!(checked, v["valid"].as_array().unwrap().len());
    assert!(checked >= 15);
}

#[test]
fn every_invalid_vector_is_refused_with_its_named_error() {
    let v = vectors();
    let mut w = World::new();
    let invalid = v["invalid"].as_array().unwrap();
    for vector in invalid {
        let name = vector["name"].as_str().unwrap();
        let encoding = hex_bytes(vector["encoding"].as_str().unwrap());
        let sig = w.signer.sign_message(1, CHAIN, &w.instance(), &encoding);
        let e = w.deliver_with(&encoding, 1, sig).unwrap_err();
        assert_eq!(error_code(&e), vector["error"].as_str().unwrap(), "{name}");
    }
    assert!(invalid.len() >= 30);
}

/// The batch vector's messages, ids, leaves, root and its CosmWasm delivery.
struct Batch {
    destination: u32,
    epoch: u32,
    encodings: Vec<Vec<u8>>,
    ids: Vec<[u8; 32]>,
    leaves: Vec<[u8; 32]>,
    root: [u8; 32],
    signature: HexBinary,
}

fn batch_vector(v: &serde_json::Value) -> Batch {
    let b = &v["batch"];
    let list = |field: &str| b[field].as_array().unwrap_or_else(|| panic!("batch.{field}")).clone();
    Batch {
        destination: num(&b["destinationChain"]),
        epoch: num(&b["epoch"]),
        encodings: list("encodings").iter().map(bytes_of).collect(),
        ids: list("messageIds").iter().map(hex32).collect(),
        leaves: list("leaves").iter().map(hex32).collect(),
        root: hex32(&b["root"]),
        signature: hexb(&b["deliveries"]["cosmwasm"]["signature"]),
    }
}

#[test]
fn the_batch_vector_is_delivered_in_one_call_under_its_signature() {
    let v = vectors();
    let b = &v["batch"];
    let batch = batch_vector(&v);
    let (destination, epoch) = (batch.destination, batch.epoch);
    // the tree the contract builds is the vector's: ids, leaves, root, and each message's path to it
    for (i, encoding) in batch.encodings.iter().enumerate() {
        let id = message_id(encoding);
        assert_eq!(id, batch.ids[i]);
        assert_eq!(merkle::leaf(&id), batch.leaves[i]);
        let proof: Vec<[u8; 32]> = b["proofs"][i].as_array().unwrap().iter().map(hex32).collect();
        assert_eq!(merkle::proof(&batch.ids, i), proof, "proof {i}");
        assert!(merkle::verify(&id, &proof, &batch.root), "proof {i}");
    }
    assert_eq!(merkle::root(&batch.ids), batch.root);

    let mut w = World::with_chain(destination);
    let delivery = &b["deliveries"]["cosmwasm"];
    assert_eq!(
        digest_preimage(epoch, destination, &w.instance(), &batch.root).to_vec(),
        bytes_of(&delivery["preimage"])
    );
    assert_eq!(signing_digest(epoch, destination, &w.instance(), &batch.root), hex32(&delivery["signingDigest"]));
    // a second bridge for the same protocol chain under the same key refuses it: the signature is not its own
    let twin = w.add_bridge(destination);
    let e = w.deliver_batch_to(&twin, &batch.encodings, epoch, batch.signature.clone()).unwrap_err();
    assert_eq!(error_code(&e), "InvalidSignature");
    // so does a chain with another chain-id string and the same bridge address
    let mut fork = World::with_chain_id(destination, OTHER_CHAIN_ID);
    assert_eq!(fork.bridge, w.bridge);
    let e = fork.deliver_batch_with(&batch.encodings, epoch, batch.signature.clone()).unwrap_err();
    assert_eq!(error_code(&e), "InvalidSignature");

    let e = w.deliver_batch_with(&batch.encodings, epoch, batch.signature.clone()).unwrap_err();
    // the signature holds; then the vector's third transfer (2^128 - 1 of the first one's token) would take
    // the wrapped supply past u128, which the bridge refuses by name: the batch lands all or nothing
    assert_eq!(error_code(&e), "AmountTooLarge");
    for (id, encoding) in b["messageIds"].as_array().unwrap().iter().zip(&batch.encodings) {
        assert_eq!(message_id(encoding), hex32(id));
        assert!(!w.consumed(encoding));
    }
    // the root the contract signed over is the vector's: one message more or less breaks the signature
    let fewer = batch.encodings[..batch.encodings.len() - 1].to_vec();
    let e = w.deliver_batch_with(&fewer, epoch, batch.signature.clone()).unwrap_err();
    assert_eq!(error_code(&e), "InvalidSignature");
}

#[test]
fn an_inner_node_of_the_batch_presented_as_a_message_is_hashed_as_a_leaf_and_refused() {
    let v = vectors();
    let batch = batch_vector(&v);
    let inner = hex32(&v["batch"]["innerNode"]);
    // the vector's inner node is the parent of the first two leaves: keccak256(0x01 || min || max)
    assert_eq!(merkle::hash_pair(&batch.leaves[0], &batch.leaves[1]), inner);
    let (lo, hi) = if batch.leaves[0] <= batch.leaves[1] {
        (batch.leaves[0], batch.leaves[1])
    } else {
        (batch.leaves[1], batch.leaves[0])
    };
    // so a "message" made of the node's 65-byte preimage has the inner node as its id
    let node_message = [&[0x01u8][..], &lo, &hi].concat();
    assert_eq!(message_id(&node_message), inner);
    // it is the third message's path: without the leaf prefix, [node, third message] would hash to the root
    assert_eq!(hex32(&v["batch"]["proofs"][2][0]), inner);
    assert_eq!(merkle::hash_pair(&inner, &batch.leaves[2]), batch.root);
    // with it, the node presented as a message id is hashed as a leaf first, to another root
    assert_ne!(merkle::leaf(&inner), inner);
    assert!(!merkle::verify(&inner, &[batch.leaves[2]], &batch.root));
    assert_ne!(merkle::root(&[inner, batch.ids[2]]), batch.root);
    assert_ne!(merkle::root(&[batch.ids[2], inner]), batch.root);
    assert_ne!(merkle::root(&[inner]), inner);

    // on the bridge: the batch's signature with the node in place of the first two messages is refused at the
    // signature (a batch checks it before decoding any message: the hashing refuses it, not the node's length)
    let mut w = World::with_chain(batch.destination);
    for (what, forged) in [
        ("node, third message", vec![node_message.clone(), batch.encodings[2].clone()]),
        ("third message, node", vec![batch.encodings[2].clone(), node_message.clone()]),
        ("node alone", vec![node_message.clone()]),
    ] {
        let e = w.deliver_batch_with(&forged, batch.epoch, batch.signature.clone()).unwrap_err();
        assert_eq!(error_code(&e), "InvalidSignature", "{what}");
    }
    assert_eq!(message_id(&batch.encodings[2]), batch.ids[2]);
    assert!(!w.consumed(&batch.encodings[2]));
    // a relayer's own batch with the node as a member: signed over the leaves, so it verifies, and the node is
    // then decoded like any message, and refused by name; the batch lands all or nothing
    let forged = vec![node_message.clone(), batch.encodings[2].clone()];
    let sig = w.signer.sign_batch(batch.epoch, batch.destination, &w.instance(), &forged);
    let e = w.deliver_batch_with(&forged, batch.epoch, sig).unwrap_err();
    assert_eq!(error_code(&e), "MessageTooShort");
}

#[test]
fn every_bad_signature_vector_is_refused() {
    let v = vectors();
    let valid = v["valid"].as_array().unwrap();
    let evm = family_instance(&v, "evm");
    let mut checked = 0;
    // the vectors' bad signatures are made over digests of the EVM instance; each is presented here with the
    // message of that digest (see the next test for the same damage to this instance's own signature)
    for bad in v["badSignatures"].as_array().unwrap() {
        let name = bad["name"].as_str().unwrap();
        let e = if let Some(vector) = valid.iter().find(|x| x["deliveries"]["evm"]["signingDigest"] == bad["digest"]) {
            // a damaged signature over a valid vector's digest: deliver that message with it
            let mut w = World::with_chain(num(&vector["header"]["destinationChain"]));
            w.deliver_with(&bytes_of(&vector["encoding"]), 1, hexb(&bad["signature"])).unwrap_err()
        } else {
            // a good signature checked against another digest: here, a valid vector's epoch-1 signature
            // presented under epoch 2 (after a rotation to the same key, so only the digest differs)
            let vector = valid
                .iter()
                .find(|x| {
                    let leaf = hex32(&x["leaf"]);
                    let digest = signing_digest(2, num(&x["header"]["destinationChain"]), &evm, &leaf);
                    digest == hex32(&bad["digest"])
                })
                .unwrap_or_else(|| panic!("{name}: digest is no valid vector's under epoch 2"));
            let mut w = World::with_chain(num(&vector["header"]["destinationChain"]));
            let key = w.signer.group_key;
            let rotate = w.governance(Governance::RotateKey { new_epoch: 2, new_group_key: key, grace_seconds: 0 });
            w.deliver(&rotate).unwrap();
            w.deliver_with(&bytes_of(&vector["encoding"]), 2, hexb(&bad["signature"])).unwrap_err()
        };
        assert_eq!(error_code(&e), "InvalidSignature", "{name}");
        // the verifier's own reason is the vector's error where it names one more precisely
        let expected = bad["error"].as_str().unwrap();
        if expected != "InvalidSignature" {
            assert!(format!("{e:#}").contains(expected), "{name}: {e:#} does not say {expected}");
        }
        checked += 1;
    }
    assert!(checked >= 5);
}

#[test]
fn the_bad_signature_vectors_damage_to_this_instances_signature_is_refused() {
    let v = vectors();
    let n = hex_bytes("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
    let bads = v["badSignatures"].as_array().unwrap();
    // the valid vector the bad signatures damage, and its signature for this instance
    let vector = v["valid"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["deliveries"]["evm"]["signingDigest"] == bads[0]["digest"])
        .expect("the bad signatures' vector");
    let destination = num(&vector["header"]["destinationChain"]);
    let epoch = num(&vector["epoch"]);
    assert_eq!(epoch, 1);
    let encoding = bytes_of(&vector["encoding"]);
    let good = bytes_of(&vector["deliveries"]["cosmwasm"]["signature"]);
    let mut w = World::with_chain(destination);
    let mut wrong_epoch = false;
    for bad in bads {
        let name = bad["name"].as_str().unwrap();
        let damaged: Vec<u8> = match name {
            "z with one bit flipped" => {
                let mut s = good.clone();
                s[64] ^= 1;
                s
            }
            "z >= n" => {
                let mut z = n.clone();
                z[31] += 1;
                [good[..33].to_vec(), z].concat()
            }
            "z = 0" => [good[..33].to_vec(), vec![0; 32]].concat(),
            "R not on the curve" => {
                let mut x = [0u8; 32];
                x[31] = 5;
                [vec![2], x.to_vec(), good[33..].to_vec()].concat()
            }
            "R with prefix 04" => [vec![4], good[1..].to_vec()].concat(),
            "valid signature over another digest (wrong epoch)" => {
                // this instance's good epoch-1 signature under epoch 2, after a rotation to the same key
                let mut w2 = World::with_chain(destination);
                let key = w2.signer.group_key;
                let rotate =
                    w2.governance(Governance::RotateKey { new_epoch: 2, new_group_key: key, grace_seconds: 0 });
                w2.deliver(&rotate).unwrap();
                let e = w2.deliver_with(&encoding, 2, HexBinary::from(good.clone())).unwrap_err();
                assert_eq!(error_code(&e), "InvalidSignature", "{name}");
                wrong_epoch = true;
                continue;
            }
            other => panic!("a bad signature vector this test does not know: {other}"),
        };
        let e = w.deliver_with(&encoding, epoch, HexBinary::from(damaged)).unwrap_err();
        assert_eq!(error_code(&e), "InvalidSignature", "{name}");
        let expected = bad["error"].as_str().unwrap();
        if expected != "InvalidSignature" {
            assert!(format!("{e:#}").contains(expected), "{name}: {e:#} does not say {expected}");
        }
    }
    assert!(wrong_epoch);
    // undamaged, it goes through: the damage alone was refused
    w.deliver_with(&encoding, epoch, HexBinary::from(good)).unwrap();
}
