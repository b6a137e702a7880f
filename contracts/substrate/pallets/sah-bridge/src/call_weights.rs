//! What the inbound calls are charged. `weights.rs` is generated from the benchmarks
//! (`scripts/bench-pallet-weights.sh`); a delivery's cost depends on the message it carries, so each
//! inbound call is charged the larger (ref time and proof size each) of its measured heaviest paths:
//! a transfer creating a wrapped asset (`receive_message`, `receive_batch`) and the longest
//! attestation over the longest record of another owner, which stores a conflict too
//! (`receive_attestation`, `receive_batch_attestations`).

use crate::weights::WeightInfo;
use frame_support::weights::Weight;

/// `Attestation::max_encoded_len()` (checked by a test): 32 + (2 + 256) + 4 + 8 + (2 + 2048) +
/// (2 + 256) + 8 + 1 + 8. A delivered attestation proves a record of up to this size.
pub const ATTESTATION_MAX_LEN: u64 = 2_627;
/// `Conflict::max_encoded_len()` (checked by a test): 32 + (2 + 256) + 4 + 8 + 8 + 1.
pub const CONFLICT_MAX_LEN: u64 = 311;

/// What `receive_message` is charged.
pub fn receive_message<W: WeightInfo>() -> Weight {
    W::receive_message().max(W::receive_attestation())
}

/// What `receive_batch` of `n` messages is charged.
pub fn receive_batch<W: WeightInfo>(n: u32) -> Weight {
    W::receive_batch(n).max(W::receive_batch_attestations(n))
}
