//! Data attestations and compute jobs (PROTOCOL.md §7): the registry, the jobs this chain escrows
//! (chain A) and the jobs it arbitrates (chain B). The storage items, events, errors and calls are in
//! `lib.rs`; this module holds their types, and [`functions`] the calls' logic and the state
//! transitions. (The types stay under `flows`: their metadata paths, and the names clients derive
//! from them, do not change.)

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::ConstU32, BoundedVec};
pub use sah_bridge_protocol::job_id;
use sah_bridge_protocol::rules::{EscrowState, ExecutorState, ExecutorTerms};
use sah_bridge_protocol::{AttestationAction, Outcome, MAX_DID_LEN, MAX_LICENSE_LEN, MAX_URI_LEN};
use scale_info::TypeInfo;
use sp_runtime::RuntimeDebug;

mod functions;

/// Most destinations of one `attest` or `revoke` (one message each).
pub const MAX_DESTINATIONS: u32 = 16;

/// Conflicts stored per data hash. Later ones are still counted
/// ([`ConflictCount`](crate::ConflictCount)) and announced
/// ([`Event::AttestationConflict`](crate::Event::AttestationConflict) with `stored: false`), never
/// stored: the record itself is never touched by a conflict, and a data hash's storage stays bounded
/// whatever other owners send.
pub const MAX_CONFLICTS: u32 = 64;

/// An owner DID (1..=256 bytes, UTF-8).
pub type Did = BoundedVec<u8, ConstU32<{ MAX_DID_LEN as u32 }>>;
/// An attestation's URI (0..=2048 bytes, UTF-8).
pub type Uri = BoundedVec<u8, ConstU32<{ MAX_URI_LEN as u32 }>>;
/// An attestation's license (0..=256 bytes, UTF-8).
pub type License = BoundedVec<u8, ConstU32<{ MAX_LICENSE_LEN as u32 }>>;
/// The destination chains of an `attest` or `revoke`.
pub type Destinations = BoundedVec<u32, ConstU32<MAX_DESTINATIONS>>;

/// Register or revoke (the payload's `action`).
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    Encode,
    Decode,
    DecodeWithMemTracking,
    MaxEncodedLen,
    TypeInfo,
    RuntimeDebug,
)]
pub enum AttestAction {
    Register,
    Revoke,
}

impl From<AttestationAction> for AttestAction {
    fn from(a: AttestationAction) -> Self {
        match a {
            AttestationAction::Register => AttestAction::Register,
            AttestationAction::Revoke => AttestAction::Revoke,
        }
    }
}

/// A registry record (PROTOCOL.md §7.2), kept by data hash.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, RuntimeDebug)]
pub struct Attestation {
    pub data_hash: [u8; 32],
    /// The `did:pkh` of the account that attested, on its origin chain.
    pub owner_did: Did,
    /// Where the attestation was made (this chain's id for a local `attest`).
    pub origin_chain: u32,
    /// The nonce of the message that carried it; 0 for a local `attest`.
    pub origin_nonce: u64,
    pub uri: Uri,
    pub license: License,
    /// Unix seconds at the origin of the last register (of the revoke, for a record a revoke
    /// created).
    pub timestamp: u64,
    pub revoked: bool,
    /// Unix seconds at the origin of the revocation (0 while not revoked).
    pub revoked_at: u64,
}

/// A register or revoke that did not apply to the record (another owner DID, or a register of a
/// revoked record), kept beside it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, RuntimeDebug)]
pub struct Conflict {
    pub data_hash: [u8; 32],
    pub owner_did: Did,
    pub origin_chain: u32,
    pub nonce: u64,
    pub timestamp: u64,
    pub action: AttestAction,
}

/// What pays a job posted here: the native currency or a `pallet-assets` asset (a home asset, or a
/// wrapped asset this pallet created).
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    Encode,
    Decode,
    DecodeWithMemTracking,
    MaxEncodedLen,
    TypeInfo,
    RuntimeDebug,
)]
pub enum Payment {
    Native,
    Asset(u32),
}

/// A job posted here, on chain A.
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    Encode,
    Decode,
    DecodeWithMemTracking,
    MaxEncodedLen,
    TypeInfo,
    RuntimeDebug,
)]
pub enum PostedJobState {
    /// Escrowed, `post` sent.
    Posted,
    /// The payer asked B to cancel; B's result decides.
    CancelRequested,
    /// A `completed` result paid the executor.
    Paid,
    /// An `expired` or `cancelled` result refunded the payer.
    Refunded,
}

