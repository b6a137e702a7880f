//! Compute jobs (docs/PROTOCOL.md §7.3). This bridge is chain A (escrow) for the jobs posted here and
//! chain B (executor) for the jobs it receives; the two sides are separate maps keyed by job id.
//!
//! A: `post` takes the payment into escrow (a native denom configured at instantiation, sent with the call,
//! or a wrapped cw20 this bridge created, sent with cw20 `Send`) and sends `post` to B; `cancel` (payer,
//! `Posted` only) sends `cancel`. B's result settles the job once: `completed` pays the executor's 32-byte
//! account here, `expired` (or `cancelled` after a cancel) refunds the payer.
//!
//! B: a `post` opens the job; anyone claims it until the deadline; the claimer's result at or before the
//! deadline completes it; after the deadline anyone expires it; a `cancel` while open cancels it (after a
//! claim it is ignored). Each way out sends the one result message. Time is the block time, and the
//! deadline is inclusive: a block with `time <= deadline` is on time.
//!
//! The transitions and their check order are the rules' (`sah_bridge_protocol::rules::{escrow_step,
//! executor_step}`, docs/PROTOCOL.md §8); this module keeps the jobs, moves the payments and sends the
//! messages.

use cosmwasm_std::{
    to_json_binary, Addr, BankMsg, CosmosMsg, Deps, DepsMut, Env, Event, HexBinary, MessageInfo, Response, StdResult,
    Storage, Uint128, WasmMsg,
};
pub use sah_bridge_protocol::job_id;
use sah_bridge_protocol::rules::{
    escrow_step, executor_step, EscrowEffect, EscrowEvent, EscrowState, ExecutorEffect, ExecutorEvent, ExecutorState,
    ExecutorTerms, JobRefusal, PayToFault,
};
use sah_bridge_protocol::{ComputeJob, ComputeResult, Header, Outcome, Payload};
use sha2::{Digest, Sha256};

use crate::account::{from_bytes32, hex0x, to_bytes32};
use crate::error::ContractError;
use crate::execute::outbound::{arg_bytes32, check_destination, emit_message};
use crate::msg::JobResponse;
use crate::state::{
    Config, PaymentAsset, PostedJob, PostedJobStatus, ReceivedJob, ReceivedJobStatus, CONFIG, JOB_COUNTER, JOB_ESCROW,
    NATIVE_DENOMS, POSTED_JOBS, RECEIVED_JOBS,
};

pub const EVENT_POSTED: &str = "sah_job_posted";
pub const EVENT_CANCEL_REQUESTED: &str = "sah_job_cancel_requested";
pub const EVENT_PAID: &str = "sah_job_paid";
pub const EVENT_REFUNDED: &str = "sah_job_refunded";
pub const EVENT_RECEIVED: &str = "sah_job_received";
pub const EVENT_CLAIMED: &str = "sah_job_claimed";
pub const EVENT_COMPLETED: &str = "sah_job_completed";
pub const EVENT_EXPIRED: &str = "sah_job_expired";
pub const EVENT_CANCELLED: &str = "sah_job_cancelled";
/// §7.3's `CancelIgnored`: a cancel that arrives after a claim (or after the end) changes nothing.
pub const EVENT_CANCEL_IGNORED: &str = "sah_job_cancel_ignored";

/// What pays a job: the asset held here and the token's home id (§3.1) that the `post` message names.
pub struct Payment {
    pub asset: PaymentAsset,
    pub origin_chain: u32,
    pub origin_token: [u8; 32],
    pub amount: Uint128,
}

fn status_name<T: std::fmt::Debug>(status: &T) -> String {
    format!("{status:?}")
}

fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::Completed => "completed",
        Outcome::Expired => "expired",
        Outcome::Cancelled => "cancelled",
    }
}

fn job_event(ty: &str, job_id: &[u8]) -> Event {
    Event::new(ty).add_attribute("job_id", hex0x(job_id))
}

// The job rules (sah_bridge_protocol::rules) decide every transition; these name their states here.

