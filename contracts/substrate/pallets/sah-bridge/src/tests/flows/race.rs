//! Two chains running this pallet, A (escrow, chain 10004) and B (executor, chain 10003),
//! with posts, cancels, claims, results and expiries in a random order and messages relayed
//! late, out of order and replayed. After every step: A's escrow record equals the sum of
//! its open jobs, and so do the pallet account's balances; every balance is exactly what the
//! model says. At the end every job is paid or refunded, exactly once.

use super::*;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

const A: u32 = CHAIN;
const B: u32 = COSMOS;
const STEPS: usize = 400;

struct Chain {
    id: u32,
    ext: sp_io::TestExternalities,
    world: World,
}

impl Chain {
    fn new(id: u32) -> Self {
        Chain {
            id,
            ext: new_test_ext_on(id),
            world: World {
                signer: Signer::test_key(),
                epoch: 1,
                chain: id,
                nonces: Default::default(),
                governance_nonce: 0,
            },
        }
    }
    fn on<R>(&mut self, f: impl FnOnce(&World) -> R) -> R {
        ChainId::set(self.id);
        let w = &self.world;
        self.ext.execute_with(|| f(w))
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum BState {
    Unknown,
    Open,
    Claimed,
    Decided,
}

struct Job {
    id: [u8; 32],
    payer: AccountId,
    payment: Payment,
    amount: u128,
    deadline: u64,
    cancel_requested: bool,
    b: BState,
    claimer: Option<AccountId>,
    settlements: u32,
}

#[derive(Default)]
struct Model {
    jobs: Vec<Job>,
    /// expected native and home-asset balances on A, by account name
    native: std::collections::HashMap<String, u128>,
    asset: std::collections::HashMap<String, u128>,
    a_to_b: Vec<Vec<u8>>,
    b_to_a: Vec<Vec<u8>>,
    delivered_b: Vec<Vec<u8>>,
    delivered_a: Vec<Vec<u8>>,
    paid: u32,
    refunded: u32,
}

const PAYEES: [&str; 5] = ["alice", "bob", "carol", "exec1", "exec2"];

fn pick<'a, T>(rng: &mut ChaCha8Rng, v: &'a [T]) -> &'a T {
    &v[(rng.next_u64() % v.len() as u64) as usize]
}

fn check(a: &mut Chain, m: &Model, ctx: &str) {
    a.on(|_| {
        for payment in [Payment::Native, Payment::Asset(HOME_ASSET)] {
            let open: u128 = m
                .jobs
                .iter()
                .filter(|j| j.payment == payment && j.settlements == 0)
                .map(|j| j.amount)
                .sum();
            assert_eq!(
                JobEscrow::<Test>::get(payment),
                open,
                "{ctx}: escrow record"
            );
            let held = match payment {
                Payment::Native => native(&bridge_account()) - ED,
                Payment::Asset(id) => asset_balance(id, &bridge_account()),
            };
            assert_eq!(held, open, "{ctx}: escrow balance");
        }
        for name in PAYEES {
            let who = account(name);
            assert_eq!(native(&who), m.native[name], "{ctx}: native of {name}");
            assert_eq!(
                asset_balance(HOME_ASSET, &who),
                m.asset[name],
                "{ctx}: asset of {name}"
            );
        }
        for j in &m.jobs {
            let state = PostedJobs::<Test>::get(j.id).unwrap().state;
            assert!(j.settlements <= 1, "{ctx}: settled twice");
            assert_eq!(
                j.settlements == 1,
                matches!(state, PostedJobState::Paid | PostedJobState::Refunded),
                "{ctx}"
            );
        }
    });
}

/// Mostly a job B has opened and not decided (any job otherwise, or when there is none).
fn live_job(rng: &mut ChaCha8Rng, m: &Model) -> usize {
    let live: Vec<usize> = (0..m.jobs.len())
        .filter(|i| matches!(m.jobs[*i].b, BState::Open | BState::Claimed))
        .collect();
    if live.is_empty() || rng.next_u32().is_multiple_of(4) {
        (rng.next_u64() % m.jobs.len() as u64) as usize
    } else {
        live[(rng.next_u64() % live.len() as u64) as usize]
    }
}

