//! Compute jobs (PROTOCOL.md §7.3): on chain A (escrow) `post_job`, `cancel_job` and the results that
//! pay or refund exactly once; on chain B (executor) delivered posts and cancels, `claim_job`,
//! `submit_result` and `expire_job` around the inclusive deadline; a paused bridge.

use super::*;

// ------------------------------------------------------------------------------------ jobs on A

#[test]
fn post_job_escrows_and_sends_post_with_the_payments_origin() {
    new_test_ext().execute_with(|| {
        let deadline = START + 3_600;
        let before = native(&alice());
        System::reset_events();
        assert_ok!(post(&alice(), Payment::Native, 5_000, ETHEREUM, deadline));
        let id = job_id(CHAIN, 1);
        assert_eq!(JobCounter::<Test>::get(), 1);
        assert_eq!(native(&alice()), before - 5_000);
        assert_eq!(native(&bridge_account()), ED + 5_000);
        assert_eq!(JobEscrow::<Test>::get(Payment::Native), 5_000);
        let job = PostedJobs::<Test>::get(id).unwrap();
        assert_eq!(job.state, PostedJobState::Posted);
        assert_eq!(
            (job.counter, job.amount, job.deadline, job.executor_chain),
            (1, 5_000, deadline, ETHEREUM)
        );
        assert_eq!(
            (job.payment_origin_chain, job.payment_origin_token),
            (CHAIN, NATIVE_TOKEN)
        );
        assert_eq!((job.posted_at, job.post_nonce), (START, 1));
        assert_eq!(events_matching(|e| matches!(e, Event::JobPosted { .. })), 1);
        let (nonce, m) = last_sent();
        assert_eq!(
            OutboundMessages::<Test>::get(nonce),
            Some(H256(message_id(&m)))
        );
        let m = decode(&m);
        assert_eq!(
            (
                m.header.kind,
                m.header.source_chain,
                m.header.destination_chain
            ),
            (Kind::ComputeJob, CHAIN, ETHEREUM)
        );
        assert_eq!(
            (m.header.sender, m.header.recipient),
            (bytes32(&alice()), [0; 32])
        );
        assert_eq!(
            m.payload,
            Payload::ComputeJob(ComputeJob::Post {
                job_id: id,
                spec_hash: [0x5e; 32],
                payment_origin_chain: CHAIN,
                payment_origin_token: NATIVE_TOKEN,
                payment_amount: 5_000,
                deadline,
                payer: bytes32(&alice()),
            })
        );
        // the next one is counter 2
        assert_ok!(post(&bob(), Payment::Native, 5_000, COSMOS, deadline));
        assert!(PostedJobs::<Test>::contains_key(job_id(CHAIN, 2)));
        assert_eq!(JobEscrow::<Test>::get(Payment::Native), 10_000);
        // the job escrow is apart from what is locked: an unlock cannot take it
        assert_eq!(Locked::<Test>::get(NATIVE_TOKEN), None);
    });
}

#[test]
fn post_job_in_a_home_asset_or_a_wrapped_asset_names_its_origin() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let deadline = START + 100;
        assert_ok!(post(
            &alice(),
            Payment::Asset(HOME_ASSET),
            300,
            ETHEREUM,
            deadline
        ));
        let job = PostedJobs::<Test>::get(job_id(CHAIN, 1)).unwrap();
        assert_eq!(
            (job.payment_origin_chain, job.payment_origin_token),
            (CHAIN, asset_token(HOME_ASSET))
        );
        assert_eq!(asset_balance(HOME_ASSET, &bridge_account()), 300);
        assert_eq!(JobEscrow::<Test>::get(Payment::Asset(HOME_ASSET)), 300);
        // wrapped SAH: its origin is Ethereum's SAH
        let mint = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &bob(), 1_000);
        assert_ok!(w.deliver(&mint));
        let sah = wrapped(ETHEREUM, sah_token()).unwrap();
        assert_ok!(post(&bob(), Payment::Asset(sah), 400, COSMOS, deadline));
        let job = PostedJobs::<Test>::get(job_id(CHAIN, 2)).unwrap();
        assert_eq!(
            (job.payment_origin_chain, job.payment_origin_token),
            (ETHEREUM, sah_token())
        );
        assert_eq!(asset_balance(sah, &bob()), 600);
        assert_eq!(asset_balance(sah, &bridge_account()), 400);
        let (_, m) = last_sent();
        let Payload::ComputeJob(ComputeJob::Post {
            payment_origin_chain,
            payment_origin_token,
            ..
        }) = decode(&m).payload
        else {
            panic!()
        };
        assert_eq!(
            (payment_origin_chain, payment_origin_token),
            (ETHEREUM, sah_token())
        );
    });
}

