
//! Weights of `pallet_sah_bridge`, measured by its benchmarks (`src/benchmarking.rs`) on the dev runtime.
//!
//! THIS FILE WAS AUTO-GENERATED USING THE SUBSTRATE BENCHMARK CLI VERSION 53.0.0
//! DATE: 2026-12-07, STEPS: `25`, REPEAT: `10`, LOW RANGE: `[]`, HIGH RANGE: `[]`
//! WORST CASE MAP SIZE: `1000000`
//! HOSTNAME: `vm`, CPU: `AMD EPYC`
//! WASM-EXECUTION: `Compiled`, CHAIN: `None`, DB CACHE: `1024`
//!
//! Regenerate with `bash scripts/bench-pallet-weights.sh` (after a change to the pallet's calls or storage).

// Executed Command:
// $SAH_CACHE/tools/bin/frame-omni-bencher
// v1
// benchmark
// pallet
// --runtime
// $SAH_CACHE/sah_dev_runtime_benchmarks.wasm
// --genesis-builder-preset
// development
// --pallet
// pallet_sah_bridge
// --extrinsic
// *
// --steps
// 25
// --repeat
// 10
// --template
// scripts/templates/pallet-weights.hbs
// --output
// contracts/substrate/pallets/sah-bridge/src/weights.rs

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

/// What each call of `pallet_sah_bridge` weighs.
pub trait WeightInfo {
	fn lock_native() -> Weight;
	fn lock_asset() -> Weight;
	fn burn() -> Weight;
	fn receive_message() -> Weight;
	fn receive_attestation() -> Weight;
	fn receive_batch_attestations(n: u32, ) -> Weight;
	fn receive_batch(n: u32, ) -> Weight;
	fn receive_batch_one_word(n: u32, ) -> Weight;
	fn pause() -> Weight;
	fn attest(d: u32, ) -> Weight;
	fn revoke(d: u32, ) -> Weight;
	fn post_job() -> Weight;
	fn cancel_job() -> Weight;
	fn claim_job() -> Weight;
	fn submit_result() -> Weight;
	fn expire_job() -> Weight;
}

