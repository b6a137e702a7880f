//! The rules' golden vectors of test/vectors/flows.json, run through `sah_bridge_protocol::rules`: every
//! token key, every key-for-epoch case, every rate-limit step and every registry and job sequence, step
//! by step, with the decision (or refusal) named as the vectors name it.

mod common;

use common::{arr, bytes, flow_vectors, hex32};
use sah_bridge_protocol::rules::*;
use sah_bridge_protocol::{AttestationAction, Outcome};
use serde_json::Value;

fn list<'a>(v: &'a Value, field: &str) -> &'a Vec<Value> {
    v[field]
        .as_array()
        .unwrap_or_else(|| panic!("{field} is not a list"))
}

fn u64_of(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not an integer: {v}"))
}

fn u32_of(v: &Value) -> u32 {
    u32::try_from(u64_of(v)).expect("u32")
}

fn u128_of(v: &Value) -> u128 {
    v.as_str()
        .expect("a decimal string")
        .parse()
        .expect("a u128")
}

fn str_of(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

fn outcome_of(v: &Value) -> Outcome {
    match str_of(v) {
        "Completed" => Outcome::Completed,
        "Expired" => Outcome::Expired,
        "Cancelled" => Outcome::Cancelled,
        o => panic!("unknown outcome {o}"),
    }
}

fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::Completed => "Completed",
        Outcome::Expired => "Expired",
        Outcome::Cancelled => "Cancelled",
    }
}

#[test]
fn the_window_is_a_day() {
    assert_eq!(
        u64_of(&flow_vectors()["rateLimitWindowSeconds"]),
        RATE_LIMIT_WINDOW_SECONDS
    );
}

#[test]
fn token_keys() {
    let v = flow_vectors();
    for case in list(&v, "tokenKeys") {
        let key = token_key(u32_of(&case["originChain"]), &arr(&case["originToken"]));
        assert_eq!(hex32(&key), str_of(&case["tokenKey"]), "{}", case["name"]);
    }
}

#[test]
fn keys_for_epochs() {
    let v = flow_vectors();
    for case in list(&v, "epochKeys") {
        let expiry = u64_of(&case["previousKeyExpiry"]);
        let got = match key_for_epoch(
            u32_of(&case["epoch"]),
            u32_of(&case["currentEpoch"]),
            expiry,
            u64_of(&case["now"]),
        ) {
            Ok(EpochKey::Current) => "Current",
            Ok(EpochKey::Previous) => "Previous",
            Err(EpochRefusal::EpochExpired { expired_at }) => {
                assert_eq!(expired_at, expiry, "{}", case["name"]);
                "EpochExpired"
            }
            Err(e) => e.code(),
        };
        assert_eq!(got, str_of(&case["expect"]), "{}", case["name"]);
    }
}

#[test]
fn rate_limit_steps() {
    let v = flow_vectors();
    for seq in list(&v, "rateLimits") {
        let name = &seq["name"];
        let mut bucket = RateLimitBucket::new(u128_of(&seq["capacity"]), u64_of(&seq["setAt"]));
        for (i, step) in list(seq, "steps").iter().enumerate() {
            let now = u64_of(&step["now"]);
            let expect = str_of(&step["expect"]);
            match bucket.take(u128_of(&step["amount"]), now) {
                Ok(None) => assert_eq!(expect, "NoLimit", "{name} step {i}"),
                Ok(Some(after)) => {
                    assert_eq!(expect, "Ok", "{name} step {i}");
                    assert_eq!(
                        after.available,
                        u128_of(&step["available"]),
                        "{name} step {i}"
                    );
                    assert_eq!(after.last_refill, now, "{name} step {i}");
                    assert_eq!(after.capacity, bucket.capacity, "{name} step {i}");
                    bucket = after;
                }
                Err(RateLimitExceeded { available }) => {
                    assert_eq!(expect, "RateLimitExceeded", "{name} step {i}");
                    assert_eq!(available, u128_of(&step["available"]), "{name} step {i}");
                }
            }
        }
    }
}

/// The record as the vectors show it after each step: what a contract stores for each decision.
#[derive(Debug, PartialEq)]
struct Record {
    owner_did: String,
    origin_chain: u32,
    origin_nonce: u64,
    revoked: bool,
}