#[test]
fn post_job_refusals_are_named_and_change_nothing() {
    new_test_ext().execute_with(|| {
        let d = START + 10;
        let spec = |s: [u8; 32]| {
            SahBridge::post_job(
                RuntimeOrigin::signed(alice()),
                Payment::Native,
                5_000,
                s,
                ETHEREUM,
                d,
            )
        };
        assert_noop!(spec([0; 32]), Error::<Test>::InvalidField);
        assert_noop!(
            post(&alice(), Payment::Native, 0, ETHEREUM, d),
            Error::<Test>::ZeroAmount
        );
        assert_noop!(
            post(&alice(), Payment::Native, 5_000, ETHEREUM, START),
            Error::<Test>::DeadlinePassed
        );
        assert_noop!(
            post(&alice(), Payment::Native, 5_000, ETHEREUM, START - 1),
            Error::<Test>::DeadlinePassed
        );
        assert_noop!(
            post(&alice(), Payment::Native, 5_000, CHAIN, d),
            Error::<Test>::InvalidDestination
        );
        assert_noop!(
            post(&alice(), Payment::Native, 5_000, 0, d),
            Error::<Test>::InvalidDestination
        );
        assert_noop!(
            post(&alice(), Payment::Native, 5_000, 999, d),
            Error::<Test>::InvalidDestination
        );
        assert_noop!(
            post(&alice(), Payment::Asset(424_242), 5_000, ETHEREUM, d),
            Error::<Test>::UnknownAsset
        );
        assert_noop!(
            post(&alice(), Payment::Native, ED - 1, ETHEREUM, d),
            Error::<Test>::BelowMinimumBalance
        );
        assert_noop!(
            post(&alice(), Payment::Native, ENDOWMENT + 1, ETHEREUM, d),
            TokenError::FundsUnavailable
        );
        assert_noop!(
            post(
                &alice(),
                Payment::Asset(HOME_ASSET),
                HOME_ENDOWMENT + 1,
                ETHEREUM,
                d
            ),
            TokenError::FundsUnavailable
        );
        Paused::<Test>::put(true);
        assert_noop!(
            post(&alice(), Payment::Native, 5_000, ETHEREUM, d),
            Error::<Test>::BridgePaused
        );
        Paused::<Test>::put(false);
        // the smallest payable amount, a deadline one second ahead
        assert_ok!(post(&alice(), Payment::Native, ED, ETHEREUM, START + 1));
    });
}

#[test]
fn cancel_job_is_the_payers_while_posted_only() {
    new_test_ext().execute_with(|| {
        assert_ok!(post(&alice(), Payment::Native, 5_000, ETHEREUM, START + 10));
        let id = job_id(CHAIN, 1);
        assert_noop!(cancel(&alice(), [9; 32]), Error::<Test>::UnknownJob);
        assert_noop!(cancel(&bob(), id), Error::<Test>::NotPayer);
        take_sent();
        assert_ok!(cancel(&alice(), id));
        assert_eq!(
            PostedJobs::<Test>::get(id).unwrap().state,
            PostedJobState::CancelRequested
        );
        let sent = take_sent();
        assert_eq!(sent.len(), 1);
        let m = decode(&sent[0].1);
        assert_eq!(
            (
                m.header.destination_chain,
                m.header.sender,
                m.header.recipient
            ),
            (ETHEREUM, bytes32(&alice()), [0; 32])
        );
        assert_eq!(
            m.payload,
            Payload::ComputeJob(ComputeJob::Cancel { job_id: id })
        );
        // the escrow stays until B's result
        assert_eq!(JobEscrow::<Test>::get(Payment::Native), 5_000);
        assert_noop!(cancel(&alice(), id), Error::<Test>::JobNotCancellable);
    });
}

