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
//! anything but a devnet relies on them. The standard generator, `frame-omni-bencher v1 benchmark
//! pallet` with polkadot-sdk's weight template, did not build on this project's machines (2026-12-07:
//! `cargo install frame-omni-bencher --version 0.28.0 --locked` stopped after 14.5 minutes in
//! `clang-sys`' build script, no `libclang.so`; sc-cli's default `rocksdb` feature needs bindgen).
//! Installing Debian's `libclang-dev` from the project's setup script is the next thing to try.

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

/// The §7 flows delivered inbound, most expensive case each (all within [`TRANSFER_READS`] /
/// [`TRANSFER_WRITES`], so the inbound bounds above cover their reads and writes):
/// - attestation: Attestations r/w, ConflictCount r/w, AttestationConflicts w, event -> 2 r, 4 w;
/// - `post`: ReceivedJobs r/w, Timestamp r, event -> 2 r, 2 w; `cancel` of an open job: ReceivedJobs
///   r/w, Timestamp r, OutboundNonce r/w, OutboundMessages w, events x2 -> 3 r, 5 w;
/// - result paying out an asset: PostedJobs r/w, JobEscrow r/w, Asset r/w, Account x2 r/w,
///   System::Account r/w (the executor's new account of a sufficient asset), event -> 6 r, 7 w.
///
/// Their proof size is bounded separately: a registry record and a conflict are larger than the
/// [`PROOF_PER_READ`] estimate (see [`ATTESTATION_PROOF`]).
pub const FLOW_READS: u64 = 6;
/// See [`FLOW_READS`].
pub const FLOW_WRITES: u64 = 7;
/// Proof size of the attestation path: the record's and a conflict's largest encodings, plus a
/// [`PROOF_PER_READ`] allowance (key and trie nodes) for each of its three items.
pub const ATTESTATION_PROOF: u64 = ATTESTATION_MAX_LEN + CONFLICT_MAX_LEN + 3 * PROOF_PER_READ;
/// `Attestation::max_encoded_len()` (checked by a test): 32 + (2 + 256) + 4 + 8 + (2 + 2048) +
/// (2 + 256) + 8 + 1 + 8.
pub const ATTESTATION_MAX_LEN: u64 = 2_627;
/// `Conflict::max_encoded_len()` (checked by a test): 32 + (2 + 256) + 4 + 8 + 8 + 1.
pub const CONFLICT_MAX_LEN: u64 = 311;
/// Upper bound of building an owner DID (blake2b-512 of 42 bytes, base58 of 35 bytes) or of
/// encoding, re-decoding (`try_encode`) and hashing one outbound message of at most 2.7 KB: 0.1 ms.
pub const PER_OUTBOUND: Weight = Weight::from_parts(100_000_000, 0);

/// Weight functions of the pallet's calls.
pub trait WeightInfo {
    fn lock_native() -> Weight;
    fn lock_asset() -> Weight;
    fn burn() -> Weight;
    fn receive_message() -> Weight;
    fn receive_batch(n: u32) -> Weight;
    fn pause() -> Weight;
    fn attest(d: u32) -> Weight;
    fn revoke(d: u32) -> Weight;
    fn post_job() -> Weight;
    fn cancel_job() -> Weight;
    fn claim_job() -> Weight;
    fn submit_result() -> Weight;
    fn expire_job() -> Weight;
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
    // the worst of a governance message, a transfer and a §7 flow (a `cancel` sends a result), plus
    // key selection and consumption; the attestation path's large values on top of the proof
    let reads = KEY_READS + CONSUME_READS + TRANSFER_READS.max(GOVERNANCE_READS).max(FLOW_READS);
    let writes = CONSUME_WRITES + TRANSFER_WRITES.max(GOVERNANCE_WRITES).max(FLOW_WRITES);
    bound(
        db,
        reads,
        writes,
        CALL_BASE
            .saturating_add(SIGNATURE_CHECK)
            .saturating_add(PER_MESSAGE)
            .saturating_add(PER_OUTBOUND),
    )
    .saturating_add(Weight::from_parts(0, ATTESTATION_PROOF))
}
fn receive_batch(db: frame_support::weights::RuntimeDbWeight, n: u32) -> Weight {
    let n = u64::from(n.max(1));
    let reads = KEY_READS + 1 + n * (CONSUME_READS + TRANSFER_READS.max(FLOW_READS));
    let writes = 1 + n * (CONSUME_WRITES + TRANSFER_WRITES.max(FLOW_WRITES));
    bound(
        db,
        reads,
        writes,
        CALL_BASE
            .saturating_add(SIGNATURE_CHECK)
            .saturating_add(PER_MESSAGE.saturating_add(PER_OUTBOUND).saturating_mul(n)),
    )
    .saturating_add(Weight::from_parts(0, n.saturating_mul(ATTESTATION_PROOF)))
}
fn pause(db: frame_support::weights::RuntimeDbWeight) -> Weight {
    bound(db, 1, 2, CALL_BASE)
}