fn pick_name(rng: &mut ChaCha8Rng, names: &[&'static str]) -> &'static str {
    names[(rng.next_u64() % names.len() as u64) as usize]
}

fn name_of(who: &AccountId) -> &'static str {
    PAYEES.iter().find(|n| account(n) == *who).unwrap()
}

/// Delivers a result on A and settles it in the model.
fn settle(a: &mut Chain, m: &mut Model, msg: Vec<u8>) {
    let (_, r) = result_of(&msg);
    a.on(|w| {
        assert_ok!(w.deliver(&msg));
    });
    let j = m.jobs.iter_mut().find(|j| j.id == r.job_id).unwrap();
    j.settlements += 1;
    let (to, amount) = match r.outcome {
        Outcome::Completed => {
            m.paid += 1;
            (name_of(&AccountId::new(r.executor)), j.amount)
        }
        _ => {
            assert!(r.outcome == Outcome::Expired || j.cancel_requested);
            m.refunded += 1;
            (name_of(&j.payer), j.amount)
        }
    };
    let book = match j.payment {
        Payment::Native => &mut m.native,
        Payment::Asset(_) => &mut m.asset,
    };
    *book.get_mut(to).unwrap() += amount;
    m.delivered_a.push(msg);
}

/// Delivers an A -> B message on B; `false` if B does not know its job yet.
fn relay_to_b(b: &mut Chain, m: &mut Model, msg: Vec<u8>) -> bool {
    let decoded = decode(&msg);
    // a cancel that overtook its post: B does not know the job yet and changes nothing
    if let Payload::ComputeJob(ComputeJob::Cancel { job_id }) = &decoded.payload {
        let j = m.jobs.iter().find(|j| j.id == *job_id).unwrap();
        if j.b == BState::Unknown {
            b.on(|w| {
                assert_noop!(w.deliver(&msg), Error::<Test>::UnknownJob);
            });
            return false;
        }
    }
    let sent = b.on(|w| {
        System::reset_events();
        assert_ok!(w.deliver(&msg));
        take_sent()
    });
    match decoded.payload {
        Payload::ComputeJob(ComputeJob::Post { job_id, .. }) => {
            let j = m.jobs.iter_mut().find(|j| j.id == job_id).unwrap();
            assert_eq!(j.b, BState::Unknown);
            j.b = BState::Open;
        }
        Payload::ComputeJob(ComputeJob::Cancel { job_id }) => {
            let j = m.jobs.iter_mut().find(|j| j.id == job_id).unwrap();
            if j.b == BState::Open {
                j.b = BState::Decided;
                assert_eq!(sent.len(), 1, "a cancel of an open job sends a result");
            } else {
                assert!(sent.is_empty(), "an ignored cancel sends nothing");
            }
        }
        p => panic!("relay to B: {p:?}"),
    }
    m.b_to_a.extend(sent.into_iter().map(|(_, x)| x));
    m.delivered_b.push(msg);
    true
}

fn run(seed: u64) -> (u32, u32) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut a = Chain::new(A);
    let mut b = Chain::new(B);
    let mut m = Model::default();
    for name in PAYEES {
        let endowed = USERS.contains(&name);
        m.native
            .insert(name.into(), if endowed { ENDOWMENT } else { 0 });
        m.asset
            .insert(name.into(), if endowed { HOME_ENDOWMENT } else { 0 });
    }
    for step in 0..STEPS {
        let op = rng.next_u32() % 12;
        let ctx = format!("seed {seed} step {step} op {op}");
        match op {
            0 | 1 => {
                let payer = account(pick_name(&mut rng, &USERS));
                let payment = if rng.next_u32() % 3 == 0 {
                    Payment::Asset(HOME_ASSET)
                } else {
                    Payment::Native
                };
                let amount = match payment {
                    Payment::Native => ED + u128::from(rng.next_u32() % 50_000),
                    Payment::Asset(_) => 1 + u128::from(rng.next_u32() % 5_000),
                };
                let now = a.on(|_| now()).max(b.on(|_| now()));
                let deadline = now + 1 + u64::from(rng.next_u32() % 120);
                let (id, sent) = a.on(|_| {
                    System::reset_events();
                    assert_ok!(post(&payer, payment, amount, B, deadline));
                    (job_id(A, JobCounter::<Test>::get()), take_sent())
                });
                let book = match payment {
                    Payment::Native => &mut m.native,
                    Payment::Asset(_) => &mut m.asset,
                };
                *book.get_mut(name_of(&payer)).unwrap() -= amount;
                m.a_to_b.extend(sent.into_iter().map(|(_, x)| x));
                m.jobs.push(Job {
                    id,
                    payer,
                    payment,
                    amount,
                    deadline,
                    cancel_requested: false,
                    b: BState::Unknown,
                    claimer: None,
                    settlements: 0,
                });
            }
            2 if !m.jobs.is_empty() => {
                let i = (rng.next_u64() % m.jobs.len() as u64) as usize;
                let (id, payer) = (m.jobs[i].id, m.jobs[i].payer.clone());
                let by = if rng.next_u32() % 4 == 0 {
                    account(pick_name(&mut rng, &USERS))
                } else {
                    payer.clone()
                };
                let expected: Option<DispatchError> = if by != payer {
                    Some(Error::<Test>::NotPayer.into())
                } else if m.jobs[i].cancel_requested || m.jobs[i].settlements > 0 {
                    Some(Error::<Test>::JobNotCancellable.into())
                } else {
                    None
                };
                let sent = a.on(|_| {
                    System::reset_events();
                    match expected {
                        Some(e) => {
                            let _c = context(&ctx);
                            assert_noop!(cancel(&by, id), e);
                        }
                        None => {
                            assert_ok!(cancel(&by, id));
                        }
                    }
                    take_sent()
                });
                if expected.is_none() {
                    m.jobs[i].cancel_requested = true;
                    m.a_to_b.extend(sent.into_iter().map(|(_, x)| x));
                }
            }
            3 if !m.a_to_b.is_empty() => {
                let i = (rng.next_u64() % m.a_to_b.len() as u64) as usize;
                let msg = m.a_to_b.remove(i);
                if !relay_to_b(&mut b, &mut m, msg.clone()) {
                    m.a_to_b.push(msg);
                }
            }
            4 | 5 if !m.jobs.is_empty() => {
                let i = live_job(&mut rng, &m);
                let id = m.jobs[i].id;
                let who = account(pick_name(&mut rng, &USERS));
                let b_now = b.on(|_| now());
                let j = &mut m.jobs[i];
                if op == 4 {
                    let expected: Option<DispatchError> = match j.b {
                        BState::Unknown => Some(Error::<Test>::UnknownJob.into()),
                        BState::Claimed | BState::Decided => Some(Error::<Test>::JobNotOpen.into()),
                        BState::Open if b_now > j.deadline => {
                            Some(Error::<Test>::DeadlinePassed.into())
                        }
                        BState::Open => None,
                    };
                    b.on(|_| match expected {
                        Some(e) => {
                            let _c = context(&ctx);
                            assert_noop!(claim(&who, id), e);
                        }
                        None => {
                            assert_ok!(claim(&who, id));
                        }
                    });
                    if expected.is_none() {
                        j.b = BState::Claimed;
                        j.claimer = Some(who);
                    }
                } else {
                    // mostly the claimer, sometimes someone else
                    let by = match (&j.claimer, rng.next_u32() % 4) {
                        (Some(c), 0..=2) => c.clone(),
                        _ => who,
                    };
                    let pay_to = if j.payment == Payment::Native {
                        *pick(&mut rng, &PAYEES[..])
                    } else {
                        *pick(&mut rng, &USERS[..])
                    };
                    let expected: Option<DispatchError> = match j.b {
                        BState::Unknown => Some(Error::<Test>::UnknownJob.into()),
                        BState::Open => Some(Error::<Test>::NotClaimer.into()),
                        BState::Decided => Some(Error::<Test>::JobNotOpen.into()),
                        BState::Claimed if j.claimer.as_ref() != Some(&by) => {
                            Some(Error::<Test>::NotClaimer.into())
                        }
                        BState::Claimed if b_now > j.deadline => {
                            Some(Error::<Test>::DeadlinePassed.into())
                        }
                        BState::Claimed => None,
                    };
                    let sent = b.on(|_| {
                        System::reset_events();
                        let f = || submit(&by, id, [0xee; 32], bytes32(&account(pay_to)));
                        match expected {
                            Some(e) => {
                                let _c = context(&ctx);
                                assert_noop!(f(), e);
                            }
                            None => {
                                assert_ok!(f());
                            }
                        }
                        take_sent()
                    });
                    if expected.is_none() {
                        j.b = BState::Decided;
                        assert_eq!(sent.len(), 1);
                        m.b_to_a.extend(sent.into_iter().map(|(_, x)| x));
                    }
                }
            }
            6 if !m.jobs.is_empty() => {
                let i = live_job(&mut rng, &m);
                let id = m.jobs[i].id;
                let b_now = b.on(|_| now());
                let j = &mut m.jobs[i];
                let expected: Option<DispatchError> = match j.b {
                    BState::Unknown => Some(Error::<Test>::UnknownJob.into()),
                    BState::Decided => Some(Error::<Test>::JobNotOpen.into()),
                    _ if b_now <= j.deadline => Some(Error::<Test>::DeadlineNotPassed.into()),
                    _ => None,
                };
                let sent = b.on(|_| {
                    System::reset_events();
                    match expected {
                        Some(e) => {
                            let _c = context(&ctx);
                            assert_noop!(expire(&bob(), id), e);
                        }
                        None => {
                            assert_ok!(expire(&bob(), id));
                        }
                    }
                    take_sent()
                });
                if expected.is_none() {
                    j.b = BState::Decided;
                    m.b_to_a.extend(sent.into_iter().map(|(_, x)| x));
                }
            }
            7 if !m.b_to_a.is_empty() => {
                let i = (rng.next_u64() % m.b_to_a.len() as u64) as usize;
                let msg = m.b_to_a.remove(i);
                settle(&mut a, &mut m, msg);
            }
            8 if !m.delivered_a.is_empty() || !m.delivered_b.is_empty() => {
                if rng.next_u32() % 2 == 0 && !m.delivered_a.is_empty() {
                    let msg = pick(&mut rng, &m.delivered_a).clone();
                    a.on(|w| {
                        assert_noop!(w.deliver(&msg), Error::<Test>::MessageAlreadyConsumed);
                    });
                } else if !m.delivered_b.is_empty() {
                    let msg = pick(&mut rng, &m.delivered_b).clone();
                    b.on(|w| {
                        assert_noop!(w.deliver(&msg), Error::<Test>::MessageAlreadyConsumed);
                    });
                }
            }
            9 => {
                let s = u64::from(rng.next_u32() % 15);
                b.on(|_| advance(s));
            }
            _ => {
                let s = u64::from(rng.next_u32() % 15);
                a.on(|_| advance(s));
            }
        }
        check(&mut a, &m, &ctx);
    }
    // the end: B's clock passes every deadline, everything is relayed, undecided jobs expire
    let last = m.jobs.iter().map(|j| j.deadline).max().unwrap_or(START);
    b.on(|_| set_time(last.max(now()) + 1));
    for _round in 0..4 {
        // in sending order: every post before its cancel
        while !m.a_to_b.is_empty() {
            let msg = m.a_to_b.remove(0);
            assert!(
                relay_to_b(&mut b, &mut m, msg),
                "every post is there before its cancel"
            );
        }
        for i in 0..m.jobs.len() {
            if matches!(m.jobs[i].b, BState::Open | BState::Claimed) {
                let id = m.jobs[i].id;
                let sent = b.on(|_| {
                    System::reset_events();
                    assert_ok!(expire(&carol(), id));
                    take_sent()
                });
                m.jobs[i].b = BState::Decided;
                m.b_to_a.extend(sent.into_iter().map(|(_, x)| x));
            }
        }
        while let Some(msg) = m.b_to_a.pop() {
            settle(&mut a, &mut m, msg);
        }
    }
    check(&mut a, &m, &format!("seed {seed} end"));
    assert!(
        m.jobs.iter().all(|j| j.settlements == 1),
        "seed {seed}: every job settled once"
    );
    a.on(|_| {
        assert_eq!(JobEscrow::<Test>::get(Payment::Native), 0);
        assert_eq!(JobEscrow::<Test>::get(Payment::Asset(HOME_ASSET)), 0);
        assert_eq!(native(&bridge_account()), ED);
    });
    (m.paid, m.refunded)
}

#[test]
fn random_races_pay_or_refund_every_job_exactly_once() {
    let (mut paid, mut refunded) = (0, 0);
    for seed in [7, 11, 0x5a4, 2024] {
        let (p, r) = run(seed);
        println!("seed {seed}: {p} paid, {r} refunded");
        paid += p;
        refunded += r;
    }
    assert!(
        paid > 10 && refunded > 10,
        "both outcomes exercised: {paid} paid, {refunded} refunded"
    );
}
