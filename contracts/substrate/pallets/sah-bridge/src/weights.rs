//! Weights of the SAH bridge pallet: **hand-computed upper bounds, not benchmark results.**
//!
//! Each call's weight is the storage reads and writes along its most expensive path (counted from the
//! code of this pallet, `pallet-balances` 46 and `pallet-assets` 48.1; a read of the same item twice is
//! counted twice), priced with the runtime's `DbWeight`, plus a fixed computation bound, plus a proof
//! size bound of [`PROOF_PER_READ`] bytes per storage read. The computation bounds are generous on
//! purpose:
//!
//! - [`SIGNATURE_CHECK`]: one FROST verification = two secp256k1 point decompressions (the group key
//!   and R, one field square root each), four SHA-256 compressions, a few scalar operations in the
//!   runtime, and one host `secp256k1_ecdsa_recover`. Natively this is about 0.1 ms; the bound is
//!   1 ms, which also covers compiled wasm.
//! - [`PER_MESSAGE`]: decoding one message (at most `MaxMessageLen` bytes, a linear scan), its keccak
//!   id and the Merkle work for it: 0.1 ms.
//! - [`CALL_BASE`]: encoding and hashing an outbound message, bookkeeping: 0.05 ms.
//!
//! Replace them with benchmarked weights (`runtime-benchmarks` feature, `frame-benchmarking`) before
//! anything but a devnet relies on them.

use core::marker::PhantomData;
use frame_support::{
    traits::Get,
    weights::{constants::RocksDbWeight, Weight},
};

/// Upper bound of one FROST signature check (ref time, picoseconds: 1 ms).
pub const SIGNATURE_CHECK: Weight = Weight::from_parts(1_000_000_000, 0);
/// Upper bound of decoding and hashing one inbound message (0.1 ms).
pub const PER_MESSAGE: Weight = Weight::from_parts(100_000_000, 0);
/// Upper bound of the fixed work of a call (0.05 ms).
pub const CALL_BASE: Weight = Weight::from_parts(50_000_000, 0);
/// Proof size bound per storage read (bytes): key, value (every item here is under 200 bytes) and
/// trie nodes on the way.
pub const PROOF_PER_READ: u64 = 4_000;

/// Storage reads/writes of the inbound paths, most expensive case.
///
/// A transfer that creates a wrapped asset (the worst transfer):
/// bridge: Paused 1, RateLimits 1 r/w, WrappedSupply 1 r/w, WrappedAsset 1 r/w, NextWrappedAssetId
/// 1 r/w, WrappedOrigins w, asset-id probes `MAX_ASSET_ID_PROBES` (8) r;
/// pallet-assets create: Asset r/w, NextAssetId r; metadata: Asset r, Metadata r/w, escrow balance
/// System::Account r x2 (before/after), reserve System::Account r/w; mint: Asset r/w, Account r/w,
/// System::Account r/w (sufficients). An unlock (Locked r/w, two System::Account or Asset+two
/// Account r/w) costs less.
pub const TRANSFER_READS: u64 = 25;
/// See [`TRANSFER_READS`].
pub const TRANSFER_WRITES: u64 = 13;
/// Per delivered message: Consumed r/w and the event.
pub const CONSUME_READS: u64 = 1;
/// See [`CONSUME_READS`].
pub const CONSUME_WRITES: u64 = 2;
/// Key selection: Epoch, CurrentKey, PreviousKey, PreviousKeyExpiry; plus the time (Timestamp::Now).
pub const KEY_READS: u64 = 5;
/// Governance (worst: RotateKey): GovernanceNonce r/w, Epoch r, CurrentKey r/w, PreviousKey w,
/// PreviousKeyExpiry w, Epoch w, event.
pub const GOVERNANCE_READS: u64 = 3;
/// See [`GOVERNANCE_READS`].
pub const GOVERNANCE_WRITES: u64 = 6;

/// Weight functions of the pallet's calls.
pub trait WeightInfo {
    fn lock_native() -> Weight;
    fn lock_asset() -> Weight;
    fn burn() -> Weight;
    fn receive_message() -> Weight;
    fn receive_batch(n: u32) -> Weight;
    fn pause() -> Weight;
}

