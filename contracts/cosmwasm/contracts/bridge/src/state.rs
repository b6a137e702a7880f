use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, HexBinary, Uint128};
use cw_storage_plus::{Item, Map};

#[cw_serde]
pub struct Config {
    /// This chain's SAH protocol chain id (docs/PROTOCOL.md), not the Cosmos chain id.
    pub chain_id: u32,
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
/// Message ids delivered here, each once.
pub const CONSUMED: Map<&[u8], bool> = Map::new("consumed");
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
