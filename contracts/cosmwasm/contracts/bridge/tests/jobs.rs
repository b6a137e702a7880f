//! Compute jobs (docs/PROTOCOL.md §7.3). Most tests run both ends on CosmWasm: bridge A (this world's
//! bridge, chain 10003) escrows, bridge B (a second bridge in the same app, chain 10004) arbitrates, and
//! the messages one emits are signed and delivered to the other as a relayer would.
mod common;

use common::*;
use cosmwasm_std::{coins, Addr, HexBinary, Uint128};
use cw20::Cw20ExecuteMsg;
use cw_multi_test::{AppResponse, Executor};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use sah_bridge_cosmwasm::msg::{ExecuteMsg, JobResponse, QueryMsg, ReceiveMsg};
use sah_bridge_cosmwasm::state::{PaymentAsset, PostedJobStatus, ReceivedJobStatus};
use sah_bridge_protocol::{ComputeJob, ComputeResult, Governance, Kind, Message, Outcome, Payload};
use sha2::{Digest, Sha256};

const B: u32 = POLKADOT;
const PAY: &str = "uatom";
const SPEC: [u8; 32] = [0x5c; 32];
const RESULT: [u8; 32] = [0x7e; 32];

fn hb(b: &[u8]) -> HexBinary {
    HexBinary::from(b)
}

fn setup() -> (World, Addr) {
    let mut w = World::new();
    w.set_time(1_800_000_000);
    let b = w.add_bridge(B);
    (w, b)
}

fn post(w: &mut World, who: &str, amount: u128, deadline: u64, to: u32) -> anyhow::Result<AppResponse> {
    let funds = if amount == 0 { vec![] } else { coins(amount, PAY) };
    w.exec(who, &ExecuteMsg::PostJob { spec_hash: hb(&SPEC), executor_chain: to, deadline }, &funds)
}

fn job_id_of(res: &AppResponse) -> [u8; 32] {
    hex_bytes(&event_attr(res, "sah_job_posted", "job_id").unwrap()).try_into().unwrap()
}

fn job(w: &World, bridge: &Addr, id: &[u8]) -> JobResponse {
    w.query_on(bridge, &QueryMsg::Job { job_id: hb(id) })
}

fn posted_status(w: &World, id: &[u8]) -> PostedJobStatus {
    job(w, &w.bridge, id).posted.unwrap().status
}

fn received_status(w: &World, b: &Addr, id: &[u8]) -> ReceivedJobStatus {
    job(w, b, id).received.unwrap().status
}

fn claim(w: &mut World, b: &Addr, who: &str, id: &[u8]) -> anyhow::Result<AppResponse> {
    w.exec_on(b, who, &ExecuteMsg::Claim { job_id: hb(id) }, &[])
}

/// `who`'s result, to be paid at `payee`'s account on A.
fn submit(w: &mut World, b: &Addr, who: &str, id: &[u8], payee: &str) -> anyhow::Result<AppResponse> {
    let pay_to = w.bytes32(&w.addr(payee));
    w.exec_on(b, who, &ExecuteMsg::SubmitResult { job_id: hb(id), result_hash: hb(&RESULT), pay_to: hb(&pay_to) }, &[])
}

fn expire(w: &mut World, b: &Addr, who: &str, id: &[u8]) -> anyhow::Result<AppResponse> {
    w.exec_on(b, who, &ExecuteMsg::Expire { job_id: hb(id) }, &[])
}

fn cancel(w: &mut World, who: &str, id: &[u8]) -> anyhow::Result<AppResponse> {
    w.exec(who, &ExecuteMsg::Cancel { job_id: hb(id) }, &[])
}

fn escrow(w: &World, asset: PaymentAsset) -> u128 {
    let v: Uint128 = w.query(&QueryMsg::JobEscrow { asset });
    v.u128()
}

fn native_escrow(w: &World) -> u128 {
    escrow(w, PaymentAsset::Native { denom: PAY.into() })
}

fn nonce_on(w: &World, bridge: &Addr) -> u64 {
    w.query_on(bridge, &QueryMsg::OutboundNonce {})
}

/// The one message a response sent.
fn only_message(res: &AppResponse) -> Vec<u8> {
    let mut sent = sent_messages(res);
    assert_eq!(sent.len(), 1, "one message expected");
    sent.remove(0)
}

/// Posts a job on A and delivers its `post` to B; returns the job id.
fn posted_on_both(w: &mut World, b: &Addr, who: &str, amount: u128, deadline: u64) -> [u8; 32] {
    let res = post(w, who, amount, deadline, B).unwrap();
    w.deliver_to(b, B, &only_message(&res)).unwrap();
    job_id_of(&res)
}

#[test]
fn job_ids_are_sha256_of_tag_chain_and_counter() {
    let (mut w, _) = setup();
    let deadline = w.now() + 100;
    for counter in 1u64..=3 {
        let res = post(&mut w, "alice", 10, deadline, B).unwrap();
        let expected: [u8; 32] = Sha256::new()
            .chain_update(b"SAH-JOB")
            .chain_update(CHAIN.to_be_bytes())
            .chain_update(counter.to_be_bytes())
            .finalize()
            .into();
        assert_eq!(job_id_of(&res), expected);
        assert_eq!(job(&w, &w.bridge, &expected).posted.unwrap().counter, counter);
    }
    let counter: u64 = w.query(&QueryMsg::JobCounter {});
    assert_eq!(counter, 3);
}