fn escrow_state(s: &PostedJobStatus) -> EscrowState {
    match s {
        PostedJobStatus::Posted => EscrowState::Posted,
        PostedJobStatus::CancelRequested => EscrowState::CancelRequested,
        PostedJobStatus::Paid => EscrowState::Paid,
        PostedJobStatus::Refunded => EscrowState::Refunded,
    }
}

fn posted_status(s: EscrowState) -> PostedJobStatus {
    match s {
        EscrowState::Posted => PostedJobStatus::Posted,
        EscrowState::CancelRequested => PostedJobStatus::CancelRequested,
        EscrowState::Paid => PostedJobStatus::Paid,
        EscrowState::Refunded => PostedJobStatus::Refunded,
    }
}

fn executor_state(s: &ReceivedJobStatus) -> ExecutorState {
    match s {
        ReceivedJobStatus::Open => ExecutorState::Open,
        ReceivedJobStatus::Claimed => ExecutorState::Claimed,
        ReceivedJobStatus::Completed => ExecutorState::Completed,
        ReceivedJobStatus::Expired => ExecutorState::Expired,
        ReceivedJobStatus::Cancelled => ExecutorState::Cancelled,
    }
}

fn received_status(s: ExecutorState) -> ReceivedJobStatus {
    match s {
        ExecutorState::Open => ReceivedJobStatus::Open,
        ExecutorState::Claimed => ReceivedJobStatus::Claimed,
        ExecutorState::Completed => ReceivedJobStatus::Completed,
        ExecutorState::Expired => ReceivedJobStatus::Expired,
        ExecutorState::Cancelled => ReceivedJobStatus::Cancelled,
    }
}

/// What the error of a refused step says about the job: its id, where it is kept, its status, the
/// account that asked, and the times compared.
struct Refused<'a> {
    job_id: String,
    side: &'static str,
    status: String,
    caller: String,
    deadline: u64,
    now: u64,
    /// For a result delivered here: its outcome and source chain.
    result: Option<(Outcome, u32)>,
    /// For a submitted result: the result hash and pay_to given, and chain A.
    submitted: Option<(&'a [u8], &'a [u8], u32)>,
}

impl Refused<'_> {
    fn new(job_id: String, side: &'static str) -> Self {
        Refused {
            job_id,
            side,
            status: String::new(),
            caller: String::new(),
            deadline: 0,
            now: 0,
            result: None,
            submitted: None,
        }
    }

    fn error(self, refusal: JobRefusal) -> ContractError {
        let Refused { job_id, side, status, caller, deadline, now, .. } = self;
        match refusal {
            JobRefusal::UnknownJob => ContractError::UnknownJob { job_id, side },
            JobRefusal::JobAlreadyExists => ContractError::JobAlreadyExists { job_id },
            JobRefusal::JobNotOpen => ContractError::JobNotOpen { job_id, status },
            JobRefusal::NotClaimer => ContractError::NotClaimer { job_id, caller },
            JobRefusal::DeadlinePassed => ContractError::DeadlinePassed { job: format!("job {job_id}"), deadline, now },
            JobRefusal::DeadlineNotPassed => ContractError::DeadlineNotPassed { job_id, deadline, now },
            JobRefusal::NotPayer => ContractError::NotPayer { job_id, caller },
            JobRefusal::JobNotCancellable => ContractError::JobNotCancellable { job_id, status },
            JobRefusal::UnexpectedResult => {
                let (outcome, source_chain) = self.result.unwrap_or((Outcome::Completed, 0));
                ContractError::UnexpectedResult { job_id, outcome: outcome_name(outcome), source_chain, status }
            }
            JobRefusal::InvalidField(field) => {
                let given = self.submitted.map_or(0, |(result_hash, _, _)| result_hash.len());
                let reason =
                    if given == 32 { "must not be zero".into() } else { format!("32 bytes expected, got {given}") };
                ContractError::InvalidField { field, reason }
            }
            JobRefusal::InvalidExecutor(fault) => {
                let (pay_to, escrow_chain) = self.submitted.map_or((&[][..], 0), |(_, p, c)| (p, c));
                ContractError::InvalidExecutor { reason: pay_to_fault(fault, pay_to, escrow_chain) }
            }
        }
    }
}

