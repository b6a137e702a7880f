/// Which key verifies a signature made under an epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EpochKey {
    /// The current epoch's key.
    Current,
    /// The previous epoch's key, within its grace period.
    Previous,
}

/// Why no key verifies a signature made under an epoch (the bridges' error names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EpochRefusal {
    /// Neither the current epoch nor a previous one still kept.
    UnknownEpoch,
    /// The previous epoch, after its grace period: never again.
    EpochExpired {
        /// When the previous key's grace period ended (unix seconds).
        expired_at: u64,
    },
}

impl EpochRefusal {
    /// The refusal's name, as the bridges' errors and the vectors call it.
    pub fn code(&self) -> &'static str {
        match self {
            EpochRefusal::UnknownEpoch => "UnknownEpoch",
            EpochRefusal::EpochExpired { .. } => "EpochExpired",
        }
    }
}

/// The key for a signature made under `epoch` at time `now` (§3.5, key rotation): the current key for the
/// current epoch; the previous key for the epoch before it until `previous_key_expiry` (inclusive), then
/// never again. `previous_key_expiry` is 0 when there is no previous key (none yet, or a rotation with
/// a zero grace retired it at once).
pub fn key_for_epoch(
    epoch: u32,
    current_epoch: u32,
    previous_key_expiry: u64,
    now: u64,
) -> Result<EpochKey, EpochRefusal> {
    if epoch == current_epoch {
        return Ok(EpochKey::Current);
    }
    // checked: an epoch of u32::MAX is just unknown
    if previous_key_expiry != 0 && epoch.checked_add(1) == Some(current_epoch) {
        if now > previous_key_expiry {
            return Err(EpochRefusal::EpochExpired {
                expired_at: previous_key_expiry,
            });
        }
        return Ok(EpochKey::Previous);
    }
    Err(EpochRefusal::UnknownEpoch)
}