#[test]
fn post_escrows_the_payment_and_sends_post_to_b() {
    let (mut w, b) = setup();
    let alice = w.addr("alice");
    let before = w.bank(&alice, PAY);
    let deadline = w.now() + 3_600;
    let res = post(&mut w, "alice", 1_000, deadline, B).unwrap();
    let id = job_id_of(&res);

    assert_eq!(w.bank(&alice, PAY), before - 1_000);
    assert_eq!(w.bank(&w.bridge, PAY), 1_000);
    assert_eq!(native_escrow(&w), 1_000);
    assert_eq!(w.locked(PAY), 0, "escrow is not the transfer lock");

    let bytes = only_message(&res);
    let stored: Option<HexBinary> = w.query(&QueryMsg::OutboundMessageId { nonce: 1 });
    assert_eq!(stored.unwrap().as_slice(), sah_bridge_protocol::message_id(&bytes));
    let m = Message::decode(&bytes).unwrap();
    assert_eq!(m.header.kind, Kind::ComputeJob);
    assert_eq!((m.header.source_chain, m.header.destination_chain, m.header.nonce), (CHAIN, B, 1));
    assert_eq!((m.header.sender, m.header.recipient), (w.bytes32(&alice), [0; 32]));
    let expected = ComputeJob::Post {
        job_id: id,
        spec_hash: SPEC,
        payment_origin_chain: CHAIN,
        payment_origin_token: native_token(PAY),
        payment_amount: 1_000,
        deadline,
        payer: w.bytes32(&alice),
    };
    assert_eq!(m.payload, Payload::ComputeJob(expected));
    let p = job(&w, &w.bridge, &id).posted.unwrap();
    assert_eq!((p.status, p.amount.u128(), p.payer, p.post_nonce), (PostedJobStatus::Posted, 1_000, alice.clone(), 1));

    // B opens it
    let res = w.deliver_to(&b, B, &bytes).unwrap();
    assert!(has_event(&res, "sah_job_received"));
    let r = job(&w, &b, &id).received.unwrap();
    assert_eq!(
        (r.status, r.escrow_chain, r.deadline, r.amount.u128()),
        (ReceivedJobStatus::Open, CHAIN, deadline, 1_000)
    );
    assert_eq!(r.payer.as_slice(), w.bytes32(&alice));
    assert_eq!((r.payment_origin_chain, r.payment_origin_token.as_slice()), (CHAIN, native_token(PAY).as_slice()));
    assert!(job(&w, &b, &id).posted.is_none() && job(&w, &w.bridge, &id).received.is_none());
}

#[test]
fn post_refusals_are_named_and_change_nothing() {
    let (mut w, _) = setup();
    let alice = w.addr("alice");
    let before = w.bank(&alice, PAY);
    let now = w.now();
    let spec = |s: &[u8]| ExecuteMsg::PostJob { spec_hash: hb(s), executor_chain: B, deadline: now + 10 };
    let e = w.exec("alice", &spec(&[0; 32]), &coins(5, PAY)).unwrap_err();
    assert_eq!(error_code(&e), "InvalidField");
    let e = w.exec("alice", &spec(&[1; 20]), &coins(5, PAY)).unwrap_err();
    assert_eq!(error_code(&e), "InvalidField");
    assert_eq!(error_code(&post(&mut w, "alice", 0, now + 10, B).unwrap_err()), "ZeroAmount");
    let two = vec![coins(5, PAY)[0].clone(), coins(5, DENOM)[0].clone()];
    assert_eq!(error_code(&w.exec("alice", &spec(&SPEC), &two).unwrap_err()), "Payment");
    // a denom not configured at instantiation
    let e = w.exec("alice", &spec(&SPEC), &coins(5, DENOM)).unwrap_err();
    assert_eq!(error_code(&e), "UnknownDenom");
    for deadline in [now, now - 1, 0] {
        assert_eq!(
            error_code(&post(&mut w, "alice", 5, deadline, B).unwrap_err()),
            "DeadlinePassed",
            "deadline {deadline}"
        );
    }
    for to in [CHAIN, 0, 999] {
        assert_eq!(error_code(&post(&mut w, "alice", 5, now + 10, to).unwrap_err()), "InvalidDestination", "to {to}");
    }
    // two faults at once: §7.3's order, specHash, amount, deadline, executor chain
    let zero_spec_no_funds = ExecuteMsg::PostJob { spec_hash: hb(&[0; 32]), executor_chain: 0, deadline: now };
    assert_eq!(error_code(&w.exec("alice", &zero_spec_no_funds, &[]).unwrap_err()), "InvalidField");
    assert_eq!(error_code(&post(&mut w, "alice", 0, now, 0).unwrap_err()), "ZeroAmount");
    assert_eq!(error_code(&post(&mut w, "alice", 5, now, 0).unwrap_err()), "DeadlinePassed");
    let pause = w.governance(Governance::Pause);
    w.deliver(&pause).unwrap();
    assert_eq!(error_code(&post(&mut w, "alice", 5, now + 10, B).unwrap_err()), "BridgePaused");
    assert_eq!(error_code(&post(&mut w, "alice", 0, now, 0).unwrap_err()), "BridgePaused", "paused comes first");

    assert_eq!(w.bank(&alice, PAY), before);
    assert_eq!(native_escrow(&w), 0);
    let counter: u64 = w.query(&QueryMsg::JobCounter {});
    assert_eq!((counter, nonce_on(&w, &w.bridge.clone())), (0, 0));
}

