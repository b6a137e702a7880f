//! A test runtime: frame_system, pallet_balances (u128, ED 1_000), pallet_assets (u32 ids, u128,
//! metadata deposits 0 unless a test sets one, user creation only below the wrapped range),
//! pallet_timestamp (the bridge's `UnixTime`) and the bridge; plus a FROST signer holding the vectors'
//! test key and builders for the messages a test delivers.
//!
//! The bridge is the golden vectors' Substrate instance (`instances.substrate` of
//! `test/vectors/messages.json`): its `InstanceId` is the vectors' `instanceId` and its genesis hash
//! frame_system's placeholder `hash69` (`0x4545..45`), which `BlockHash(0)` keeps here because no
//! test externality initialises block 1 (`System::set_block_number(1)` only sets the number). So the
//! vectors' `deliveries.substrate` signatures verify on it as they are.
//!
//! A FROST signature by t of n is indistinguishable from a Schnorr signature by the group secret, so
//! signing with the group secret (as `contracts/cosmwasm/.../tests/common/mod.rs` does) exercises
//! exactly the verification path a relayer set's signature takes.
#![allow(dead_code)]

use crate as pallet_sah_bridge;
use frame_support::{
    derive_impl, parameter_types,
    traits::{ConstU128, ConstU32, ConstU8, EnsureOrigin, EnsureOriginWithArg},
    PalletId,
};
use k256::elliptic_curve::ops::Reduce;
use k256::elliptic_curve::sec1::ToEncodedPoint;
use k256::{ProjectivePoint, Scalar, U256};
use sah_bridge_protocol::{
    frost, merkle, message_id, signing_digest, Governance, Header, Instance, Kind, Message,
    Payload, TokenTransfer, VERSION,
};
use sha2::{Digest, Sha256};
use sp_runtime::{traits::IdentityLookup, AccountId32, BuildStorage};

pub type AccountId = AccountId32;
type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
    pub enum Test {
        System: frame_system,
        Timestamp: pallet_timestamp,
        Balances: pallet_balances,
        Assets: pallet_assets,
        SahBridge: pallet_sah_bridge,
    }
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
    type Block = Block;
    type AccountId = AccountId;
    type Lookup = IdentityLookup<AccountId>;
    type AccountData = pallet_balances::AccountData<u128>;
    /// The dev runtime's (and Substrate's generic) SS58 prefix.
    type SS58Prefix = frame_support::traits::ConstU16<42>;
}

impl pallet_timestamp::Config for Test {
    type Moment = u64;
    type OnTimestampSet = ();
    type MinimumPeriod = frame_support::traits::ConstU64<1>;
    type WeightInfo = ();
}

pub const ED: u128 = 1_000;

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
    type Balance = u128;
    type ExistentialDeposit = ConstU128<ED>;
    type AccountStore = System;
}

pub const FIRST_WRAPPED: u32 = 1_000;

/// The golden vectors' Substrate instance id (`instances.substrate.instanceId`):
/// `sha256("sah-bridge vectors instance")`.
pub fn vectors_instance_id() -> [u8; 32] {
    Sha256::digest(b"sah-bridge vectors instance").into()
}

/// frame_system's genesis placeholder for `BlockHash(0)` (`hash69`): the mock's genesis hash, and
/// the vectors' (`instances.substrate.genesisHash`).
pub const HASH69: [u8; 32] = [0x45; 32];

parameter_types! {
    /// The bridge's protocol chain id; a test may pick another before building its externalities.
    pub static ChainId: u32 = 10004;
    /// The bridge's instance id (`Config::InstanceId`): the vectors' unless a test builds its
    /// externalities with another ([`TestGenesis`]).
    pub static InstanceId: [u8; 32] = vectors_instance_id();
    /// pallet-assets' metadata deposit base (0: what the bridge requires).
    pub static MetadataDepositBase: u128 = 0;
    pub const BridgePalletId: PalletId = PalletId(*b"sah/brdg");
    pub const NativeSymbol: &'static [u8] = b"UNIT";
    pub const NativeName: &'static [u8] = b"SAH Dev Unit";
    pub const FirstWrappedAssetId: u32 = FIRST_WRAPPED;
    /// Every chain of PROTOCOL.md §1 but the governance pseudo-chain.
    pub const KnownChains: &'static [u32] = &[1, 2, 3, 10001, 10002, 10003, 10004];
}

