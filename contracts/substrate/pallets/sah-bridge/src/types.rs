//! The bridge's plain types and token-id helpers (PROTOCOL.md §3.1): the forms a message, a batch, a
//! signature and a key travel in, the storage records of rate limits and wrapped assets, and how a
//! token of this chain is named. The §7 types (records, conflicts, jobs) are in [`crate::flows`].

use crate::{Config, NATIVE_TOKEN};
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::BoundedVec;
use sah_bridge_protocol::rules::RateLimitBucket;
use scale_info::TypeInfo;
use sp_runtime::RuntimeDebug;

/// A message as it travels: the protocol's bytes, bounded.
pub type MessageOf<T> = BoundedVec<u8, <T as Config>::MaxMessageLen>;
/// The messages of a batch.
pub type BatchOf<T> = BoundedVec<MessageOf<T>, <T as Config>::MaxBatch>;
/// A FROST signature: R (33, SEC1 compressed) || z (32).
pub type Signature = [u8; 65];
/// A FROST group key, SEC1 compressed.
pub type GroupKey = [u8; 33];

/// Inbound token bucket: `capacity` per 24 h, refilled linearly; capacity 0 means no limit (the rule's
/// [`RateLimitBucket`], as stored).
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, RuntimeDebug, Default)]
pub struct RateLimit {
    pub capacity: u128,
    pub available: u128,
    pub last_refill: u64,
}

impl From<RateLimit> for RateLimitBucket {
    fn from(r: RateLimit) -> Self {
        RateLimitBucket {
            capacity: r.capacity,
            available: r.available,
            last_refill: r.last_refill,
        }
    }
}

impl From<RateLimitBucket> for RateLimit {
    fn from(b: RateLimitBucket) -> Self {
        RateLimit {
            capacity: b.capacity,
            available: b.available,
            last_refill: b.last_refill,
        }
    }
}

/// Where a wrapped asset comes from and what its home calls it (carried in every burn).
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, RuntimeDebug)]
pub struct WrappedOrigin {
    pub origin_chain: u32,
    pub origin_token: [u8; 32],
    pub decimals: u8,
    pub symbol: [u8; 32],
    pub name: [u8; 32],
}

/// A token of this chain, from its protocol id.
#[derive(Clone, Copy, PartialEq, Eq, RuntimeDebug)]
pub enum HomeToken {
    Native,
    Asset(u32),
}

impl HomeToken {
    /// `sha256("native")`, or a `u32` left-padded to 32 bytes; anything else is no token of
    /// this chain.
    pub fn from_origin_token(t: &[u8; 32]) -> Option<HomeToken> {
        if *t == NATIVE_TOKEN {
            return Some(HomeToken::Native);
        }
        if t[..28].iter().all(|b| *b == 0) {
            return Some(HomeToken::Asset(u32::from_be_bytes([
                t[28], t[29], t[30], t[31],
            ])));
        }
        None
    }
}

/// A home asset's protocol token id: its id, big-endian, left-padded to 32 bytes.
pub fn asset_token(asset_id: u32) -> [u8; 32] {
    let mut t = [0u8; 32];
    t[28..].copy_from_slice(&asset_id.to_be_bytes());
    t
}

/// The id under which a token's wrapped form and rate limit are kept, as on every chain (the rule):
/// `keccak256(originChain u32 BE || originToken)`.
pub use sah_bridge_protocol::rules::token_key;

/// UTF-8 (or opaque bytes), right-padded with zeros, cut at 32 bytes (on a character boundary when
/// the bytes are UTF-8).
pub fn padded32(bytes: &[u8]) -> [u8; 32] {
    let mut end = bytes.len().min(32);
    if let Ok(s) = core::str::from_utf8(bytes) {
        while !s.is_char_boundary(end) {
            end -= 1;
        }
    }
    let mut out = [0u8; 32];
    out[..end].copy_from_slice(&bytes[..end]);
    out
}

/// A zero-padded field without its trailing zero bytes.
pub fn trimmed(bytes: &[u8; 32]) -> alloc::vec::Vec<u8> {
    let end = bytes.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
    bytes[..end].to_vec()
}