#[test]
fn claim_result_and_payment_to_the_executor() {
    let (mut w, b) = setup();
    let (alice, dave) = (w.addr("alice"), w.addr("dave"));
    let deadline = w.now() + 600;
    let id = posted_on_both(&mut w, &b, "alice", 2_500, deadline);
    let dave_before = w.bank(&dave, PAY);

    let res = claim(&mut w, &b, "carol", &id).unwrap();
    assert!(sent_messages(&res).is_empty(), "a claim sends nothing");
    let r = job(&w, &b, &id).received.unwrap();
    assert_eq!((r.status, r.claimer), (ReceivedJobStatus::Claimed, Some(w.addr("carol"))));

    // carol is paid at dave's account on A
    let res = submit(&mut w, &b, "carol", &id, "dave").unwrap();
    let bytes = only_message(&res);
    let m = Message::decode(&bytes).unwrap();
    assert_eq!((m.header.kind, m.header.source_chain, m.header.destination_chain), (Kind::ComputeResult, B, CHAIN));
    assert_eq!((m.header.sender, m.header.recipient), (w.bytes32(&w.addr("carol")), [0; 32]));
    let expected = ComputeResult {
        outcome: Outcome::Completed,
        job_id: id,
        result_hash: RESULT,
        executor: w.bytes32(&dave),
        timestamp: w.now(),
    };
    assert_eq!(m.payload, Payload::ComputeResult(expected));
    assert_eq!(received_status(&w, &b, &id), ReceivedJobStatus::Completed);

    let res = w.deliver(&bytes).unwrap();
    assert!(has_event(&res, "sah_job_paid"));
    assert_eq!(w.bank(&dave, PAY), dave_before + 2_500);
    assert_eq!(w.bank(&w.bridge, PAY), 0);
    assert_eq!(native_escrow(&w), 0);
    let p = job(&w, &w.bridge, &id).posted.unwrap();
    assert_eq!((p.status, p.paid_to), (PostedJobStatus::Paid, Some(dave.clone())));
    assert_eq!(p.result_hash.unwrap().as_slice(), RESULT);

    // replay: alone, and inside a batch
    assert_eq!(error_code(&w.deliver(&bytes).unwrap_err()), "MessageAlreadyConsumed");
    assert_eq!(error_code(&w.deliver_batch(&[bytes]).unwrap_err()), "BatchAlreadyDelivered");
    assert_eq!(w.bank(&dave, PAY), dave_before + 2_500);
    assert!(w.bank(&alice, PAY) > 0);
}

#[test]
fn expiry_refunds_the_payer() {
    let (mut w, b) = setup();
    let alice = w.addr("alice");
    let before = w.bank(&alice, PAY);
    let deadline = w.now() + 60;
    let id = posted_on_both(&mut w, &b, "alice", 700, deadline);
    claim(&mut w, &b, "carol", &id).unwrap();
    w.set_time(deadline + 1);
    let res = expire(&mut w, &b, "bob", &id).unwrap();
    let bytes = only_message(&res);
    let Payload::ComputeResult(r) = Message::decode(&bytes).unwrap().payload else { panic!() };
    assert_eq!((r.outcome, r.result_hash, r.executor, r.timestamp), (Outcome::Expired, [0; 32], [0; 32], deadline + 1));
    assert_eq!(received_status(&w, &b, &id), ReceivedJobStatus::Expired);
    let res = w.deliver(&bytes).unwrap();
    assert!(has_event(&res, "sah_job_refunded"));
    assert_eq!(w.bank(&alice, PAY), before);
    assert_eq!((native_escrow(&w), posted_status(&w, &id)), (0, PostedJobStatus::Refunded));
}

#[test]
fn cancel_while_open_cancels_on_b_and_refunds_on_a() {
    let (mut w, b) = setup();
    let alice = w.addr("alice");
    let before = w.bank(&alice, PAY);
    let deadline = w.now() + 600;
    let id = posted_on_both(&mut w, &b, "alice", 300, deadline);

    assert_eq!(error_code(&cancel(&mut w, "bob", &id).unwrap_err()), "NotPayer");
    assert_eq!(error_code(&cancel(&mut w, "alice", &[9; 32]).unwrap_err()), "UnknownJob");
    let res = cancel(&mut w, "alice", &id).unwrap();
    assert_eq!(posted_status(&w, &id), PostedJobStatus::CancelRequested);
    let bytes = only_message(&res);
    let m = Message::decode(&bytes).unwrap();
    assert_eq!(m.payload, Payload::ComputeJob(ComputeJob::Cancel { job_id: id }));
    assert_eq!(m.header.sender, w.bytes32(&alice));
    assert_eq!(error_code(&cancel(&mut w, "alice", &id).unwrap_err()), "JobNotCancellable");
    assert_eq!(native_escrow(&w), 300, "the escrow waits for B");

    let res = w.deliver_to(&b, B, &bytes).unwrap();
    assert!(has_event(&res, "sah_job_cancelled"));
    assert_eq!(received_status(&w, &b, &id), ReceivedJobStatus::Cancelled);
    let result = only_message(&res);
    let Payload::ComputeResult(r) = Message::decode(&result).unwrap().payload else { panic!() };
    assert_eq!(r.outcome, Outcome::Cancelled);
    // B's job is over: no claim, no result, no expiry
    assert_eq!(error_code(&claim(&mut w, &b, "carol", &id).unwrap_err()), "JobNotOpen");
    w.set_time(w.now() + 10_000);
    assert_eq!(error_code(&expire(&mut w, &b, "carol", &id).unwrap_err()), "JobNotOpen");

    w.deliver(&result).unwrap();
    assert_eq!(posted_status(&w, &id), PostedJobStatus::Refunded);
    assert_eq!((w.bank(&alice, PAY), native_escrow(&w)), (before, 0));
    assert_eq!(error_code(&cancel(&mut w, "alice", &id).unwrap_err()), "JobNotCancellable");
}

