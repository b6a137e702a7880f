//! A compute job's transitions (§7.3) on its two chains: A escrows the payment and settles it once on B's
//! result; B arbitrates the job and sends exactly one result. Each step takes the job's state (`None`: no
//! such job here) and an event, and gives the new state and what the contract must do, or the refusal
//! (no state change). The contracts keep the job's other fields, move the funds and send the messages.

use crate::{chain_ids, Outcome};

/// A job on its escrow chain (A).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EscrowState {
    /// Escrowed, `post` sent.
    Posted,
    /// The payer asked B to cancel; B's result decides.
    CancelRequested,
    /// A `completed` result paid the executor.
    Paid,
    /// An `expired` or `cancelled` result refunded the payer.
    Refunded,
}

/// What happens to a job on A.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EscrowEvent {
    /// `postJob` with this deadline (the payment and spec checks are the contract's, before it).
    Post {
        /// The job's deadline (unix seconds, B's clock).
        deadline: u64,
    },
    /// `cancel`, by the payer or not.
    Cancel {
        /// Whether the caller is the job's payer.
        by_payer: bool,
    },
    /// A delivered result.
    Result {
        /// What B decided.
        outcome: Outcome,
        /// Whether the result comes from the chain the job was posted to.
        from_executor_chain: bool,
    },
}

/// What the contract on A does after an accepted step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EscrowEffect {
    /// Escrow the payment and send `post` to B.
    SendPost,
    /// Send `cancel` to B (the escrow stays).
    SendCancel,
    /// Pay the escrow to the result's executor.
    Pay,
    /// Refund the escrow to the payer.
    Refund,
}

/// A job on its executor chain (B).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExecutorState {
    /// Received, waiting for a claim.
    Open,
    /// Taken by one account, which alone may submit the result.
    Claimed,
    /// The claimer's result, on time.
    Completed,
    /// Ended after its deadline.
    Expired,
    /// Cancelled by its payer while open.
    Cancelled,
}

impl ExecutorState {
    /// `Completed`, `Expired` or `Cancelled`: B has decided, and sent the one result.
    pub fn is_finished(&self) -> bool {
        matches!(
            self,
            ExecutorState::Completed | ExecutorState::Expired | ExecutorState::Cancelled
        )
    }
}

/// What B needs of a job besides its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExecutorTerms {
    /// The job's deadline (unix seconds), inclusive: a block with `time <= deadline` is on time.
    pub deadline: u64,
    /// Chain A, where the results go and the payment is made.
    pub escrow_chain: u32,
}

/// What happens to a job on B.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExecutorEvent<'a> {
    /// A delivered `post`.
    Post,
    /// `claim`, by any account.
    Claim,
    /// `submitResult`.
    SubmitResult {
        /// Whether the caller is the account that claimed the job.
        by_claimer: bool,
        /// The result hash given (32 bytes, non-zero).
        result_hash: &'a [u8],
        /// The account A pays (32-byte form, one A can hold).
        pay_to: &'a [u8],
    },
    /// `expire`, by any account.
    Expire,
    /// A delivered `cancel`.
    Cancel {
        /// Whether it comes from the job's chain A and names the job's payer as sender.
        from_payer: bool,
    },
}

/// What the contract on B does after an accepted step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExecutorEffect {
    /// Only the new state is recorded (a post opened the job, a claim took it).
    Record,
    /// The job ended: send its one result to A with this outcome.
    SendResult(Outcome),
    /// A cancel after a claim or after the end: nothing changes, nothing is sent (A waits for B's result).
    CancelIgnored,
}

/// Why a `pay_to` is refused (`InvalidExecutor`): A could never pay it, and B sends one result only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayToFault {
    /// Not 32 bytes (the length given).
    Length(usize),
    /// The zero account.
    Zero,
    /// Chain A is an EVM chain and the upper 12 bytes are not zero.
    NotEvmAddress,
}

