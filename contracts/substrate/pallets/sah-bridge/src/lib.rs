//! # SAH bridge pallet
//!
//! The Polkadot leg of the SAH bridge (docs/PROTOCOL.md): tokens leave this chain by **lock** (the
//! native currency or a home `pallet-assets` asset, held in the pallet account) or **burn** (a wrapped
//! asset this pallet created), each as a protocol message that relayers pick up from the
//! [`Event::MessageSent`] event; messages arrive with [`Pallet::receive_message`] or
//! [`Pallet::receive_batch`], signed by the relayer set's FROST(secp256k1, SHA-256) group key, and
//! either **unlock** what was locked here or **mint** a wrapped asset, creating it on the first
//! transfer. Governance messages (kind 5, from chain 0) rotate the key, pause, unpause, set rate limits
//! and name the pauser.
//!
//! The semantics are those of the CosmWasm bridge (`contracts/cosmwasm/contracts/bridge`), check for
//! check and in the same order, with the same state: outbound nonce and message id by nonce, the
//! consumed bitmaps by `(source chain, nonce)` ([`ConsumedWords`], [`consumed`]), locked amounts per
//! home token (never unlock more), wrapped asset per token key (`keccak256(originChain u32 BE ||
//! originToken)`, as on every chain), the exact origin metadata of every wrapped asset (it travels on
//! when the asset is burned), the outstanding wrapped supply capped at `u128` (`AmountTooLarge`),
//! token-bucket rate limits per token key, the current epoch and key plus one previous key with a
//! grace expiry, the governance nonce and the pauser.
//!
//! ## Layout
//!
//! `lib.rs` holds the `#[frame_support::pallet]` module (config, storage, genesis, events, errors,
//! hooks, calls); each call checks its origin and runs its `do_` function in `functions.rs` (token
//! transfers, delivery and routing by kind, keys and signatures, rate limits, wrapped assets,
//! governance) or in `flows/functions.rs` (§7). Plain types and the token-id helpers are in
//! [`types`], the §7 types in [`flows`], owner DIDs in [`ss58`], the weights in [`weights`]; the
//! benchmarks in `benchmarking.rs`, the tests in `mock.rs` and `tests/`.
//!
//! ## Design choices
//!
//! - **Token ids** (PROTOCOL.md §3.1): the native currency is `sha256("native")` ([`NATIVE_TOKEN`]); a
//!   home asset is its `u32` id, big-endian, left-padded to 32 bytes ([`asset_token`]). A transfer home
//!   whose `originToken` is neither, or that was never locked here, is `UnknownOriginToken`.
//! - **Accounts** are `AccountId32`: the protocol's 32-byte account form is the account id itself, so
//!   the pallet requires `frame_system::Config<AccountId = AccountId32>`. The pallet's own address (the
//!   governance target and the escrow) is the account of [`Config::PalletId`] ([`Pallet::account_id`]).
//! - **Inbound calls are signed by any account** (the relayer pays the fee), not unsigned with a
//!   `ValidateUnsigned`: that is simpler, fees price spam out, and a wrong call costs its sender. The
//!   signature the pallet checks is the relayer set's, not the caller's. Unsigned (fee-less) delivery
//!   can come later with the same checks in `validate_unsigned`.
//! - **Native lock**: `fungible::Mutate::transfer` from the caller with `Preservation::Preserve` (the
//!   caller's account stays alive to pay fees); **native unlock**: from the pallet account, also
//!   `Preserve`. The pallet account must hold the existential deposit from genesis (the runtime's
//!   balances genesis endows it), which is never part of what is locked: the escrow is always
//!   `ED + Locked[native]` plus whatever anyone sent it directly.
//! - **Home assets**: locked and unlocked with `fungibles::Mutate::transfer` (`Expendable`). A lock
//!   carries the asset's `pallet-assets` metadata (name and symbol cut to 32 bytes, on a UTF-8
//!   character boundary when they are UTF-8). An asset this pallet created (a wrapped asset) cannot be
//!   locked (`CannotLockWrappedToken`): it is burned instead.
//! - **Wrapped assets** are `pallet-assets` assets the pallet creates as *sufficient* (recipients need
//!   no native balance), `min_balance` 1, with the pallet account as owner/admin/issuer/freezer (no one
//!   can sign for it, so no one but this pallet mints, burns or freezes), and metadata from the first
//!   message (name and symbol with trailing zero bytes trimmed, decimals as they are). Ids come from
//!   the pallet's own counter [`NextWrappedAssetId`], starting at [`Config::FirstWrappedAssetId`]; an id
//!   someone else took in the meantime is skipped (at most [`MAX_ASSET_ID_PROBES`] probes). The runtime
//!   should keep `pallet_assets::NextAssetId` unset (pallet-assets would otherwise force its own
//!   sequence on every creation, and creation here would fail with `BadAssetId`) and restrict its
//!   `CreateOrigin` to ids below `FirstWrappedAssetId`. Metadata deposits must be zero in the runtime:
//!   pallet-assets reserves them from the pallet account, which holds the native escrow, so a creation
//!   that would reserve anything is refused (`MetadataDepositRequired`) rather than eat into escrow.
//!   `pallet-assets`' `StringLimit` must be at least 32.
//! - **Signed digest** (PROTOCOL.md §2, protocol v2): the relayer set signs
//!   `signing_digest(epoch, ChainId, Instance { chain_binding, bridge }, root)`, with `root` the
//!   [`sah_bridge_protocol::merkle::leaf`] of a single message's id or the
//!   [`sah_bridge_protocol::merkle::root`] of a batch's ids. This pallet's instance
//!   ([`Pallet::instance`]) is `chain_binding` = the chain's **genesis hash**, read as
//!   `frame_system::Pallet::block_hash(0)` (`BlockHash(0)`; frame_system writes its placeholder
//!   `hash69`, `0x4545..45`, there at genesis and sets it to the real genesis hash, block 1's parent,
//!   when block 1 is initialised, before any extrinsic; it never prunes it), and `bridge` =
//!   [`Config::InstanceId`], a 32-byte id the runtime configures (a constant in the metadata, where
//!   the relayer reads it). A signature is thus good on one bridge instance of one chain only: a
//!   second bridge with the same protocol chain id and key (another `InstanceId`), or another chain
//!   running this runtime (another genesis hash), refuses it (`InvalidSignature`). Hence
//!   `frame_system::Config<Hash = H256>`: the genesis hash is the 32-byte binding as it is.
//! - **Signature check**: [`sah_bridge_protocol::frost::verify`] with
//!   `sp_io::crypto::secp256k1_ecdsa_recover` (v2: low `s`, `v` 0/1) as the recovery. The challenge's
//!   four SHA-256 compressions and the two point decompressions run in the runtime (the `sha2` and
//!   `k256` crates, already in the runtime's graph through `sp-core`); only the recovery is a host
//!   call. The signature is a fixed `[u8; 65]` (R compressed || z): a wrong length cannot be encoded.
//! - **Time**: [`Config::UnixTime`] (seconds) drives grace expiry and rate-limit refills.
//! - **Replay protection** (PROTOCOL.md §2): a delivered message is the bit `nonce & 0xff` of word
//!   `nonce >> 8` of its source chain in [`ConsumedWords`] (governance: chain 0 and its nonce). The
//!   bit is checked at step 3, before the key and the signature, and set once the message's effects
//!   passed; a call reads each word it touches once and writes each word it changed once, at its end
//!   ([`consumed`]). `(source chain, nonce)` names one message, so another message under a consumed
//!   pair is `MessageAlreadyConsumed` too (in a batch: skipped), whatever its bytes: a governance
//!   message that reuses the last applied nonce is a replay before it is stale.
//!   [`Pallet::is_consumed`] and [`Pallet::consumed_word`] read it.
//! - **Transactional**: every dispatchable runs in a storage layer (FRAME's default), so a failed call
//!   leaves no trace; the code still checks before it writes within each message. A batch processes
//!   its messages in order (each sees the previous one's effects, e.g. a wrapped asset created by an
//!   earlier message) and lands all or nothing.
//! - **Errors** carry no detail (FRAME module errors are a variant index); the names are those of the
//!   other chains, with one variant per protocol decode error ([`Error::MessageTooShort`] ...), mapped
//!   from [`sah_bridge_protocol::ProtocolError`] so that a variant's name is the error's `code()`.
//! - **Weights** ([`weights`]) are hand-computed upper bounds (storage reads and writes counted along
//!   the most expensive path, plus a constant for the signature check), not benchmark results.
//!   Benchmarks exist (`runtime-benchmarks`, `benchmarking.rs`) but have not been run on reference
//!   hardware.
//! - **Events**: `Config` requires `frame_system::Config<RuntimeEvent: From<Event<Self>>>` rather than
//!   declaring its own `RuntimeEvent` type (deprecated in frame-support 45).
//! - **Genesis**: `group_key` (33 bytes, x < n, checked; empty, the default, means no key: every
//!   inbound message is `UnknownEpoch`, so `RuntimeGenesisConfig::default()` still builds),
//!   `pauser` and `epoch`, the starting key epoch (`group_key` is its key; 1 by default, a
//!   redeployment continues the relayer set's epochs: PROTOCOL.md §2). Epoch 0 and `u32::MAX` (which
//!   could never rotate) are refused at genesis build, as invalid keys are; rotations go on from it.
//!
//! ## Data attestations and compute jobs (PROTOCOL.md §7; types and transitions in [`flows`])
//!
//! Kinds 2, 3 and 4 arrive through the same `receive_message` / `receive_batch` checks as transfers
//! (destination, consumed once, epoch, signature, pause) and are routed by kind; they leave through
//! the same outbound path (`OutboundNonce`, the id under `OutboundMessages(nonce)`, `MessageSent`),
//! with `sender` the calling account and a zero `recipient`. Every outbound message is
//! `try_encode`d: what no decoder would accept is refused, never sent.
//!
//! - **Owner DIDs** ([`Pallet::did_of`]): `did:pkh:polkadot:<hex of the first 16 bytes of
//!   frame_system::BlockHash(0)>:<SS58 of the account with frame_system's SS58Prefix>` ([`ss58`],
//!   `no_std`, checked against `sp_core` in the tests). Registry entries from other chains keep
//!   their DID bytes as sent.
//! - **Registry** ([`Attestations`], one record per data hash; [`AttestationConflicts`] by data hash
//!   and arrival index, at most [`MAX_CONFLICTS`] (64) stored per data hash, all counted in
//!   [`ConflictCount`]). Delivery never fails for registry reasons. A revoke for a data hash with no
//!   record creates the record **revoked** (a revoke delivered before its register), and revocation
//!   is final: a register by the owner of a revoked record is a conflict (delivered), or
//!   `AttestationRevoked` (a local `attest`). A register by the record's owner from the record's
//!   origin chain with a nonce below the record's origin nonce is stale (delivered out of order):
//!   nothing changes, no conflict either (checked first, so the register a revoke overtook is stale,
//!   not a conflict; `AttestationStale` event). A revoke by the owner of a revoked record changes
//!   nothing. A local `attest` of another owner's data hash records the conflict here and still
//!   sends the registers.
//! - **`attest` / `revoke`** take at most [`MAX_DESTINATIONS`] (16) destinations, each once, each in
//!   [`Config::KnownChains`], never this chain or 0 (`EmptyDestinations`, `InvalidDestination`); a
//!   zero data hash, a `uri` over 2048 bytes, a `license` over 256, or either not UTF-8 is
//!   `InvalidField`. `revoke` of a data hash with no record here, or of another DID's, is `NotOwner`.
//! - **Jobs on A** ([`PostedJobs`]): `post_job` pays in the native currency (this chain,
//!   `sha256("native")`) or a `pallet-assets` asset (a wrapped one names its origin from
//!   [`WrappedOrigins`], a home one this chain and its left-padded id); the job id is
//!   `sha256("SAH-JOB" || ChainId u32 BE || JobCounter u64 BE)`, the counter from 1. The escrow sits
//!   in the pallet account, counted in [`JobEscrow`] apart from [`Locked`] (an unlock can never take
//!   it). The amount must be at least the asset's minimum balance (`BelowMinimumBalance`), so the
//!   payout or refund can always create the receiving account; a deadline not after now is
//!   `DeadlinePassed`. A result is accepted only from the job's executor chain (`UnexpectedResult`
//!   otherwise) and pays `executor` (as an `AccountId32`) or refunds the payer, exactly once.
//! - **Jobs on B** ([`ReceivedJobs`]): deadlines against `pallet_timestamp` seconds (ms / 1000),
//!   inclusive (`now <= deadline` is on time). A `cancel` must come from the job's chain A and its
//!   payer (`NotPayer`); `submit_result` refuses a zero `result_hash` (`InvalidField`), a zero
//!   `pay_to` and, for an EVM escrow chain (`sah_bridge_protocol::chain_ids::EVM`), one with non-zero upper 12 bytes
//!   (`InvalidExecutor`), and a result for a job no one claimed is `NotClaimer`. The result
//!   message's `sender` is the claimer (completed), the caller of `expire_job` (expired) or the payer
//!   (cancelled, from the `cancel` message).
//! - A paused bridge refuses every §7 call that sends a message (attest, revoke, post, cancel,
//!   result, expire) and every inbound message but governance (`BridgePaused`); `claim_job` sends
//!   nothing and is allowed.
//!
//! ## Deviations from the CosmWasm bridge
//!
//! - Outbound calls take a typed `[u8; 32]` recipient, so `InvalidRecipient` only means the zero
//!   account; the signature is `[u8; 65]`, so no length error reaches the pallet.
//! - The FROST verifier's reason (`ScalarOutOfRange`, `InvalidCommitment`, ...) is not part of the
//!   error (`InvalidSignature` only); [`Pallet::check_signature`] gives it to tests and tools.
//! - A wrapped asset exists at once (no reply round-trip as with a cw20 instantiation), so no pending
//!   mints are kept.
//! - Errors the CosmWasm bridge has no need for: `CannotLockWrappedToken`, `UnknownAsset`,
//!   `NoFreeAssetId`, `MetadataDepositRequired`, `Overflow` (a counter), `BelowMinimumBalance`; plus a
//!   `BatchDelivered` event where the CosmWasm bridge adds a `delivered` attribute.
//! - Conflicts are capped per data hash ([`MAX_CONFLICTS`] stored, the rest counted).
//! - Chain-level refusals of the transfer itself (a native unlock below the existential deposit to an
//!   empty account, a non-sufficient home asset to an account without a provider) fail the call with
//!   the balances/assets pallet's error; the message stays deliverable.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use consumed::ConsumedWord;
pub use flows::*;
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