/// The bounds priced with the runtime's `DbWeight`.
pub struct SubstrateWeight<T>(PhantomData<T>);

fn bound(
    db: frame_support::weights::RuntimeDbWeight,
    reads: u64,
    writes: u64,
    compute: Weight,
) -> Weight {
    compute
        .saturating_add(db.reads_writes(reads, writes))
        .saturating_add(Weight::from_parts(0, reads.saturating_mul(PROOF_PER_READ)))
}

// Outbound, counted:
// lock_native: Paused r, Locked r/w, System::Account x2 r/w (caller, pallet), OutboundNonce r/w,
//   OutboundMessages w, event w -> 5 r, 6 w.
// lock_asset: WrappedOrigins r, Asset r (exists), Paused r, Locked r/w, Asset r/w, Account x2 r/w,
//   System::Account r/w (a new asset account of the pallet), Metadata r x3 (decimals, symbol, name),
//   OutboundNonce r/w, OutboundMessages w, event w -> 13 r, 8 w.
// burn: WrappedOrigins r, Paused r, WrappedSupply r/w, Asset r/w, Account r/w, System::Account r/w
//   (sufficients on death), OutboundNonce r/w, OutboundMessages w, event w -> 7 r, 7 w.
// pause: Pauser r, Paused w, event w -> 1 r, 2 w.
fn lock_native(db: frame_support::weights::RuntimeDbWeight) -> Weight {
    bound(db, 5, 6, CALL_BASE)
}
fn lock_asset(db: frame_support::weights::RuntimeDbWeight) -> Weight {
    bound(db, 13, 8, CALL_BASE)
}
fn burn(db: frame_support::weights::RuntimeDbWeight) -> Weight {
    bound(db, 7, 7, CALL_BASE)
}
fn receive_message(db: frame_support::weights::RuntimeDbWeight) -> Weight {
    // the worse of a governance message and a transfer, plus key selection and consumption
    let reads = KEY_READS + CONSUME_READS + TRANSFER_READS.max(GOVERNANCE_READS);
    let writes = CONSUME_WRITES + TRANSFER_WRITES.max(GOVERNANCE_WRITES);
    bound(
        db,
        reads,
        writes,
        CALL_BASE
            .saturating_add(SIGNATURE_CHECK)
            .saturating_add(PER_MESSAGE),
    )
}
fn receive_batch(db: frame_support::weights::RuntimeDbWeight, n: u32) -> Weight {
    let n = u64::from(n.max(1));
    let reads = KEY_READS + 1 + n * (CONSUME_READS + TRANSFER_READS);
    let writes = 1 + n * (CONSUME_WRITES + TRANSFER_WRITES);
    bound(
        db,
        reads,
        writes,
        CALL_BASE
            .saturating_add(SIGNATURE_CHECK)
            .saturating_add(PER_MESSAGE.saturating_mul(n)),
    )
}
fn pause(db: frame_support::weights::RuntimeDbWeight) -> Weight {
    bound(db, 1, 2, CALL_BASE)
}

impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
    fn lock_native() -> Weight {
        lock_native(T::DbWeight::get())
    }
    fn lock_asset() -> Weight {
        lock_asset(T::DbWeight::get())
    }
    fn burn() -> Weight {
        burn(T::DbWeight::get())
    }
    fn receive_message() -> Weight {
        receive_message(T::DbWeight::get())
    }
    fn receive_batch(n: u32) -> Weight {
        receive_batch(T::DbWeight::get(), n)
    }
    fn pause() -> Weight {
        pause(T::DbWeight::get())
    }
}

/// The same bounds priced with RocksDB weights (for tests and runtimes without their own).
impl WeightInfo for () {
    fn lock_native() -> Weight {
        lock_native(RocksDbWeight::get())
    }
    fn lock_asset() -> Weight {
        lock_asset(RocksDbWeight::get())
    }
    fn burn() -> Weight {
        burn(RocksDbWeight::get())
    }
    fn receive_message() -> Weight {
        receive_message(RocksDbWeight::get())
    }
    fn receive_batch(n: u32) -> Weight {
        receive_batch(RocksDbWeight::get(), n)
    }
    fn pause() -> Weight {
        pause(RocksDbWeight::get())
    }
}