#[test]
fn a_cancel_after_a_claim_is_ignored_and_b_decides() {
    for expire_it in [false, true] {
        let (mut w, b) = setup();
        let (alice, dave) = (w.addr("alice"), w.addr("dave"));
        let (alice_before, dave_before) = (w.bank(&alice, PAY), w.bank(&dave, PAY));
        let deadline = w.now() + 600;
        let id = posted_on_both(&mut w, &b, "alice", 900, deadline);
        claim(&mut w, &b, "carol", &id).unwrap();
        let res = cancel(&mut w, "alice", &id).unwrap();
        let b_nonce = nonce_on(&w, &b);
        let res = w.deliver_to(&b, B, &only_message(&res)).unwrap();
        assert!(has_event(&res, "sah_job_cancel_ignored"));
        assert!(sent_messages(&res).is_empty());
        assert_eq!((received_status(&w, &b, &id), nonce_on(&w, &b)), (ReceivedJobStatus::Claimed, b_nonce));
        assert_eq!(posted_status(&w, &id), PostedJobStatus::CancelRequested);

        let res = if expire_it {
            w.set_time(deadline + 1);
            expire(&mut w, &b, "bob", &id).unwrap()
        } else {
            submit(&mut w, &b, "carol", &id, "dave").unwrap()
        };
        w.deliver(&only_message(&res)).unwrap();
        if expire_it {
            assert_eq!(posted_status(&w, &id), PostedJobStatus::Refunded);
            assert_eq!((w.bank(&alice, PAY), w.bank(&dave, PAY)), (alice_before, dave_before));
        } else {
            assert_eq!(posted_status(&w, &id), PostedJobStatus::Paid);
            assert_eq!((w.bank(&alice, PAY), w.bank(&dave, PAY)), (alice_before - 900, dave_before + 900));
        }
        assert_eq!(native_escrow(&w), 0);
    }
}

#[test]
fn b_refusals_are_named_and_change_nothing() {
    let (mut w, b) = setup();
    let deadline = w.now() + 100;
    let id = posted_on_both(&mut w, &b, "alice", 50, deadline);
    let pay = w.bytes32(&w.addr("dave"));
    let unknown = [0xee; 32];
    assert_eq!(error_code(&claim(&mut w, &b, "carol", &unknown).unwrap_err()), "UnknownJob");
    assert_eq!(error_code(&submit(&mut w, &b, "carol", &unknown, "dave").unwrap_err()), "UnknownJob");
    assert_eq!(error_code(&expire(&mut w, &b, "carol", &unknown).unwrap_err()), "UnknownJob");
    assert_eq!(error_code(&claim(&mut w, &b, "carol", &[1; 5]).unwrap_err()), "UnknownJob");

    // a result before any claim, or by another account than the claimer
    assert_eq!(error_code(&submit(&mut w, &b, "carol", &id, "dave").unwrap_err()), "NotClaimer");
    claim(&mut w, &b, "carol", &id).unwrap();
    assert_eq!(error_code(&claim(&mut w, &b, "carol", &id).unwrap_err()), "JobNotOpen");
    assert_eq!(error_code(&claim(&mut w, &b, "bob", &id).unwrap_err()), "JobNotOpen");
    assert_eq!(error_code(&submit(&mut w, &b, "bob", &id, "dave").unwrap_err()), "NotClaimer");
    assert_eq!(error_code(&expire(&mut w, &b, "bob", &id).unwrap_err()), "DeadlineNotPassed");
    // bad arguments
    let bad = |result: &[u8], pay_to: &[u8]| ExecuteMsg::SubmitResult {
        job_id: hb(&id),
        result_hash: hb(result),
        pay_to: hb(pay_to),
    };
    for (what, msg, code) in [
        ("zero result", bad(&[0; 32], &pay), "InvalidField"),
        ("short result", bad(&[1; 31], &pay), "InvalidField"),
        ("zero pay_to", bad(&RESULT, &[0; 32]), "InvalidExecutor"),
        ("20-byte pay_to", bad(&RESULT, &[1; 20]), "InvalidExecutor"),
    ] {
        assert_eq!(error_code(&w.exec_on(&b, "carol", &msg, &[]).unwrap_err()), code, "{what}");
    }
    // paused: no result, no expiry (they send messages); a claim sends nothing and is allowed
    let pause = Message::decode(&w.governance(Governance::Pause)).unwrap();
    let mut pause_b = pause.clone();
    pause_b.header.destination_chain = B;
    pause_b.header.recipient = w.bytes32(&b);
    w.deliver_to(&b, B, &pause_b.encode()).unwrap();
    assert_eq!(error_code(&submit(&mut w, &b, "carol", &id, "dave").unwrap_err()), "BridgePaused");
    w.set_time(deadline + 1);
    assert_eq!(error_code(&expire(&mut w, &b, "bob", &id).unwrap_err()), "BridgePaused");

    let r = job(&w, &b, &id).received.unwrap();
    assert_eq!((r.status, r.result_hash, r.finished_at), (ReceivedJobStatus::Claimed, None, None));
    assert_eq!(nonce_on(&w, &b), 0);
}