// The §7 calls, counted (`d` destinations, each one outbound message):
// attest: Paused r, BlockHash(0) r (the DID), Attestations r x2 (revoked check, apply) /w,
//   Timestamp r, ConflictCount r/w, AttestationConflicts w, event; per destination OutboundNonce r/w,
//   OutboundMessages w, event -> 6 + d r, 4 + 3d w, plus the record and a conflict in the proof.
// revoke: the same shape (counted as attest's).
// post_job: Paused r, Timestamp r, Asset r (exists), Asset r (min balance), WrappedOrigins r,
//   JobCounter r/w, PostedJobs r/w, JobEscrow r/w, transfer (asset: Asset r/w, Account x2 r/w,
//   System::Account r/w for the pallet's new asset account; native: System::Account x2 r/w),
//   OutboundNonce r/w, OutboundMessages w, events x2 -> 14 r, 12 w.
// cancel_job: Paused r, PostedJobs r/w, OutboundNonce r/w, OutboundMessages w, events x2 -> 3 r, 5 w.
// claim_job: Paused r, ReceivedJobs r/w, Timestamp r, event -> 3 r, 2 w.
// submit_result, expire_job: Paused r, ReceivedJobs r/w, Timestamp r x2, OutboundNonce r/w,
//   OutboundMessages w, events x2 -> 5 r, 5 w.
fn attestation_call(db: frame_support::weights::RuntimeDbWeight, d: u32) -> Weight {
    let d = u64::from(d.max(1));
    bound(
        db,
        6 + d,
        4 + 3 * d,
        CALL_BASE.saturating_add(PER_OUTBOUND.saturating_mul(d + 1)),
    )
    .saturating_add(Weight::from_parts(0, ATTESTATION_PROOF))
}
fn post_job(db: frame_support::weights::RuntimeDbWeight) -> Weight {
    bound(db, 14, 12, CALL_BASE.saturating_add(PER_OUTBOUND))
}
fn cancel_job(db: frame_support::weights::RuntimeDbWeight) -> Weight {
    bound(db, 3, 5, CALL_BASE.saturating_add(PER_OUTBOUND))
}
fn claim_job(db: frame_support::weights::RuntimeDbWeight) -> Weight {
    bound(db, 3, 2, CALL_BASE)
}
fn job_result(db: frame_support::weights::RuntimeDbWeight) -> Weight {
    bound(db, 5, 5, CALL_BASE.saturating_add(PER_OUTBOUND))
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
    fn attest(d: u32) -> Weight {
        attestation_call(T::DbWeight::get(), d)
    }
    fn revoke(d: u32) -> Weight {
        attestation_call(T::DbWeight::get(), d)
    }
    fn post_job() -> Weight {
        post_job(T::DbWeight::get())
    }
    fn cancel_job() -> Weight {
        cancel_job(T::DbWeight::get())
    }
    fn claim_job() -> Weight {
        claim_job(T::DbWeight::get())
    }
    fn submit_result() -> Weight {
        job_result(T::DbWeight::get())
    }
    fn expire_job() -> Weight {
        job_result(T::DbWeight::get())
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
    fn attest(d: u32) -> Weight {
        attestation_call(RocksDbWeight::get(), d)
    }
    fn revoke(d: u32) -> Weight {
        attestation_call(RocksDbWeight::get(), d)
    }
    fn post_job() -> Weight {
        post_job(RocksDbWeight::get())
    }
    fn cancel_job() -> Weight {
        cancel_job(RocksDbWeight::get())
    }
    fn claim_job() -> Weight {
        claim_job(RocksDbWeight::get())
    }
    fn submit_result() -> Weight {
        job_result(RocksDbWeight::get())
    }
    fn expire_job() -> Weight {
        job_result(RocksDbWeight::get())
    }
}