pub mod call_weights;
pub mod consumed;
pub mod flows;
mod functions;
pub mod migrations;
pub mod ss58;
pub mod types;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod weights;

/// The native currency's protocol token id: `sha256("native")` (PROTOCOL.md §3.1).
pub const NATIVE_TOKEN: [u8; 32] = [
    0xbe, 0xf3, 0x2d, 0x2c, 0x31, 0x5a, 0x28, 0x95, 0x76, 0xf2, 0xa6, 0x82, 0x8d, 0x27, 0xed, 0xb1,
    0x6b, 0xb3, 0x16, 0xa4, 0xd8, 0x5c, 0x27, 0x1f, 0x2d, 0x79, 0x40, 0x45, 0xf3, 0xea, 0x66, 0x8d,
];

/// Longest time an outgoing key may stay valid after a rotation (30 days).
pub const MAX_GRACE_SECONDS: u32 = 30 * 24 * 60 * 60;

/// Length of the rate-limit window (24 hours), the rule's.
pub use sah_bridge_protocol::rules::RATE_LIMIT_WINDOW_SECONDS;

/// The longest message (a data attestation with the longest DID, URI and license): 82 + 47 + 256 +
/// 2048 + 256 bytes.
pub const MAX_ATTESTATION_MESSAGE_LEN: usize = sah_bridge_protocol::HEADER_LEN
    + 47
    + sah_bridge_protocol::MAX_DID_LEN
    + sah_bridge_protocol::MAX_URI_LEN
    + sah_bridge_protocol::MAX_LICENSE_LEN;