#[test]
fn b_refuses_a_pay_to_an_evm_chain_a_cannot_hold() {
    // this world's bridge is B for a job posted on an EVM chain: A pays a 20-byte address, left-padded
    let mut w = World::new();
    w.set_time(1_800_000_000);
    let deadline = w.now() + 100;
    let id = [0x1d; 32];
    let post = w.message_in(
        ETHEREUM,
        [0x11; 32],
        Payload::ComputeJob(ComputeJob::Post {
            job_id: id,
            spec_hash: SPEC,
            payment_origin_chain: ETHEREUM,
            payment_origin_token: sah_token(),
            payment_amount: 100,
            deadline,
            payer: [0x11; 32],
        }),
    );
    w.deliver(&post).unwrap();
    let bridge = w.bridge.clone();
    claim(&mut w, &bridge, "carol", &id).unwrap();
    let submit_to =
        |pay_to: [u8; 32]| ExecuteMsg::SubmitResult { job_id: hb(&id), result_hash: hb(&RESULT), pay_to: hb(&pay_to) };
    let mut evm = [0u8; 32];
    evm[12..].copy_from_slice(&[0xab; 20]);
    let mut upper = evm;
    upper[11] = 1;
    for (what, pay_to) in [("zero", [0u8; 32]), ("upper 12 bytes set", upper), ("a 32-byte account", [0xab; 32])] {
        assert_eq!(error_code(&w.exec("carol", &submit_to(pay_to), &[]).unwrap_err()), "InvalidExecutor", "{what}");
    }
    let r = job(&w, &bridge, &id).received.unwrap();
    assert_eq!((r.status, r.pay_to, r.finished_at), (ReceivedJobStatus::Claimed, None, None));
    assert_eq!(nonce_on(&w, &bridge), 0);

    let res = w.exec("carol", &submit_to(evm), &[]).unwrap();
    let Payload::ComputeResult(result) = Message::decode(&only_message(&res)).unwrap().payload else { panic!() };
    assert_eq!((result.outcome, result.executor), (Outcome::Completed, evm));
    assert_eq!(received_status(&w, &bridge, &id), ReceivedJobStatus::Completed);
}

#[test]
fn the_deadline_is_inclusive_on_b() {
    // at the deadline: claim and result are on time, expiry is too early
    let (mut w, b) = setup();
    let deadline = w.now() + 1_000;
    let id = posted_on_both(&mut w, &b, "alice", 10, deadline);
    w.set_time(deadline);
    claim(&mut w, &b, "carol", &id).unwrap();
    let e = expire(&mut w, &b, "bob", &id).unwrap_err();
    assert_eq!(error_code(&e), "DeadlineNotPassed");
    submit(&mut w, &b, "carol", &id, "dave").unwrap();
    assert_eq!(received_status(&w, &b, &id), ReceivedJobStatus::Completed);
    assert_eq!(error_code(&expire(&mut w, &b, "bob", &id).unwrap_err()), "JobNotOpen");

    // one second after: claim and result are late, expiry is due
    let (mut w, b) = setup();
    let deadline = w.now() + 1_000;
    let open = posted_on_both(&mut w, &b, "alice", 10, deadline);
    let claimed = posted_on_both(&mut w, &b, "alice", 10, deadline);
    claim(&mut w, &b, "carol", &claimed).unwrap();
    w.set_time(deadline + 1);
    assert_eq!(error_code(&claim(&mut w, &b, "carol", &open).unwrap_err()), "DeadlinePassed");
    let e = submit(&mut w, &b, "carol", &claimed, "dave").unwrap_err();
    assert_eq!(error_code(&e), "DeadlinePassed");
    expire(&mut w, &b, "bob", &open).unwrap();
    expire(&mut w, &b, "bob", &claimed).unwrap();
    let e = submit(&mut w, &b, "carol", &claimed, "dave").unwrap_err();
    assert_eq!(error_code(&e), "JobNotOpen");
    assert_eq!(error_code(&expire(&mut w, &b, "bob", &open).unwrap_err()), "JobNotOpen");
}

