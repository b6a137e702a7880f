//! The golden vectors (test/vectors/messages.json) through the contract: the signatures a TypeScript
//! FROST signer (@noble/curves) made verify with the chain's secp256k1 recovery, and every malformed
//! encoding is refused with the codec's named error.
mod common;

use common::*;
use cosmwasm_std::HexBinary;
use cw_multi_test::Executor;
use sah_bridge_cosmwasm::msg::{ExecuteMsg, QueryMsg};
use sah_bridge_protocol::{signing_digest, Governance};

/// A number the vectors write as a JSON number or as a decimal string.
fn num(v: &serde_json::Value) -> u32 {
    v.as_u64().map(|n| n as u32).or_else(|| v.as_str().and_then(|s| s.parse().ok())).expect("a number")
}

fn hexb(v: &serde_json::Value) -> HexBinary {
    HexBinary::from(hex_bytes(v.as_str().unwrap()))
}

#[test]
fn every_valid_vector_passes_the_signature_check_on_its_destination() {
    let v = vectors();
    let mut checked = 0;
    for vector in v["valid"].as_array().unwrap() {
        let name = vector["name"].as_str().unwrap();
        let destination = num(&vector["header"]["destinationChain"]);
        let epoch = num(&vector["epoch"]);
        let mut w = World::with_chain(destination).at_epoch(epoch);
        let result =
            w.deliver_with(&hex_bytes(vector["encoding"].as_str().unwrap()), epoch, hexb(&vector["signature"]));
        // what follows the signature check decides the outcome; never the signature itself
        match vector["kind"].as_str().unwrap() {
            // a transfer home unlocks, and this fresh bridge holds nothing of that token
            "TokenTransfer" if num(&vector["payload"]["originChain"]) == destination => {
                assert_eq!(error_code(&result.unwrap_err()), "UnknownOriginToken", "{name}")
            }
            "TokenTransfer" => {
                result.unwrap_or_else(|e| panic!("{name}: {e:#}"));
                let id = hexb(&vector["messageId"]);
                let consumed: bool = w.query(&QueryMsg::IsConsumed { message_id: id });
                assert!(consumed, "{name}");
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
        // the same message on any other chain is refused
        let mut elsewhere = World::with_chain(destination + 1).at_epoch(epoch);
        let e = elsewhere
            .deliver_with(&hex_bytes(vector["encoding"].as_str().unwrap()), epoch, hexb(&vector["signature"]))
            .unwrap_err();
        assert_eq!(error_code(&e), "WrongDestination", "{name}");
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
        let sig = w.signer.sign_message(1, CHAIN, &encoding);
        let e = w.deliver_with(&encoding, 1, sig).unwrap_err();
        assert_eq!(error_code(&e), vector["error"].as_str().unwrap(), "{name}");
    }
    assert!(invalid.len() >= 30);
}

#[test]
fn the_batch_vector_is_delivered_in_one_call_under_its_signature() {
    let v = vectors();
    let b = &v["batch"];
    let destination = num(&b["destinationChain"]);
    let epoch = num(&b["epoch"]);
    let mut w = World::with_chain(destination);
    let messages: Vec<HexBinary> = b["encodings"].as_array().unwrap().iter().map(hexb).collect();
    let relayer = w.addr("relayer");
    let e = w
        .app
        .execute_contract(
            relayer,
            w.bridge.clone(),
            &ExecuteMsg::ReceiveBatch { messages: messages.clone(), epoch, signature: hexb(&b["signature"]) },
            &[],
        )
        .unwrap_err();
    // the signature holds; then the vector's third transfer (2^128 - 1 of the first one's token) would take
    // the wrapped supply past u128, which the bridge refuses by name: the batch lands all or nothing
    assert_eq!(error_code(&e), "AmountTooLarge");
    for id in b["messageIds"].as_array().unwrap() {
        let consumed: bool = w.query(&QueryMsg::IsConsumed { message_id: hexb(id) });
        assert!(!consumed);
    }
    // the root the contract signed over is the vector's: one message more or less breaks the signature
    let relayer = w.addr("relayer");
    let fewer = messages[..messages.len() - 1].to_vec();
    let e = w
        .app
        .execute_contract(
            relayer,
            w.bridge.clone(),
            &ExecuteMsg::ReceiveBatch { messages: fewer, epoch, signature: hexb(&b["signature"]) },
            &[],
        )
        .unwrap_err();
    assert_eq!(error_code(&e), "InvalidSignature");
}

#[test]
fn every_bad_signature_vector_is_refused() {
    let v = vectors();
    let valid = v["valid"].as_array().unwrap();
    let mut checked = 0;
    for bad in v["badSignatures"].as_array().unwrap() {
        let name = bad["name"].as_str().unwrap();
        let e = if let Some(vector) = valid.iter().find(|x| x["signingDigest"] == bad["digest"]) {
            // a damaged signature over a valid vector's digest: deliver that message with it
            let mut w = World::with_chain(num(&vector["header"]["destinationChain"]));
            w.deliver_with(&hex_bytes(vector["encoding"].as_str().unwrap()), 1, hexb(&bad["signature"])).unwrap_err()
        } else {
            // a good signature checked against another digest: here, a valid vector's epoch-1 signature
            // presented under epoch 2 (after a rotation to the same key, so only the digest differs)
            let vector = valid
                .iter()
                .find(|x| {
                    let id: [u8; 32] = hex_bytes(x["messageId"].as_str().unwrap()).try_into().unwrap();
                    let digest = signing_digest(2, num(&x["header"]["destinationChain"]), &id);
                    format!("0x{}", hex::encode(digest)) == bad["digest"].as_str().unwrap()
                })
                .unwrap_or_else(|| panic!("{name}: digest is no valid vector's under epoch 2"));
            let mut w = World::with_chain(num(&vector["header"]["destinationChain"]));
            let key = w.signer.group_key;
            let rotate = w.governance(Governance::RotateKey { new_epoch: 2, new_group_key: key, grace_seconds: 0 });
            w.deliver(&rotate).unwrap();
            w.deliver_with(&hex_bytes(vector["encoding"].as_str().unwrap()), 2, hexb(&bad["signature"])).unwrap_err()
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
