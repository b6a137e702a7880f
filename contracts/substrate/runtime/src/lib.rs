//! The SAH bridge's dev runtime: the smallest FRAME runtime that chopsticks can build blocks with and that
//! carries the bridge: System, Timestamp, Balances (u128, 12 decimals), Assets (wrapped tokens), transaction
//! payment, Sudo and the bridge pallet. No consensus pallet: chopsticks fakes the slot digest and advances
//! time by 12 s per block. Built to wasm by scripts/build-runtime.sh (no substrate-wasm-builder); its raw
//! genesis comes from the `development` preset below (devnet/substrateGenesis.ts).
#![cfg_attr(not(feature = "std"), no_std)]
#![recursion_limit = "256"]

extern crate alloc;

pub mod genesis;

use alloc::{borrow::Cow, vec::Vec};
use frame_support::{
	derive_impl,
	genesis_builder_helper::{build_state, get_preset},
	parameter_types,
	traits::{ConstU128, ConstU16, ConstU32, ConstU64, EnsureOrigin, EnsureOriginWithArg},
	weights::{constants::WEIGHT_REF_TIME_PER_SECOND, IdentityFee, Weight},
	PalletId,
};
use frame_system::{
	limits::{BlockLength, BlockWeights},
	EnsureRoot, EnsureSigned,
};
use sp_api::impl_runtime_apis;
use sp_core::OpaqueMetadata;
use sp_runtime::{
	generic,
	traits::{AccountIdConversion, BlakeTwo256, Block as BlockT, IdentifyAccount, Verify},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult, ExtrinsicInclusionMode, MultiAddress, MultiSignature, Perbill,
};
use sp_version::RuntimeVersion;

pub type Signature = MultiSignature;
/// sr25519, ed25519 or ECDSA signers, as 32-byte accounts (an ECDSA key's account is blake2_256 of it).
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// u128, like every amount in the protocol.
pub type Balance = u128;
pub type Nonce = u32;
pub type BlockNumber = u32;
pub type Address = MultiAddress<AccountId, ()>;
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// The transaction extensions @polkadot/api 16 knows (no AuthorizeCall).
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);
pub type UncheckedExtrinsic = generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
pub type Executive =
	frame_executive::Executive<Runtime, Block, frame_system::ChainContext<Runtime>, Runtime, AllPalletsWithSystem>;

/// 1 UNIT = 10^12 planck.
pub const UNIT: Balance = 1_000_000_000_000;
pub const EXISTENTIAL_DEPOSIT: Balance = UNIT / 1_000;

#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: Cow::Borrowed("sah-dev"),
	impl_name: Cow::Borrowed("sah-dev"),
	authoring_version: 1,
	spec_version: 1,
	impl_version: 1,
	apis: RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	// chopsticks builds the timestamp inherent through `Timestamp` and reads `System`: keep these names
	#[runtime::pallet_index(0)]
	pub type System = frame_system::Pallet<Runtime>;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp::Pallet<Runtime>;
	#[runtime::pallet_index(2)]
	pub type Balances = pallet_balances::Pallet<Runtime>;
	#[runtime::pallet_index(3)]
	pub type Assets = pallet_assets::Pallet<Runtime>;
	#[runtime::pallet_index(4)]
	pub type TransactionPayment = pallet_transaction_payment::Pallet<Runtime>;
	#[runtime::pallet_index(5)]
	pub type Sudo = pallet_sudo::Pallet<Runtime>;
	#[runtime::pallet_index(6)]
	pub type SahBridge = pallet_sah_bridge::Pallet<Runtime>;
}

const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

parameter_types! {
	pub const Version: RuntimeVersion = VERSION;
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
		Weight::from_parts(2 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX),
		NORMAL_DISPATCH_RATIO,
	);
	pub RuntimeBlockLength: BlockLength = BlockLength::max_with_normal_ratio(5 * 1024 * 1024, NORMAL_DISPATCH_RATIO);
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type Version = Version;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Lookup = sp_runtime::traits::AccountIdLookup<AccountId, ()>;
	type AccountData = pallet_balances::AccountData<Balance>;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type SS58Prefix = ConstU16<42>;
}

impl pallet_timestamp::Config for Runtime {
	type Moment = u64;
	type OnTimestampSet = ();
	// chopsticks advances 12 s per block
	type MinimumPeriod = ConstU64<1_000>;
	type WeightInfo = ();
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Runtime {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
}

/// Anyone may create an asset, but only with an id below the range the bridge gives wrapped assets, so no
/// one can take the id the next wrapped asset needs.
pub struct SignedBelowWrappedRange;
impl EnsureOriginWithArg<RuntimeOrigin, u32> for SignedBelowWrappedRange {
	type Success = AccountId;