/// Why chain A could not pay `pay_to` (§7.3), in words.
fn pay_to_fault(fault: PayToFault, pay_to: &[u8], escrow_chain: u32) -> String {
    match fault {
        PayToFault::Length(n) => format!("pay_to is the 32-byte form of an account, got {n} bytes"),
        PayToFault::Zero => "pay_to is the zero account".into(),
        PayToFault::NotEvmAddress => format!(
            "chain {escrow_chain} is an EVM chain: pay_to {} is not a left-padded 20-byte address",
            hex0x(pay_to)
        ),
    }
}

// ------------------------------------------------------------------------------------------ chain A

/// `PostJob` with one native coin: a denom configured at instantiation; its id is (this chain, sha256(denom)).
pub fn post_native(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    spec_hash: HexBinary,
    executor_chain: u32,
    deadline: u64,
) -> Result<Response, ContractError> {
    // the checks of `post` that come before the amount, in §7.3's order (paused, specHash, amount)
    let config = CONFIG.load(deps.storage)?;
    if config.paused {
        return Err(ContractError::BridgePaused);
    }
    arg_bytes32(&spec_hash, "specHash")?;
    let coin = match info.funds.as_slice() {
        [] => return Err(ContractError::ZeroAmount),
        [coin] => coin.clone(),
        _ => return Err(cw_utils::PaymentError::MultipleDenoms {}.into()),
    };
    if !NATIVE_DENOMS.has(deps.storage, &coin.denom) {
        return Err(ContractError::UnknownDenom { denom: coin.denom });
    }
    let payment = Payment {
        origin_chain: config.chain_id,
        origin_token: Sha256::digest(coin.denom.as_bytes()).into(),
        asset: PaymentAsset::Native { denom: coin.denom },
        amount: coin.amount,
    };
    post(deps, env, info.sender, payment, spec_hash, executor_chain, deadline)
}

/// Posts a job paid with `payment` (already held by the bridge): checks, escrow, `post` to B.
pub fn post(
    deps: DepsMut,
    env: Env,
    payer: Addr,
    payment: Payment,
    spec_hash: HexBinary,
    executor_chain: u32,
    deadline: u64,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    if config.paused {
        return Err(ContractError::BridgePaused);
    }
    let spec_hash = arg_bytes32(&spec_hash, "specHash")?;
    if payment.amount.is_zero() {
        return Err(ContractError::ZeroAmount);
    }
    let now = env.block.time.seconds();
    // a new job: the rule checks its deadline (the id is new, from the counter)
    escrow_step(None, EscrowEvent::Post { deadline }, now).map_err(|_| ContractError::DeadlinePassed {
        job: "a new job".into(),
        deadline,
        now,
    })?;
    check_destination(&config, executor_chain)?;

    let counter = JOB_COUNTER.may_load(deps.storage)?.unwrap_or_default() + 1;
    JOB_COUNTER.save(deps.storage, &counter)?;
    let id = job_id(config.chain_id, counter);
    let key = payment.asset.escrow_key();
    let held = JOB_ESCROW.may_load(deps.storage, &key)?.unwrap_or_default();
    let held = held
        .checked_add(payment.amount)
        .map_err(|_| ContractError::AmountTooLarge { what: format!("the escrow of {key}") })?;
    JOB_ESCROW.save(deps.storage, &key, &held)?;

    let payer32 = to_bytes32(deps.api, &payer)?;
    let post = ComputeJob::Post {
        job_id: id,
        spec_hash,
        payment_origin_chain: payment.origin_chain,
        payment_origin_token: payment.origin_token,
        payment_amount: payment.amount.u128(),
        deadline,
        payer: payer32,
    };
    let (nonce, sent) =
        emit_message(deps.storage, &env, &config, executor_chain, payer32, [0u8; 32], Payload::ComputeJob(post))?;
    let job = PostedJob {
        job_id: HexBinary::from(id.as_slice()),
        counter,
        payer: payer.clone(),
        executor_chain,
        spec_hash: HexBinary::from(spec_hash.as_slice()),
        asset: payment.asset,
        payment_origin_chain: payment.origin_chain,
        payment_origin_token: HexBinary::from(payment.origin_token.as_slice()),
        amount: payment.amount,
        deadline,
        posted_at: now,
        post_nonce: nonce,
        status: PostedJobStatus::Posted,
        result_hash: None,
        executor: None,
        paid_to: None,
        settled_at: None,
    };
    POSTED_JOBS.save(deps.storage, &id, &job)?;
    Ok(Response::new().add_attribute("action", "post_job").add_event(sent).add_event(
        job_event(EVENT_POSTED, &id)
            .add_attribute("counter", counter.to_string())
            .add_attribute("payer", payer.to_string())
            .add_attribute("executor_chain", executor_chain.to_string())
            .add_attribute("escrow", key)
            .add_attribute("amount", payment.amount.to_string())
            .add_attribute("deadline", deadline.to_string()),
    ))
}

