//! The rules' vectors (test/vectors/flows.json, docs/PROTOCOL.md §8) on this contract's own code: token
//! keys, the key for an epoch from a bridge instantiated at the vector's current epoch (`key_for` on the
//! stored config), the rate limit as stored (`rate_limit::set` / `consume`) and the registry as stored
//! (`attestations::apply`): the decision read from the event, the record read back after each step.
#![cfg(test)]

use std::path::PathBuf;

use crate::attestations::{self, Entry};
use crate::contract::instantiate;
use crate::execute::inbound::key_for;
use crate::execute::token_key;
use crate::msg::InstantiateMsg;
use crate::rate_limit;
use crate::state::{AttestationAction, ATTESTATIONS, CONFIG, RATE_LIMITS};
use crate::ContractError;
use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env, MockStorage};
use cosmwasm_std::{Event, HexBinary, Timestamp};
use serde_json::Value;

fn vectors() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../../test/vectors/flows.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).expect("flows.json is JSON")
}

fn list<'a>(v: &'a Value, field: &str) -> &'a Vec<Value> {
    v[field].as_array().unwrap_or_else(|| panic!("{field} is not a list"))
}

fn u64_of(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not an integer: {v}"))
}

fn u128_of(v: &Value) -> u128 {
    v.as_str().expect("a decimal string").parse().expect("a u128")
}

fn str_of(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

fn bytes32(v: &Value) -> [u8; 32] {
    let b = hex::decode(str_of(v).strip_prefix("0x").expect("0x")).expect("hex");
    b.try_into().expect("32 bytes")
}

#[test]
fn token_keys() {
    let v = vectors();
    for case in list(&v, "tokenKeys") {
        let key = token_key(u64_of(&case["originChain"]) as u32, &bytes32(&case["originToken"]));
        assert_eq!(key, bytes32(&case["tokenKey"]), "{}", case["name"]);
    }
}

#[test]
fn keys_for_epochs_from_storage() {
    let v = vectors();
    // two valid group keys: G and 2G, compressed
    let current_key =
        HexBinary::from_hex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798").unwrap();
    let previous_key =
        HexBinary::from_hex("02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5").unwrap();
    for case in list(&v, "epochKeys") {
        let name = &case["name"];
        let (current, now) = (u64_of(&case["currentEpoch"]) as u32, u64_of(&case["now"]));
        let mut deps = mock_dependencies();
        let mut env = mock_env();
        env.block.time = Timestamp::from_seconds(now);
        let admin = deps.api.addr_make("admin");
        let msg = InstantiateMsg {
            chain_id: 10003,
            epoch: Some(current),
            group_key: current_key.clone(),
            pauser: None,
            cw20_code_id: 1,
            native_denoms: vec![],
        };
        instantiate(deps.as_mut(), env, message_info(&admin, &[]), msg).unwrap();
        let mut config = CONFIG.load(&deps.storage).unwrap();
        assert_eq!((config.epoch, config.previous_key.is_none()), (current, true), "{name}");
        if current > 1 {
            // as a rotation into the current epoch leaves it: the old key kept, a zero grace retiring it at once
            config.previous_key = Some(previous_key.clone());
            config.previous_key_expiry = u64_of(&case["previousKeyExpiry"]);
            CONFIG.save(&mut deps.storage, &config).unwrap();
        }
        let config = CONFIG.load(&deps.storage).unwrap();
        let got = match key_for(&config, u64_of(&case["epoch"]) as u32, now) {
            Ok(k) if k == current_key => "Current",
            Ok(k) if k == previous_key => "Previous",
            Ok(k) => panic!("{name}: another key {k}"),
            Err(ContractError::UnknownEpoch { .. }) => "UnknownEpoch",
            Err(ContractError::EpochExpired { .. }) => "EpochExpired",
            Err(e) => panic!("{name}: {e}"),
        };
        assert_eq!(got, str_of(&case["expect"]), "{name}");
    }
}

#[test]
fn rate_limits_as_stored() {
    let v = vectors();
    for (i, seq) in list(&v, "rateLimits").iter().enumerate() {
        let name = &seq["name"];
        let mut storage = MockStorage::default();
        let key = [i as u8 + 1; 32];
        rate_limit::set(&mut storage, &key, u128_of(&seq["capacity"]), u64_of(&seq["setAt"])).unwrap();
        for (j, step) in list(seq, "steps").iter().enumerate() {
            let now = u64_of(&step["now"]);
            let before = RATE_LIMITS.load(&storage, &key).unwrap();
            let got = rate_limit::consume(&mut storage, &key, u128_of(&step["amount"]), now);
            let after = RATE_LIMITS.load(&storage, &key).unwrap();
            match str_of(&step["expect"]) {
                "NoLimit" => {
                    assert_eq!(got, Ok(()), "{name} step {j}");
                    assert_eq!(after, before, "{name} step {j}: an unlimited bucket is not written");
                }
                "Ok" => {
                    assert_eq!(got, Ok(()), "{name} step {j}");
                    assert_eq!(after.available.u128(), u128_of(&step["available"]), "{name} step {j}");
                    assert_eq!(after.last_refill, now, "{name} step {j}");
                }
                "RateLimitExceeded" => {
                    match got {
                        Err(ContractError::RateLimitExceeded { available, .. }) => {
                            assert_eq!(available, u128_of(&step["available"]), "{name} step {j}")
                        }
                        other => panic!("{name} step {j}: {other:?}"),
                    }
                    assert_eq!(after, before, "{name} step {j}: a refused transfer changes nothing");
                }
                e => panic!("unknown expectation {e}"),
            }
        }
    }
}

/// The decision `apply` took, from its event (and whether a record was there before).
fn decision(event: &Event, existed: bool) -> &'static str {
    let reason = event.attributes.iter().find(|a| a.key == "reason").map(|a| a.value.as_str());
    match (event.ty.as_str(), existed, reason) {
        (attestations::EVENT_REGISTERED, false, _) => "Create",
        (attestations::EVENT_REVOKED, false, _) => "CreateRevoked",
        (attestations::EVENT_UPDATED, true, _) => "Update",
        (attestations::EVENT_REVOKED, true, _) => "Revoke",
        (attestations::EVENT_CONFLICT, true, _) => "Conflict",
        (attestations::EVENT_IGNORED, true, Some("stale")) => "IgnoredStale",
        (attestations::EVENT_IGNORED, true, Some("revoked")) => "IgnoredRevoked",
        (ty, existed, reason) => panic!("no decision is {ty} (record before: {existed}, reason {reason:?})"),
    }
}

