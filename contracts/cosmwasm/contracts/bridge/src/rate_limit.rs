//! Inbound rate limit per origin token: the rule's token bucket (`sah_bridge_protocol::rules`), `capacity`
//! per 24 hours refilled linearly, the same on every chain; kept here by token key.

use cosmwasm_std::{Storage, Uint128};
use sah_bridge_protocol::rules::{RateLimitBucket, RateLimitExceeded};

use crate::account::hex0x;
use crate::error::ContractError;
use crate::state::{RateLimit, RATE_LIMITS};

pub fn consume(storage: &mut dyn Storage, key: &[u8; 32], amount: u128, now: u64) -> Result<(), ContractError> {
    let Some(r) = RATE_LIMITS.may_load(storage, key)? else { return Ok(()) };
    let bucket =
        RateLimitBucket { capacity: r.capacity.u128(), available: r.available.u128(), last_refill: r.last_refill };
    match bucket.take(amount, now) {
        // capacity 0: no limit
        Ok(None) => Ok(()),
        Ok(Some(after)) => Ok(RATE_LIMITS.save(storage, key, &stored(after))?),
        Err(RateLimitExceeded { available }) => {
            Err(ContractError::RateLimitExceeded { token_key: hex0x(key), amount, available })
        }
    }
}

pub fn set(storage: &mut dyn Storage, key: &[u8; 32], capacity: u128, now: u64) -> Result<(), ContractError> {
    RATE_LIMITS.save(storage, key, &stored(RateLimitBucket::new(capacity, now)))?;
    Ok(())
}

fn stored(b: RateLimitBucket) -> RateLimit {
    RateLimit { capacity: Uint128::new(b.capacity), available: Uint128::new(b.available), last_refill: b.last_refill }
}
