//! Owner DIDs and SS58 addresses (checked against `sp_core`), job ids, and the storage bounds the
//! weights assume.

use super::*;
use crate::ss58;
use codec::MaxEncodedLen;
use sp_core::crypto::{Ss58AddressFormat, Ss58Codec};

/// //Alice's sr25519 public key (a public test key).
const ALICE_DEV: &str = "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";
/// Polkadot's genesis hash.
const POLKADOT_GENESIS: &str = "91b171bb158e2d3848fa23a9f1c25182fb8e20313b2c1eb49219da7a70ce90c3";

#[test]
fn ss58_addresses_match_sp_core_and_the_well_known_ones() {
    let alice: [u8; 32] = hex_bytes(ALICE_DEV).try_into().unwrap();
    // golden strings (Substrate's generic prefix 42, Polkadot 0, Kusama 2)
    assert_eq!(
        String::from_utf8(ss58::ss58(42, &alice)).unwrap(),
        "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
    );
    assert_eq!(
        String::from_utf8(ss58::ss58(0, &alice)).unwrap(),
        "15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5"
    );
    assert_eq!(
        String::from_utf8(ss58::ss58(2, &alice)).unwrap(),
        "HNZata7iMYWmk5RvZRTiAsSDhV8366zq2YGb3tLH5Upf74F"
    );
    // every one- and two-byte prefix form against sp_core, over varied accounts
    let mut accounts: Vec<[u8; 32]> = vec![[0; 32], [0xff; 32], alice];
    for i in 0..20u8 {
        accounts.push(Sha256::digest([i]).into());
    }
    let mut leading = [0u8; 32];
    leading[31] = 1;
    accounts.push(leading);
    for prefix in [
        0u16, 1, 2, 42, 63, 64, 65, 255, 256, 1284, 2254, 4095, 16383,
    ] {
        for a in &accounts {
            let expected =
                AccountId::new(*a).to_ss58check_with_version(Ss58AddressFormat::custom(prefix));
            assert_eq!(
                String::from_utf8(ss58::ss58(prefix, a)).unwrap(),
                expected,
                "prefix {prefix}"
            );
        }
    }
}

#[test]
fn base58_keeps_leading_zero_bytes() {
    assert_eq!(ss58::base58(&[]), b"");
    assert_eq!(ss58::base58(&[0]), b"1");
    assert_eq!(ss58::base58(&[0, 0, 1]), b"112");
    assert_eq!(ss58::base58(&[57]), b"z");
    assert_eq!(ss58::base58(&[58]), b"21");
    assert_eq!(ss58::base58(b"hello world"), b"StV1DL6CwTryKyV");
}

#[test]
fn owner_dids_are_did_pkh_polkadot_with_the_genesis_hash_and_the_ss58_address() {
    new_test_ext().execute_with(|| {
        let alice = AccountId::new(hex_bytes(ALICE_DEV).try_into().unwrap());
        // a mock chain that never initialized a block keeps frame_system's genesis placeholder
        assert_eq!(
            did(&alice),
            "did:pkh:polkadot:45454545454545454545454545454545:\
             5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
        );
        // a real chain: BlockHash(0) is the genesis hash from block 1 on (Polkadot's here)
        System::initialize(
            &2,
            &H256(hex_bytes(POLKADOT_GENESIS).try_into().unwrap()),
            &Default::default(),
        );
        frame_system::BlockHash::<Test>::insert(
            0,
            H256(hex_bytes(POLKADOT_GENESIS).try_into().unwrap()),
        );
        assert_eq!(
            did(&alice),
            "did:pkh:polkadot:91b171bb158e2d3848fa23a9f1c25182:\
             5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
        );
        assert!(did(&alice).len() <= sah_bridge_protocol::MAX_DID_LEN);
    });
}

#[test]
fn job_ids_are_sha256_of_the_tag_chain_and_counter() {
    assert_eq!(
        hex::encode(job_id(10004, 1)),
        "504dea187cd2ab8a89c41c603fac8d0b8f95ce4036f333b1cf7addd057f89f70"
    );
    assert_eq!(
        hex::encode(job_id(10004, 2)),
        "4bf639b4e3edc9eb79de9991a548c7a4431f895a53cef3545e11ad4a26d73661"
    );
    let mut pre = b"SAH-JOB".to_vec();
    pre.extend_from_slice(&3u32.to_be_bytes());
    pre.extend_from_slice(&7u64.to_be_bytes());
    assert_eq!(job_id(3, 7), <[u8; 32]>::from(Sha256::digest(&pre)));
}

#[test]
fn storage_bounds_are_what_the_weights_assume() {
    assert_eq!(
        Attestation::max_encoded_len() as u64,
        crate::call_weights::ATTESTATION_MAX_LEN
    );
    assert_eq!(
        Conflict::max_encoded_len() as u64,
        crate::call_weights::CONFLICT_MAX_LEN
    );
    assert_eq!(crate::MAX_ATTESTATION_MESSAGE_LEN, 2689);
    use crate::WeightInfo;
    // a parachain block, as in `weights_are_bounded_and_fit_a_block`
    let max = frame_support::weights::Weight::from_parts(
        2 * frame_support::weights::constants::WEIGHT_REF_TIME_PER_SECOND,
        5 * 1024 * 1024,
    );
    for w in [
        <() as WeightInfo>::attest(crate::MAX_DESTINATIONS),
        <() as WeightInfo>::revoke(crate::MAX_DESTINATIONS),
        <() as WeightInfo>::post_job(),
        <() as WeightInfo>::cancel_job(),
        <() as WeightInfo>::claim_job(),
        <() as WeightInfo>::submit_result(),
        <() as WeightInfo>::expire_job(),
    ] {
        assert!(w.ref_time() > 0 && w.proof_size() > 0);
        assert!(w.all_lte(max));
    }
    assert!(<() as WeightInfo>::attest(2).ref_time() > <() as WeightInfo>::attest(1).ref_time());
    // a delivered attestation's record and conflict are within what a delivery is charged, alone and
    // in a full batch (the measured proof of the attestation paths, MaxEncodedLen mode)
    let record_and_conflict =
        crate::call_weights::ATTESTATION_MAX_LEN + crate::call_weights::CONFLICT_MAX_LEN;
    assert!(crate::call_weights::receive_message::<()>().proof_size() >= record_and_conflict);
    let n =
        <<crate::mock::Test as crate::Config>::MaxBatch as frame_support::traits::Get<u32>>::get();
    assert!(
        crate::call_weights::receive_batch::<()>(n).proof_size()
            >= u64::from(n) * record_and_conflict
    );
}