#[test]
fn results_pay_the_executor_or_refund_the_payer_exactly_once() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let executor = account("executor");
        for _ in 0..4 {
            assert_ok!(post(&alice(), Payment::Native, 7_000, ETHEREUM, START + 10));
        }
        let ids: Vec<[u8; 32]> = (1..=4).map(|c| job_id(CHAIN, c)).collect();
        let start = native(&alice());
        // completed while Posted: Paid, the executor gets the escrow
        let done = w.flow_in(
            ETHEREUM,
            [7; 32],
            result_payload(Outcome::Completed, ids[0], bytes32(&executor)),
        );
        System::reset_events();
        assert_ok!(w.deliver(&done));
        let job = PostedJobs::<Test>::get(ids[0]).unwrap();
        assert_eq!(job.state, PostedJobState::Paid);
        assert_eq!(
            (job.result_hash, job.settled_to.clone(), job.settled_at),
            ([0xee; 32], Some(executor.clone()), START + 5)
        );
        assert_eq!(native(&executor), 7_000);
        assert_eq!(JobEscrow::<Test>::get(Payment::Native), 21_000);
        assert_eq!(
            events_matching(|e| matches!(e, Event::JobPaid { amount: 7_000, .. })),
            1
        );
        assert_noop!(w.deliver(&done), Error::<Test>::MessageAlreadyConsumed);
        // another result for it (a second message): UnexpectedResult
        let again = w.flow_in(
            ETHEREUM,
            [7; 32],
            result_payload(Outcome::Expired, ids[0], [0; 32]),
        );
        assert_noop!(w.deliver(&again), Error::<Test>::UnexpectedResult);
        // expired while Posted: Refunded
        let exp = w.flow_in(
            ETHEREUM,
            [7; 32],
            result_payload(Outcome::Expired, ids[1], [0; 32]),
        );
        assert_ok!(w.deliver(&exp));
        assert_eq!(
            PostedJobs::<Test>::get(ids[1]).unwrap().state,
            PostedJobState::Refunded
        );
        assert_eq!(native(&alice()), start + 7_000);
        assert_eq!(
            events_matching(|e| matches!(
                e,
                Event::JobRefunded {
                    outcome: JobOutcome::Expired,
                    ..
                }
            )),
            1
        );
        // cancelled while Posted: UnexpectedResult; after a cancel request: Refunded
        let can = w.flow_in(
            ETHEREUM,
            [7; 32],
            result_payload(Outcome::Cancelled, ids[2], [0; 32]),
        );
        assert_noop!(w.deliver(&can), Error::<Test>::UnexpectedResult);
        assert_ok!(cancel(&alice(), ids[2]));
        assert_ok!(w.deliver(&can));
        assert_eq!(
            PostedJobs::<Test>::get(ids[2]).unwrap().state,
            PostedJobState::Refunded
        );
        assert_eq!(native(&alice()), start + 14_000);
        // a cancel request the executor chain ignored: its completed result still pays
        assert_ok!(cancel(&alice(), ids[3]));
        let late = w.flow_in(
            ETHEREUM,
            [7; 32],
            result_payload(Outcome::Completed, ids[3], bytes32(&executor)),
        );
        // from a chain that is not the job's executor chain: refused
        let mut wrong = w.flow_in(
            COSMOS,
            [7; 32],
            result_payload(Outcome::Completed, ids[3], bytes32(&executor)),
        );
        assert_noop!(w.deliver(&wrong), Error::<Test>::UnexpectedResult);
        assert_ok!(w.deliver(&late));
        assert_eq!(
            PostedJobs::<Test>::get(ids[3]).unwrap().state,
            PostedJobState::Paid
        );
        assert_eq!(native(&executor), 14_000);
        assert_eq!(JobEscrow::<Test>::get(Payment::Native), 0);
        assert_eq!(native(&bridge_account()), ED);
        wrong = w.flow_in(
            ETHEREUM,
            [7; 32],
            result_payload(Outcome::Completed, [0x77; 32], bytes32(&executor)),
        );
        assert_noop!(w.deliver(&wrong), Error::<Test>::UnknownJob);
    });
}

