use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, HexBinary, Uint128};
use cw_storage_plus::{Item, Map};

#[cw_serde]
pub struct Config {
    /// This chain's SAH protocol chain id (docs/PROTOCOL.md), not the Cosmos chain id.
    pub chain_id: u32,
    /// The current key epoch: the instantiation's starting epoch (default 1), then one more per rotation.
    pub epoch: u32,
    /// FROST group key of the current epoch, 33 bytes compressed.
    pub group_key: HexBinary,
    /// The previous epoch's key, accepted until `previous_key_expiry` (unix seconds; 0: never again).
    pub previous_key: Option<HexBinary>,
    pub previous_key_expiry: u64,
    pub paused: bool,
    pub governance_nonce: u64,
    /// May pause (never unpause); governance sets it.
    pub pauser: Option<Addr>,
    /// Code id of cw20-base, instantiated once per origin token for its wrapped form.
    pub cw20_code_id: u64,
}

/// Where a wrapped cw20 token comes from, and what its home calls it (carried in every transfer).
#[cw_serde]
pub struct WrappedOrigin {
    pub origin_chain: u32,
    pub origin_token: HexBinary,
    pub decimals: u8,
    pub symbol: HexBinary,
    pub name: HexBinary,
}

#[cw_serde]
pub struct NativeDenom {
    pub denom: String,
    pub decimals: u8,
    pub symbol: String,
    pub name: String,
}

/// Inbound token bucket: `capacity` per 24 h, refilled linearly; capacity 0 means no limit.
#[cw_serde]
pub struct RateLimit {
    pub capacity: Uint128,
    pub available: Uint128,
    pub last_refill: u64,
}

pub const CONFIG: Item<Config> = Item::new("config");
pub const OUTBOUND_NONCE: Item<u64> = Item::new("outbound_nonce");
/// Outbound message id by nonce: what a relayer (and later a state proof) checks an event against.
pub const OUTBOUND: Map<u64, HexBinary> = Map::new("outbound");
// Messages delivered here, each once: bits by (source chain, nonce), 256 to a word, in `crate::consumed`
// (namespace "consumed_words", raw 32-byte words; docs/PROTOCOL.md §2).
/// Native funds held for other chains, by denom. Unlocks can never exceed it.
pub const LOCKED: Map<&str, Uint128> = Map::new("locked");
/// A native denom by its protocol token id, sha256(denom), recorded at its first lock.
pub const DENOMS: Map<&[u8], String> = Map::new("denoms");
/// Metadata of native denoms, set at instantiation; others travel with 6 decimals and their denom.
pub const NATIVE_DENOMS: Map<&str, NativeDenom> = Map::new("native_denoms");
/// Wrapped cw20 by token key (keccak256(originChain || originToken), as on every chain).
pub const WRAPPED: Map<&[u8], Addr> = Map::new("wrapped");
pub const WRAPPED_ORIGIN: Map<&Addr, WrappedOrigin> = Map::new("wrapped_origin");
/// Wrapped amount outstanding by token key (minted by valid messages, less burned). The cw20's supply
/// equals it; the bridge refuses a mint that would take it past 2^128 - 1 (the home chain never locks
/// more, so only a forged or broken batch could ask for it).
pub const WRAPPED_SUPPLY: Map<&[u8], Uint128> = Map::new("wrapped_supply");
/// Mints waiting for the wrapped token being instantiated in this transaction, by token key.
pub const PENDING_MINTS: Map<&[u8], Vec<(Addr, Uint128)>> = Map::new("pending_mints");
pub const PENDING_ORIGIN: Map<&[u8], WrappedOrigin> = Map::new("pending_origin");
pub const RATE_LIMITS: Map<&[u8], RateLimit> = Map::new("rate_limits");

// ---------------------------------------------------------------------------------------- attestations
// docs/PROTOCOL.md §7.2: one record per data hash (the first owner DID keeps it), and every register or
// revoke by another owner DID kept beside it as a conflict.

/// What an attestation message (or a local attest / revoke) asks for.
#[cw_serde]
pub enum AttestationAction {
    Register,
    Revoke,
}

#[cw_serde]
pub struct AttestationRecord {
    pub data_hash: HexBinary,
    /// `did:pkh:...` of the account that attested on its origin chain (§7.1).
    pub owner_did: String,
    /// Protocol chain id where the attestation was made (this chain's own id for a local attest).
    pub origin_chain: u32,
    /// Nonce of the message that carried it; 0 for a local attest (§7.2).
    pub origin_nonce: u64,
    pub uri: String,
    pub license: String,
    /// Unix seconds at the origin of the last register (of the revoke, for a record created by one).
    pub timestamp: u64,
    pub revoked: bool,
    /// Unix seconds at the origin of the revocation (0 while not revoked).
    pub revoked_at: u64,
}