	fn try_origin(origin: RuntimeOrigin, id: &u32) -> Result<AccountId, RuntimeOrigin> {
		if *id >= FirstWrappedAssetId::get() {
			return Err(origin);
		}
		<EnsureSigned<AccountId> as EnsureOrigin<RuntimeOrigin>>::try_origin(origin)
	}

	/// For pallet-assets' benchmarks: an account may create any id below the wrapped range.
	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin(id: &u32) -> Result<RuntimeOrigin, ()> {
		if *id >= FirstWrappedAssetId::get() {
			return Err(());
		}
		Ok(RuntimeOrigin::signed(AccountId::from([1u8; 32])))
	}
}

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config for Runtime {
	type Balance = Balance;
	type AssetId = u32;
	type AssetIdParameter = codec::Compact<u32>;
	type Currency = Balances;
	type CreateOrigin = SignedBelowWrappedRange;
	type ForceOrigin = EnsureRoot<AccountId>;
	// no deposits: the bridge creates wrapped assets and sets their metadata from its own account
	type AssetDeposit = ConstU128<0>;
	type AssetAccountDeposit = ConstU128<0>;
	type MetadataDepositBase = ConstU128<0>;
	type MetadataDepositPerByte = ConstU128<0>;
	type ApprovalDeposit = ConstU128<0>;
	type StringLimit = ConstU32<64>;
}

#[derive_impl(pallet_transaction_payment::config_preludes::TestDefaultConfig)]
impl pallet_transaction_payment::Config for Runtime {
	type OnChargeTransaction = pallet_transaction_payment::FungibleAdapter<Balances, ()>;
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = IdentityFee<Balance>;
}

#[derive_impl(pallet_sudo::config_preludes::TestDefaultConfig)]
impl pallet_sudo::Config for Runtime {}

parameter_types! {
	pub const SahBridgePalletId: PalletId = PalletId(*b"sah/brdg");
	/// The devnet's Polkadot chain (docs/PROTOCOL.md §1).
	pub const SahBridgeChainId: u32 = 10004;
	pub const NativeDecimals: u8 = 12;
	pub const NativeSymbol: &'static [u8] = b"UNIT";
	pub const NativeName: &'static [u8] = b"SAH dev unit";
	/// Wrapped assets get ids from here up; lower ids are for assets created by anyone.
	pub const FirstWrappedAssetId: u32 = 1_000_000;
	pub const MaxMessageLen: u32 = 4_096;
	pub const MaxBatch: u32 = 64;
	/// Where attestations and compute jobs may go: every chain of docs/PROTOCOL.md §1 but chain 0.
	pub const KnownChains: &'static [u32] = &[1, 2, 3, 10001, 10002, 10003, 10004];
	/// The bridge's instance id, the `bridge` its signatures are bound to (docs/PROTOCOL.md §2; the
	/// `chainBinding` is the genesis hash): `sha256("sah-bridge dev runtime")`. Fixed for the dev
	/// runtime; the relayer reads it from the metadata (`sahBridge.instanceId`).
	pub const SahBridgeInstanceId: [u8; 32] =
		genesis::hex32("4686af211c719b0b36b9d9429ed3de93d20b41074fa16c57b170d9841988a4c3");
}

impl pallet_sah_bridge::Config for Runtime {
	type Currency = Balances;
	type Assets = Assets;
	type UnixTime = Timestamp;
	type PalletId = SahBridgePalletId;
	type ChainId = SahBridgeChainId;
	type NativeDecimals = NativeDecimals;
	type NativeSymbol = NativeSymbol;
	type NativeName = NativeName;
	type FirstWrappedAssetId = FirstWrappedAssetId;
	type MaxMessageLen = MaxMessageLen;
	type MaxBatch = MaxBatch;
	type InstanceId = SahBridgeInstanceId;
	type KnownChains = KnownChains;
	type WeightInfo = pallet_sah_bridge::weights::SubstrateWeight<Runtime>;
}

/// The pallets whose weights are measured on this runtime (scripts/bench-pallet-weights.sh).
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benches {
	frame_benchmarking::define_benchmarks!([pallet_sah_bridge, SahBridge]);
}

/// The bridge pallet's account: escrow of locked funds, owner of wrapped assets, governance target.
pub fn bridge_account() -> AccountId {
	SahBridgePalletId::get().into_account_truncating()
}

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block)
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}

		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(
			extra: bool,
		) -> (Vec<frame_benchmarking::BenchmarkList>, Vec<frame_support::traits::StorageInfo>) {
			use frame_benchmarking::BenchmarkList;
			use frame_support::traits::StorageInfoTrait;
			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);
			(list, AllPalletsWithSystem::storage_info())
		}

		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig,
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::BenchmarkBatch;
			use frame_support::traits::WhitelistedStorageKeys;
			// the keys every block reads anyway (block number, events, ...) are not charged to a call
			let whitelist = AllPalletsWithSystem::whitelisted_storage_keys();
			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, genesis::preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			alloc::vec![sp_genesis_builder::PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET)]
		}
	}
}