#[test]
fn an_asset_paid_job_pays_out_in_the_asset() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let mint = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &bob(), 1_000);
        assert_ok!(w.deliver(&mint));
        let sah = wrapped(ETHEREUM, sah_token()).unwrap();
        assert_ok!(post(&bob(), Payment::Asset(sah), 999, ETHEREUM, START + 10));
        // a wrapped asset is sufficient: an account with nothing else receives it
        let fresh = account("fresh executor");
        let done = w.flow_in(
            ETHEREUM,
            [7; 32],
            result_payload(Outcome::Completed, job_id(CHAIN, 1), bytes32(&fresh)),
        );
        assert_ok!(w.deliver(&done));
        assert_eq!(asset_balance(sah, &fresh), 999);
        assert_eq!(asset_balance(sah, &bridge_account()), 0);
        assert_eq!(JobEscrow::<Test>::get(Payment::Asset(sah)), 0);
        assert_eq!(Assets::total_issuance(sah), 1_000);
    });
}

// ------------------------------------------------------------------------------------ jobs on B

/// An account an EVM chain A can hold: a 20-byte address, left-padded.
const PAY_TO: [u8; 32] = {
    let mut a = [0xcc; 32];
    let mut i = 0;
    while i < 12 {
        a[i] = 0;
        i += 1;
    }
    a
};

/// A chain B with one job from `ETHEREUM` (payer [0xd0; 32]) opened, deadline `START + 100`.
fn opened(w: &mut World, id: [u8; 32]) -> Vec<u8> {
    let m = w.flow_in(
        ETHEREUM,
        [0xd0; 32],
        post_payload(id, 5_000, START + 100, [0xd0; 32]),
    );
    assert_ok!(w.deliver(&m));
    m
}

#[test]
fn a_delivered_post_opens_the_job_once() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let id = [0x10; 32];
        System::reset_events();
        let m = opened(&mut w, id);
        let job = ReceivedJobs::<Test>::get(id).unwrap();
        assert_eq!(job.state, ReceivedJobState::Open);
        assert_eq!(
            (
                job.escrow_chain,
                job.post_nonce,
                job.payer,
                job.amount,
                job.deadline,
                job.received_at
            ),
            (ETHEREUM, 1, [0xd0; 32], 5_000, START + 100, START)
        );
        assert_eq!(
            (job.payment_origin_chain, job.payment_origin_token),
            (ETHEREUM, sah_token())
        );
        assert_eq!(events_matching(|e| matches!(e, Event::JobOpened { .. })), 1);
        assert_noop!(w.deliver(&m), Error::<Test>::MessageAlreadyConsumed);
        // another post (another nonce) with a known id
        let dup = w.flow_in(
            ETHEREUM,
            [0xd0; 32],
            post_payload(id, 1, START + 100, [0xd0; 32]),
        );
        assert_noop!(w.deliver(&dup), Error::<Test>::JobAlreadyExists);
        assert_noop!(
            w.deliver_batch(std::slice::from_ref(&dup)),
            Error::<Test>::JobAlreadyExists
        );
    });
}

#[test]
fn a_results_checks_run_in_the_rules_order() {
    // PROTOCOL.md §8.1 (`executor_step`), as on every chain: the job, its state, the claimer, the
    // deadline, then the result hash and pay_to; a call with several faults names the first
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let (a, b) = ([0x31; 32], [0x32; 32]);
        opened(&mut w, a);
        opened(&mut w, b);
        let deadline = START + 100;
        assert_noop!(
            submit(&carol(), [0x99; 32], [0; 32], [0; 32]),
            Error::<Test>::UnknownJob
        );
        assert_noop!(
            submit(&carol(), b, [0; 32], [0; 32]),
            Error::<Test>::NotClaimer
        );
        assert_ok!(claim(&carol(), a));
        set_time(deadline + 1);
        assert_noop!(
            submit(&bob(), a, [0; 32], [0; 32]),
            Error::<Test>::NotClaimer
        );
        assert_noop!(
            submit(&carol(), a, [0; 32], [0; 32]),
            Error::<Test>::DeadlinePassed
        );
        set_time(deadline);
        assert_noop!(
            submit(&carol(), a, [0; 32], [0; 32]),
            Error::<Test>::InvalidField
        );
        set_time(deadline + 1);
        assert_ok!(expire(&bob(), a));
        assert_noop!(
            submit(&carol(), a, [0; 32], [0; 32]),
            Error::<Test>::JobNotOpen
        );
    });
}