impl From<PostedJobState> for EscrowState {
    fn from(s: PostedJobState) -> Self {
        match s {
            PostedJobState::Posted => EscrowState::Posted,
            PostedJobState::CancelRequested => EscrowState::CancelRequested,
            PostedJobState::Paid => EscrowState::Paid,
            PostedJobState::Refunded => EscrowState::Refunded,
        }
    }
}

impl From<EscrowState> for PostedJobState {
    fn from(s: EscrowState) -> Self {
        match s {
            EscrowState::Posted => PostedJobState::Posted,
            EscrowState::CancelRequested => PostedJobState::CancelRequested,
            EscrowState::Paid => PostedJobState::Paid,
            EscrowState::Refunded => PostedJobState::Refunded,
        }
    }
}

/// A job this chain escrows (chain A).
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, RuntimeDebug)]
pub struct PostedJob<AccountId> {
    /// The counter the id was made from.
    pub counter: u64,
    pub payer: AccountId,
    pub executor_chain: u32,
    pub spec_hash: [u8; 32],
    pub payment: Payment,
    /// The payment token's home and id there (PROTOCOL.md §3.1), as sent in `post`.
    pub payment_origin_chain: u32,
    pub payment_origin_token: [u8; 32],
    pub amount: u128,
    pub deadline: u64,
    pub posted_at: u64,
    /// Nonce of the `post` message.
    pub post_nonce: u64,
    pub state: PostedJobState,
    /// From a `completed` result (zero otherwise).
    pub result_hash: [u8; 32],
    /// Who was paid (`completed`, the executor) or refunded (the payer); set when settled.
    pub settled_to: Option<AccountId>,
    /// B's timestamp of the result that settled the job (0 before).
    pub settled_at: u64,
}

/// A job this chain arbitrates (chain B).
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    Encode,
    Decode,
    DecodeWithMemTracking,
    MaxEncodedLen,
    TypeInfo,
    RuntimeDebug,
)]
pub enum ReceivedJobState {
    Open,
    Claimed,
    Completed,
    Expired,
    Cancelled,
}

impl From<ReceivedJobState> for ExecutorState {
    fn from(s: ReceivedJobState) -> Self {
        match s {
            ReceivedJobState::Open => ExecutorState::Open,
            ReceivedJobState::Claimed => ExecutorState::Claimed,
            ReceivedJobState::Completed => ExecutorState::Completed,
            ReceivedJobState::Expired => ExecutorState::Expired,
            ReceivedJobState::Cancelled => ExecutorState::Cancelled,
        }
    }
}

impl From<ExecutorState> for ReceivedJobState {
    fn from(s: ExecutorState) -> Self {
        match s {
            ExecutorState::Open => ReceivedJobState::Open,
            ExecutorState::Claimed => ReceivedJobState::Claimed,
            ExecutorState::Completed => ReceivedJobState::Completed,
            ExecutorState::Expired => ReceivedJobState::Expired,
            ExecutorState::Cancelled => ReceivedJobState::Cancelled,
        }
    }
}

/// A job received from chain A (chain B's view).
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, RuntimeDebug)]
pub struct ReceivedJob<AccountId> {
    /// Chain A (the `post` message's source), where the payment is escrowed and results go.
    pub escrow_chain: u32,
    /// Nonce of the `post` message.
    pub post_nonce: u64,
    /// The payer on A (32-byte form): the only one who may cancel.
    pub payer: [u8; 32],
    pub spec_hash: [u8; 32],
    pub payment_origin_chain: u32,
    pub payment_origin_token: [u8; 32],
    pub amount: u128,
    pub deadline: u64,
    pub received_at: u64,
    pub state: ReceivedJobState,
    pub claimer: Option<AccountId>,
    pub result_hash: [u8; 32],
    /// The 32-byte account to pay on A, given with the result.
    pub pay_to: [u8; 32],
    /// Block time when the job left `Open`/`Claimed` (0 before).
    pub finished_at: u64,
    /// Nonce of the result message sent then (0 before).
    pub result_nonce: u64,
}

/// The outcome a job settled with (events).
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    Encode,
    Decode,
    DecodeWithMemTracking,
    MaxEncodedLen,
    TypeInfo,
    RuntimeDebug,
)]
pub enum JobOutcome {
    Completed,
    Expired,
    Cancelled,
}

impl<AccountId> ReceivedJob<AccountId> {
    /// What the job rules need of it besides its state.
    pub fn terms(&self) -> ExecutorTerms {
        ExecutorTerms {
            deadline: self.deadline,
            escrow_chain: self.escrow_chain,
        }
    }
}

impl From<Outcome> for JobOutcome {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::Completed => JobOutcome::Completed,
            Outcome::Expired => JobOutcome::Expired,
            Outcome::Cancelled => JobOutcome::Cancelled,
        }
    }
}