#[test]
fn a_refuses_results_it_does_not_expect() {
    let (mut w, b) = setup();
    let alice = w.addr("alice");
    let deadline = w.now() + 100;
    let id = posted_on_both(&mut w, &b, "alice", 40, deadline);
    let result = |w: &mut World, source: u32, outcome: Outcome, id: [u8; 32]| {
        let (result_hash, executor) =
            if outcome == Outcome::Completed { (RESULT, [0x44; 32]) } else { ([0; 32], [0; 32]) };
        w.message_in(
            source,
            [0x11; 32],
            Payload::ComputeResult(ComputeResult { outcome, job_id: id, result_hash, executor, timestamp: 1 }),
        )
    };
    let consumed = |w: &World, m: &[u8]| -> bool { w.consumed(m) };
    // unknown job; a `cancelled` for a job never cancelled; any result from a chain the job was not sent to
    for (what, m, code) in [
        ("unknown", result(&mut w, B, Outcome::Expired, [0xee; 32]), "UnknownJob"),
        ("cancelled while Posted", result(&mut w, B, Outcome::Cancelled, id), "UnexpectedResult"),
        ("from another chain", result(&mut w, ETHEREUM, Outcome::Completed, id), "UnexpectedResult"),
        ("expired from another chain", result(&mut w, 10002, Outcome::Expired, id), "UnexpectedResult"),
    ] {
        assert_eq!(error_code(&w.deliver(&m).unwrap_err()), code, "{what}");
        assert!(!consumed(&w, &m), "{what}: stays deliverable");
    }
    assert_eq!((posted_status(&w, &id), native_escrow(&w)), (PostedJobStatus::Posted, 40));

    // settled once: every later result is unexpected, whatever its outcome
    w.set_time(deadline + 1);
    let res = expire(&mut w, &b, "bob", &id).unwrap();
    w.deliver(&only_message(&res)).unwrap();
    let alice_after = w.bank(&alice, PAY);
    for outcome in [Outcome::Completed, Outcome::Expired, Outcome::Cancelled] {
        let m = result(&mut w, B, outcome, id);
        assert_eq!(error_code(&w.deliver(&m).unwrap_err()), "UnexpectedResult", "{outcome:?}");
    }
    assert_eq!((w.bank(&alice, PAY), native_escrow(&w)), (alice_after, 0));
}

#[test]
fn b_refuses_a_second_post_of_a_known_id_and_a_cancel_not_from_the_payer() {
    let (mut w, b) = setup();
    let deadline = w.now() + 100;
    let res = post(&mut w, "alice", 10, deadline, B).unwrap();
    let first = only_message(&res);
    w.deliver_to(&b, B, &first).unwrap();
    assert_eq!(error_code(&w.deliver_to(&b, B, &first).unwrap_err()), "MessageAlreadyConsumed");
    // another message (another nonce) with the same job id
    let mut again = Message::decode(&first).unwrap();
    again.header.nonce = 77;
    assert_eq!(error_code(&w.deliver_to(&b, B, &again.encode()).unwrap_err()), "JobAlreadyExists");

    let id = job_id_of(&res);
    let mut c = Message::decode(&first).unwrap();
    c.payload = Payload::ComputeJob(ComputeJob::Cancel { job_id: id });
    c.header.kind = Kind::ComputeJob;
    c.header.nonce = 78;
    let mut other_sender = c.clone();
    other_sender.header.sender = [0x99; 32];
    let mut other_chain = c.clone();
    other_chain.header.source_chain = ETHEREUM;
    for m in [other_sender, other_chain] {
        assert_eq!(error_code(&w.deliver_to(&b, B, &m.encode()).unwrap_err()), "NotPayer");
    }
    let mut unknown = c.clone();
    unknown.payload = Payload::ComputeJob(ComputeJob::Cancel { job_id: [0xee; 32] });
    assert_eq!(error_code(&w.deliver_to(&b, B, &unknown.encode()).unwrap_err()), "UnknownJob");
    assert_eq!(received_status(&w, &b, &id), ReceivedJobStatus::Open);
    w.deliver_to(&b, B, &c.encode()).unwrap();
    assert_eq!(received_status(&w, &b, &id), ReceivedJobStatus::Cancelled);
}

#[test]
fn a_paused_bridge_refuses_job_messages_and_cancels() {
    let (mut w, b) = setup();
    let deadline = w.now() + 100;
    let id = posted_on_both(&mut w, &b, "alice", 10, deadline);
    let res = post(&mut w, "alice", 10, deadline, B).unwrap();
    let pause = w.governance(Governance::Pause);
    w.deliver(&pause).unwrap();
    assert_eq!(error_code(&cancel(&mut w, "alice", &id).unwrap_err()), "BridgePaused");
    // B paused too: the post waits
    let mut pause_b = Message::decode(&pause).unwrap();
    pause_b.header.destination_chain = B;
    pause_b.header.recipient = w.bytes32(&b);
    w.deliver_to(&b, B, &pause_b.encode()).unwrap();
    assert_eq!(error_code(&w.deliver_to(&b, B, &only_message(&res)).unwrap_err()), "BridgePaused");
    // a claim sends nothing and goes on
    claim(&mut w, &b, "carol", &id).unwrap();
}