/// Why a job step is refused: the contracts' error names (§7.3). Nothing changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobRefusal {
    /// No such job here.
    UnknownJob,
    /// A `post` for a job already here.
    JobAlreadyExists,
    /// A claim of a job not open, a result or expiry of a job B already decided.
    JobNotOpen,
    /// A result from another account than the claimer (or for a job nobody claimed).
    NotClaimer,
    /// A claim or result after the deadline, or a post whose deadline is not in the future.
    DeadlinePassed,
    /// An expiry at or before the deadline.
    DeadlineNotPassed,
    /// A cancel by another account than the payer (on B: not from the job's chain A and its payer).
    NotPayer,
    /// A cancel of a job no longer `Posted`.
    JobNotCancellable,
    /// A result from another chain than the job's executor chain, or one the job's state does not take.
    UnexpectedResult,
    /// A field of the call out of its allowed values (its name).
    InvalidField(&'static str),
    /// A `pay_to` A cannot pay.
    InvalidExecutor(PayToFault),
}

impl JobRefusal {
    /// The refusal's name, as the contracts' errors and the vectors call it.
    pub fn code(&self) -> &'static str {
        match self {
            JobRefusal::UnknownJob => "UnknownJob",
            JobRefusal::JobAlreadyExists => "JobAlreadyExists",
            JobRefusal::JobNotOpen => "JobNotOpen",
            JobRefusal::NotClaimer => "NotClaimer",
            JobRefusal::DeadlinePassed => "DeadlinePassed",
            JobRefusal::DeadlineNotPassed => "DeadlineNotPassed",
            JobRefusal::NotPayer => "NotPayer",
            JobRefusal::JobNotCancellable => "JobNotCancellable",
            JobRefusal::UnexpectedResult => "UnexpectedResult",
            JobRefusal::InvalidField(_) => "InvalidField",
            JobRefusal::InvalidExecutor(_) => "InvalidExecutor",
        }
    }
}

/// A step of a job on A. Checks, in order: for a post, a known id (`JobAlreadyExists`) and the deadline
/// (`DeadlinePassed` unless `deadline > now`); otherwise a known job (`UnknownJob`), then for a cancel the
/// payer (`NotPayer`) and `Posted` (`JobNotCancellable`), for a result its chain then its outcome against
/// the state (`UnexpectedResult`): completed or expired from `Posted` or `CancelRequested`, cancelled from
/// `CancelRequested` only.
pub fn escrow_step(
    state: Option<EscrowState>,
    event: EscrowEvent,
    now: u64,
) -> Result<(EscrowState, EscrowEffect), JobRefusal> {
    let state = match (state, event) {
        (Some(_), EscrowEvent::Post { .. }) => return Err(JobRefusal::JobAlreadyExists),
        (None, EscrowEvent::Post { deadline }) => {
            if deadline <= now {
                return Err(JobRefusal::DeadlinePassed);
            }
            return Ok((EscrowState::Posted, EscrowEffect::SendPost));
        }
        (None, _) => return Err(JobRefusal::UnknownJob),
        (Some(state), _) => state,
    };
    let open = matches!(state, EscrowState::Posted | EscrowState::CancelRequested);
    match event {
        EscrowEvent::Post { .. } => Err(JobRefusal::JobAlreadyExists),
        EscrowEvent::Cancel { by_payer } => {
            if !by_payer {
                return Err(JobRefusal::NotPayer);
            }
            if state != EscrowState::Posted {
                return Err(JobRefusal::JobNotCancellable);
            }
            Ok((EscrowState::CancelRequested, EscrowEffect::SendCancel))
        }
        EscrowEvent::Result {
            outcome,
            from_executor_chain,
        } => {
            if !from_executor_chain {
                return Err(JobRefusal::UnexpectedResult);
            }
            match outcome {
                Outcome::Completed if open => Ok((EscrowState::Paid, EscrowEffect::Pay)),
                Outcome::Expired if open => Ok((EscrowState::Refunded, EscrowEffect::Refund)),
                Outcome::Cancelled if state == EscrowState::CancelRequested => {
                    Ok((EscrowState::Refunded, EscrowEffect::Refund))
                }
                _ => Err(JobRefusal::UnexpectedResult),
            }
        }
    }
}