/// Signed accounts may create assets, but only with ids below the bridge's range.
pub struct CreateBelowWrapped;
impl EnsureOriginWithArg<RuntimeOrigin, u32> for CreateBelowWrapped {
    type Success = AccountId;
    fn try_origin(o: RuntimeOrigin, id: &u32) -> Result<AccountId, RuntimeOrigin> {
        if *id >= FIRST_WRAPPED {
            return Err(o);
        }
        <frame_system::EnsureSigned<AccountId> as EnsureOrigin<RuntimeOrigin>>::try_origin(o)
    }
    #[cfg(feature = "runtime-benchmarks")]
    fn try_successful_origin(_: &u32) -> Result<RuntimeOrigin, ()> {
        Err(())
    }
}

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config for Test {
    type Balance = u128;
    type Currency = Balances;
    type CreateOrigin = CreateBelowWrapped;
    type ForceOrigin = frame_system::EnsureRoot<AccountId>;
    type AssetDeposit = ConstU128<0>;
    type AssetAccountDeposit = ConstU128<0>;
    type MetadataDepositBase = MetadataDepositBase;
    type MetadataDepositPerByte = ConstU128<0>;
    type ApprovalDeposit = ConstU128<0>;
}

impl pallet_sah_bridge::Config for Test {
    type Currency = Balances;
    type Assets = Assets;
    type UnixTime = Timestamp;
    type PalletId = BridgePalletId;
    type ChainId = ChainId;
    type NativeDecimals = ConstU8<12>;
    type NativeSymbol = NativeSymbol;
    type NativeName = NativeName;
    type FirstWrappedAssetId = FirstWrappedAssetId;
    type MaxMessageLen = ConstU32<4096>;
    type MaxBatch = ConstU32<16>;
    type InstanceId = InstanceId;
    type KnownChains = KnownChains;
    type WeightInfo = ();
}

// -------------------------------------------------------------------------------------- accounts

pub fn account(name: &str) -> AccountId {
    AccountId32::new(Sha256::digest(name.as_bytes()).into())
}
pub fn alice() -> AccountId {
    account("alice")
}
pub fn bob() -> AccountId {
    account("bob")
}
pub fn carol() -> AccountId {
    account("carol")
}
pub fn pauser() -> AccountId {
    account("pauser")
}
pub fn relayer() -> AccountId {
    account("relayer")
}
pub fn admin() -> AccountId {
    account("admin")
}
pub fn bridge_account() -> AccountId {
    SahBridge::account_id()
}
pub fn bytes32(a: &AccountId) -> [u8; 32] {
    a.clone().into()
}

pub const USERS: [&str; 3] = ["alice", "bob", "carol"];
/// Native balance of every named account at genesis.
pub const ENDOWMENT: u128 = 1_000_000_000_000;
/// A home asset of this chain (not sufficient: holders need a native balance), and its balances.
pub const HOME_ASSET: u32 = 7;
pub const HOME_ENDOWMENT: u128 = 1_000_000;
/// Unix time of the first block (seconds).
pub const START: u64 = 1_700_000_000;

// -------------------------------------------------------------------------------------- chains

pub const CHAIN: u32 = 10004;
pub const ETHEREUM: u32 = 10001;
pub const COSMOS: u32 = 10003;

pub fn vectors() -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../../test/vectors/messages.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("read test/vectors/messages.json"))
        .unwrap()
}

pub fn hex_bytes(s: &str) -> Vec<u8> {
    hex::decode(s.trim_start_matches("0x")).unwrap()
}

/// Externalities for a bridge on `chain`: named accounts endowed, the pallet account holding the
/// existential deposit, the home asset with metadata, block 1 at [`START`].
pub fn new_test_ext_on(chain: u32) -> sp_io::TestExternalities {
    new_test_ext_with(chain, Signer::test_key().group_key.to_vec())
}

/// As [`new_test_ext_on`], with this genesis group key (empty: none).
pub fn new_test_ext_with(chain: u32, group_key: Vec<u8>) -> sp_io::TestExternalities {
    TestGenesis {
        chain,
        group_key,
        ..Default::default()
    }
    .build()
}

/// What a test bridge is built with. The default: on [`CHAIN`], the vectors' test key at epoch 1,
/// the vectors' instance id.
pub struct TestGenesis {
    pub chain: u32,
    /// The genesis group key (empty: none).
    pub group_key: Vec<u8>,
    /// The genesis config's starting epoch.
    pub epoch: u32,
    /// The runtime's `InstanceId` (a thread-local: the last externalities built on a thread set it,
    /// so a test that switches between bridges of different ids sets it again before each).
    pub instance_id: [u8; 32],
}