#[test]
fn a_wrapped_cw20_pays_through_send_and_is_refunded_in_kind() {
    let (mut w, b) = setup();
    let (alice, dave) = (w.addr("alice"), w.addr("dave"));
    let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice, 5_000);
    w.deliver(&m).unwrap();
    let sah = w.wrapped(ETHEREUM, sah_token()).unwrap();
    let bridge = w.bridge.to_string();
    let send = |amount: u128, deadline: u64| Cw20ExecuteMsg::Send {
        contract: bridge.clone(),
        amount: Uint128::new(amount),
        msg: cosmwasm_std::to_json_binary(&ReceiveMsg::PostJob { spec_hash: hb(&SPEC), executor_chain: B, deadline })
            .unwrap(),
    };
    let deadline = w.now() + 100;
    let res = w.app.execute_contract(alice.clone(), sah.clone(), &send(1_200, deadline), &[]).unwrap();
    let id = job_id_of(&res);
    let bytes = only_message(&res);
    let Payload::ComputeJob(ComputeJob::Post {
        payment_origin_chain, payment_origin_token, payment_amount, payer, ..
    }) = Message::decode(&bytes).unwrap().payload
    else {
        panic!()
    };
    assert_eq!((payment_origin_chain, payment_origin_token, payment_amount), (ETHEREUM, sah_token(), 1_200));
    assert_eq!(payer, w.bytes32(&alice));
    let asset = PaymentAsset::Cw20 { token: sah.clone() };
    assert_eq!(escrow(&w, asset.clone()), 1_200);
    assert_eq!((w.cw20_balance(&sah, &w.bridge), w.cw20_balance(&sah, &alice)), (1_200, 3_800));
    assert_eq!(w.cw20_supply(&sah), 5_000, "escrow is no burn");
    let p = job(&w, &w.bridge, &id).posted.unwrap();
    assert_eq!((p.asset, p.payer), (asset.clone(), alice.clone()));

    // a second job: completed, paid in the wrapped token to dave
    let res2 = w.app.execute_contract(alice.clone(), sah.clone(), &send(800, deadline), &[]).unwrap();
    let id2 = job_id_of(&res2);
    w.deliver_to(&b, B, &bytes).unwrap();
    w.deliver_to(&b, B, &only_message(&res2)).unwrap();
    claim(&mut w, &b, "carol", &id2).unwrap();
    let done = submit(&mut w, &b, "carol", &id2, "dave").unwrap();
    w.deliver(&only_message(&done)).unwrap();
    assert_eq!((w.cw20_balance(&sah, &dave), escrow(&w, asset.clone())), (800, 1_200));

    w.set_time(deadline + 1);
    let res = expire(&mut w, &b, "bob", &id).unwrap();
    w.deliver(&only_message(&res)).unwrap();
    assert_eq!((w.cw20_balance(&sah, &alice), w.cw20_balance(&sah, &w.bridge)), (4_200, 0));
    assert_eq!(escrow(&w, asset), 0);

    // refusals inside the hook: the tokens stay with the sender
    let e = w.app.execute_contract(alice.clone(), sah.clone(), &send(10, w.now()), &[]).unwrap_err();
    assert_eq!(error_code(&e), "DeadlinePassed");
    let foreign = w.foreign_cw20(&alice, 1_000);
    let e = w.app.execute_contract(alice.clone(), foreign.clone(), &send(10, w.now() + 10), &[]).unwrap_err();
    assert_eq!(error_code(&e), "UnknownWrappedToken");
    assert_eq!((w.cw20_balance(&sah, &alice), w.cw20_balance(&foreign, &alice)), (4_200, 1_000));
}

/// A seeded run of many jobs whose claims, results and expiries land around their deadlines in random
/// order: B lets each job out exactly once, A pays or refunds exactly once, every balance is exact to the
/// unit, and A's escrow always equals the sum of its open jobs.
#[test]
fn randomized_results_and_expiries_around_the_deadline_settle_each_job_once() {
    for seed in [1u64, 2, 3] {
        run(seed);
    }
}