/// A step of a job on B. Checks, in order: a post for a known id (`JobAlreadyExists`), any other event
/// for an unknown one (`UnknownJob`); then
/// - claim: `Open` (`JobNotOpen`), `now <= deadline` (`DeadlinePassed`);
/// - result: claimed (`NotClaimer` while `Open`), not decided (`JobNotOpen`), by the claimer
///   (`NotClaimer`), `now <= deadline` (`DeadlinePassed`), the result hash (`InvalidField`), `pay_to`
///   ([`check_pay_to`], `InvalidExecutor`);
/// - expire: not decided (`JobNotOpen`), `now > deadline` (`DeadlineNotPassed`);
/// - cancel: from the payer (`NotPayer`); after `Open` it is ignored (`CancelIgnored`, no refusal).
pub fn executor_step(
    state: Option<ExecutorState>,
    terms: ExecutorTerms,
    event: ExecutorEvent,
    now: u64,
) -> Result<(ExecutorState, ExecutorEffect), JobRefusal> {
    let state = match (state, event) {
        (Some(_), ExecutorEvent::Post) => return Err(JobRefusal::JobAlreadyExists),
        (None, ExecutorEvent::Post) => return Ok((ExecutorState::Open, ExecutorEffect::Record)),
        (None, _) => return Err(JobRefusal::UnknownJob),
        (Some(state), _) => state,
    };
    let on_time = now <= terms.deadline;
    match event {
        ExecutorEvent::Post => Err(JobRefusal::JobAlreadyExists),
        ExecutorEvent::Claim => {
            if state != ExecutorState::Open {
                return Err(JobRefusal::JobNotOpen);
            }
            if !on_time {
                return Err(JobRefusal::DeadlinePassed);
            }
            Ok((ExecutorState::Claimed, ExecutorEffect::Record))
        }
        ExecutorEvent::SubmitResult {
            by_claimer,
            result_hash,
            pay_to,
        } => {
            if state == ExecutorState::Open {
                return Err(JobRefusal::NotClaimer);
            }
            if state.is_finished() {
                return Err(JobRefusal::JobNotOpen);
            }
            if !by_claimer {
                return Err(JobRefusal::NotClaimer);
            }
            if !on_time {
                return Err(JobRefusal::DeadlinePassed);
            }
            if result_hash.len() != 32 || result_hash.iter().all(|b| *b == 0) {
                return Err(JobRefusal::InvalidField("resultHash"));
            }
            check_pay_to(terms.escrow_chain, pay_to).map_err(JobRefusal::InvalidExecutor)?;
            Ok((
                ExecutorState::Completed,
                ExecutorEffect::SendResult(Outcome::Completed),
            ))
        }
        ExecutorEvent::Expire => {
            if state.is_finished() {
                return Err(JobRefusal::JobNotOpen);
            }
            if on_time {
                return Err(JobRefusal::DeadlineNotPassed);
            }
            Ok((
                ExecutorState::Expired,
                ExecutorEffect::SendResult(Outcome::Expired),
            ))
        }
        ExecutorEvent::Cancel { from_payer } => {
            if !from_payer {
                return Err(JobRefusal::NotPayer);
            }
            if state != ExecutorState::Open {
                return Ok((state, ExecutorEffect::CancelIgnored));
            }
            Ok((
                ExecutorState::Cancelled,
                ExecutorEffect::SendResult(Outcome::Cancelled),
            ))
        }
    }
}

/// The account chain A pays for a completed job (§7.3): 32 bytes, non-zero, and one A can hold as far as
/// this chain knows A's family (an EVM chain of §1 holds only left-padded 20-byte addresses).
pub fn check_pay_to(escrow_chain: u32, pay_to: &[u8]) -> Result<[u8; 32], PayToFault> {
    let bytes: [u8; 32] = pay_to
        .try_into()
        .map_err(|_| PayToFault::Length(pay_to.len()))?;
    if bytes == [0u8; 32] {
        return Err(PayToFault::Zero);
    }
    if chain_ids::EVM.contains(&escrow_chain) && bytes[..12] != [0u8; 12] {
        return Err(PayToFault::NotEvmAddress);
    }
    Ok(bytes)
}