/// The measured weights, priced with the runtime's `DbWeight`.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `SahBridge::Paused` (r:1 w:0)
	/// Proof: `SahBridge::Paused` (`max_values`: Some(1), `max_size`: Some(1), added: 496, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::Locked` (r:1 w:1)
	/// Proof: `SahBridge::Locked` (`max_values`: None, `max_size`: Some(64), added: 2539, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:2 w:2)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::OutboundNonce` (r:1 w:1)
	/// Proof: `SahBridge::OutboundNonce` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::OutboundMessages` (r:0 w:1)
	/// Proof: `SahBridge::OutboundMessages` (`max_values`: None, `max_size`: Some(48), added: 2523, mode: `MaxEncodedLen`)
	fn lock_native() -> Weight {
		Weight::from_parts(92_217_000, 6196)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	/// Storage: `SahBridge::WrappedOrigins` (r:1 w:0)
	/// Proof: `SahBridge::WrappedOrigins` (`max_values`: None, `max_size`: Some(121), added: 2596, mode: `MaxEncodedLen`)
	/// Storage: `Assets::Asset` (r:1 w:1)
	/// Proof: `Assets::Asset` (`max_values`: None, `max_size`: Some(210), added: 2685, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::Paused` (r:1 w:0)
	/// Proof: `SahBridge::Paused` (`max_values`: Some(1), `max_size`: Some(1), added: 496, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::Locked` (r:1 w:1)
	/// Proof: `SahBridge::Locked` (`max_values`: None, `max_size`: Some(64), added: 2539, mode: `MaxEncodedLen`)
	/// Storage: `Assets::Account` (r:2 w:2)
	/// Proof: `Assets::Account` (`max_values`: None, `max_size`: Some(134), added: 2609, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Assets::Metadata` (r:1 w:0)
	/// Proof: `Assets::Metadata` (`max_values`: None, `max_size`: Some(170), added: 2645, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::OutboundNonce` (r:1 w:1)
	/// Proof: `SahBridge::OutboundNonce` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::OutboundMessages` (r:0 w:1)
	/// Proof: `SahBridge::OutboundMessages` (`max_values`: None, `max_size`: Some(48), added: 2523, mode: `MaxEncodedLen`)
	fn lock_asset() -> Weight {
		Weight::from_parts(123_754_000, 6208)
			.saturating_add(T::DbWeight::get().reads(9_u64))
			.saturating_add(T::DbWeight::get().writes(7_u64))
	}
	/// Storage: `SahBridge::WrappedOrigins` (r:1 w:0)
	/// Proof: `SahBridge::WrappedOrigins` (`max_values`: None, `max_size`: Some(121), added: 2596, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::Paused` (r:1 w:0)
	/// Proof: `SahBridge::Paused` (`max_values`: Some(1), `max_size`: Some(1), added: 496, mode: `MaxEncodedLen`)
	/// Storage: `Assets::Asset` (r:1 w:1)
	/// Proof: `Assets::Asset` (`max_values`: None, `max_size`: Some(210), added: 2685, mode: `MaxEncodedLen`)
	/// Storage: `Assets::Account` (r:1 w:1)
	/// Proof: `Assets::Account` (`max_values`: None, `max_size`: Some(134), added: 2609, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::WrappedSupply` (r:1 w:1)
	/// Proof: `SahBridge::WrappedSupply` (`max_values`: None, `max_size`: Some(64), added: 2539, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::OutboundNonce` (r:1 w:1)
	/// Proof: `SahBridge::OutboundNonce` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::OutboundMessages` (r:0 w:1)
	/// Proof: `SahBridge::OutboundMessages` (`max_values`: None, `max_size`: Some(48), added: 2523, mode: `MaxEncodedLen`)
	fn burn() -> Weight {
		Weight::from_parts(64_346_000, 3675)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	/// Storage: `SahBridge::ConsumedWords` (r:1 w:1)
	/// Proof: `SahBridge::ConsumedWords` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::PreviousKey` (r:1 w:0)
	/// Proof: `SahBridge::PreviousKey` (`max_values`: Some(1), `max_size`: Some(33), added: 528, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::Epoch` (r:1 w:0)
	/// Proof: `SahBridge::Epoch` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::CurrentKey` (r:1 w:0)
	/// Proof: `SahBridge::CurrentKey` (`max_values`: Some(1), `max_size`: Some(33), added: 528, mode: `MaxEncodedLen`)
	/// Storage: `System::BlockHash` (r:1 w:0)
	/// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::Paused` (r:1 w:0)
	/// Proof: `SahBridge::Paused` (`max_values`: Some(1), `max_size`: Some(1), added: 496, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::RateLimits` (r:1 w:0)
	/// Proof: `SahBridge::RateLimits` (`max_values`: None, `max_size`: Some(88), added: 2563, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::WrappedSupply` (r:1 w:1)
	/// Proof: `SahBridge::WrappedSupply` (`max_values`: None, `max_size`: Some(64), added: 2539, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::WrappedAsset` (r:1 w:1)
	/// Proof: `SahBridge::WrappedAsset` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::NextWrappedAssetId` (r:1 w:1)
	/// Proof: `SahBridge::NextWrappedAssetId` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Assets::Asset` (r:1 w:1)
	/// Proof: `Assets::Asset` (`max_values`: None, `max_size`: Some(210), added: 2685, mode: `MaxEncodedLen`)
	/// Storage: `Assets::NextAssetId` (r:1 w:0)
	/// Proof: `Assets::NextAssetId` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:2 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Assets::Metadata` (r:1 w:1)
	/// Proof: `Assets::Metadata` (`max_values`: None, `max_size`: Some(170), added: 2645, mode: `MaxEncodedLen`)
	/// Storage: `Assets::Account` (r:1 w:1)
	/// Proof: `Assets::Account` (`max_values`: None, `max_size`: Some(134), added: 2609, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::WrappedOrigins` (r:0 w:1)
	/// Proof: `SahBridge::WrappedOrigins` (`max_values`: None, `max_size`: Some(121), added: 2596, mode: `MaxEncodedLen`)
	fn receive_message() -> Weight {
		Weight::from_parts(179_177_000, 6196)
			.saturating_add(T::DbWeight::get().reads(17_u64))
			.saturating_add(T::DbWeight::get().writes(9_u64))
	}
	/// Storage: `SahBridge::ConsumedWords` (r:1 w:1)
	/// Proof: `SahBridge::ConsumedWords` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::PreviousKey` (r:1 w:0)
	/// Proof: `SahBridge::PreviousKey` (`max_values`: Some(1), `max_size`: Some(33), added: 528, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::Epoch` (r:1 w:0)
	/// Proof: `SahBridge::Epoch` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::CurrentKey` (r:1 w:0)
	/// Proof: `SahBridge::CurrentKey` (`max_values`: Some(1), `max_size`: Some(33), added: 528, mode: `MaxEncodedLen`)
	/// Storage: `System::BlockHash` (r:1 w:0)
	/// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::Paused` (r:1 w:0)
	/// Proof: `SahBridge::Paused` (`max_values`: Some(1), `max_size`: Some(1), added: 496, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::Attestations` (r:1 w:0)
	/// Proof: `SahBridge::Attestations` (`max_values`: None, `max_size`: Some(2675), added: 5150, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::ConflictCount` (r:1 w:1)
	/// Proof: `SahBridge::ConflictCount` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::AttestationConflicts` (r:0 w:1)
	/// Proof: `SahBridge::AttestationConflicts` (`max_values`: None, `max_size`: Some(371), added: 2846, mode: `MaxEncodedLen`)
	fn receive_attestation() -> Weight {
		Weight::from_parts(139_527_000, 6140)
			.saturating_add(T::DbWeight::get().reads(9_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::PreviousKey` (r:1 w:0)
	/// Proof: `SahBridge::PreviousKey` (`max_values`: Some(1), `max_size`: Some(33), added: 528, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::Epoch` (r:1 w:0)
	/// Proof: `SahBridge::Epoch` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::CurrentKey` (r:1 w:0)
	/// Proof: `SahBridge::CurrentKey` (`max_values`: Some(1), `max_size`: Some(33), added: 528, mode: `MaxEncodedLen`)
	/// Storage: `System::BlockHash` (r:1 w:0)
	/// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::Paused` (r:1 w:0)
	/// Proof: `SahBridge::Paused` (`max_values`: Some(1), `max_size`: Some(1), added: 496, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::ConsumedWords` (r:64 w:64)
	/// Proof: `SahBridge::ConsumedWords` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::Attestations` (r:64 w:0)
	/// Proof: `SahBridge::Attestations` (`max_values`: None, `max_size`: Some(2675), added: 5150, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::ConflictCount` (r:64 w:64)
	/// Proof: `SahBridge::ConflictCount` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::AttestationConflicts` (r:0 w:64)
	/// Proof: `SahBridge::AttestationConflicts` (`max_values`: None, `max_size`: Some(371), added: 2846, mode: `MaxEncodedLen`)
	/// The range of component `n` is `[1, 64]`.
	fn receive_batch_attestations(n: u32, ) -> Weight {
		Weight::from_parts(136_854_000, 3509)
			.saturating_add(Weight::from_parts(76_978_354, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().reads((3_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes((3_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 5150).saturating_mul(n.into()))
	}
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::PreviousKey` (r:1 w:0)
	/// Proof: `SahBridge::PreviousKey` (`max_values`: Some(1), `max_size`: Some(33), added: 528, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::Epoch` (r:1 w:0)
	/// Proof: `SahBridge::Epoch` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::CurrentKey` (r:1 w:0)
	/// Proof: `SahBridge::CurrentKey` (`max_values`: Some(1), `max_size`: Some(33), added: 528, mode: `MaxEncodedLen`)
	/// Storage: `System::BlockHash` (r:1 w:0)
	/// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::Paused` (r:1 w:0)
	/// Proof: `SahBridge::Paused` (`max_values`: Some(1), `max_size`: Some(1), added: 496, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::ConsumedWords` (r:64 w:64)
	/// Proof: `SahBridge::ConsumedWords` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::RateLimits` (r:64 w:0)
	/// Proof: `SahBridge::RateLimits` (`max_values`: None, `max_size`: Some(88), added: 2563, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::WrappedSupply` (r:64 w:64)
	/// Proof: `SahBridge::WrappedSupply` (`max_values`: None, `max_size`: Some(64), added: 2539, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::WrappedAsset` (r:64 w:64)
	/// Proof: `SahBridge::WrappedAsset` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::NextWrappedAssetId` (r:1 w:1)
	/// Proof: `SahBridge::NextWrappedAssetId` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Assets::Asset` (r:64 w:64)
	/// Proof: `Assets::Asset` (`max_values`: None, `max_size`: Some(210), added: 2685, mode: `MaxEncodedLen`)
	/// Storage: `Assets::NextAssetId` (r:1 w:0)
	/// Proof: `Assets::NextAssetId` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:2 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Assets::Metadata` (r:64 w:64)
	/// Proof: `Assets::Metadata` (`max_values`: None, `max_size`: Some(170), added: 2645, mode: `MaxEncodedLen`)
	/// Storage: `Assets::Account` (r:64 w:64)
	/// Proof: `Assets::Account` (`max_values`: None, `max_size`: Some(134), added: 2609, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::WrappedOrigins` (r:0 w:64)
	/// Proof: `SahBridge::WrappedOrigins` (`max_values`: None, `max_size`: Some(121), added: 2596, mode: `MaxEncodedLen`)
	/// The range of component `n` is `[1, 64]`.
	fn receive_batch(n: u32, ) -> Weight {
		Weight::from_parts(1_884_451_663, 6196)
			.saturating_add(Weight::from_parts(102_901_131, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(10_u64))
			.saturating_add(T::DbWeight::get().reads((7_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes(2_u64))
			.saturating_add(T::DbWeight::get().writes((7_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2685).saturating_mul(n.into()))
	}
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::PreviousKey` (r:1 w:0)
	/// Proof: `SahBridge::PreviousKey` (`max_values`: Some(1), `max_size`: Some(33), added: 528, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::Epoch` (r:1 w:0)
	/// Proof: `SahBridge::Epoch` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::CurrentKey` (r:1 w:0)
	/// Proof: `SahBridge::CurrentKey` (`max_values`: Some(1), `max_size`: Some(33), added: 528, mode: `MaxEncodedLen`)
	/// Storage: `System::BlockHash` (r:1 w:0)
	/// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::Paused` (r:1 w:0)
	/// Proof: `SahBridge::Paused` (`max_values`: Some(1), `max_size`: Some(1), added: 496, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::ConsumedWords` (r:1 w:1)
	/// Proof: `SahBridge::ConsumedWords` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::RateLimits` (r:64 w:0)
	/// Proof: `SahBridge::RateLimits` (`max_values`: None, `max_size`: Some(88), added: 2563, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::WrappedSupply` (r:64 w:64)
	/// Proof: `SahBridge::WrappedSupply` (`max_values`: None, `max_size`: Some(64), added: 2539, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::WrappedAsset` (r:64 w:64)
	/// Proof: `SahBridge::WrappedAsset` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::NextWrappedAssetId` (r:1 w:1)
	/// Proof: `SahBridge::NextWrappedAssetId` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Assets::Asset` (r:64 w:64)
	/// Proof: `Assets::Asset` (`max_values`: None, `max_size`: Some(210), added: 2685, mode: `MaxEncodedLen`)
	/// Storage: `Assets::NextAssetId` (r:1 w:0)
	/// Proof: `Assets::NextAssetId` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:2 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Assets::Metadata` (r:64 w:64)
	/// Proof: `Assets::Metadata` (`max_values`: None, `max_size`: Some(170), added: 2645, mode: `MaxEncodedLen`)
	/// Storage: `Assets::Account` (r:64 w:64)
	/// Proof: `Assets::Account` (`max_values`: None, `max_size`: Some(134), added: 2609, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::WrappedOrigins` (r:0 w:64)
	/// Proof: `SahBridge::WrappedOrigins` (`max_values`: None, `max_size`: Some(121), added: 2596, mode: `MaxEncodedLen`)
	/// The range of component `n` is `[1, 64]`.
	fn receive_batch_one_word(n: u32, ) -> Weight {
		Weight::from_parts(173_438_000, 6196)
			.saturating_add(Weight::from_parts(205_884_352, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(11_u64))
			.saturating_add(T::DbWeight::get().reads((6_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes(3_u64))
			.saturating_add(T::DbWeight::get().writes((6_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2685).saturating_mul(n.into()))
	}
	/// Storage: `SahBridge::Pauser` (r:1 w:0)
	/// Proof: `SahBridge::Pauser` (`max_values`: Some(1), `max_size`: Some(32), added: 527, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::Paused` (r:0 w:1)
	/// Proof: `SahBridge::Paused` (`max_values`: Some(1), `max_size`: Some(1), added: 496, mode: `MaxEncodedLen`)
	fn pause() -> Weight {
		Weight::from_parts(13_660_000, 1517)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `SahBridge::Paused` (r:1 w:0)
	/// Proof: `SahBridge::Paused` (`max_values`: Some(1), `max_size`: Some(1), added: 496, mode: `MaxEncodedLen`)
	/// Storage: `System::BlockHash` (r:1 w:0)
	/// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::Attestations` (r:1 w:0)
	/// Proof: `SahBridge::Attestations` (`max_values`: None, `max_size`: Some(2675), added: 5150, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::ConflictCount` (r:1 w:1)
	/// Proof: `SahBridge::ConflictCount` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::OutboundNonce` (r:1 w:1)
	/// Proof: `SahBridge::OutboundNonce` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::OutboundMessages` (r:0 w:6)
	/// Proof: `SahBridge::OutboundMessages` (`max_values`: None, `max_size`: Some(48), added: 2523, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::AttestationConflicts` (r:0 w:1)
	/// Proof: `SahBridge::AttestationConflicts` (`max_values`: None, `max_size`: Some(371), added: 2846, mode: `MaxEncodedLen`)
	/// The range of component `d` is `[1, 16]`.
	fn attest(d: u32, ) -> Weight {
		Weight::from_parts(128_092_498, 6140)
			.saturating_add(Weight::from_parts(4_722_226, 0).saturating_mul(d.into()))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	/// Storage: `SahBridge::Paused` (r:1 w:0)
	/// Proof: `SahBridge::Paused` (`max_values`: Some(1), `max_size`: Some(1), added: 496, mode: `MaxEncodedLen`)
	/// Storage: `System::BlockHash` (r:1 w:0)
	/// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::Attestations` (r:1 w:1)
	/// Proof: `SahBridge::Attestations` (`max_values`: None, `max_size`: Some(2675), added: 5150, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::OutboundNonce` (r:1 w:1)
	/// Proof: `SahBridge::OutboundNonce` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::OutboundMessages` (r:0 w:6)
	/// Proof: `SahBridge::OutboundMessages` (`max_values`: None, `max_size`: Some(48), added: 2523, mode: `MaxEncodedLen`)
	/// The range of component `d` is `[1, 16]`.
	fn revoke(d: u32, ) -> Weight {
		Weight::from_parts(61_733_990, 6140)
			.saturating_add(Weight::from_parts(2_926_340, 0).saturating_mul(d.into()))
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	/// Storage: `SahBridge::Paused` (r:1 w:0)
	/// Proof: `SahBridge::Paused` (`max_values`: Some(1), `max_size`: Some(1), added: 496, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Assets::Asset` (r:1 w:1)
	/// Proof: `Assets::Asset` (`max_values`: None, `max_size`: Some(210), added: 2685, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::WrappedOrigins` (r:1 w:0)
	/// Proof: `SahBridge::WrappedOrigins` (`max_values`: None, `max_size`: Some(121), added: 2596, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::JobCounter` (r:1 w:1)
	/// Proof: `SahBridge::JobCounter` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::PostedJobs` (r:1 w:1)
	/// Proof: `SahBridge::PostedJobs` (`max_values`: None, `max_size`: Some(279), added: 2754, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::JobEscrow` (r:1 w:1)
	/// Proof: `SahBridge::JobEscrow` (`max_values`: None, `max_size`: Some(37), added: 2512, mode: `MaxEncodedLen`)
	/// Storage: `Assets::Account` (r:2 w:2)
	/// Proof: `Assets::Account` (`max_values`: None, `max_size`: Some(134), added: 2609, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::OutboundNonce` (r:1 w:1)
	/// Proof: `SahBridge::OutboundNonce` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::OutboundMessages` (r:0 w:1)
	/// Proof: `SahBridge::OutboundMessages` (`max_values`: None, `max_size`: Some(48), added: 2523, mode: `MaxEncodedLen`)
	fn post_job() -> Weight {
		Weight::from_parts(134_710_000, 6208)
			.saturating_add(T::DbWeight::get().reads(11_u64))
			.saturating_add(T::DbWeight::get().writes(9_u64))
	}
	/// Storage: `SahBridge::Paused` (r:1 w:0)
	/// Proof: `SahBridge::Paused` (`max_values`: Some(1), `max_size`: Some(1), added: 496, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::PostedJobs` (r:1 w:1)
	/// Proof: `SahBridge::PostedJobs` (`max_values`: None, `max_size`: Some(279), added: 2754, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::OutboundNonce` (r:1 w:1)
	/// Proof: `SahBridge::OutboundNonce` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::OutboundMessages` (r:0 w:1)
	/// Proof: `SahBridge::OutboundMessages` (`max_values`: None, `max_size`: Some(48), added: 2523, mode: `MaxEncodedLen`)
	fn cancel_job() -> Weight {
		Weight::from_parts(55_042_000, 3744)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `SahBridge::ReceivedJobs` (r:1 w:1)
	/// Proof: `SahBridge::ReceivedJobs` (`max_values`: None, `max_size`: Some(306), added: 2781, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	fn claim_job() -> Weight {
		Weight::from_parts(24_706_000, 3771)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `SahBridge::Paused` (r:1 w:0)
	/// Proof: `SahBridge::Paused` (`max_values`: Some(1), `max_size`: Some(1), added: 496, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::ReceivedJobs` (r:1 w:1)
	/// Proof: `SahBridge::ReceivedJobs` (`max_values`: None, `max_size`: Some(306), added: 2781, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::OutboundNonce` (r:1 w:1)
	/// Proof: `SahBridge::OutboundNonce` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::OutboundMessages` (r:0 w:1)
	/// Proof: `SahBridge::OutboundMessages` (`max_values`: None, `max_size`: Some(48), added: 2523, mode: `MaxEncodedLen`)
	fn submit_result() -> Weight {
		Weight::from_parts(56_675_000, 3771)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `SahBridge::Paused` (r:1 w:0)
	/// Proof: `SahBridge::Paused` (`max_values`: Some(1), `max_size`: Some(1), added: 496, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::ReceivedJobs` (r:1 w:1)
	/// Proof: `SahBridge::ReceivedJobs` (`max_values`: None, `max_size`: Some(306), added: 2781, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::OutboundNonce` (r:1 w:1)
	/// Proof: `SahBridge::OutboundNonce` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `SahBridge::OutboundMessages` (r:0 w:1)
	/// Proof: `SahBridge::OutboundMessages` (`max_values`: None, `max_size`: Some(48), added: 2523, mode: `MaxEncodedLen`)
	fn expire_job() -> Weight {
		Weight::from_parts(32_889_000, 3771)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
}

/// The same weights priced with RocksDB's, for tests and for runtimes that take them as they are.
impl WeightInfo for () {
	fn lock_native() -> Weight {
		Weight::from_parts(92_217_000, 6196)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	fn lock_asset() -> Weight {
		Weight::from_parts(123_754_000, 6208)
			.saturating_add(RocksDbWeight::get().reads(9_u64))
			.saturating_add(RocksDbWeight::get().writes(7_u64))
	}
	fn burn() -> Weight {
		Weight::from_parts(64_346_000, 3675)
			.saturating_add(RocksDbWeight::get().reads(7_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	fn receive_message() -> Weight {
		Weight::from_parts(179_177_000, 6196)
			.saturating_add(RocksDbWeight::get().reads(17_u64))
			.saturating_add(RocksDbWeight::get().writes(9_u64))
	}
	fn receive_attestation() -> Weight {
		Weight::from_parts(139_527_000, 6140)
			.saturating_add(RocksDbWeight::get().reads(9_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn receive_batch_attestations(n: u32, ) -> Weight {
		Weight::from_parts(136_854_000, 3509)
			.saturating_add(Weight::from_parts(76_978_354, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().reads((3_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes((3_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 5150).saturating_mul(n.into()))
	}
	fn receive_batch(n: u32, ) -> Weight {
		Weight::from_parts(1_884_451_663, 6196)
			.saturating_add(Weight::from_parts(102_901_131, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(10_u64))
			.saturating_add(RocksDbWeight::get().reads((7_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
			.saturating_add(RocksDbWeight::get().writes((7_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2685).saturating_mul(n.into()))
	}
	fn receive_batch_one_word(n: u32, ) -> Weight {
		Weight::from_parts(173_438_000, 6196)
			.saturating_add(Weight::from_parts(205_884_352, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(11_u64))
			.saturating_add(RocksDbWeight::get().reads((6_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
			.saturating_add(RocksDbWeight::get().writes((6_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2685).saturating_mul(n.into()))
	}
	fn pause() -> Weight {
		Weight::from_parts(13_660_000, 1517)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn attest(d: u32, ) -> Weight {
		Weight::from_parts(128_092_498, 6140)
			.saturating_add(Weight::from_parts(4_722_226, 0).saturating_mul(d.into()))
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	fn revoke(d: u32, ) -> Weight {
		Weight::from_parts(61_733_990, 6140)
			.saturating_add(Weight::from_parts(2_926_340, 0).saturating_mul(d.into()))
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	fn post_job() -> Weight {
		Weight::from_parts(134_710_000, 6208)
			.saturating_add(RocksDbWeight::get().reads(11_u64))
			.saturating_add(RocksDbWeight::get().writes(9_u64))
	}
	fn cancel_job() -> Weight {
		Weight::from_parts(55_042_000, 3744)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn claim_job() -> Weight {
		Weight::from_parts(24_706_000, 3771)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn submit_result() -> Weight {
		Weight::from_parts(56_675_000, 3771)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn expire_job() -> Weight {
		Weight::from_parts(32_889_000, 3771)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
}