#[test]
fn claim_and_result_honour_the_inclusive_deadline() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let (a, b) = ([0x21; 32], [0x22; 32]);
        opened(&mut w, a);
        opened(&mut w, b);
        let deadline = START + 100;
        assert_noop!(claim(&carol(), [0x99; 32]), Error::<Test>::UnknownJob);
        // a claim at exactly the deadline is on time; one second later is not
        set_time(deadline);
        assert_ok!(claim(&carol(), a));
        assert_eq!(ReceivedJobs::<Test>::get(a).unwrap().claimer, Some(carol()));
        assert_noop!(claim(&bob(), a), Error::<Test>::JobNotOpen);
        assert_noop!(claim(&carol(), a), Error::<Test>::JobNotOpen);
        set_time(deadline + 1);
        assert_noop!(claim(&carol(), b), Error::<Test>::DeadlinePassed);
        assert_noop!(
            submit(&carol(), a, [0xee; 32], PAY_TO),
            Error::<Test>::DeadlinePassed
        );
        // back at the deadline (another block with time == deadline): the result is on time
        set_time(deadline);
        assert_noop!(
            submit(&carol(), a, [0; 32], PAY_TO),
            Error::<Test>::InvalidField
        );
        assert_noop!(
            submit(&carol(), a, [0xee; 32], [0; 32]),
            Error::<Test>::InvalidExecutor
        );
        assert_noop!(
            submit(&carol(), [0x99; 32], [0xee; 32], PAY_TO),
            Error::<Test>::UnknownJob
        );
        assert_noop!(
            submit(&bob(), a, [0xee; 32], PAY_TO),
            Error::<Test>::NotClaimer
        );
        assert_noop!(
            submit(&carol(), b, [0xee; 32], PAY_TO),
            Error::<Test>::NotClaimer
        );
        take_sent();
        assert_ok!(submit(&carol(), a, [0xee; 32], PAY_TO));
        let job = ReceivedJobs::<Test>::get(a).unwrap();
        assert_eq!(job.state, ReceivedJobState::Completed);
        assert_eq!(
            (job.result_hash, job.pay_to, job.finished_at),
            ([0xee; 32], PAY_TO, deadline)
        );
        let sent = take_sent();
        assert_eq!(sent.len(), 1);
        assert_eq!(job.result_nonce, sent[0].0);
        let (h, r) = result_of(&sent[0].1);
        assert_eq!(
            (
                h.kind,
                h.source_chain,
                h.destination_chain,
                h.sender,
                h.recipient
            ),
            (
                Kind::ComputeResult,
                CHAIN,
                ETHEREUM,
                bytes32(&carol()),
                [0; 32]
            )
        );
        assert_eq!(
            r,
            ComputeResult {
                outcome: Outcome::Completed,
                job_id: a,
                result_hash: [0xee; 32],
                executor: PAY_TO,
                timestamp: deadline
            }
        );
        assert_noop!(
            submit(&carol(), a, [0xee; 32], PAY_TO),
            Error::<Test>::JobNotOpen
        );
        assert_noop!(claim(&carol(), a), Error::<Test>::JobNotOpen);
        assert_noop!(expire(&bob(), a), Error::<Test>::JobNotOpen);
    });
}

#[test]
fn expire_after_the_deadline_only_and_sends_expired_once() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let (open, claimed) = ([0x31; 32], [0x32; 32]);
        opened(&mut w, open);
        opened(&mut w, claimed);
        assert_ok!(claim(&carol(), claimed));
        let deadline = START + 100;
        assert_noop!(expire(&bob(), [0x99; 32]), Error::<Test>::UnknownJob);
        set_time(deadline);
        assert_noop!(expire(&bob(), open), Error::<Test>::DeadlineNotPassed);
        assert_noop!(expire(&bob(), claimed), Error::<Test>::DeadlineNotPassed);
        set_time(deadline + 1);
        take_sent();
        assert_ok!(expire(&bob(), open));
        assert_ok!(expire(&bob(), claimed));
        let sent = take_sent();
        assert_eq!(sent.len(), 2);
        for ((_, m), id) in sent.iter().zip([open, claimed]) {
            let (h, r) = result_of(m);
            assert_eq!((h.destination_chain, h.sender), (ETHEREUM, bytes32(&bob())));
            assert_eq!(
                r,
                ComputeResult {
                    outcome: Outcome::Expired,
                    job_id: id,
                    result_hash: [0; 32],
                    executor: [0; 32],
                    timestamp: deadline + 1
                }
            );
            assert_eq!(
                ReceivedJobs::<Test>::get(id).unwrap().state,
                ReceivedJobState::Expired
            );
        }
        assert_noop!(expire(&bob(), open), Error::<Test>::JobNotOpen);
        assert_noop!(
            submit(&carol(), claimed, [0xee; 32], PAY_TO),
            Error::<Test>::JobNotOpen
        );
    });
}