impl Default for TestGenesis {
    fn default() -> Self {
        TestGenesis {
            chain: CHAIN,
            group_key: Signer::test_key().group_key.to_vec(),
            epoch: 1,
            instance_id: vectors_instance_id(),
        }
    }
}

impl TestGenesis {
    /// Sets the thread's `ChainId` and `InstanceId` and builds the externalities.
    pub fn build(self) -> sp_io::TestExternalities {
        let TestGenesis {
            chain,
            group_key,
            epoch,
            instance_id,
        } = self;
        ChainId::set(chain);
        InstanceId::set(instance_id);
        MetadataDepositBase::set(0);
        let mut balances: Vec<(AccountId, u128)> =
            ["alice", "bob", "carol", "pauser", "relayer", "admin"]
                .iter()
                .map(|n| (account(n), ENDOWMENT))
                .collect();
        balances.push((SahBridge::account_id(), ED));
        let storage = RuntimeGenesisConfig {
            system: Default::default(),
            balances: pallet_balances::GenesisConfig {
                balances,
                ..Default::default()
            },
            assets: pallet_assets::GenesisConfig {
                assets: vec![(HOME_ASSET, admin(), false, 1)],
                metadata: vec![(HOME_ASSET, b"Home Token".to_vec(), b"HOME".to_vec(), 10)],
                accounts: USERS
                    .iter()
                    .map(|n| (HOME_ASSET, account(n), HOME_ENDOWMENT))
                    .collect(),
                next_asset_id: None,
                reserves: vec![],
            },
            sah_bridge: pallet_sah_bridge::GenesisConfig {
                group_key,
                pauser: Some(pauser()),
                epoch,
            },
        }
        .build_storage()
        .unwrap();
        let mut ext = sp_io::TestExternalities::new(storage);
        ext.execute_with(|| {
            System::set_block_number(1);
            Timestamp::set_timestamp(START * 1_000);
        });
        ext
    }
}

pub fn new_test_ext() -> sp_io::TestExternalities {
    new_test_ext_on(CHAIN)
}

/// Moves the clock (what `UnixTime` reports) forward.
pub fn advance(seconds: u64) {
    Timestamp::set_timestamp(pallet_timestamp::Now::<Test>::get() + seconds * 1_000);
}

// -------------------------------------------------------------------------------------- signer

/// A FROST group key and its secret (the vectors' test key, or another one for rotations).
#[derive(Clone)]
pub struct Signer {
    pub secret: Scalar,
    pub group_key: [u8; 33],
}

impl Signer {
    pub fn from_secret(secret: &[u8]) -> Self {
        let secret = <Scalar as Reduce<U256>>::reduce_bytes(secret.into());
        let point = (ProjectivePoint::GENERATOR * secret)
            .to_affine()
            .to_encoded_point(true);
        Signer {
            secret,
            group_key: point.as_bytes().try_into().unwrap(),
        }
    }

    /// The vectors' 2-of-3 test key.
    pub fn test_key() -> Self {
        Self::from_secret(&hex_bytes(
            vectors()["testKey"]["secretKey"].as_str().unwrap(),
        ))
    }

    /// Another valid key (x < n), derived from a label.
    pub fn derived(label: &str) -> Self {
        let mut i = 0u32;
        loop {
            let seed = Sha256::new()
                .chain_update(label)
                .chain_update(i.to_be_bytes())
                .finalize();
            let s = Self::from_secret(&seed);
            if frost::check_group_key(&s.group_key).is_ok() {
                return s;
            }
            i += 1;
        }
    }

    /// RFC 9591 signature R (33) || z (32) over `message` with a deterministic nonce.
    pub fn sign(&self, message: &[u8]) -> [u8; 65] {
        let nonce_seed = Sha256::new()
            .chain_update(self.secret.to_bytes())
            .chain_update(message)
            .finalize();
        let k = <Scalar as Reduce<U256>>::reduce_bytes(&nonce_seed);
        let r: [u8; 33] = (ProjectivePoint::GENERATOR * k)
            .to_affine()
            .to_encoded_point(true)
            .as_bytes()
            .try_into()
            .unwrap();
        let c_bytes = frost::challenge(&r, &self.group_key, message);
        let c = <Scalar as Reduce<U256>>::reduce_bytes((&c_bytes).into());
        let z = k + c * self.secret;
        let mut sig = [0u8; 65];
        sig[..33].copy_from_slice(&r);
        sig[33..].copy_from_slice(&z.to_bytes());
        sig
    }