/// The payer asks B to cancel a job still `Posted`; A keeps the escrow until B's result.
pub fn cancel(deps: DepsMut, env: Env, info: MessageInfo, job_id: HexBinary) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    if config.paused {
        return Err(ContractError::BridgePaused);
    }
    let mut job = load_posted(deps.storage, &job_id)?;
    let (next, _send_cancel) = escrow_step(
        Some(escrow_state(&job.status)),
        EscrowEvent::Cancel { by_payer: job.payer == info.sender },
        env.block.time.seconds(),
    )
    .map_err(|r| {
        Refused {
            status: status_name(&job.status),
            caller: info.sender.to_string(),
            ..Refused::new(job_id.to_hex(), "posted here")
        }
        .error(r)
    })?;
    let id = arg_bytes32(&job_id, "jobId")?;
    job.status = posted_status(next);
    POSTED_JOBS.save(deps.storage, &id, &job)?;
    let payer32 = to_bytes32(deps.api, &job.payer)?;
    let (_, sent) = emit_message(
        deps.storage,
        &env,
        &config,
        job.executor_chain,
        payer32,
        [0u8; 32],
        Payload::ComputeJob(ComputeJob::Cancel { job_id: id }),
    )?;
    Ok(Response::new()
        .add_attribute("action", "cancel_job")
        .add_event(sent)
        .add_event(job_event(EVENT_CANCEL_REQUESTED, &id)))
}

fn load_posted(storage: &dyn Storage, job_id: &HexBinary) -> Result<PostedJob, ContractError> {
    POSTED_JOBS
        .may_load(storage, job_id.as_slice())?
        .ok_or_else(|| ContractError::UnknownJob { job_id: job_id.to_hex(), side: "posted here" })
}