/// How many taken asset ids the creation of a wrapped asset skips before it gives up.
pub const MAX_ASSET_ID_PROBES: u32 = 8;

#[frame_support::pallet]
pub mod pallet {
    use super::*;
    use alloc::vec::Vec;
    use frame_support::{
        pallet_prelude::*,
        traits::{fungible, fungibles, UnixTime},
        PalletId,
    };
    use frame_system::pallet_prelude::*;
    use sah_bridge_protocol::rules::{EpochRefusal, JobRefusal};
    use sah_bridge_protocol::{frost, ProtocolError};
    use sp_core::H256;
    use sp_runtime::AccountId32;

    /// 1: replay protection by `(source chain, nonce)` in [`ConsumedWords`]; 0 (none declared)
    /// kept the delivered message ids in `Consumed` ([`crate::migrations::v1`]).
    pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

    #[pallet::pallet]
    #[pallet::storage_version(STORAGE_VERSION)]
    pub struct Pallet<T>(_);

    #[pallet::config]
    pub trait Config:
        frame_system::Config<AccountId = AccountId32, Hash = H256, RuntimeEvent: From<Event<Self>>>
    {
        /// The native currency (locked and unlocked as `sha256("native")`).
        type Currency: fungible::Mutate<Self::AccountId>
            + fungible::Inspect<Self::AccountId, Balance = u128>;

        /// `pallet-assets` (or anything like it): home assets are locked and unlocked, wrapped assets
        /// are created, minted and burned.
        type Assets: fungibles::Create<Self::AccountId>
            + fungibles::Mutate<Self::AccountId>
            + fungibles::Inspect<Self::AccountId, AssetId = u32, Balance = u128>
            + fungibles::metadata::Inspect<Self::AccountId>
            + fungibles::metadata::Mutate<Self::AccountId>;

        /// Block time in seconds (grace expiry, rate limits).
        type UnixTime: UnixTime;

        /// The pallet's account: escrow, owner of wrapped assets, governance target.
        #[pallet::constant]
        type PalletId: Get<PalletId>;

        /// This chain's protocol chain id (PROTOCOL.md §1; devnet 10004). Never 0.
        #[pallet::constant]
        type ChainId: Get<u32>;

        /// Decimals that a lock of the native currency carries.
        #[pallet::constant]
        type NativeDecimals: Get<u8>;

        /// Symbol that a lock of the native currency carries (UTF-8, at most 32 bytes are sent).
        type NativeSymbol: Get<&'static [u8]>;

        /// Name that a lock of the native currency carries (UTF-8, at most 32 bytes are sent).
        type NativeName: Get<&'static [u8]>;

        /// The first asset id the pallet gives a wrapped asset; the ids above it are the pallet's.
        #[pallet::constant]
        type FirstWrappedAssetId: Get<u32>;

        /// Longest message accepted (a token transfer is 199 bytes, a data attestation up to 2689).
        #[pallet::constant]
        type MaxMessageLen: Get<u32>;

        /// Most messages in one batch.
        #[pallet::constant]
        type MaxBatch: Get<u32>;

        /// This bridge instance's 32-byte id: the `bridge` its signatures are bound to (PROTOCOL.md
        /// §2), with the genesis hash as the `chain_binding`. Unique per bridge (a second bridge on
        /// the same chain, or a redeployment that must not accept the old one's signatures, gets
        /// another); never zero. The relayer reads it from the metadata.
        #[pallet::constant]
        type InstanceId: Get<[u8; 32]>;

        /// The chains (PROTOCOL.md §1) that `attest`, `revoke` and `post_job` may name as
        /// destinations (this chain and chain 0 never are, even when listed).
        type KnownChains: Get<&'static [u32]>;

        type WeightInfo: WeightInfo;
    }

