//! The SAH bridge on a CosmWasm chain.
//!
//! Outbound: `lock` native denoms sent with the call, or `burn` wrapped cw20 tokens (sent to the bridge
//! with cw20 `Send`); each assigns a nonce, emits the encoded message and stores its id by nonce (so a
//! state proof can show it). Inbound: anyone delivers a message with the relayer set's FROST signature;
//! the bridge checks destination, that the message is not consumed, key epoch and signature (bound to this
//! chain and this contract: `instance`), consumes the message once (a bit under its source chain and nonce:
//! `consumed`), then unlocks, mints (a cw20 per origin token, instantiated by the bridge) or applies
//! governance. The wire format and the verifier are the shared `sah-bridge-protocol` crate (docs/PROTOCOL.md).
//!
//! Data attestations (`attestations`) and compute jobs (`jobs`) are the flows of docs/PROTOCOL.md §7: a
//! registry of data hashes with their conflicts, and a job board that is chain A (escrow) for the jobs
//! posted here and chain B (executor) for the jobs received.

pub mod account;
pub mod attestations;
pub mod consumed;
pub mod contract;
pub mod error;
pub mod execute;
mod flow_vectors;
pub mod instance;
pub mod jobs;
pub mod msg;
pub mod query;
pub mod rate_limit;
pub mod reply;
pub mod state;
pub mod wrapped;

pub use crate::error::ContractError;