/// A delivered result (kind 4) for a job posted here: B's decision, applied once.
pub fn deliver_result(deps: DepsMut, env: &Env, h: &Header, r: &ComputeResult) -> Result<Response, ContractError> {
    let mut job = POSTED_JOBS
        .may_load(deps.storage, &r.job_id)?
        .ok_or_else(|| ContractError::UnknownJob { job_id: hex0x(&r.job_id), side: "posted here" })?;
    // only the chain the job was sent to decides it, and only from a state that takes the outcome
    let event = EscrowEvent::Result { outcome: r.outcome, from_executor_chain: h.source_chain == job.executor_chain };
    let (next, effect) =
        escrow_step(Some(escrow_state(&job.status)), event, env.block.time.seconds()).map_err(|refusal| {
            Refused {
                status: status_name(&job.status),
                result: Some((r.outcome, h.source_chain)),
                ..Refused::new(hex0x(&r.job_id), "posted here")
            }
            .error(refusal)
        })?;
    let (to, event) = match effect {
        EscrowEffect::Pay => {
            let to = from_bytes32(deps.api, &r.executor)
                .map_err(|e| ContractError::InvalidExecutor { reason: format!("{e}") })?;
            job.result_hash = Some(HexBinary::from(r.result_hash.as_slice()));
            job.executor = Some(HexBinary::from(r.executor.as_slice()));
            job.paid_to = Some(to.clone());
            let event = job_event(EVENT_PAID, &r.job_id)
                .add_attribute("executor", to.to_string())
                .add_attribute("result_hash", hex0x(&r.result_hash));
            (to, event)
        }
        // Refund (a result never sends)
        _ => {
            (job.payer.clone(), job_event(EVENT_REFUNDED, &r.job_id).add_attribute("outcome", outcome_name(r.outcome)))
        }
    };
    job.status = posted_status(next);
    job.settled_at = Some(r.timestamp);
    let key = job.asset.escrow_key();
    let held = JOB_ESCROW.may_load(deps.storage, &key)?.unwrap_or_default();
    // the job's amount went into this total when it was posted and leaves it once, here
    JOB_ESCROW.save(deps.storage, &key, &held.checked_sub(job.amount).map_err(cosmwasm_std::StdError::from)?)?;
    POSTED_JOBS.save(deps.storage, &r.job_id, &job)?;
    let event = event.add_attribute("to", to.to_string()).add_attribute("amount", job.amount.to_string());
    Ok(Response::new().add_message(pay(&job.asset, &to, job.amount)?).add_event(event))
}

fn pay(asset: &PaymentAsset, to: &Addr, amount: Uint128) -> Result<CosmosMsg, ContractError> {
    Ok(match asset {
        PaymentAsset::Native { denom } => {
            BankMsg::Send { to_address: to.to_string(), amount: cosmwasm_std::coins(amount.u128(), denom) }.into()
        }
        PaymentAsset::Cw20 { token } => WasmMsg::Execute {
            contract_addr: token.to_string(),
            msg: to_json_binary(&cw20::Cw20ExecuteMsg::Transfer { recipient: to.to_string(), amount })?,
            funds: vec![],
        }
        .into(),
    })
}

// ------------------------------------------------------------------------------------------ chain B

fn load_received(storage: &dyn Storage, job_id: &[u8]) -> Result<ReceivedJob, ContractError> {
    RECEIVED_JOBS
        .may_load(storage, job_id)?
        .ok_or_else(|| ContractError::UnknownJob { job_id: hex0x(job_id), side: "received here" })
}

fn terms(job: &ReceivedJob) -> ExecutorTerms {
    ExecutorTerms { deadline: job.deadline, escrow_chain: job.escrow_chain }
}

/// What the error of a refused step on a received job says.
fn refused_here(job_id: String, job: &ReceivedJob, now: u64) -> Refused<'static> {
    Refused { status: status_name(&job.status), deadline: job.deadline, now, ..Refused::new(job_id, "received here") }
}

