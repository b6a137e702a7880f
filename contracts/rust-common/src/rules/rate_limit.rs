/// Length of the rate-limit window: `capacity` per this many seconds, refilled linearly.
pub const RATE_LIMIT_WINDOW_SECONDS: u64 = 24 * 60 * 60;

/// An inbound token bucket per token key (§3.5, SetRateLimit): `capacity` per 24 hours, refilled
/// linearly, never above `capacity`; capacity 0 means no limit. Setting it fills it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitBucket {
    /// Most that may arrive in a window; 0: no limit.
    pub capacity: u128,
    /// What may arrive now, as of `last_refill`.
    pub available: u128,
    /// When `available` was last brought up to date (unix seconds).
    pub last_refill: u64,
}

/// A transfer larger than what the bucket holds now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitExceeded {
    /// What the bucket holds now (after the refill).
    pub available: u128,
}

impl RateLimitBucket {
    /// A bucket set (or reset) at `now`: full.
    pub fn new(capacity: u128, now: u64) -> RateLimitBucket {
        RateLimitBucket {
            capacity,
            available: capacity,
            last_refill: now,
        }
    }

    /// The bucket after `amount` arrives at `now`, or `RateLimitExceeded` with what it holds now.
    /// `Ok(None)`: no limit (capacity 0), nothing to store.
    pub fn take(
        &self,
        amount: u128,
        now: u64,
    ) -> Result<Option<RateLimitBucket>, RateLimitExceeded> {
        if self.capacity == 0 {
            return Ok(None);
        }
        let elapsed = now.saturating_sub(self.last_refill);
        let available = self
            .available
            .saturating_add(refill(self.capacity, elapsed))
            .min(self.capacity);
        if amount > available {
            return Err(RateLimitExceeded { available });
        }
        Ok(Some(RateLimitBucket {
            capacity: self.capacity,
            available: available - amount,
            last_refill: now,
        }))
    }
}

/// `floor(elapsed * capacity / window)`, exact (as the EVM bridge computes it in 256 bits) although the
/// product may not fit in u128: with `capacity = q * window + r`, it is `elapsed * q + floor(elapsed * r /
/// window)`, where `elapsed * r < 2^64 * 86400` always fits. When `elapsed * q` does not fit, the refill
/// is above any capacity, and saturating says the same.
fn refill(capacity: u128, elapsed: u64) -> u128 {
    let window = u128::from(RATE_LIMIT_WINDOW_SECONDS);
    let elapsed = u128::from(elapsed);
    let (q, r) = (capacity / window, capacity % window);
    elapsed
        .saturating_mul(q)
        .saturating_add(elapsed * r / window)
}