    /// A single message for `instance`: the root is the leaf of its id.
    pub fn sign_message_for(
        &self,
        instance: &Instance,
        epoch: u32,
        destination: u32,
        message: &[u8],
    ) -> [u8; 65] {
        let root = merkle::leaf(&message_id(message));
        self.sign(&signing_digest(epoch, destination, instance, &root))
    }

    /// A batch for `instance`: the root is the Merkle root over the leaves of the ids, in order.
    pub fn sign_batch_for(
        &self,
        instance: &Instance,
        epoch: u32,
        destination: u32,
        messages: &[Vec<u8>],
    ) -> [u8; 65] {
        let ids: Vec<[u8; 32]> = messages.iter().map(|m| message_id(m)).collect();
        self.sign(&signing_digest(
            epoch,
            destination,
            instance,
            &merkle::root(&ids),
        ))
    }

    /// A single message for the bridge under test ([`bridge_instance`]: inside `execute_with`).
    pub fn sign_message(&self, epoch: u32, destination: u32, message: &[u8]) -> [u8; 65] {
        self.sign_message_for(&bridge_instance(), epoch, destination, message)
    }

    /// A batch for the bridge under test ([`bridge_instance`]: inside `execute_with`).
    pub fn sign_batch(&self, epoch: u32, destination: u32, messages: &[Vec<u8>]) -> [u8; 65] {
        self.sign_batch_for(&bridge_instance(), epoch, destination, messages)
    }
}

/// The instance the bridge under test verifies for, read as a relayer reads it (PROTOCOL.md §2):
/// the chain's genesis hash (frame_system's `BlockHash(0)`) and the runtime's `InstanceId`, not
/// the pallet's own [`crate::Pallet::instance`]. Inside `execute_with`.
pub fn bridge_instance() -> Instance {
    Instance {
        chain_binding: frame_system::BlockHash::<Test>::get(0).0,
        bridge: InstanceId::get(),
    }
}

/// The vectors' Substrate instance (`instances.substrate`: `chainBinding`, `bridge`).
pub fn vectors_instance() -> Instance {
    let v = vectors();
    let i = &v["instances"]["substrate"];
    let b32 = |f: &str| -> [u8; 32] {
        hex_bytes(i[f].as_str().expect("a hex string"))
            .try_into()
            .expect("32 bytes")
    };
    Instance {
        chain_binding: b32("chainBinding"),
        bridge: b32("bridge"),
    }
}

// -------------------------------------------------------------------------------------- world

pub fn pad32(s: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out[..s.len()].copy_from_slice(s);
    out
}

/// The SAH token's id on the devnet EVM chain (an address, left-padded).
pub fn sah_token() -> [u8; 32] {
    let mut t = [0u8; 32];
    t[12..].copy_from_slice(&[0x5a; 20]);
    t
}

/// What a test knows about the bridge it talks to: the key and epoch it signs under, the nonces of
/// the messages it makes up. Use inside `execute_with` (it signs for [`bridge_instance`]).
pub struct World {
    pub signer: Signer,
    pub epoch: u32,
    pub chain: u32,
    pub nonces: std::collections::HashMap<u32, u64>,
    pub governance_nonce: u64,
}

impl World {
    /// The test key, at the bridge's current epoch (its genesis epoch when new).
    pub fn new() -> Self {
        World {
            signer: Signer::test_key(),
            epoch: crate::Epoch::<Test>::get(),
            chain: ChainId::get(),
            nonces: Default::default(),
            governance_nonce: 0,
        }
    }

    /// Rotates to `epoch` keeping the same key (each rotation a governance message under the last).
    pub fn at_epoch(mut self, epoch: u32) -> Self {
        while self.epoch < epoch {
            let rotate = self.governance(Governance::RotateKey {
                new_epoch: self.epoch + 1,
                new_group_key: self.signer.group_key,
                grace_seconds: 0,
            });
            self.deliver(&rotate).unwrap();
            self.epoch += 1;
        }
        self
    }

    pub fn next_nonce(&mut self, source: u32) -> u64 {
        let n = self.nonces.entry(source).or_insert(0);
        *n += 1;
        *n
    }