#[test]
fn a_delivered_cancel_cancels_an_open_job_and_is_ignored_once_claimed() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let (open, claimed) = ([0x41; 32], [0x42; 32]);
        opened(&mut w, open);
        opened(&mut w, claimed);
        assert_ok!(claim(&carol(), claimed));
        let unknown = w.flow_in(
            ETHEREUM,
            [0xd0; 32],
            Payload::ComputeJob(ComputeJob::Cancel { job_id: [0x99; 32] }),
        );
        assert_noop!(w.deliver(&unknown), Error::<Test>::UnknownJob);
        // from someone else than the payer, or from another chain: NotPayer
        let by_other = w.flow_in(
            ETHEREUM,
            [0xd1; 32],
            Payload::ComputeJob(ComputeJob::Cancel { job_id: open }),
        );
        assert_noop!(w.deliver(&by_other), Error::<Test>::NotPayer);
        let from_elsewhere = w.flow_in(
            COSMOS,
            [0xd0; 32],
            Payload::ComputeJob(ComputeJob::Cancel { job_id: open }),
        );
        assert_noop!(w.deliver(&from_elsewhere), Error::<Test>::NotPayer);
        take_sent();
        let c1 = w.flow_in(
            ETHEREUM,
            [0xd0; 32],
            Payload::ComputeJob(ComputeJob::Cancel { job_id: open }),
        );
        assert_ok!(w.deliver(&c1));
        assert_eq!(
            ReceivedJobs::<Test>::get(open).unwrap().state,
            ReceivedJobState::Cancelled
        );
        let sent = take_sent();
        assert_eq!(sent.len(), 1);
        let (h, r) = result_of(&sent[0].1);
        assert_eq!((h.destination_chain, h.sender), (ETHEREUM, [0xd0; 32]));
        assert_eq!(
            (r.outcome, r.job_id, r.result_hash, r.executor),
            (Outcome::Cancelled, open, [0; 32], [0; 32])
        );
        assert_noop!(claim(&carol(), open), Error::<Test>::JobNotOpen);
        assert_noop!(w.deliver(&c1), Error::<Test>::MessageAlreadyConsumed);
        // claimed: ignored, consumed, nothing sent
        let c2 = w.flow_in(
            ETHEREUM,
            [0xd0; 32],
            Payload::ComputeJob(ComputeJob::Cancel { job_id: claimed }),
        );
        assert_ok!(w.deliver(&c2));
        assert!(consumed(&c2));
        assert_eq!(
            ReceivedJobs::<Test>::get(claimed).unwrap().state,
            ReceivedJobState::Claimed
        );
        assert_eq!(
            events_matching(|e| matches!(
                e,
                Event::CancelIgnored {
                    state: ReceivedJobState::Claimed,
                    ..
                }
            )),
            1
        );
        assert!(take_sent().is_empty());
        assert_ok!(submit(&carol(), claimed, [0xee; 32], PAY_TO));
        // a cancel after the decision: ignored too
        let c3 = w.flow_in(
            ETHEREUM,
            [0xd0; 32],
            Payload::ComputeJob(ComputeJob::Cancel { job_id: open }),
        );
        assert_ok!(w.deliver(&c3));
        assert_eq!(
            ReceivedJobs::<Test>::get(open).unwrap().state,
            ReceivedJobState::Cancelled
        );
    });
}