/// A delivered job message (kind 3): `post` opens the job here, `cancel` cancels it while open.
pub fn deliver_job(
    deps: DepsMut,
    env: &Env,
    config: &Config,
    h: &Header,
    j: &ComputeJob,
) -> Result<Response, ContractError> {
    let now = env.block.time.seconds();
    match j {
        ComputeJob::Post {
            job_id,
            spec_hash,
            payment_origin_chain,
            payment_origin_token,
            payment_amount,
            deadline,
            payer,
        } => {
            let known = RECEIVED_JOBS.may_load(deps.storage, job_id)?.map(|j| executor_state(&j.status));
            let terms = ExecutorTerms { deadline: *deadline, escrow_chain: h.source_chain };
            executor_step(known, terms, ExecutorEvent::Post, now)
                .map_err(|r| Refused::new(hex0x(job_id), "received here").error(r))?;
            let job = ReceivedJob {
                job_id: HexBinary::from(job_id.as_slice()),
                escrow_chain: h.source_chain,
                post_nonce: h.nonce,
                payer: HexBinary::from(payer.as_slice()),
                spec_hash: HexBinary::from(spec_hash.as_slice()),
                payment_origin_chain: *payment_origin_chain,
                payment_origin_token: HexBinary::from(payment_origin_token.as_slice()),
                amount: Uint128::new(*payment_amount),
                deadline: *deadline,
                received_at: now,
                status: ReceivedJobStatus::Open,
                claimer: None,
                result_hash: None,
                pay_to: None,
                finished_at: None,
                result_nonce: None,
            };
            RECEIVED_JOBS.save(deps.storage, job_id, &job)?;
            Ok(Response::new().add_event(
                job_event(EVENT_RECEIVED, job_id)
                    .add_attribute("escrow_chain", h.source_chain.to_string())
                    .add_attribute("amount", payment_amount.to_string())
                    .add_attribute("deadline", deadline.to_string()),
            ))
        }
        ComputeJob::Cancel { job_id } => {
            let mut job = load_received(deps.storage, job_id)?;
            // only the payer, through the job's own chain A
            let from_payer = h.source_chain == job.escrow_chain && h.sender == job.payer.as_slice();
            let event = ExecutorEvent::Cancel { from_payer };
            let (next, effect) = executor_step(Some(executor_state(&job.status)), terms(&job), event, now)
                .map_err(|r| Refused { caller: hex0x(&h.sender), ..refused_here(hex0x(job_id), &job, now) }.error(r))?;
            if effect == ExecutorEffect::CancelIgnored {
                // claimed: the job runs on, and A stays CancelRequested until this chain's result
                return Ok(Response::new().add_event(
                    job_event(EVENT_CANCEL_IGNORED, job_id).add_attribute("status", status_name(&job.status)),
                ));
            }
            job.status = received_status(next);
            let sender = h.sender;
            let sent = finish(deps.storage, env, config, &mut job, Outcome::Cancelled, [0; 32], [0; 32], sender)?;
            Ok(Response::new().add_event(sent).add_event(job_event(EVENT_CANCELLED, job_id)))
        }
    }
}

/// Records the end of a job here and sends its one result to chain A.
#[allow(clippy::too_many_arguments)]
fn finish(
    storage: &mut dyn Storage,
    env: &Env,
    config: &Config,
    job: &mut ReceivedJob,
    outcome: Outcome,
    result_hash: [u8; 32],
    executor: [u8; 32],
    sender: [u8; 32],
) -> Result<Event, ContractError> {
    let now = env.block.time.seconds();
    let job_id: [u8; 32] = job
        .job_id
        .as_slice()
        .try_into()
        .map_err(|_| ContractError::UnknownJob { job_id: job.job_id.to_hex(), side: "received here" })?;
    let result = ComputeResult { outcome, job_id, result_hash, executor, timestamp: now };
    let (nonce, sent) =
        emit_message(storage, env, config, job.escrow_chain, sender, [0u8; 32], Payload::ComputeResult(result))?;
    job.finished_at = Some(now);
    job.result_nonce = Some(nonce);
    RECEIVED_JOBS.save(storage, &job_id, job)?;
    Ok(sent)
}

/// Any account takes an `Open` job, at or before its deadline.
pub fn claim(deps: DepsMut, env: Env, info: MessageInfo, job_id: HexBinary) -> Result<Response, ContractError> {
    let mut job = load_received(deps.storage, job_id.as_slice())?;
    let now = env.block.time.seconds();
    let (next, _) = executor_step(Some(executor_state(&job.status)), terms(&job), ExecutorEvent::Claim, now)
        .map_err(|r| refused_here(job_id.to_hex(), &job, now).error(r))?;
    job.status = received_status(next);
    job.claimer = Some(info.sender.clone());
    RECEIVED_JOBS.save(deps.storage, job_id.as_slice(), &job)?;
    Ok(Response::new()
        .add_attribute("action", "claim_job")
        .add_event(job_event(EVENT_CLAIMED, job_id.as_slice()).add_attribute("claimer", info.sender.to_string())))
}