    /// A token transfer from `source` to this chain.
    pub fn transfer_in(
        &mut self,
        source: u32,
        origin_chain: u32,
        origin_token: [u8; 32],
        to: &AccountId,
        amount: u128,
    ) -> Vec<u8> {
        let nonce = self.next_nonce(source);
        Message {
            header: Header {
                version: VERSION,
                kind: Kind::TokenTransfer,
                source_chain: source,
                destination_chain: self.chain,
                nonce,
                sender: [0x11; 32],
                recipient: bytes32(to),
            },
            payload: Payload::TokenTransfer(TokenTransfer {
                origin_chain,
                origin_token,
                amount,
                decimals: 18,
                symbol: pad32(b"SAH"),
                name: pad32(b"SAH Token"),
            }),
        }
        .encode()
    }

    /// A message of any kind from `source` to this chain, with `sender`, a zero recipient (as the
    /// §7 flows send them) and the next nonce of `source`.
    pub fn flow_in(&mut self, source: u32, sender: [u8; 32], payload: Payload) -> Vec<u8> {
        let nonce = self.next_nonce(source);
        Message {
            header: Header {
                version: VERSION,
                kind: payload.kind(),
                source_chain: source,
                destination_chain: self.chain,
                nonce,
                sender,
                recipient: [0; 32],
            },
            payload,
        }
        .try_encode()
        .expect("a valid message")
    }

    pub fn governance(&mut self, g: Governance) -> Vec<u8> {
        self.governance_nonce += 1;
        Message {
            header: Header {
                version: VERSION,
                kind: Kind::Governance,
                source_chain: 0,
                destination_chain: self.chain,
                nonce: self.governance_nonce,
                sender: [0; 32],
                recipient: SahBridge::account_bytes(),
            },
            payload: Payload::Governance(g),
        }
        .encode()
    }

    pub fn deliver_with(
        &self,
        message: &[u8],
        epoch: u32,
        signature: [u8; 65],
    ) -> sp_runtime::DispatchResult {
        SahBridge::receive_message(
            RuntimeOrigin::signed(relayer()),
            message
                .to_vec()
                .try_into()
                .expect("message within MaxMessageLen"),
            epoch,
            signature,
        )
    }

    pub fn deliver(&self, message: &[u8]) -> sp_runtime::DispatchResult {
        let sig = self.signer.sign_message(self.epoch, self.chain, message);
        self.deliver_with(message, self.epoch, sig)
    }

    pub fn deliver_batch_with(
        &self,
        messages: &[Vec<u8>],
        epoch: u32,
        signature: [u8; 65],
    ) -> sp_runtime::DispatchResult {
        let batch: Vec<crate::MessageOf<Test>> = messages
            .iter()
            .map(|m| m.clone().try_into().unwrap())
            .collect();
        SahBridge::receive_batch(
            RuntimeOrigin::signed(relayer()),
            batch.try_into().expect("batch within MaxBatch"),
            epoch,
            signature,
        )
    }

    pub fn deliver_batch(&self, messages: &[Vec<u8>]) -> sp_runtime::DispatchResult {
        let sig = self.signer.sign_batch(self.epoch, self.chain, messages);
        self.deliver_batch_with(messages, self.epoch, sig)
    }
}

/// The bridge's events since the last `System::reset_events()`.
pub fn bridge_events() -> Vec<crate::Event<Test>> {
    System::events()
        .into_iter()
        .filter_map(|r| match r.event {
            RuntimeEvent::SahBridge(e) => Some(e),
            _ => None,
        })
        .collect()
}

/// The bytes of the last `MessageSent`.
pub fn last_sent() -> (u64, Vec<u8>) {
    bridge_events()
        .into_iter()
        .rev()
        .find_map(|e| match e {
            crate::Event::MessageSent { nonce, message, .. } => Some((nonce, message)),
            _ => None,
        })
        .expect("a MessageSent event")
}

/// Every message sent (`MessageSent`) since the last call, in order; resets the events.
pub fn take_sent() -> Vec<(u64, Vec<u8>)> {
    let sent = bridge_events()
        .into_iter()
        .filter_map(|e| match e {
            crate::Event::MessageSent { nonce, message, .. } => Some((nonce, message)),
            _ => None,
        })
        .collect();
    System::reset_events();
    sent
}

/// Sets the clock to `seconds` (unix).
pub fn set_time(seconds: u64) {
    Timestamp::set_timestamp(seconds * 1_000);
}

/// The clock, unix seconds.
pub fn now() -> u64 {
    pallet_timestamp::Now::<Test>::get() / 1_000
}
