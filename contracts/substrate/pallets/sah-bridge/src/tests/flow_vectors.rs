//! The rules' vectors (`test/vectors/flows.json`, PROTOCOL.md §8) on the pallet's own code: token keys,
//! the key for an epoch from storage (`key_for`), the rate limit as stored (`rate_limit_after`), and the
//! registry as stored (`apply_attestation`): the decision read from its event, the record read back.

use super::*;
use crate::{AttestAction, Attestations, PreviousKeyExpiry, RateLimit};

fn flow_vectors() -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../../test/vectors/flows.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("read test/vectors/flows.json"))
        .unwrap()
}

fn list<'a>(v: &'a serde_json::Value, field: &str) -> &'a Vec<serde_json::Value> {
    v[field].as_array().expect("a list")
}

fn u64_of(v: &serde_json::Value) -> u64 {
    v.as_u64().expect("an integer")
}

fn u128_of(v: &serde_json::Value) -> u128 {
    v.as_str().expect("a string").parse().expect("a u128")
}

fn str_of(v: &serde_json::Value) -> &str {
    v.as_str().expect("a string")
}

fn bytes32(v: &serde_json::Value) -> [u8; 32] {
    hex_bytes(str_of(v)).try_into().expect("32 bytes")
}

#[test]
fn token_keys() {
    let v = flow_vectors();
    for case in list(&v, "tokenKeys") {
        let key = token_key(num(&case["originChain"]), &bytes32(&case["originToken"]));
        assert_eq!(key, bytes32(&case["tokenKey"]), "{}", case["name"]);
    }
}

#[test]
fn keys_for_epochs_from_storage() {
    let v = flow_vectors();
    let (current_key, previous_key) = ([2u8; 33], [3u8; 33]);
    for case in list(&v, "epochKeys") {
        let name = str_of(&case["name"]);
        new_test_ext().execute_with(|| {
            let expiry = u64_of(&case["previousKeyExpiry"]);
            Epoch::<Test>::put(num(&case["currentEpoch"]));
            CurrentKey::<Test>::put(current_key);
            // a rotation keeps the old key; a zero grace retires it at once (expiry 0)
            PreviousKey::<Test>::put(previous_key);
            PreviousKeyExpiry::<Test>::put(expiry);
            let got = match SahBridge::key_for(num(&case["epoch"]), u64_of(&case["now"])) {
                Ok(k) if k == current_key => "Current",
                Ok(k) if k == previous_key => "Previous",
                Ok(_) => panic!("{name}: another key"),
                Err(e) if e == DispatchError::from(Error::<Test>::UnknownEpoch) => "UnknownEpoch",
                Err(e) if e == DispatchError::from(Error::<Test>::EpochExpired) => "EpochExpired",
                Err(e) => panic!("{name}: {e:?}"),
            };
            assert_eq!(got, str_of(&case["expect"]), "{name}");
        });
    }
}

#[test]
fn rate_limits_as_stored() {
    let v = flow_vectors();
    for seq in list(&v, "rateLimits") {
        let name = str_of(&seq["name"]);
        new_test_ext().execute_with(|| {
            let key = [0x77; 32];
            let capacity = u128_of(&seq["capacity"]);
            let set_at = u64_of(&seq["setAt"]);
            RateLimits::<Test>::insert(
                key,
                RateLimit {
                    capacity,
                    available: capacity,
                    last_refill: set_at,
                },
            );
            for (j, step) in list(seq, "steps").iter().enumerate() {
                let now = u64_of(&step["now"]);
                let got = SahBridge::rate_limit_after(&key, u128_of(&step["amount"]), now);
                match (str_of(&step["expect"]), got) {
                    ("NoLimit", Ok(None)) => {}
                    ("Ok", Ok(Some(after))) => {
                        assert_eq!(
                            after.available,
                            u128_of(&step["available"]),
                            "{name} step {j}"
                        );
                        assert_eq!(after.last_refill, now, "{name} step {j}");
                        RateLimits::<Test>::insert(key, after);
                    }
                    ("RateLimitExceeded", Err(e)) => {
                        assert_eq!(
                            e,
                            DispatchError::from(Error::<Test>::RateLimitExceeded),
                            "{name} step {j}"
                        )
                    }
                    (expect, got) => panic!("{name} step {j}: expected {expect}, got {got:?}"),
                }
            }
        });
    }
}

#[test]
fn the_registry_as_stored() {
    let v = flow_vectors();
    for seq in list(&v, "registry") {
        let name = str_of(&seq["name"]);
        new_test_ext().execute_with(|| {
            let data_hash = [0xab; 32];
            for (j, step) in list(seq, "steps").iter().enumerate() {
                let register = str_of(&step["action"]) == "Register";
                let before = Attestations::<Test>::get(data_hash);
                System::reset_events();
                SahBridge::apply_attestation(
                    data_hash,
                    str_of(&step["ownerDid"]).as_bytes(),
                    if register {
                        AttestAction::Register
                    } else {
                        AttestAction::Revoke
                    },
                    num(&step["originChain"]),
                    u64_of(&step["nonce"]),
                    1_000 + j as u64,
                    if register { &b"ipfs://step"[..] } else { b"" },
                    if register { &b"CC-BY-4.0"[..] } else { b"" },
                );
                let events = bridge_events();
                assert_eq!(events.len(), 1, "{name} step {j}: one event");
                let was_revoked = before.as_ref().is_some_and(|r| r.revoked);
                let decision = match (&events[0], before.is_some()) {
                    (
                        Event::AttestationRegistered {
                            reattested: false, ..
                        },
                        false,
                    ) => "Create",
                    (
                        Event::AttestationRegistered {
                            reattested: true, ..
                        },
                        true,
                    ) => "Update",
                    (Event::AttestationRevoked { .. }, false) => "CreateRevoked",
                    // revoking a revoked record changes nothing and says who revoked
                    (Event::AttestationRevoked { .. }, true) if was_revoked => "IgnoredRevoked",
                    (Event::AttestationRevoked { .. }, true) => "Revoke",
                    (Event::AttestationConflict { .. }, true) => "Conflict",
                    (Event::AttestationStale { .. }, true) => "IgnoredStale",
                    (e, existed) => panic!("{name} step {j}: {e:?} (record before: {existed})"),
                };
                assert_eq!(decision, str_of(&step["expect"]), "{name} step {j}");
                if decision == "IgnoredRevoked" {
                    assert_eq!(
                        Attestations::<Test>::get(data_hash),
                        before,
                        "{name} step {j}"
                    );
                }
                let record = Attestations::<Test>::get(data_hash).expect("a record");
                let want = &step["record"];
                assert_eq!(
                    (
                        &record.owner_did[..],
                        record.origin_chain,
                        record.origin_nonce,
                        record.revoked
                    ),
                    (
                        str_of(&want["ownerDid"]).as_bytes(),
                        num(&want["originChain"]),
                        u64_of(&want["originNonce"]),
                        want["revoked"].as_bool().unwrap()
                    ),
                    "{name} step {j}"
                );
            }
        });
    }
}