#[test]
fn registry_sequences() {
    let v = flow_vectors();
    for seq in list(&v, "registry") {
        let name = &seq["name"];
        let mut record: Option<Record> = None;
        for (i, step) in list(seq, "steps").iter().enumerate() {
            let owner_did = str_of(&step["ownerDid"]);
            let action = match str_of(&step["action"]) {
                "Register" => AttestationAction::Register,
                "Revoke" => AttestationAction::Revoke,
                a => panic!("unknown action {a}"),
            };
            let entry = RegistryEntry {
                owner_did: owner_did.as_bytes(),
                origin_chain: u32_of(&step["originChain"]),
                origin_nonce: u64_of(&step["nonce"]),
                action,
            };
            let view = record.as_ref().map(|r| RecordView {
                owner_did: r.owner_did.as_bytes(),
                origin_chain: r.origin_chain,
                origin_nonce: r.origin_nonce,
                revoked: r.revoked,
            });
            let decision = registry_decision(view.as_ref(), &entry);
            assert_eq!(decision.code(), str_of(&step["expect"]), "{name} step {i}");
            let created = |revoked| Record {
                owner_did: owner_did.to_owned(),
                origin_chain: entry.origin_chain,
                origin_nonce: entry.origin_nonce,
                revoked,
            };
            match decision {
                RegistryDecision::Create => record = Some(created(false)),
                RegistryDecision::CreateRevoked => record = Some(created(true)),
                RegistryDecision::Update => {
                    let r = record.as_mut().expect("a record");
                    r.origin_chain = entry.origin_chain;
                    r.origin_nonce = entry.origin_nonce;
                }
                RegistryDecision::Revoke => record.as_mut().expect("a record").revoked = true,
                RegistryDecision::Conflict
                | RegistryDecision::IgnoredStale
                | RegistryDecision::IgnoredRevoked => {}
            }
            let want = &step["record"];
            assert_eq!(
                record,
                Some(Record {
                    owner_did: str_of(&want["ownerDid"]).to_owned(),
                    origin_chain: u32_of(&want["originChain"]),
                    origin_nonce: u64_of(&want["originNonce"]),
                    revoked: want["revoked"].as_bool().expect("a bool"),
                }),
                "{name} step {i}"
            );
        }
    }
}

fn escrow_state_name(s: EscrowState) -> &'static str {
    match s {
        EscrowState::Posted => "Posted",
        EscrowState::CancelRequested => "CancelRequested",
        EscrowState::Paid => "Paid",
        EscrowState::Refunded => "Refunded",
    }
}

fn escrow_effect_name(e: EscrowEffect) -> &'static str {
    match e {
        EscrowEffect::SendPost => "SendPost",
        EscrowEffect::SendCancel => "SendCancel",
        EscrowEffect::Pay => "Pay",
        EscrowEffect::Refund => "Refund",
    }
}

/// The step's expected effect (absent: none).
fn effect_of(step: &Value) -> Option<&str> {
    step.get("effect").map(str_of)
}

#[test]
fn escrow_job_sequences() {
    let v = flow_vectors();
    for seq in list(&v, "escrowJobs") {
        let name = &seq["name"];
        let mut state: Option<EscrowState> = None;
        let mut now = 0;
        for (i, step) in list(seq, "steps").iter().enumerate() {
            let event = match str_of(&step["event"]) {
                "Post" => {
                    now = u64_of(&step["now"]);
                    EscrowEvent::Post {
                        deadline: u64_of(&step["deadline"]),
                    }
                }
                "Cancel" => EscrowEvent::Cancel {
                    by_payer: step["byPayer"].as_bool().expect("byPayer"),
                },
                "Result" => EscrowEvent::Result {
                    outcome: outcome_of(&step["outcome"]),
                    from_executor_chain: step["fromExecutorChain"].as_bool().expect("a bool"),
                },
                e => panic!("unknown escrow event {e}"),
            };
            match escrow_step(state, event, now) {
                Ok((next, effect)) => {
                    assert_eq!(
                        escrow_state_name(next),
                        str_of(&step["expect"]),
                        "{name} step {i}"
                    );
                    assert_eq!(
                        Some(escrow_effect_name(effect)),
                        effect_of(step),
                        "{name} step {i}"
                    );
                    state = Some(next);
                }
                Err(refusal) => {
                    assert_eq!(refusal.code(), str_of(&step["expect"]), "{name} step {i}");
                    assert_eq!(effect_of(step), None, "{name} step {i}");
                }
            }
        }
    }
}

