use cosmwasm_std::StdError;
use cw_utils::PaymentError;
use thiserror::Error;

/// Every refusal names itself first (`Name: detail`), so a transaction log shows which check failed.
#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    #[error("{0}")]
    Std(#[from] StdError),

    #[error("Payment: {0}")]
    Payment(#[from] PaymentError),

    #[error("{code}: {detail}")]
    Protocol { code: &'static str, detail: String },

    #[error("WrongDestination: message is for chain {destination}, this is chain {this_chain}")]
    WrongDestination { destination: u32, this_chain: u32 },

    /// The message's (source chain, nonce) is consumed (docs/PROTOCOL.md §2): this message, or another with the
    /// same source and nonce, was delivered already.
    #[error(
        "MessageAlreadyConsumed: nonce {nonce} of source chain {source_chain} was delivered already (message {id})"
    )]
    MessageAlreadyConsumed { id: String, source_chain: u32, nonce: u64 },

    #[error("UnknownEpoch: no key for epoch {epoch} (current epoch {current})")]
    UnknownEpoch { epoch: u32, current: u32 },

    #[error("EpochExpired: the key of epoch {epoch} expired at {expired_at}")]
    EpochExpired { epoch: u32, expired_at: u64 },

    #[error("InvalidSignature: {reason}")]
    InvalidSignature { reason: &'static str },

    #[error("InvalidGroupKey: a group key must be a 33-byte compressed secp256k1 point with x < n")]
    InvalidGroupKey,

    /// A starting epoch of 0 or u32::MAX (which no rotation could follow) at instantiation.
    #[error("InvalidStartingEpoch: a bridge starts at an epoch from 1 to 4294967294, not {epoch}")]
    InvalidStartingEpoch { epoch: u32 },

    /// The contract's canonical address does not fit the 32-byte `bridge` field of the signed digest
    /// (docs/PROTOCOL.md §2): such a bridge verifies no signature.
    #[error("BridgeAddressTooLong: this bridge's address {address} has a {length}-byte canonical form; the signed digest binds at most 32")]
    BridgeAddressTooLong { address: String, length: usize },

    #[error("BridgePaused: the bridge is paused")]
    BridgePaused,

    #[error("UnsupportedKind: message kind {kind} is not handled by this bridge")]
    UnsupportedKind { kind: u8 },

    #[error("InvalidRecipient: {reason}")]
    InvalidRecipient { reason: String },

    #[error("InvalidDestination: cannot send to chain {destination}")]
    InvalidDestination { destination: u32 },

    #[error("ZeroAmount: amount must be positive")]
    ZeroAmount,

    #[error("AmountTooLarge: {what} would exceed 2^128 - 1")]
    AmountTooLarge { what: String },

    #[error("UnknownOriginToken: no native denom of this chain has id {origin_token}")]
    UnknownOriginToken { origin_token: String },

    #[error("InsufficientLocked: {denom} has {locked} locked, {amount} asked")]
    InsufficientLocked { denom: String, locked: u128, amount: u128 },

    #[error("RateLimitExceeded: token {token_key} allows {available} now, {amount} asked")]
    RateLimitExceeded { token_key: String, amount: u128, available: u128 },

    #[error("UnknownWrappedToken: {token} is not a token this bridge minted")]
    UnknownWrappedToken { token: String },

    #[error("WrongGovernanceTarget: governance message is for {target}, not this bridge")]
    WrongGovernanceTarget { target: String },

    #[error("StaleGovernanceNonce: nonce {nonce} is not above the last one, {last}")]
    StaleGovernanceNonce { nonce: u64, last: u64 },

    #[error("GovernanceRequiresCurrentEpoch: signed under epoch {epoch}, current is {current}")]
    GovernanceRequiresCurrentEpoch { epoch: u32, current: u32 },

    #[error("InvalidEpochTransition: new epoch {new_epoch} must be current epoch {current} + 1")]
    InvalidEpochTransition { new_epoch: u32, current: u32 },

    #[error("GracePeriodTooLong: {grace_seconds} s is over the 30-day limit")]
    GracePeriodTooLong { grace_seconds: u32 },

    #[error("NotPauser: {caller} may not pause")]
    NotPauser { caller: String },

    #[error("EmptyBatch: a batch needs at least one message")]
    EmptyBatch,

    #[error("BatchAlreadyDelivered: every message of batch {root} was delivered already")]
    BatchAlreadyDelivered { root: String },

    #[error("GovernanceNotBatchable: governance message {id} must be delivered on its own")]
    GovernanceNotBatchable { id: String },

    #[error("UnknownReply: reply id {id}")]
    UnknownReply { id: u64 },

    // ------------------------------------------------------------ arguments of attest / post (§7)
    #[error("InvalidField: {field}: {reason}")]
    InvalidField { field: &'static str, reason: String },

    #[error("EmptyDestinations: at least one destination chain is needed")]
    EmptyDestinations,

    #[error("UnknownDenom: {denom} is not a native denom configured on this bridge")]
    UnknownDenom { denom: String },

    // ------------------------------------------------------------ attestations (§7.2)
    #[error("NotOwner: {caller} is not the owner of data hash {data_hash} ({reason})")]
    NotOwner { caller: String, data_hash: String, reason: String },

    #[error("AttestationRevoked: data hash {data_hash} was revoked by its owner; it cannot be registered again")]
    AttestationRevoked { data_hash: String },

    // ------------------------------------------------------------ compute jobs (§7.3)
    #[error("UnknownJob: no job {job_id} {side}")]
    UnknownJob { job_id: String, side: &'static str },

    #[error("JobNotOpen: job {job_id} is {status}")]
    JobNotOpen { job_id: String, status: String },

    #[error("NotClaimer: {caller} did not claim job {job_id}")]
    NotClaimer { job_id: String, caller: String },

    /// A claim or result after the deadline (`now > deadline`), or a post whose deadline is not in the
    /// future (`deadline <= now`); `job` is the job's id, or "a new job" for a post.
    #[error("DeadlinePassed: {job} has its deadline at {deadline}, it is now {now}")]
    DeadlinePassed { job: String, deadline: u64, now: u64 },

    #[error("DeadlineNotPassed: job {job_id} runs until {deadline} inclusive, it is now {now}")]
    DeadlineNotPassed { job_id: String, deadline: u64, now: u64 },

    #[error("NotPayer: {caller} did not pay for job {job_id}")]
    NotPayer { job_id: String, caller: String },

    #[error("JobNotCancellable: job {job_id} is {status}, only a Posted job can be cancelled")]
    JobNotCancellable { job_id: String, status: String },

    #[error("JobAlreadyExists: job {job_id} was posted here already")]
    JobAlreadyExists { job_id: String },

    #[error("UnexpectedResult: a {outcome} result from chain {source_chain} for job {job_id}, which is {status}")]
    UnexpectedResult { job_id: String, outcome: &'static str, source_chain: u32, status: String },

    #[error("InvalidExecutor: {reason}")]
    InvalidExecutor { reason: String },
}

impl From<sah_bridge_protocol::ProtocolError> for ContractError {
    fn from(e: sah_bridge_protocol::ProtocolError) -> Self {
        ContractError::Protocol { code: e.code(), detail: e.to_string() }
    }
}