#[cw_serde]
pub struct AttestationConflict {
    pub data_hash: HexBinary,
    pub owner_did: String,
    pub origin_chain: u32,
    pub nonce: u64,
    pub timestamp: u64,
    pub action: AttestationAction,
}

pub const ATTESTATIONS: Map<&[u8], AttestationRecord> = Map::new("attestations");
/// Conflicts by (data hash, index from 0); CONFLICT_COUNT holds how many a data hash has.
pub const CONFLICTS: Map<(&[u8], u64), AttestationConflict> = Map::new("attestation_conflicts");
pub const CONFLICT_COUNT: Map<&[u8], u64> = Map::new("attestation_conflict_count");

// ---------------------------------------------------------------------------------------- compute jobs
// docs/PROTOCOL.md §7.3. This bridge is chain A (escrow) for the jobs posted here and chain B (executor)
// for the jobs it receives; the two sides are kept apart, each keyed by job id.

/// What pays a job posted here: a native denom configured at instantiation, or a wrapped cw20 this
/// bridge created (sent with cw20 `Send`).
#[cw_serde]
pub enum PaymentAsset {
    Native { denom: String },
    Cw20 { token: Addr },
}

impl PaymentAsset {
    /// Key of the escrow total (denoms and addresses live in separate prefixes).
    pub fn escrow_key(&self) -> String {
        match self {
            PaymentAsset::Native { denom } => format!("native/{denom}"),
            PaymentAsset::Cw20 { token } => format!("cw20/{token}"),
        }
    }
}

#[cw_serde]
pub enum PostedJobStatus {
    Posted,
    CancelRequested,
    Paid,
    Refunded,
}

/// A job posted on this chain (A): its payment is in escrow here until B's result.
#[cw_serde]
pub struct PostedJob {
    pub job_id: HexBinary,
    /// The counter the id was made from: sha256("SAH-JOB" || chain u32 BE || counter u64 BE).
    pub counter: u64,
    pub payer: Addr,
    pub executor_chain: u32,
    pub spec_hash: HexBinary,
    pub asset: PaymentAsset,
    pub payment_origin_chain: u32,
    pub payment_origin_token: HexBinary,
    pub amount: Uint128,
    pub deadline: u64,
    pub posted_at: u64,
    /// Nonce of the `post` message.
    pub post_nonce: u64,
    pub status: PostedJobStatus,
    /// From a `completed` result.
    pub result_hash: Option<HexBinary>,
    /// The executor's 32-byte account from a `completed` result, and the address it was paid to.
    pub executor: Option<HexBinary>,
    pub paid_to: Option<Addr>,
    /// B's timestamp of the result that settled the job.
    pub settled_at: Option<u64>,
}

#[cw_serde]
pub enum ReceivedJobStatus {
    Open,
    Claimed,
    Completed,
    Expired,
    Cancelled,
}

/// A job received from chain A: this chain (B) arbitrates it and sends exactly one result.
#[cw_serde]
pub struct ReceivedJob {
    pub job_id: HexBinary,
    /// Chain A, where the payment is in escrow (the `post` message's source).
    pub escrow_chain: u32,
    /// Nonce of the `post` message on A.
    pub post_nonce: u64,
    pub payer: HexBinary,
    pub spec_hash: HexBinary,
    pub payment_origin_chain: u32,
    pub payment_origin_token: HexBinary,
    pub amount: Uint128,
    pub deadline: u64,
    pub received_at: u64,
    pub status: ReceivedJobStatus,
    pub claimer: Option<Addr>,
    pub result_hash: Option<HexBinary>,
    /// 32-byte account to pay on A, given with the result.
    pub pay_to: Option<HexBinary>,
    /// Block time when the job left Open/Claimed, and the nonce of the result message sent then.
    pub finished_at: Option<u64>,
    pub result_nonce: Option<u64>,
}

/// Jobs posted here (A side), by job id.
pub const POSTED_JOBS: Map<&[u8], PostedJob> = Map::new("posted_jobs");
/// Jobs received from other chains (B side), by job id.
pub const RECEIVED_JOBS: Map<&[u8], ReceivedJob> = Map::new("received_jobs");
/// Last counter used for a job id (0: none yet).
pub const JOB_COUNTER: Item<u64> = Item::new("job_counter");
/// Payment held for open jobs posted here, by `PaymentAsset::escrow_key`. Apart from LOCKED: unlocks never
/// touch it, and the bridge's balance of a denom is LOCKED + this.
pub const JOB_ESCROW: Map<&str, Uint128> = Map::new("job_escrow");