fn run(seed: u64) {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let (mut w, b) = setup();
    let payers = ["alice", "bob"];
    let executors = ["carol", "dave"];
    let all: Vec<Addr> = ["alice", "bob", "carol", "dave"].iter().map(|n| w.addr(n)).collect();
    let start: Vec<u128> = all.iter().map(|a| w.bank(a, PAY)).collect();
    let mut expected = start.clone();
    let index = |name: &str| ["alice", "bob", "carol", "dave"].iter().position(|n| *n == name).unwrap();

    struct Job {
        id: [u8; 32],
        payer: &'static str,
        amount: u128,
        deadline: u64,
        result: Option<Vec<u8>>,
        settled: bool,
    }
    let mut jobs: Vec<Job> = vec![];
    let mut open_sum = 0u128;
    let (mut paid, mut refunded) = (0, 0);
    for step in 0..300 {
        let ctx = format!("seed {seed} step {step}");
        let pending = jobs.iter().filter(|j| j.result.is_none()).count();
        match rng.next_u32() % 8 {
            0 if pending < 6 => {
                let payer = payers[(rng.next_u32() % 2) as usize];
                let amount = 1 + (rng.next_u64() % 10_000) as u128;
                let deadline = w.now() + 1 + rng.next_u64() % 8;
                let id = posted_on_both(&mut w, &b, payer, amount, deadline);
                expected[index(payer)] -= amount;
                open_sum += amount;
                jobs.push(Job { id, payer, amount, deadline, result: None, settled: false });
            }
            1 => {
                // time moves on by 0..2 s, so actions land before, at and after deadlines
                let t = w.now() + rng.next_u64() % 3;
                w.set_time(t);
            }
            2..=5 if !jobs.is_empty() => {
                // mostly a job B has not let out yet, sometimes any job
                let pending: Vec<usize> = (0..jobs.len()).filter(|i| jobs[*i].result.is_none()).collect();
                let j = if !pending.is_empty() && rng.next_u32() % 4 != 0 {
                    pending[(rng.next_u32() as usize) % pending.len()]
                } else {
                    (rng.next_u32() as usize) % jobs.len()
                };
                let now = w.now();
                let executor = executors[(rng.next_u32() % 2) as usize];
                let status = received_status(&w, &b, &jobs[j].id);
                let id = jobs[j].id;
                let outcome = match rng.next_u32() % 3 {
                    0 => claim(&mut w, &b, executor, &id).map(|_| None),
                    1 => {
                        // mostly the claimer (when there is one), sometimes anybody
                        let claimer = job(&w, &b, &id).received.unwrap().claimer;
                        let who = match claimer {
                            Some(c) if rng.next_u32() % 4 != 0 => {
                                executors.into_iter().find(|e| w.addr(e) == c).unwrap()
                            }
                            _ => executor,
                        };
                        submit(&mut w, &b, who, &id, executors[(rng.next_u32() % 2) as usize])
                            .map(|r| Some(only_message(&r)))
                    }
                    _ => expire(&mut w, &b, "relayer", &id).map(|r| Some(only_message(&r))),
                };
                let finished = matches!(status, ReceivedJobStatus::Completed | ReceivedJobStatus::Expired);
                match outcome {
                    Ok(Some(m)) => {
                        assert!(!finished, "{ctx}: a finished job let out a second result");
                        assert!(jobs[j].result.is_none(), "{ctx}");
                        jobs[j].result = Some(m);
                    }
                    Ok(None) => assert!(status == ReceivedJobStatus::Open && now <= jobs[j].deadline, "{ctx}: claim"),
                    Err(e) => {
                        let code = error_code(&e);
                        let allowed = ["JobNotOpen", "NotClaimer", "DeadlinePassed", "DeadlineNotPassed"];
                        assert!(allowed.contains(&code.as_str()), "{ctx}: {code}");
                        if code == "DeadlineNotPassed" {
                            assert!(now <= jobs[j].deadline, "{ctx}");
                        }
                        if code == "DeadlinePassed" {
                            assert!(now > jobs[j].deadline, "{ctx}");
                        }
                    }
                }
            }
            _ => {
                // deliver a pending result to A (sometimes twice)
                let Some(j) = jobs.iter().position(|j| j.result.is_some() && !j.settled) else { continue };
                let m = jobs[j].result.clone().unwrap();
                let res = w.deliver(&m).unwrap();
                jobs[j].settled = true;
                open_sum -= jobs[j].amount;
                let Payload::ComputeResult(r) = Message::decode(&m).unwrap().payload else { panic!() };
                match r.outcome {
                    Outcome::Completed => {
                        assert!(has_event(&res, "sah_job_paid"), "{ctx}");
                        let to = all.iter().position(|a| w.bytes32(a) == r.executor).unwrap();
                        expected[to] += jobs[j].amount;
                        assert_eq!(posted_status(&w, &jobs[j].id), PostedJobStatus::Paid, "{ctx}");
                        paid += 1;
                    }
                    _ => {
                        assert!(has_event(&res, "sah_job_refunded"), "{ctx}");
                        expected[index(jobs[j].payer)] += jobs[j].amount;
                        assert_eq!(posted_status(&w, &jobs[j].id), PostedJobStatus::Refunded, "{ctx}");
                        refunded += 1;
                    }
                }
                if rng.next_u32() % 2 == 0 {
                    assert_eq!(error_code(&w.deliver(&m).unwrap_err()), "MessageAlreadyConsumed", "{ctx}");
                }
            }
        }
        // invariants after every step
        let balances: Vec<u128> = all.iter().map(|a| w.bank(a, PAY)).collect();
        assert_eq!(balances, expected, "{ctx}: balances");
        assert_eq!(native_escrow(&w), open_sum, "{ctx}: escrow is the sum of open jobs");
        assert_eq!(w.bank(&w.bridge, PAY), open_sum, "{ctx}: the bridge holds exactly the escrow");
        let open: u128 = jobs
            .iter()
            .filter(|j| matches!(posted_status(&w, &j.id), PostedJobStatus::Posted | PostedJobStatus::CancelRequested))
            .map(|j| j.amount)
            .sum();
        assert_eq!(open, open_sum, "{ctx}");
    }
    // wind down: everything left expires (or completes if claimed and on time), then settles
    let end = jobs.iter().map(|j| j.deadline).max().unwrap_or(0) + 1;
    w.set_time(end.max(w.now()));
    for j in jobs.iter_mut() {
        if j.result.is_none() {
            j.result = Some(only_message(&expire(&mut w, &b, "relayer", &j.id).unwrap()));
        }
        if !j.settled {
            w.deliver(j.result.as_ref().unwrap()).unwrap();
            j.settled = true;
            let Payload::ComputeResult(r) = Message::decode(j.result.as_ref().unwrap()).unwrap().payload else {
                panic!()
            };
            if r.outcome == Outcome::Completed {
                let to = all.iter().position(|a| w.bytes32(a) == r.executor).unwrap();
                expected[to] += j.amount;
                paid += 1;
            } else {
                expected[index(j.payer)] += j.amount;
                refunded += 1;
            }
        }
        let s = posted_status(&w, &j.id);
        assert!(
            matches!(s, PostedJobStatus::Paid | PostedJobStatus::Refunded),
            "seed {seed}: exactly one of paid/refunded"
        );
    }
    let balances: Vec<u128> = all.iter().map(|a| w.bank(a, PAY)).collect();
    assert_eq!(balances, expected, "seed {seed}: final balances");
    assert_eq!(balances.iter().sum::<u128>(), start.iter().sum::<u128>(), "seed {seed}: nothing created or lost");
    assert_eq!((native_escrow(&w), w.bank(&w.bridge, PAY)), (0, 0));
    assert_eq!(paid + refunded, jobs.len());
    eprintln!("seed {seed}: {} jobs, {paid} paid, {refunded} refunded", jobs.len());
    assert!(
        jobs.len() >= 20 && paid > 0 && refunded > 0,
        "seed {seed}: {} jobs, {paid} paid, {refunded} refunded",
        jobs.len()
    );
}
