//! Data attestations and compute jobs (PROTOCOL.md §7): owner DIDs, the registry and its
//! conflicts, the job state machines on A and on B, every named error, replays, the deadline
//! boundary, and a seeded random race between the two chains.

mod attestations;
mod identities;
mod jobs;
mod race;

use super::*;
use crate::{
    job_id, AttestAction, Attestation, AttestationConflicts, Attestations, Conflict, ConflictCount,
    Destinations, JobCounter, JobEscrow, JobOutcome, Payment, PostedJobState, PostedJobs,
    ReceivedJobState, ReceivedJobs, MAX_CONFLICTS,
};
use sah_bridge_protocol::{AttestationAction, ComputeJob, DataAttestation};

type Call = Box<dyn Fn() -> DispatchResult>;

fn dests(d: &[u32]) -> Destinations {
    d.to_vec().try_into().unwrap()
}

fn attest(
    who: &AccountId,
    data_hash: [u8; 32],
    uri: &[u8],
    license: &[u8],
    d: &[u32],
) -> DispatchResult {
    SahBridge::attest(
        RuntimeOrigin::signed(who.clone()),
        data_hash,
        uri.to_vec(),
        license.to_vec(),
        dests(d),
    )
}

fn revoke(who: &AccountId, data_hash: [u8; 32], d: &[u32]) -> DispatchResult {
    SahBridge::revoke(RuntimeOrigin::signed(who.clone()), data_hash, dests(d))
}

fn post(
    who: &AccountId,
    payment: Payment,
    amount: u128,
    executor_chain: u32,
    deadline: u64,
) -> DispatchResult {
    SahBridge::post_job(
        RuntimeOrigin::signed(who.clone()),
        payment,
        amount,
        [0x5e; 32],
        executor_chain,
        deadline,
    )
}

fn cancel(who: &AccountId, id: [u8; 32]) -> DispatchResult {
    SahBridge::cancel_job(RuntimeOrigin::signed(who.clone()), id)
}

fn claim(who: &AccountId, id: [u8; 32]) -> DispatchResult {
    SahBridge::claim_job(RuntimeOrigin::signed(who.clone()), id)
}

fn submit(who: &AccountId, id: [u8; 32], result: [u8; 32], pay_to: [u8; 32]) -> DispatchResult {
    SahBridge::submit_result(RuntimeOrigin::signed(who.clone()), id, result, pay_to)
}

fn expire(who: &AccountId, id: [u8; 32]) -> DispatchResult {
    SahBridge::expire_job(RuntimeOrigin::signed(who.clone()), id)
}

fn did(who: &AccountId) -> String {
    String::from_utf8(SahBridge::did_of(who)).unwrap()
}

fn decode(m: &[u8]) -> Message {
    Message::decode(m).expect("what the pallet sends decodes")
}

fn attestation_of(m: &[u8]) -> (Header, DataAttestation) {
    let m = decode(m);
    let Payload::DataAttestation(a) = m.payload else {
        panic!("not an attestation")
    };
    (m.header, a)
}

fn result_of(m: &[u8]) -> (Header, ComputeResult) {
    let m = decode(m);
    let Payload::ComputeResult(r) = m.payload else {
        panic!("not a result")
    };
    (m.header, r)
}

fn register_payload(data_hash: [u8; 32], owner: &str, uri: &str, ts: u64) -> Payload {
    Payload::DataAttestation(DataAttestation {
        action: AttestationAction::Register,
        data_hash,
        timestamp: ts,
        owner_did: owner.into(),
        uri: uri.into(),
        license: "MIT".into(),
    })
}

fn revoke_payload(data_hash: [u8; 32], owner: &str, ts: u64) -> Payload {
    Payload::DataAttestation(DataAttestation {
        action: AttestationAction::Revoke,
        data_hash,
        timestamp: ts,
        owner_did: owner.into(),
        uri: String::new(),
        license: String::new(),
    })
}

fn post_payload(id: [u8; 32], amount: u128, deadline: u64, payer: [u8; 32]) -> Payload {
    Payload::ComputeJob(ComputeJob::Post {
        job_id: id,
        spec_hash: [0x5e; 32],
        payment_origin_chain: ETHEREUM,
        payment_origin_token: sah_token(),
        payment_amount: amount,
        deadline,
        payer,
    })
}

fn result_payload(outcome: Outcome, id: [u8; 32], executor: [u8; 32]) -> Payload {
    let completed = outcome == Outcome::Completed;
    Payload::ComputeResult(ComputeResult {
        outcome,
        job_id: id,
        result_hash: if completed { [0xee; 32] } else { [0; 32] },
        executor: if completed { executor } else { [0; 32] },
        timestamp: START + 5,
    })
}

fn events_matching(f: impl Fn(&Event<Test>) -> bool) -> usize {
    bridge_events().iter().filter(|e| f(e)).count()
}