    // ---------------------------------------------------------------------------------- storage

    /// Current key epoch (the genesis config's `epoch`, 1 by default; +1 per rotation).
    #[pallet::storage]
    pub type Epoch<T> = StorageValue<_, u32, ValueQuery>;

    /// FROST group key of the current epoch.
    #[pallet::storage]
    pub type CurrentKey<T> = StorageValue<_, GroupKey, OptionQuery>;

    /// The previous epoch's key, accepted until [`PreviousKeyExpiry`].
    #[pallet::storage]
    pub type PreviousKey<T> = StorageValue<_, GroupKey, OptionQuery>;

    /// Unix seconds after which the previous key is refused; 0: refused already.
    #[pallet::storage]
    pub type PreviousKeyExpiry<T> = StorageValue<_, u64, ValueQuery>;

    #[pallet::storage]
    pub type Paused<T> = StorageValue<_, bool, ValueQuery>;

    /// Nonce of the last governance message applied (strictly increasing).
    #[pallet::storage]
    pub type GovernanceNonce<T> = StorageValue<_, u64, ValueQuery>;

    /// May pause (never unpause); governance sets it.
    #[pallet::storage]
    pub type Pauser<T: Config> = StorageValue<_, T::AccountId, OptionQuery>;

    /// Highest nonce given to an outbound message (0: none yet).
    #[pallet::storage]
    pub type OutboundNonce<T> = StorageValue<_, u64, ValueQuery>;

    /// Outbound message id by nonce.
    #[pallet::storage]
    pub type OutboundMessages<T> = StorageMap<_, Twox64Concat, u64, H256, OptionQuery>;

    /// Replay protection (PROTOCOL.md §2): the messages delivered here, one bit per `(source chain,
    /// nonce)`, 256 to a word, by source chain (governance: 0) and word index `nonce >> 8`; the
    /// message's bit is `nonce & 0xff`, bit `i` of the big-endian word being `(word >> i) & 1`.
    /// Absent: all zero. A bit is set once and never cleared.
    //
    // Twox64Concat for both keys: no caller chooses them. A word is written only for a message the
    // relayer set signed, whose nonce its source bridge assigned (consecutive from 1: the word index
    // grows by one per 256 messages), from the few source chains the set relays; any caller can make
    // the chain read any key (the check runs before the signature's), which changes nothing. So no
    // one can fill the trie with keys crafted to collide under the fast hash; the transparent keys
    // give (source chain, word index) back when iterating. (`crate::consumed` has the bit helpers.)
    #[pallet::storage]
    pub type ConsumedWords<T> =
        StorageDoubleMap<_, Twox64Concat, u32, Twox64Concat, u64, ConsumedWord, ValueQuery>;

    /// What is held for other chains, by home token id (`NATIVE_TOKEN` or `asset_token(id)`);
    /// present from the token's first lock. Unlocks never exceed it.
    #[pallet::storage]
    pub type Locked<T> = StorageMap<_, Blake2_128Concat, [u8; 32], u128, OptionQuery>;

    /// The wrapped asset of a foreign token, by token key.
    #[pallet::storage]
    pub type WrappedAsset<T> = StorageMap<_, Blake2_128Concat, [u8; 32], u32, OptionQuery>;

