//! Inbound rate limit per origin token: a token bucket of `capacity` per 24 hours, refilled linearly
//! (the same rule as the EVM bridge).

use cosmwasm_std::{Storage, Uint128};

use crate::account::hex0x;
use crate::error::ContractError;
use crate::state::{RateLimit, RATE_LIMITS};

pub const WINDOW_SECONDS: u64 = 24 * 60 * 60;

pub fn consume(storage: &mut dyn Storage, key: &[u8; 32], amount: u128, now: u64) -> Result<(), ContractError> {
    let Some(mut r) = RATE_LIMITS.may_load(storage, key)? else { return Ok(()) };
    let capacity = r.capacity.u128();
    if capacity == 0 {
        return Ok(());
    }
    let elapsed = now.saturating_sub(r.last_refill) as u128;
    // capacity < 2^128 and elapsed < 2^64: the product may overflow u128, so saturate (it refills fully)
    let refill = elapsed.checked_mul(capacity).map(|p| p / WINDOW_SECONDS as u128).unwrap_or(capacity);
    let available = r.available.u128().saturating_add(refill).min(capacity);
    if amount > available {
        return Err(ContractError::RateLimitExceeded { token_key: hex0x(key), amount, available });
    }
    r.available = Uint128::new(available - amount);
    r.last_refill = now;
    RATE_LIMITS.save(storage, key, &r)?;
    Ok(())
}

pub fn set(storage: &mut dyn Storage, key: &[u8; 32], capacity: u128, now: u64) -> Result<(), ContractError> {
    RATE_LIMITS.save(
        storage,
        key,
        &RateLimit { capacity: Uint128::new(capacity), available: Uint128::new(capacity), last_refill: now },
    )?;
    Ok(())
}