#[test]
fn a_result_the_escrow_chain_cannot_hold_is_refused() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        // from two EVM chains (devnet A, Ethereum) and from a Cosmos chain
        let (evm, mainnet, cosmos) = ([0x61; 32], [0x62; 32], [0x63; 32]);
        opened(&mut w, evm);
        for (chain, id) in [(1, mainnet), (COSMOS, cosmos)] {
            let m = w.flow_in(
                chain,
                [0xd0; 32],
                post_payload(id, 5_000, START + 100, [0xd0; 32]),
            );
            assert_ok!(w.deliver(&m));
        }
        for id in [evm, mainnet, cosmos] {
            assert_ok!(claim(&carol(), id));
        }
        let mut upper = PAY_TO;
        upper[11] = 1;
        for id in [evm, mainnet] {
            for pay_to in [[0xcc; 32], upper, [0; 32]] {
                assert_noop!(
                    submit(&carol(), id, [0xee; 32], pay_to),
                    Error::<Test>::InvalidExecutor
                );
            }
            assert_eq!(
                ReceivedJobs::<Test>::get(id).unwrap().state,
                ReceivedJobState::Claimed
            );
        }
        assert_noop!(
            submit(&carol(), cosmos, [0xee; 32], [0; 32]),
            Error::<Test>::InvalidExecutor
        );
        take_sent();
        // a left-padded address on an EVM chain; any non-zero 32 bytes elsewhere
        assert_ok!(submit(&carol(), evm, [0xee; 32], PAY_TO));
        assert_ok!(submit(&carol(), mainnet, [0xee; 32], PAY_TO));
        assert_ok!(submit(&carol(), cosmos, [0xee; 32], [0xcc; 32]));
        let sent = take_sent();
        assert_eq!(sent.len(), 3);
        assert_eq!(result_of(&sent[2].1).1.executor, [0xcc; 32]);
    });
}

#[test]
fn a_paused_bridge_refuses_every_call_that_sends_and_every_inbound_message_but_not_claim() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let (id, other) = ([0x51; 32], [0x52; 32]);
        opened(&mut w, id);
        opened(&mut w, other);
        let h = [0x53; 32];
        assert_ok!(attest(&alice(), h, b"u", b"", &[ETHEREUM]));
        assert_ok!(post(&alice(), Payment::Native, 5_000, ETHEREUM, START + 10));
        let inbound = [
            w.flow_in(
                ETHEREUM,
                [1; 32],
                register_payload([0x54; 32], "did:x:a", "u", 1),
            ),
            w.flow_in(
                ETHEREUM,
                [0xd0; 32],
                post_payload([0x55; 32], 5_000, START + 100, [0xd0; 32]),
            ),
            w.flow_in(
                ETHEREUM,
                [0xd0; 32],
                Payload::ComputeJob(ComputeJob::Cancel { job_id: other }),
            ),
            w.flow_in(
                ETHEREUM,
                [7; 32],
                result_payload(Outcome::Expired, job_id(CHAIN, 1), [0; 32]),
            ),
        ];
        let pause = w.governance(Governance::Pause);
        assert_ok!(w.deliver(&pause));
        let calls: Vec<Call> = vec![
            Box::new(move || attest(&alice(), [0x56; 32], b"u", b"", &[ETHEREUM])),
            Box::new(move || revoke(&alice(), h, &[ETHEREUM])),
            Box::new(|| post(&alice(), Payment::Native, 5_000, ETHEREUM, START + 10)),
            Box::new(|| cancel(&alice(), job_id(CHAIN, 1))),
            Box::new(move || expire(&bob(), id)),
        ];
        for f in &calls {
            assert_noop!(f(), Error::<Test>::BridgePaused);
        }
        for m in &inbound {
            assert_noop!(w.deliver(m), Error::<Test>::BridgePaused);
            assert_noop!(
                w.deliver_batch(std::slice::from_ref(m)),
                Error::<Test>::BridgePaused
            );
        }
        // a claim sends nothing: allowed; the claimer's result sends: refused
        assert_ok!(claim(&carol(), id));
        assert_eq!(
            ReceivedJobs::<Test>::get(id).unwrap().claimer,
            Some(carol())
        );
        assert_noop!(
            submit(&carol(), id, [0xee; 32], PAY_TO),
            Error::<Test>::BridgePaused
        );
        // unpaused: everything goes through
        let unpause = w.governance(Governance::Unpause);
        assert_ok!(w.deliver(&unpause));
        assert_ok!(submit(&carol(), id, [0xee; 32], PAY_TO));
        // (the expiry aside: the job is decided and its deadline not passed)
        for f in &calls[..4] {
            assert_ok!(f());
        }
        // the cancel request is answered by the expired result, the cancel for `other` cancels it
        for m in &inbound {
            assert_ok!(w.deliver(m));
        }
        assert_eq!(
            PostedJobs::<Test>::get(job_id(CHAIN, 1)).unwrap().state,
            PostedJobState::Refunded
        );
        assert_eq!(
            ReceivedJobs::<Test>::get(other).unwrap().state,
            ReceivedJobState::Cancelled
        );
    });
}
