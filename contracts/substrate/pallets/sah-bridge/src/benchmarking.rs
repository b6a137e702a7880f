//! Benchmarks (frame-benchmarking v2) of every call on its most expensive path: inbound transfers that
//! create a new wrapped asset (in a batch, each message in its own consumed word: `receive_batch`;
//! the common case, all in one word, is `receive_batch_one_word`), a lock of a non-sufficient home
//! asset into a new asset account, an attestation that conflicts with the longest record, a job paid
//! in a non-sufficient home asset. The B-side job calls start from a job written into storage (as a
//! delivered `post` leaves it).
//!
//! Inbound calls need a valid FROST signature over a digest that depends on the runtime's chain id and
//! on the verifying instance (the genesis hash, `BlockHash(0)`, and `Config::InstanceId`: PROTOCOL.md
//! §2), so the benchmarks install their own group key and sign the v2 digest in the runtime with `k256`
//! arithmetic (a single-party Schnorr signature, which is what a FROST signature is to the verifier).
//! `k256` is only a dependency of the pallet with the `runtime-benchmarks` feature.

use super::*;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{
    fungible::{self, Inspect as _},
    fungibles, Get,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use k256::elliptic_curve::ops::Reduce;
use k256::elliptic_curve::sec1::ToEncodedPoint;
use k256::{ProjectivePoint, Scalar, U256};
use sah_bridge_protocol::{
    frost, merkle, message_id, signing_digest, AttestationAction, DataAttestation, Header,
    Instance, Kind, Message, Payload, TokenTransfer, VERSION,
};
use sp_runtime::traits::Zero;

struct BenchSigner {
    secret: Scalar,
    group_key: [u8; 33],
}

impl BenchSigner {
    /// A fixed key with x < n.
    fn new() -> Self {
        let mut i = 0u32;
        loop {
            let mut seed = b"sah-bridge benchmark key".to_vec();
            seed.extend_from_slice(&i.to_be_bytes());
            let bytes = sp_io::hashing::sha2_256(&seed);
            let secret = <Scalar as Reduce<U256>>::reduce_bytes(&bytes.into());
            let point = (ProjectivePoint::GENERATOR * secret)
                .to_affine()
                .to_encoded_point(true);
            let group_key: [u8; 33] = point.as_bytes().try_into().expect("33 bytes");
            if frost::check_group_key(&group_key).is_ok() {
                return BenchSigner { secret, group_key };
            }
            i += 1;
        }
    }

    fn sign(&self, digest: &[u8; 32]) -> [u8; 65] {
        let mut seed = self.secret.to_bytes().to_vec();
        seed.extend_from_slice(digest);
        let k = <Scalar as Reduce<U256>>::reduce_bytes(&sp_io::hashing::sha2_256(&seed).into());
        let r: [u8; 33] = (ProjectivePoint::GENERATOR * k)
            .to_affine()
            .to_encoded_point(true)
            .as_bytes()
            .try_into()
            .expect("33 bytes");
        let c = frost::challenge(&r, &self.group_key, digest);
        let c = <Scalar as Reduce<U256>>::reduce_bytes(&c.into());
        let z = k + c * self.secret;
        let mut sig = [0u8; 65];
        sig[..33].copy_from_slice(&r);
        sig[33..].copy_from_slice(&z.to_bytes());
        sig
    }
}

/// Installs the benchmark key as epoch 1's and gives the pallet account its existential deposit.
fn setup<T: Config>() -> BenchSigner {
    let signer = BenchSigner::new();
    Epoch::<T>::put(1);
    CurrentKey::<T>::put(signer.group_key);
    let me = Pallet::<T>::account_id();
    let ed = T::Currency::minimum_balance();
    if T::Currency::balance(&me) < ed {
        <T::Currency as fungible::Mutate<_>>::mint_into(&me, ed).expect("mint the ED");
    }
    signer
}

/// What the relayer set signs for this bridge under epoch 1 (the benchmarks' key's) over `root` (a
/// single message: the leaf of its id; a batch: the Merkle root of the ids): bound to this chain's
/// genesis hash and the runtime's instance id, read as a relayer reads them.
fn digest<T: Config>(root: &[u8; 32]) -> [u8; 32] {
    let instance = Instance {
        chain_binding: frame_system::BlockHash::<T>::get(BlockNumberFor::<T>::zero()).0,
        bridge: T::InstanceId::get(),
    };
    signing_digest(1, T::ChainId::get(), &instance, root)
}

/// A chain that is neither this one nor the governance pseudo-chain.
fn other_chain<T: Config>() -> u32 {
    if T::ChainId::get() == 1 {
        2
    } else {
        1
    }
}

fn funded<T: Config>(name: &'static str) -> T::AccountId {
    let who: T::AccountId = account(name, 0, 0);
    let amount = T::Currency::minimum_balance().saturating_mul(1_000_000_000);
    <T::Currency as fungible::Mutate<_>>::mint_into(&who, amount).expect("fund");
    who
}

/// A transfer to this chain of a foreign token `token` (so it mints, creating the wrapped asset).
fn inbound<T: Config>(nonce: u64, token: u32, recipient: [u8; 32], amount: u128) -> Vec<u8> {
    let source = other_chain::<T>();
    let mut origin_token = [0x5au8; 32];
    origin_token[28..].copy_from_slice(&token.to_be_bytes());
    Message {
        header: Header {
            version: VERSION,
            kind: Kind::TokenTransfer,
            source_chain: source,
            destination_chain: T::ChainId::get(),
            nonce,
            sender: [0x11; 32],
            recipient,
        },
        payload: Payload::TokenTransfer(TokenTransfer {
            origin_chain: source,
            origin_token,
            amount,
            decimals: 18,
            // full-length metadata: the most bytes pallet-assets stores
            symbol: [b'S'; 32],
            name: [b'N'; 32],
        }),
    }
    .encode()
}

/// The known chains a §7 call may name (at most `n`).
fn destinations<T: Config>(n: u32) -> Destinations {
    let chains: Vec<u32> = T::KnownChains::get()
        .iter()
        .copied()
        .filter(|c| *c != 0 && *c != T::ChainId::get())
        .take(n as usize)
        .collect();
    assert!(
        !chains.is_empty(),
        "the runtime knows at least one other chain"
    );
    chains.try_into().expect("at most MAX_DESTINATIONS")
}

/// A non-sufficient home asset the caller holds (the most expensive payment to escrow).
fn home_asset<T: Config>(caller: &T::AccountId) -> u32 {
    let id = T::FirstWrappedAssetId::get().saturating_sub(1);
    <T::Assets as fungibles::Create<_>>::create(id, caller.clone(), false, 1).expect("create");
    <T::Assets as fungibles::Mutate<_>>::mint_into(id, caller, 1_000_000).expect("mint");
    id
}

/// A job received from another chain, in `state`, with this deadline and claimer.
fn received<T: Config>(
    id: [u8; 32],
    state: ReceivedJobState,
    deadline: u64,
    claimer: Option<T::AccountId>,
) {
    ReceivedJobs::<T>::insert(
        id,
        ReceivedJob {
            escrow_chain: destinations::<T>(1)[0],
            post_nonce: 1,
            payer: [9; 32],
            spec_hash: [5; 32],
            payment_origin_chain: 1,
            payment_origin_token: [6; 32],
            amount: 1_000,
            deadline,
            received_at: 0,
            state,
            claimer,
            result_hash: [0; 32],
            pay_to: [0; 32],
            finished_at: 0,
            result_nonce: 0,
        },
    );
}

/// Marks `nonce` of `source` delivered, as an earlier delivery would have: the word a benchmarked
/// delivery reads then exists (a stored word, not an absent key, is what a running bridge reads).
fn delivered_before<T: Config>(source: u32, nonce: u64) {
    ConsumedWords::<T>::mutate(source, consumed::word_index(nonce), |w| {
        consumed::set_bit(w, nonce)
    });
}

/// A batch of `n` inbound transfers from [`other_chain`] under these nonces, each a new foreign
/// token (`n` wrapped assets created), signed; each nonce's word holds an earlier delivery.
fn batch_at<T: Config>(
    signer: &BenchSigner,
    n: u32,
    nonce: impl Fn(u32) -> u64,
) -> (BatchOf<T>, [u8; 65], Vec<(u32, u64)>) {
    let source = other_chain::<T>();
    let pairs: Vec<(u32, u64)> = (0..n).map(|i| (source, nonce(i))).collect();
    for (_, nonce) in &pairs {
        // the first nonce of the word (256 * index), never one of the batch's
        delivered_before::<T>(source, nonce & !0xff);
    }
    let messages: Vec<Vec<u8>> = (0..n)
        .map(|i| inbound::<T>(nonce(i), i, [7u8; 32], 1_000))
        .collect();
    let (batch, sig) = signed_batch::<T>(signer, messages);
    (batch, sig, pairs)
}

/// `messages` as a batch, signed over their Merkle root.
fn signed_batch<T: Config>(signer: &BenchSigner, messages: Vec<Vec<u8>>) -> (BatchOf<T>, [u8; 65]) {
    let ids: Vec<[u8; 32]> = messages.iter().map(|m| message_id(m)).collect();
    let sig = signer.sign(&digest::<T>(&merkle::root(&ids)));
    let batch: BatchOf<T> = messages
        .into_iter()
        .map(bounded::<T>)
        .collect::<Vec<_>>()
        .try_into()
        .expect("at most MaxBatch messages");
    (batch, sig)
}

/// The longest record there is, by another owner than [`inbound_attestation`]'s, under `data_hash`: a
/// delivered register then stores a conflict too (the most a delivered message writes and proves).
fn longest_record<T: Config>(data_hash: [u8; 32]) {
    Pallet::<T>::apply_attestation(
        data_hash,
        &[b'o'; 256],
        AttestAction::Register,
        1,
        1,
        1,
        &[b'u'; 2048],
        &[b'l'; 256],
    );
}

/// An inbound register of `data_hash` with the longest owner DID, URI and license the codec allows.
fn inbound_attestation<T: Config>(nonce: u64, data_hash: [u8; 32]) -> Vec<u8> {
    let text = |c: char, n: usize| core::iter::repeat_n(c, n).collect::<String>();
    Message {
        header: Header {
            version: VERSION,
            kind: Kind::DataAttestation,
            source_chain: other_chain::<T>(),
            destination_chain: T::ChainId::get(),
            nonce,
            sender: [0x22; 32],
            recipient: [0; 32],
        },
        payload: Payload::DataAttestation(DataAttestation {
            action: AttestationAction::Register,
            data_hash,
            timestamp: 2,
            owner_did: text('d', sah_bridge_protocol::MAX_DID_LEN),
            uri: text('u', sah_bridge_protocol::MAX_URI_LEN),
            license: text('l', sah_bridge_protocol::MAX_LICENSE_LEN),
        }),
    }
    .encode()
}

fn bounded<T: Config>(m: Vec<u8>) -> MessageOf<T> {
    m.try_into().expect("a transfer fits MaxMessageLen")
}

#[benchmarks]
mod benchmarks {
    use super::*;

    #[benchmark]
    fn lock_native() {
        setup::<T>();
        let caller = funded::<T>("caller");
        let amount = T::Currency::minimum_balance().saturating_mul(10);
        #[extrinsic_call]
        _(
            RawOrigin::Signed(caller),
            amount,
            other_chain::<T>(),
            [1u8; 32],
        );
        assert_eq!(OutboundNonce::<T>::get(), 1);
        assert_eq!(Locked::<T>::get(NATIVE_TOKEN), Some(amount));
    }

    #[benchmark]
    fn lock_asset() {
        setup::<T>();
        let caller = funded::<T>("caller");
        let id = T::FirstWrappedAssetId::get().saturating_sub(1);
        // not sufficient: the pallet account's new asset account takes a consumer reference
        <T::Assets as fungibles::Create<_>>::create(id, caller.clone(), false, 1).expect("create");
        <T::Assets as fungibles::metadata::Mutate<_>>::set(
            id,
            &caller,
            vec![b'N'; 32],
            vec![b'S'; 32],
            12,
        )
        .expect("metadata");
        <T::Assets as fungibles::Mutate<_>>::mint_into(id, &caller, 1_000_000).expect("mint");
        #[extrinsic_call]
        _(
            RawOrigin::Signed(caller),
            id,
            1_000,
            other_chain::<T>(),
            [1u8; 32],
        );
        assert_eq!(Locked::<T>::get(asset_token(id)), Some(1_000));
    }

    #[benchmark]
    fn burn() {
        let signer = setup::<T>();
        let caller = funded::<T>("caller");
        let m = inbound::<T>(1, 1, caller.clone().into(), 1_000);
        let sig = signer.sign(&digest::<T>(&merkle::leaf(&message_id(&m))));
        Pallet::<T>::receive_message(
            RawOrigin::Signed(caller.clone()).into(),
            bounded::<T>(m),
            1,
            sig,
        )
        .expect("deliver");
        let id = NextWrappedAssetId::<T>::get().expect("an asset was created") - 1;
        #[extrinsic_call]
        _(
            RawOrigin::Signed(caller),
            id,
            1_000,
            other_chain::<T>(),
            [1u8; 32],
        );
        assert_eq!(OutboundNonce::<T>::get(), 1);
    }

    /// A transfer creating a wrapped asset; its consumed word (one read, one write) holds the
    /// previous nonce's bit.
    #[benchmark]
    fn receive_message() {
        let signer = setup::<T>();
        let caller = funded::<T>("relayer");
        let source = other_chain::<T>();
        delivered_before::<T>(source, 1);
        let m = inbound::<T>(2, 1, [7u8; 32], 1_000);
        let sig = signer.sign(&digest::<T>(&merkle::leaf(&message_id(&m))));
        #[extrinsic_call]
        _(RawOrigin::Signed(caller), bounded::<T>(m), 1, sig);
        assert!(Pallet::<T>::is_consumed(source, 2));
    }

    /// The other heaviest single delivery: the longest attestation, over the longest record of another
    /// owner (a conflict stored beside it). The call is charged the larger of this and `receive_message`.
    #[benchmark]
    fn receive_attestation() {
        let signer = setup::<T>();
        let caller = funded::<T>("relayer");
        let source = other_chain::<T>();
        delivered_before::<T>(source, 1);
        let h = [0xa7; 32];
        longest_record::<T>(h);
        let m = inbound_attestation::<T>(2, h);
        let sig = signer.sign(&digest::<T>(&merkle::leaf(&message_id(&m))));
        #[extrinsic_call]
        receive_message(RawOrigin::Signed(caller), bounded::<T>(m), 1, sig);
        assert!(Pallet::<T>::is_consumed(source, 2));
        assert_eq!(ConflictCount::<T>::get(h), 1);
    }

    /// `n` of the longest attestations in one batch, each over another data hash's longest record
    /// (each stores a conflict), each in its own consumed word. The call is charged the larger of
    /// this and `receive_batch(n)`.
    #[benchmark]
    fn receive_batch_attestations(n: Linear<1, { T::MaxBatch::get() }>) {
        let signer = setup::<T>();
        let caller = funded::<T>("relayer");
        let source = other_chain::<T>();
        let nonce = |i: u32| (u64::from(i) + 1) * 256 + 1;
        let hash = |i: u32| {
            let mut h = [0xa8; 32];
            h[28..].copy_from_slice(&i.to_be_bytes());
            h
        };
        for i in 0..n {
            delivered_before::<T>(source, nonce(i) & !0xff);
            longest_record::<T>(hash(i));
        }
        let messages: Vec<Vec<u8>> = (0..n)
            .map(|i| inbound_attestation::<T>(nonce(i), hash(i)))
            .collect();
        let (batch, sig) = signed_batch::<T>(&signer, messages);
        #[extrinsic_call]
        receive_batch(RawOrigin::Signed(caller), batch, 1, sig);
        assert!((0..n).all(|i| Pallet::<T>::is_consumed(source, nonce(i))));
        assert!((0..n).all(|i| ConflictCount::<T>::get(hash(i)) == 1));
    }

    /// The worst case: every message in its own consumed word (nonces 256 apart), so the batch
    /// reads and writes `n` words; every message a new foreign token (`n` wrapped assets created).
    #[benchmark]
    fn receive_batch(n: Linear<1, { T::MaxBatch::get() }>) {
        let signer = setup::<T>();
        let caller = funded::<T>("relayer");
        // word i + 1, bit 1
        let (batch, sig, pairs) = batch_at::<T>(&signer, n, |i| (u64::from(i) + 1) * 256 + 1);
        #[extrinsic_call]
        _(RawOrigin::Signed(caller), batch, 1, sig);
        assert!(pairs
            .iter()
            .all(|(source, nonce)| Pallet::<T>::is_consumed(*source, *nonce)));
        assert_eq!(
            ConsumedWords::<T>::iter_prefix(other_chain::<T>()).count(),
            n as usize
        );
    }

    /// The common case: consecutive nonces of one source, one consumed word read and written once
    /// (a `MaxBatch` above 255 would span `n / 256 + 1` words); otherwise as `receive_batch`.
    #[benchmark]
    fn receive_batch_one_word(n: Linear<1, { T::MaxBatch::get() }>) {
        let signer = setup::<T>();
        let caller = funded::<T>("relayer");
        // word 1 from bit 1: nonces 257 to 256 + n
        let (batch, sig, pairs) = batch_at::<T>(&signer, n, |i| 257 + u64::from(i));
        #[extrinsic_call]
        receive_batch(RawOrigin::Signed(caller), batch, 1, sig);
        assert!(pairs
            .iter()
            .all(|(source, nonce)| Pallet::<T>::is_consumed(*source, *nonce)));
        if n < 256 {
            assert_eq!(
                ConsumedWords::<T>::iter_prefix(other_chain::<T>()).count(),
                1
            );
        }
    }

    #[benchmark]
    fn pause() {
        let caller: T::AccountId = whitelisted_caller();
        Pauser::<T>::put(&caller);
        #[extrinsic_call]
        _(RawOrigin::Signed(caller));
        assert!(Paused::<T>::get());
    }

    /// Worst case: the longest uri and license, a record by another owner (a conflict is stored)
    /// and `d` destinations.
    #[benchmark]
    fn attest(d: Linear<1, MAX_DESTINATIONS>) {
        let caller = funded::<T>("caller");
        let h = [0xda; 32];
        Pallet::<T>::apply_attestation(
            h,
            &[b'o'; 256],
            AttestAction::Register,
            1,
            1,
            1,
            &[b'u'; 2048],
            &[b'l'; 256],
        );
        let dests = destinations::<T>(d);
        #[extrinsic_call]
        _(
            RawOrigin::Signed(caller),
            h,
            vec![b'u'; 2048],
            vec![b'l'; 256],
            dests.clone(),
        );
        assert_eq!(ConflictCount::<T>::get(h), 1);
        assert_eq!(OutboundNonce::<T>::get(), dests.len() as u64);
    }

    #[benchmark]
    fn revoke(d: Linear<1, MAX_DESTINATIONS>) {
        let caller = funded::<T>("caller");
        let h = [0xdb; 32];
        Pallet::<T>::apply_attestation(
            h,
            &Pallet::<T>::did_of(&caller),
            AttestAction::Register,
            T::ChainId::get(),
            0,
            1,
            &[b'u'; 2048],
            &[b'l'; 256],
        );
        let dests = destinations::<T>(d);
        #[extrinsic_call]
        _(RawOrigin::Signed(caller), h, dests.clone());
        assert!(Attestations::<T>::get(h).expect("the record").revoked);
        assert_eq!(OutboundNonce::<T>::get(), dests.len() as u64);
    }

    /// Paid in a non-sufficient home asset: the pallet account's new asset account.
    #[benchmark]
    fn post_job() {
        setup::<T>();
        let caller = funded::<T>("caller");
        let id = home_asset::<T>(&caller);
        let deadline = Pallet::<T>::now() + 1_000;
        let executor = destinations::<T>(1)[0];
        #[extrinsic_call]
        _(
            RawOrigin::Signed(caller),
            Payment::Asset(id),
            1_000,
            [5u8; 32],
            executor,
            deadline,
        );
        assert_eq!(JobEscrow::<T>::get(Payment::Asset(id)), 1_000);
    }

    #[benchmark]
    fn cancel_job() {
        setup::<T>();
        let caller = funded::<T>("caller");
        let amount = T::Currency::minimum_balance().saturating_mul(10);
        Pallet::<T>::post_job(
            RawOrigin::Signed(caller.clone()).into(),
            Payment::Native,
            amount,
            [5u8; 32],
            destinations::<T>(1)[0],
            Pallet::<T>::now() + 1_000,
        )
        .expect("post");
        let id = job_id(T::ChainId::get(), 1);
        #[extrinsic_call]
        _(RawOrigin::Signed(caller), id);
        assert_eq!(
            PostedJobs::<T>::get(id).expect("the job").state,
            PostedJobState::CancelRequested
        );
    }

    #[benchmark]
    fn claim_job() {
        let caller: T::AccountId = whitelisted_caller();
        let id = [0x10; 32];
        received::<T>(id, ReceivedJobState::Open, u64::MAX, None);
        #[extrinsic_call]
        _(RawOrigin::Signed(caller), id);
        assert_eq!(
            ReceivedJobs::<T>::get(id).expect("the job").state,
            ReceivedJobState::Claimed
        );
    }

    #[benchmark]
    fn submit_result() {
        let caller: T::AccountId = whitelisted_caller();
        let id = [0x11; 32];
        received::<T>(
            id,
            ReceivedJobState::Claimed,
            u64::MAX,
            Some(caller.clone()),
        );
        // a left-padded 20-byte account: payable on an escrow chain of any family
        let mut pay_to = [0xcc; 32];
        pay_to[..12].fill(0);
        #[extrinsic_call]
        _(RawOrigin::Signed(caller), id, [0xee; 32], pay_to);
        assert_eq!(OutboundNonce::<T>::get(), 1);
    }

    /// Needs a clock past 0 (a deadline before now). The benchmark CLI runs at genesis, where the clock reads 0:
    /// the runtime's and the mock's clock is `pallet_timestamp` under the name `Timestamp`, whose `Now` (ms) is
    /// set here directly; a runtime with another clock gets no measured `expire_job` (and no weights file
    /// compiles without it), never a wrong one.
    #[benchmark]
    fn expire_job() -> Result<(), BenchmarkError> {
        if Pallet::<T>::now() == 0 {
            let key = frame_support::storage::storage_prefix(b"Timestamp", b"Now");
            frame_support::storage::unhashed::put(&key, &1_000_000_000u64);
        }
        let now = Pallet::<T>::now();
        if now == 0 {
            return Err(BenchmarkError::Skip);
        }
        let caller: T::AccountId = whitelisted_caller();
        let id = [0x12; 32];
        received::<T>(id, ReceivedJobState::Claimed, now - 1, Some(caller.clone()));
        #[extrinsic_call]
        _(RawOrigin::Signed(caller), id);
        assert_eq!(
            ReceivedJobs::<T>::get(id).expect("the job").state,
            ReceivedJobState::Expired
        );
        Ok(())
    }

    impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