#[test]
fn the_registry_as_stored() {
    let v = vectors();
    for (i, seq) in list(&v, "registry").iter().enumerate() {
        let name = &seq["name"];
        let mut storage = MockStorage::default();
        let data_hash = [i as u8 + 1; 32];
        for (j, step) in list(seq, "steps").iter().enumerate() {
            let register = str_of(&step["action"]) == "Register";
            let uri = format!("ipfs://step-{j}");
            let entry = Entry {
                data_hash,
                owner_did: str_of(&step["ownerDid"]),
                origin_chain: u64_of(&step["originChain"]) as u32,
                origin_nonce: u64_of(&step["nonce"]),
                timestamp: 1000 + j as u64,
                action: if register { AttestationAction::Register } else { AttestationAction::Revoke },
                uri: if register { &uri } else { "" },
                license: if register { "CC-BY-4.0" } else { "" },
            };
            let existed = ATTESTATIONS.has(&storage, &data_hash);
            let event = attestations::apply(&mut storage, &entry).unwrap();
            assert_eq!(decision(&event, existed), str_of(&step["expect"]), "{name} step {j}");
            let record = ATTESTATIONS.load(&storage, &data_hash).unwrap();
            let want = &step["record"];
            assert_eq!(
                (record.owner_did.as_str(), record.origin_chain as u64, record.origin_nonce, record.revoked),
                (
                    str_of(&want["ownerDid"]),
                    u64_of(&want["originChain"]),
                    u64_of(&want["originNonce"]),
                    want["revoked"].as_bool().unwrap()
                ),
                "{name} step {j}"
            );
        }
    }
}