fn executor_state_name(s: ExecutorState) -> &'static str {
    match s {
        ExecutorState::Open => "Open",
        ExecutorState::Claimed => "Claimed",
        ExecutorState::Completed => "Completed",
        ExecutorState::Expired => "Expired",
        ExecutorState::Cancelled => "Cancelled",
    }
}

#[test]
fn executor_job_sequences() {
    let v = flow_vectors();
    for seq in list(&v, "executorJobs") {
        let name = &seq["name"];
        let terms = ExecutorTerms {
            deadline: u64_of(&seq["deadline"]),
            escrow_chain: u32_of(&seq["escrowChain"]),
        };
        let mut state: Option<ExecutorState> = None;
        let mut claimer: Option<String> = None;
        for (i, step) in list(seq, "steps").iter().enumerate() {
            let now = step.get("now").map(u64_of).unwrap_or_default();
            let result_hash = step.get("resultHash").map(bytes).unwrap_or_default();
            let pay_to = step.get("payTo").map(bytes).unwrap_or_default();
            let by = step.get("by").map(str_of);
            let event = match str_of(&step["event"]) {
                "Post" => ExecutorEvent::Post,
                "Claim" => ExecutorEvent::Claim,
                "SubmitResult" => ExecutorEvent::SubmitResult {
                    by_claimer: claimer.is_some() && claimer.as_deref() == by,
                    result_hash: &result_hash,
                    pay_to: &pay_to,
                },
                "Expire" => ExecutorEvent::Expire,
                "Cancel" => ExecutorEvent::Cancel {
                    from_payer: step["fromPayer"].as_bool().expect("fromPayer"),
                },
                e => panic!("unknown executor event {e}"),
            };
            match executor_step(state, terms, event, now) {
                Ok((next, effect)) => {
                    assert_eq!(
                        executor_state_name(next),
                        str_of(&step["expect"]),
                        "{name} step {i}"
                    );
                    let effect = match effect {
                        ExecutorEffect::Record => None,
                        ExecutorEffect::CancelIgnored => Some("CancelIgnored".to_owned()),
                        ExecutorEffect::SendResult(o) => Some(format!("Send{}", outcome_name(o))),
                    };
                    assert_eq!(effect.as_deref(), effect_of(step), "{name} step {i}");
                    if matches!(event, ExecutorEvent::Claim) {
                        claimer = by.map(str::to_owned);
                    }
                    state = Some(next);
                }
                Err(refusal) => {
                    assert_eq!(refusal.code(), str_of(&step["expect"]), "{name} step {i}");
                    assert_eq!(effect_of(step), None, "{name} step {i}");
                }
            }
        }
    }
}

#[test]
fn pay_to_faults_are_named() {
    assert_eq!(check_pay_to(1, &[1u8; 31]), Err(PayToFault::Length(31)));
    assert_eq!(check_pay_to(3, &[0u8; 32]), Err(PayToFault::Zero));
    assert_eq!(
        check_pay_to(10001, &[1u8; 32]),
        Err(PayToFault::NotEvmAddress)
    );
    assert_eq!(check_pay_to(10004, &[1u8; 32]), Ok([1u8; 32]));
}

#[test]
fn the_rules_take_any_input_without_panicking() {
    // the edges of every integer: no overflow anywhere
    for epoch in [0, 1, u32::MAX - 1, u32::MAX] {
        for current in [0, 1, u32::MAX - 1, u32::MAX] {
            for expiry in [0, 1, u64::MAX] {
                for now in [0, u64::MAX] {
                    let _ = key_for_epoch(epoch, current, expiry, now);
                }
            }
        }
    }
    for capacity in [0, 1, u128::MAX] {
        for available in [0, u128::MAX] {
            for last_refill in [0, u64::MAX] {
                for now in [0, 1, u64::MAX] {
                    let bucket = RateLimitBucket {
                        capacity,
                        available,
                        last_refill,
                    };
                    let _ = bucket.take(u128::MAX, now);
                }
            }
        }
    }
}
