//! The bridge's pure rules (docs/PROTOCOL.md §8): the decisions every chain's bridge takes the same way,
//! written once here for the Rust chains (the CosmWasm contract and the FRAME pallet) and pinned for
//! every chain, the EVM contracts and the relayer's TypeScript included, by `test/vectors/flows.json`.
//!
//! Each rule is a function of small plain values (no storage, no chain types, no panics): the contract
//! reads its state, asks the rule, and writes the outcome, its events and its payments itself.
//!
//! - [`token_key`]: the id of a token's wrapped form and rate limit;
//! - [`key_for_epoch`]: which key signs an epoch now, or why none does;
//! - [`RateLimitBucket::take`]: the inbound token bucket;
//! - [`registry_decision`]: what a register or revoke does to the attestation registry (§7.2);
//! - [`escrow_step`] and [`executor_step`]: a compute job's transitions on chain A and chain B (§7.3).

mod epoch_key;
mod jobs;
mod rate_limit;
mod registry;
mod token_key;

pub use epoch_key::{key_for_epoch, EpochKey, EpochRefusal};
pub use jobs::{
    check_pay_to, escrow_step, executor_step, EscrowEffect, EscrowEvent, EscrowState,
    ExecutorEffect, ExecutorEvent, ExecutorState, ExecutorTerms, JobRefusal, PayToFault,
};
pub use rate_limit::{RateLimitBucket, RateLimitExceeded, RATE_LIMIT_WINDOW_SECONDS};
pub use registry::{registry_decision, RecordView, RegistryDecision, RegistryEntry};
pub use token_key::token_key;