    /// The exact origin of every wrapped asset, by asset id.
    #[pallet::storage]
    pub type WrappedOrigins<T> = StorageMap<_, Blake2_128Concat, u32, WrappedOrigin, OptionQuery>;

    /// Wrapped amount outstanding by token key: minted by valid messages less burned here. At most
    /// `u128::MAX` (`AmountTooLarge`).
    #[pallet::storage]
    pub type WrappedSupply<T> = StorageMap<_, Blake2_128Concat, [u8; 32], u128, ValueQuery>;

    /// The id the next wrapped asset tries first (unset: `FirstWrappedAssetId`).
    #[pallet::storage]
    pub type NextWrappedAssetId<T> = StorageValue<_, u32, OptionQuery>;

    /// Inbound rate limits by token key.
    #[pallet::storage]
    pub type RateLimits<T> = StorageMap<_, Blake2_128Concat, [u8; 32], RateLimit, OptionQuery>;

    // -- data attestations (PROTOCOL.md §7.2)

    /// The registry: one record per data hash (its first owner DID keeps it).
    #[pallet::storage]
    pub type Attestations<T> = StorageMap<_, Blake2_128Concat, [u8; 32], Attestation, OptionQuery>;

    /// Conflicts by data hash and arrival index (from 0; at most [`MAX_CONFLICTS`] are stored).
    #[pallet::storage]
    pub type AttestationConflicts<T> =
        StorageDoubleMap<_, Blake2_128Concat, [u8; 32], Twox64Concat, u32, Conflict, OptionQuery>;

    /// How many conflicts a data hash has had (those past [`MAX_CONFLICTS`] counted, not stored).
    #[pallet::storage]
    pub type ConflictCount<T> = StorageMap<_, Blake2_128Concat, [u8; 32], u32, ValueQuery>;

    // -- compute jobs (PROTOCOL.md §7.3)

    /// The last counter a job id posted here was made from (0: none yet).
    #[pallet::storage]
    pub type JobCounter<T> = StorageValue<_, u64, ValueQuery>;

    /// Jobs posted here (chain A, escrow), by job id; kept once settled.
    #[pallet::storage]
    pub type PostedJobs<T: Config> =
        StorageMap<_, Blake2_128Concat, [u8; 32], PostedJob<T::AccountId>, OptionQuery>;

    /// What the pallet account holds for open (`Posted` or `CancelRequested`) jobs, by payment:
    /// apart from [`Locked`] (unlocks never touch it).
    #[pallet::storage]
    pub type JobEscrow<T> = StorageMap<_, Blake2_128Concat, Payment, u128, ValueQuery>;

    /// Jobs received from other chains (chain B, executor), by job id; kept once decided.
    #[pallet::storage]
    pub type ReceivedJobs<T: Config> =
        StorageMap<_, Blake2_128Concat, [u8; 32], ReceivedJob<T::AccountId>, OptionQuery>;

    // ---------------------------------------------------------------------------------- genesis

    #[pallet::genesis_config]
    pub struct GenesisConfig<T: Config> {
        /// The relayer set's FROST group key for `epoch`: 33 bytes, SEC1 compressed, x < n. Empty
        /// (the default): no key, every inbound message is refused (`UnknownEpoch`).
        pub group_key: Vec<u8>,
        /// Account allowed to pause (never to unpause).
        pub pauser: Option<T::AccountId>,
        /// The starting key epoch (1 by default): signatures are checked under it, rotations go on
        /// from it. A bridge deployed again continues the relayer set's epochs, so that what was
        /// signed for an older epoch is not current here. Neither 0 nor `u32::MAX` (no rotation
        /// could follow it).
        pub epoch: u32,
    }

    impl<T: Config> Default for GenesisConfig<T> {
        fn default() -> Self {
            GenesisConfig {
                group_key: Vec::new(),
                pauser: None,
                epoch: 1,
            }
        }
    }

