//! Token ids and keys as the protocol defines them, the genesis config (and the keys it refuses), the
//! weights' bounds.

use super::*;

#[test]
fn token_ids_and_keys_are_the_protocols() {
    let native: [u8; 32] = Sha256::digest(b"native").into();
    assert_eq!(NATIVE_TOKEN, native);
    assert_eq!(
        hex::encode(NATIVE_TOKEN),
        "bef32d2c315a289576f2a6828d27edb16bb316a4d85c271f2d794045f3ea668d"
    );
    let mut seven = [0u8; 32];
    seven[31] = 7;
    assert_eq!(asset_token(7), seven);
    assert_eq!(asset_token(0x0102_0304)[28..], [1, 2, 3, 4]);
    // keccak256(originChain u32 BE || originToken)
    let mut preimage = 10001u32.to_be_bytes().to_vec();
    preimage.extend_from_slice(&sah_token());
    assert_eq!(
        token_key(10001, &sah_token()),
        sp_io::hashing::keccak_256(&preimage)
    );
    assert_eq!(padded32(b"UNIT"), pad32(b"UNIT"));
    // cut at 32 bytes on a character boundary: 31 ASCII bytes and a 2-byte character
    let s = [vec![b'a'; 31], "é".as_bytes().to_vec()].concat();
    assert_eq!(padded32(&s)[..], [vec![b'a'; 31], vec![0]].concat()[..]);
    assert_eq!(trimmed(&pad32(b"SAH")), b"SAH".to_vec());
    assert_eq!(trimmed(&[0; 32]), Vec::<u8>::new());
}

#[test]
fn genesis_sets_epoch_one_the_key_and_the_pauser() {
    new_test_ext().execute_with(|| {
        assert_eq!(Epoch::<Test>::get(), 1);
        assert_eq!(
            CurrentKey::<Test>::get(),
            Some(Signer::test_key().group_key)
        );
        assert_eq!(PreviousKey::<Test>::get(), None);
        assert_eq!(Pauser::<Test>::get(), Some(pauser()));
        assert!(!Paused::<Test>::get());
        assert_eq!(OutboundNonce::<Test>::get(), 0);
        assert_eq!(native(&bridge_account()), ED);
        SahBridge::integrity_test();
    });
}

#[test]
fn a_bridge_without_a_key_refuses_every_message() {
    // the default genesis config has no key: it builds, and nothing gets in
    new_test_ext_with(CHAIN, vec![]).execute_with(|| {
        assert_eq!((Epoch::<Test>::get(), CurrentKey::<Test>::get()), (1, None));
        let mut w = World::new();
        let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 1);
        assert_noop!(w.deliver(&m), Error::<Test>::UnknownEpoch);
        let g = w.governance(Governance::Unpause);
        assert_noop!(w.deliver(&g), Error::<Test>::UnknownEpoch);
        // outbound still works (nothing inbound depends on it)
        assert_ok!(lock_native(&alice(), 10, ETHEREUM, [0x22; 32]));
    });
}

fn build_with_key(key: Vec<u8>) {
    let _ = RuntimeGenesisConfig {
        sah_bridge: crate::GenesisConfig {
            group_key: key,
            pauser: None,
            epoch: 1,
        },
        ..Default::default()
    }
    .build_storage();
}

#[test]
#[should_panic(expected = "group_key must be 33 bytes")]
fn genesis_refuses_a_short_key() {
    build_with_key(Signer::test_key().group_key[..32].to_vec());
}

#[test]
#[should_panic(expected = "x < n")]
fn genesis_refuses_a_key_with_x_not_below_n() {
    // x = n is on the curve; the ecrecover trick needs x < n
    let n = hex_bytes("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
    build_with_key([vec![2], n].concat());
}

#[test]
#[should_panic(expected = "x < n")]
fn genesis_refuses_an_uncompressed_prefix() {
    build_with_key([vec![4], Signer::test_key().group_key[1..].to_vec()].concat());
}

#[test]
fn weights_are_bounded_and_fit_a_block() {
    use crate::weights::WeightInfo;
    // a parachain block: 2 s of ref time (async backing), 5 MiB of proof
    let max = frame_support::weights::Weight::from_parts(
        2 * frame_support::weights::constants::WEIGHT_REF_TIME_PER_SECOND,
        5 * 1024 * 1024,
    );
    use crate::call_weights;
    use frame_support::traits::Get;
    // what the inbound calls are charged covers each measured heaviest path (a transfer creating a
    // wrapped asset; the longest attestation storing a conflict), in ref time and proof size each
    let one = call_weights::receive_message::<()>();
    assert!(one.all_gte(<() as WeightInfo>::receive_message()));
    assert!(one.all_gte(<() as WeightInfo>::receive_attestation()));
    // the signature check is measured inside each: a delivery costs more than a pause, which checks none
    assert!(one.ref_time() > <() as WeightInfo>::pause().ref_time());
    let max_batch = <crate::mock::Test as crate::Config>::MaxBatch::get();
    for n in [1, 2, 16, max_batch] {
        let charged = call_weights::receive_batch::<()>(n);
        assert!(charged.all_gte(<() as WeightInfo>::receive_batch(n)));
        assert!(charged.all_gte(<() as WeightInfo>::receive_batch_attestations(n)));
        assert!(
            charged.all_lte(max),
            "a full batch must fit a block: {charged:?} vs {max:?}"
        );
    }
    assert!(
        call_weights::receive_batch::<()>(2).ref_time()
            > call_weights::receive_batch::<()>(1).ref_time()
    );
    // every call is measured (non-zero in both dimensions) and fits a block; an outbound call is not
    // ordered against a delivery any more (the hand bounds were; measured, a lock of a non-sufficient
    // asset proves 12 bytes more than the heaviest delivery)
    for w in [
        <() as WeightInfo>::lock_native(),
        <() as WeightInfo>::lock_asset(),
        <() as WeightInfo>::burn(),
        <() as WeightInfo>::pause(),
        <() as WeightInfo>::expire_job(),
    ] {
        assert!(w.ref_time() > 0 && w.proof_size() > 0 && w.all_lte(max));
    }
}