/// The claimer's result, at or before the deadline: completes the job and sends `completed` to A with
/// `pay_to`, the 32-byte account A pays.
pub fn submit_result(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    job_id: HexBinary,
    result_hash: HexBinary,
    pay_to: HexBinary,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    if config.paused {
        return Err(ContractError::BridgePaused);
    }
    let mut job = load_received(deps.storage, job_id.as_slice())?;
    let now = env.block.time.seconds();
    let event = ExecutorEvent::SubmitResult {
        by_claimer: job.claimer.as_ref() == Some(&info.sender),
        result_hash: result_hash.as_slice(),
        pay_to: pay_to.as_slice(),
    };
    let (next, _) = executor_step(Some(executor_state(&job.status)), terms(&job), event, now).map_err(|r| {
        Refused {
            caller: info.sender.to_string(),
            submitted: Some((result_hash.as_slice(), pay_to.as_slice(), job.escrow_chain)),
            ..refused_here(job_id.to_hex(), &job, now)
        }
        .error(r)
    })?;
    // the rule checked both: 32 bytes each, a non-zero hash, an account chain A can pay
    let result_hash = arg_bytes32(&result_hash, "resultHash")?;
    let pay_to = arg_bytes32(&pay_to, "payTo")?;
    job.status = received_status(next);
    job.result_hash = Some(HexBinary::from(result_hash.as_slice()));
    job.pay_to = Some(HexBinary::from(pay_to.as_slice()));
    let sender = to_bytes32(deps.api, &info.sender)?;
    let sent = finish(deps.storage, &env, &config, &mut job, Outcome::Completed, result_hash, pay_to, sender)?;
    Ok(Response::new().add_attribute("action", "submit_result").add_event(sent).add_event(
        job_event(EVENT_COMPLETED, job_id.as_slice())
            .add_attribute("result_hash", hex0x(&result_hash))
            .add_attribute("pay_to", hex0x(&pay_to)),
    ))
}

/// Anyone ends an `Open` or `Claimed` job after its deadline; A refunds the payer.
pub fn expire(deps: DepsMut, env: Env, info: MessageInfo, job_id: HexBinary) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    if config.paused {
        return Err(ContractError::BridgePaused);
    }
    let mut job = load_received(deps.storage, job_id.as_slice())?;
    let now = env.block.time.seconds();
    let (next, _) = executor_step(Some(executor_state(&job.status)), terms(&job), ExecutorEvent::Expire, now)
        .map_err(|r| refused_here(job_id.to_hex(), &job, now).error(r))?;
    job.status = received_status(next);
    let sender = to_bytes32(deps.api, &info.sender)?;
    let sent = finish(deps.storage, &env, &config, &mut job, Outcome::Expired, [0; 32], [0; 32], sender)?;
    Ok(Response::new()
        .add_attribute("action", "expire_job")
        .add_event(sent)
        .add_event(job_event(EVENT_EXPIRED, job_id.as_slice())))
}

// ------------------------------------------------------------------------------------------ queries

pub fn query_job(deps: Deps, job_id: &HexBinary) -> StdResult<JobResponse> {
    Ok(JobResponse {
        posted: POSTED_JOBS.may_load(deps.storage, job_id.as_slice())?,
        received: RECEIVED_JOBS.may_load(deps.storage, job_id.as_slice())?,
    })
}

pub fn job_counter(storage: &dyn Storage) -> StdResult<u64> {
    Ok(JOB_COUNTER.may_load(storage)?.unwrap_or_default())
}