    #[pallet::genesis_build]
    impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
        fn build(&self) {
            assert!(
                self.epoch != 0,
                "sah-bridge genesis: epoch must be at least 1 (epochs count from 1)"
            );
            assert!(
                self.epoch != u32::MAX,
                "sah-bridge genesis: epoch must be below u32::MAX (a rotation goes to epoch + 1)"
            );
            Epoch::<T>::put(self.epoch);
            if let Some(p) = &self.pauser {
                Pauser::<T>::put(p);
            }
            // no key (the default config): the bridge refuses every message until a runtime
            // upgrade gives it one; a key that is there must be valid
            if self.group_key.is_empty() {
                return;
            }
            let key: GroupKey = self
                .group_key
                .as_slice()
                .try_into()
                .expect("sah-bridge genesis: group_key must be 33 bytes");
            frost::check_group_key(&key).expect(
                "sah-bridge genesis: group_key is not a compressed secp256k1 point with x < n",
            );
            CurrentKey::<T>::put(key);
        }
    }

    // ---------------------------------------------------------------------------------- events

    #[pallet::event]
    #[pallet::generate_deposit(pub(super) fn deposit_event)]
    pub enum Event<T: Config> {
        /// An outbound message; relayers carry `message` to `destination_chain`.
        MessageSent {
            nonce: u64,
            destination_chain: u32,
            message_id: H256,
            message: Vec<u8>,
        },
        /// An inbound message was delivered (consumed).
        MessageReceived {
            message_id: H256,
            source_chain: u32,
            nonce: u64,
        },
        /// A batch delivered `delivered` new messages.
        BatchDelivered {
            root: H256,
            delivered: u32,
        },
        /// The wrapped form of a foreign token was created.
        WrappedAssetCreated {
            asset_id: u32,
            origin_chain: u32,
            origin_token: [u8; 32],
            token_key: [u8; 32],
        },
        /// Governance rotated the key; the previous key is valid until `previous_key_expiry`
        /// (0: retired at once).
        KeyRotated {
            epoch: u32,
            group_key: GroupKey,
            previous_key_expiry: u64,
        },
        /// Paused by governance (`by: None`) or by the pauser.
        Paused {
            by: Option<T::AccountId>,
        },
        Unpaused,
        RateLimitSet {
            token_key: [u8; 32],
            capacity: u128,
        },
        PauserSet {
            pauser: Option<T::AccountId>,
        },
        // -- data attestations (PROTOCOL.md §7.2)
        /// A record was created or (`reattested`) updated by its owner.
        AttestationRegistered {
            data_hash: [u8; 32],
            owner_did: Did,
            origin_chain: u32,
            origin_nonce: u64,
            reattested: bool,
        },
        /// The owner revoked the record (or a revoke arrived before any register: the record is
        /// created revoked).
        AttestationRevoked {
            data_hash: [u8; 32],
            owner_did: Did,
            origin_chain: u32,
            origin_nonce: u64,
        },
        /// A register or revoke that did not apply (another owner DID, or a register of a revoked
        /// record); `stored: false` past [`MAX_CONFLICTS`].
        AttestationConflict {
            data_hash: [u8; 32],
            owner_did: Did,
            origin_chain: u32,
            nonce: u64,
            action: AttestAction,
            stored: bool,
        },
        // -- compute jobs on chain A (escrow)
        /// A job was posted here: `amount` escrowed, `post` sent to `executor_chain`.
        JobPosted {
            job_id: [u8; 32],
            payer: T::AccountId,
            executor_chain: u32,
            payment: Payment,
            amount: u128,
            deadline: u64,
        },
        /// The payer asked the executor chain to cancel.
        JobCancelRequested {
            job_id: [u8; 32],
        },
        /// A `completed` result paid the executor.
        JobPaid {
            job_id: [u8; 32],
            executor: T::AccountId,
            amount: u128,
            result_hash: [u8; 32],
        },
        /// An `expired` or `cancelled` result refunded the payer.
        JobRefunded {
            job_id: [u8; 32],
            payer: T::AccountId,
            amount: u128,
            outcome: JobOutcome,
        },
        // -- compute jobs on chain B (executor)
        /// A `post` arrived: the job is `Open`.
        JobOpened {
            job_id: [u8; 32],
            escrow_chain: u32,
            spec_hash: [u8; 32],
            amount: u128,
            deadline: u64,
        },
        JobClaimed {
            job_id: [u8; 32],
            claimer: T::AccountId,
        },
        /// The claimer's result; `completed` sent to the escrow chain.
        JobCompleted {
            job_id: [u8; 32],
            result_hash: [u8; 32],
            pay_to: [u8; 32],
        },
        /// Past its deadline, undecided: `expired` sent.
        JobExpired {
            job_id: [u8; 32],
        },
        /// Cancelled while `Open`: `cancelled` sent.
        JobCancelled {
            job_id: [u8; 32],
        },
        /// A `cancel` for a job no longer `Open` (claimed: it runs; or decided): nothing sent.
        CancelIgnored {
            job_id: [u8; 32],
            state: ReceivedJobState,
        },
        // -- data attestations (PROTOCOL.md §7.2), appended
        /// A register by the record's owner from the record's origin chain with a nonce below the
        /// record's origin nonce (delivered out of order): stale, nothing changed.
        AttestationStale {
            data_hash: [u8; 32],
            owner_did: Did,
            origin_chain: u32,
            nonce: u64,
        },
    }

    // ---------------------------------------------------------------------------------- errors

    #[pallet::error]
    pub enum Error<T> {
        // -- protocol decode errors (PROTOCOL.md §5), named by `ProtocolError::code()`
        /// Fewer than 82 bytes.
        MessageTooShort,
        /// `version != 1`.
        UnsupportedVersion,
        /// `kind` not in 1..5.
        UnknownKind,
        /// A route rule of PROTOCOL.md §2 fails.
        InvalidChainRoute,
        /// The payload is not the length its kind and action require.
        PayloadLength,
        /// An action or outcome out of range.
        UnknownAction,
        /// A zero amount (decoded, or asked for outbound).
        ZeroAmount,
        /// A field out of its allowed values.
        InvalidField,
        /// A group key that is not a compressed secp256k1 point with x < n.
        InvalidGroupKey,
        // -- bridge errors, named as on the other chains
        /// The message is for another chain.
        WrongDestination,
        /// The message was delivered already.
        MessageAlreadyConsumed,
        /// No key for this epoch.
        UnknownEpoch,
        /// The previous epoch's grace period is over.
        EpochExpired,
        /// The signature does not verify under the epoch's key.
        InvalidSignature,
        /// Inbound transfers and outbound calls are paused.
        BridgePaused,
        /// A message kind this bridge does not handle.
        UnsupportedKind,
        /// The zero account as recipient.
        InvalidRecipient,
        /// Outbound to this chain or to chain 0.
        InvalidDestination,
        /// A total would exceed 2^128 - 1.
        AmountTooLarge,
        /// A transfer home of a token this chain never locked.
        UnknownOriginToken,
        /// More asked than is locked.
        InsufficientLocked,
        /// The rate limit allows less now.
        RateLimitExceeded,
        /// Not an asset this bridge created.
        UnknownWrappedToken,
        /// A governance message for another bridge.
        WrongGovernanceTarget,
        /// A governance nonce not above the last one.
        StaleGovernanceNonce,
        /// Governance signed under an epoch other than the current one.
        GovernanceRequiresCurrentEpoch,
        /// A rotation to an epoch other than current + 1.
        InvalidEpochTransition,
        /// A grace period over 30 days.
        GracePeriodTooLong,
        /// The caller is not the pauser.
        NotPauser,
        /// A batch without messages.
        EmptyBatch,
        /// Every message of the batch was delivered already.
        BatchAlreadyDelivered,
        /// Governance messages are delivered one at a time.
        GovernanceNotBatchable,
        // -- this chain's own
        /// A wrapped asset is burned, not locked.
        CannotLockWrappedToken,
        /// No such asset.
        UnknownAsset,
        /// No free asset id for a wrapped asset within `MAX_ASSET_ID_PROBES` of the counter.
        NoFreeAssetId,
        /// Setting a wrapped asset's metadata would reserve a deposit from the escrow account (the
        /// runtime's asset metadata deposits must be zero).
        MetadataDepositRequired,
        /// A counter would overflow.
        Overflow,
        // -- data attestations and compute jobs (PROTOCOL.md §7.3: named as on every chain)
        /// No job with this id (here, on the side the call or message concerns).
        UnknownJob,
        /// A claim of a job not `Open` (a double claim), or a result or expiry for a decided job.
        JobNotOpen,
        /// A result from another account than the claimer's (or for a job no one claimed).
        NotClaimer,
        /// A claim or result after the deadline, or a job posted with a deadline not in the future.
        DeadlinePassed,
        /// An expiry at or before the deadline.
        DeadlineNotPassed,
        /// A cancel by another account than the payer.
        NotPayer,
        /// A cancel of a job that left `Posted`.
        JobNotCancellable,
        /// A `post` for a job id known here.
        JobAlreadyExists,
        /// A result for a job in another state (or from another chain than its executor chain).
        UnexpectedResult,
        /// A revoke by another DID than the record's owner (or of a data hash with no record here).
        NotOwner,
        // -- this chain's own, for the flows
        /// `attest` or `revoke` without a destination.
        EmptyDestinations,
        /// An `attest` of a data hash its owner revoked here: revocation is final.
        AttestationRevoked,
        /// A zero `pay_to` in a result, or one the escrow chain cannot hold (an EVM chain: non-zero
        /// upper 12 bytes).
        InvalidExecutor,
        /// A payment below the asset's minimum balance (it could not be paid out to an empty
        /// account).
        BelowMinimumBalance,
    }

    impl<T> From<JobRefusal> for Error<T> {
        fn from(r: JobRefusal) -> Self {
            match r {
                JobRefusal::UnknownJob => Error::UnknownJob,
                JobRefusal::JobAlreadyExists => Error::JobAlreadyExists,
                JobRefusal::JobNotOpen => Error::JobNotOpen,
                JobRefusal::NotClaimer => Error::NotClaimer,
                JobRefusal::DeadlinePassed => Error::DeadlinePassed,
                JobRefusal::DeadlineNotPassed => Error::DeadlineNotPassed,
                JobRefusal::NotPayer => Error::NotPayer,
                JobRefusal::JobNotCancellable => Error::JobNotCancellable,
                JobRefusal::UnexpectedResult => Error::UnexpectedResult,
                JobRefusal::InvalidField(_) => Error::InvalidField,
                JobRefusal::InvalidExecutor(_) => Error::InvalidExecutor,
            }
        }
    }

    impl<T> From<EpochRefusal> for Error<T> {
        fn from(r: EpochRefusal) -> Self {
            match r {
                EpochRefusal::UnknownEpoch => Error::UnknownEpoch,
                EpochRefusal::EpochExpired { .. } => Error::EpochExpired,
            }
        }
    }

    impl<T> From<ProtocolError> for Error<T> {
        fn from(e: ProtocolError) -> Self {
            match e {
                ProtocolError::MessageTooShort => Error::MessageTooShort,
                ProtocolError::UnsupportedVersion(_) => Error::UnsupportedVersion,
                ProtocolError::UnknownKind(_) => Error::UnknownKind,
                ProtocolError::InvalidChainRoute(_) => Error::InvalidChainRoute,
                ProtocolError::PayloadLength { .. } => Error::PayloadLength,
                ProtocolError::UnknownAction(_) => Error::UnknownAction,
                ProtocolError::ZeroAmount => Error::ZeroAmount,
                ProtocolError::InvalidField(_) => Error::InvalidField,
                ProtocolError::InvalidGroupKey => Error::InvalidGroupKey,
            }
        }
    }

    // ---------------------------------------------------------------------------------- hooks

    #[pallet::hooks]
    impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
        fn integrity_test() {
            assert!(
                T::ChainId::get() != 0,
                "sah-bridge: ChainId 0 is the governance pseudo-chain"
            );
            assert!(
                T::MaxMessageLen::get() as usize >= MAX_ATTESTATION_MESSAGE_LEN,
                "sah-bridge: MaxMessageLen must fit the longest data attestation (2689 bytes)"
            );
            assert!(
                T::SS58Prefix::get() <= ss58::MAX_SS58_PREFIX,
                "sah-bridge: the SS58 prefix of owner DIDs must be below 16384"
            );
            assert!(
                T::MaxBatch::get() >= 1,
                "sah-bridge: MaxBatch must be at least 1"
            );
            assert!(
                T::InstanceId::get() != [0u8; 32],
                "sah-bridge: InstanceId must not be zero"
            );
        }
    }

    // ---------------------------------------------------------------------------------- calls
    //
    // Each call checks its origin and hands over to `functions.rs` (tokens, delivery, governance)
    // or `flows/functions.rs` (§7), which run inside the call's storage layer.

    #[pallet::call]
    impl<T: Config> Pallet<T> {
        /// Locks `amount` of the native currency in the pallet account and sends it to `recipient`
        /// (32-byte form) on `destination_chain`.
        #[pallet::call_index(0)]
        #[pallet::weight(T::WeightInfo::lock_native())]
        pub fn lock_native(
            origin: OriginFor<T>,
            amount: u128,
            destination_chain: u32,
            recipient: [u8; 32],
        ) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_lock_native(&who, amount, destination_chain, recipient)
        }

        /// Locks `amount` of the home asset `asset_id` in the pallet account and sends it to
        /// `recipient` on `destination_chain`, with the asset's metadata.
        #[pallet::call_index(1)]
        #[pallet::weight(T::WeightInfo::lock_asset())]
        pub fn lock_asset(
            origin: OriginFor<T>,
            asset_id: u32,
            amount: u128,
            destination_chain: u32,
            recipient: [u8; 32],
        ) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_lock_asset(&who, asset_id, amount, destination_chain, recipient)
        }

        /// Burns `amount` of the wrapped asset `asset_id` from the caller and sends its origin token
        /// to `recipient` on `destination_chain`, with the exact origin metadata.
        #[pallet::call_index(2)]
        #[pallet::weight(T::WeightInfo::burn())]
        pub fn burn(
            origin: OriginFor<T>,
            asset_id: u32,
            amount: u128,
            destination_chain: u32,
            recipient: [u8; 32],
        ) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_burn(&who, asset_id, amount, destination_chain, recipient)
        }

        /// Delivers one message signed on its own (the signed root is the leaf of its id) under
        /// `epoch`'s key.
        #[pallet::call_index(3)]
        #[pallet::weight(crate::call_weights::receive_message::<T::WeightInfo>())]
        pub fn receive_message(
            origin: OriginFor<T>,
            message: MessageOf<T>,
            epoch: u32,
            signature: Signature,
        ) -> DispatchResult {
            ensure_signed(origin)?;
            Self::do_receive_message(&message, epoch, &signature)
        }

        /// Delivers a batch under one signature over the Merkle root of the messages' ids in this
        /// order. Messages delivered before are skipped; a batch with nothing new is refused.
        #[pallet::call_index(4)]
        #[pallet::weight(crate::call_weights::receive_batch::<T::WeightInfo>(messages.len() as u32))]
        pub fn receive_batch(
            origin: OriginFor<T>,
            messages: BatchOf<T>,
            epoch: u32,
            signature: Signature,
        ) -> DispatchResult {
            ensure_signed(origin)?;
            Self::do_receive_batch(&messages, epoch, &signature)
        }

        /// Emergency stop by the pauser. Only a governance message unpauses.
        #[pallet::call_index(5)]
        #[pallet::weight(T::WeightInfo::pause())]
        pub fn pause(origin: OriginFor<T>) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_pause(who)
        }

        // -------------------------------------------------------------- data attestations (§7.2)

        /// Registers `data_hash` under the caller's DID (`did:pkh:polkadot:...`, §7.1) in this
        /// chain's registry (origin this chain, nonce 0) and sends a `register` to each destination
        /// (each once, known, not this chain). `uri` (at most 2048 bytes) and `license` (at most 256)
        /// are UTF-8.
        #[pallet::call_index(6)]
        #[pallet::weight(T::WeightInfo::attest(destinations.len() as u32))]
        pub fn attest(
            origin: OriginFor<T>,
            data_hash: [u8; 32],
            uri: Vec<u8>,
            license: Vec<u8>,
            destinations: Destinations,
        ) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_attest(&who, data_hash, &uri, &license, &destinations)
        }

        /// The owner of `data_hash`'s record here (the caller's DID is the record's owner DID)
        /// revokes it and sends a `revoke` to each destination.
        #[pallet::call_index(7)]
        #[pallet::weight(T::WeightInfo::revoke(destinations.len() as u32))]
        pub fn revoke(
            origin: OriginFor<T>,
            data_hash: [u8; 32],
            destinations: Destinations,
        ) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_revoke(&who, data_hash, &destinations)
        }

        // -------------------------------------------------------------- compute jobs, chain A

        /// Posts a job for `executor_chain`: escrows `amount` of `payment` from the caller in the
        /// pallet account and sends `post`. The job id is
        /// `sha256("SAH-JOB" || this chain u32 BE || counter u64 BE)`, the counter from 1.
        #[pallet::call_index(8)]
        #[pallet::weight(T::WeightInfo::post_job())]
        pub fn post_job(
            origin: OriginFor<T>,
            payment: Payment,
            amount: u128,
            spec_hash: [u8; 32],
            executor_chain: u32,
            deadline: u64,
        ) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_post_job(who, payment, amount, spec_hash, executor_chain, deadline)
        }

        /// The payer asks the executor chain to cancel a job still `Posted` (sends `cancel`); the
        /// escrow stays until the executor chain's result.
        #[pallet::call_index(9)]
        #[pallet::weight(T::WeightInfo::cancel_job())]
        pub fn cancel_job(origin: OriginFor<T>, job_id: [u8; 32]) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_cancel_job(who, job_id)
        }

        // -------------------------------------------------------------- compute jobs, chain B

        /// Any account takes an `Open` job, at or before its deadline. It sends no message, so a
        /// paused bridge allows it (PROTOCOL.md §7.3).
        #[pallet::call_index(10)]
        #[pallet::weight(T::WeightInfo::claim_job())]
        pub fn claim_job(origin: OriginFor<T>, job_id: [u8; 32]) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_claim_job(who, job_id)
        }

        /// The claimer's result, at or before the deadline: the job is `Completed` and `completed`
        /// goes to the escrow chain, which pays `pay_to` (32-byte account there; for an EVM escrow
        /// chain a left-padded 20-byte address).
        #[pallet::call_index(11)]
        #[pallet::weight(T::WeightInfo::submit_result())]
        pub fn submit_result(
            origin: OriginFor<T>,
            job_id: [u8; 32],
            result_hash: [u8; 32],
            pay_to: [u8; 32],
        ) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_submit_result(who, job_id, result_hash, pay_to)
        }

        /// Anyone ends an `Open` or `Claimed` job after its deadline: `Expired`, and `expired` goes
        /// to the escrow chain, which refunds the payer.
        #[pallet::call_index(12)]
        #[pallet::weight(T::WeightInfo::expire_job())]
        pub fn expire_job(origin: OriginFor<T>, job_id: [u8; 32]) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_expire_job(who, job_id)
        }
    }
}