pub fn escrowed(storage: &dyn Storage, asset: &PaymentAsset) -> StdResult<Uint128> {
    Ok(JOB_ESCROW.may_load(storage, &asset.escrow_key())?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    //! The payout of a `completed` result to an executor account this chain cannot name. With bech32
    //! addresses every non-zero 32-byte form names an account (12 leading zero bytes: a 20-byte account,
    //! otherwise a 32-byte one) and the codec refuses a zero executor, so only a chain whose address
    //! rules refuse the form reaches this; a stand-in Api that refuses every canonical form shows it.
    use super::*;
    use cosmwasm_std::testing::{mock_env, MockApi, MockQuerier, MockStorage};
    use cosmwasm_std::{Addr, CanonicalAddr, OwnedDeps, RecoverPubkeyError, StdError, StdResult, VerificationError};
    use sah_bridge_protocol::{Kind, VERSION};

    struct RefusingApi(MockApi);

    impl cosmwasm_std::Api for RefusingApi {
        fn addr_validate(&self, human: &str) -> StdResult<Addr> {
            self.0.addr_validate(human)
        }
        fn addr_canonicalize(&self, human: &str) -> StdResult<CanonicalAddr> {
            self.0.addr_canonicalize(human)
        }
        fn addr_humanize(&self, _canonical: &CanonicalAddr) -> StdResult<Addr> {
            Err(StdError::generic_err("no account has this form here"))
        }
        fn secp256k1_verify(&self, h: &[u8], s: &[u8], k: &[u8]) -> Result<bool, VerificationError> {
            self.0.secp256k1_verify(h, s, k)
        }
        fn secp256k1_recover_pubkey(&self, h: &[u8], s: &[u8], r: u8) -> Result<Vec<u8>, RecoverPubkeyError> {
            self.0.secp256k1_recover_pubkey(h, s, r)
        }
        fn ed25519_verify(&self, m: &[u8], s: &[u8], k: &[u8]) -> Result<bool, VerificationError> {
            self.0.ed25519_verify(m, s, k)
        }
        fn ed25519_batch_verify(&self, m: &[&[u8]], s: &[&[u8]], k: &[&[u8]]) -> Result<bool, VerificationError> {
            self.0.ed25519_batch_verify(m, s, k)
        }
        fn debug(&self, message: &str) {
            self.0.debug(message)
        }
    }

    #[test]
    fn a_completed_result_naming_no_account_here_is_refused_as_invalid_executor() {
        let mut deps = OwnedDeps {
            storage: MockStorage::default(),
            api: RefusingApi(MockApi::default()),
            querier: MockQuerier::default(),
            custom_query_type: std::marker::PhantomData::<cosmwasm_std::Empty>,
        };
        let id = job_id(10003, 1);
        let payer = MockApi::default().addr_make("payer");
        let job = PostedJob {
            job_id: HexBinary::from(id.as_slice()),
            counter: 1,
            payer,
            executor_chain: 10004,
            spec_hash: HexBinary::from([1u8; 32].as_slice()),
            asset: PaymentAsset::Native { denom: "uatom".into() },
            payment_origin_chain: 10003,
            payment_origin_token: HexBinary::from([2u8; 32].as_slice()),
            amount: Uint128::new(5),
            deadline: 100,
            posted_at: 1,
            post_nonce: 1,
            status: PostedJobStatus::Posted,
            result_hash: None,
            executor: None,
            paid_to: None,
            settled_at: None,
        };
        POSTED_JOBS.save(&mut deps.storage, &id, &job).unwrap();
        JOB_ESCROW.save(&mut deps.storage, "native/uatom", &Uint128::new(5)).unwrap();
        let header = Header {
            version: VERSION,
            kind: Kind::ComputeResult,
            source_chain: 10004,
            destination_chain: 10003,
            nonce: 1,
            sender: [3; 32],
            recipient: [0; 32],
        };
        let result = ComputeResult {
            outcome: Outcome::Completed,
            job_id: id,
            result_hash: [4; 32],
            executor: [5; 32],
            timestamp: 50,
        };
        let e = deliver_result(deps.as_mut(), &mock_env(), &header, &result).unwrap_err();
        assert!(e.to_string().starts_with("InvalidExecutor: "), "{e}");
        // nothing changed: the job waits (in escrow) for a migration or a chain that can name the account
        assert_eq!(POSTED_JOBS.load(&deps.storage, &id).unwrap(), job);
        assert_eq!(JOB_ESCROW.load(&deps.storage, "native/uatom").unwrap(), Uint128::new(5));
    }
}
