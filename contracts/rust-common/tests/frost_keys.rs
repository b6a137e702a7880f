//! FROST verification under freshly generated keys of both parities, through two host recoveries:
//! k256's (refuses high s) and a plain textbook one (accepts any s).

mod common;

use common::{k256_recover, Rng};
use k256::elliptic_curve::ops::Reduce;
use k256::elliptic_curve::point::DecompressPoint;
use k256::elliptic_curve::scalar::IsHigh;
use k256::elliptic_curve::sec1::ToEncodedPoint;
use k256::elliptic_curve::subtle::Choice;
use k256::elliptic_curve::PrimeField;
use k256::{AffinePoint, FieldBytes, ProjectivePoint, Scalar, U256};
use sah_bridge_protocol::frost::{self, FrostError};

fn scalar(rng: &mut Rng) -> Scalar {
    loop {
        let s = <Scalar as Reduce<U256>>::reduce_bytes(&FieldBytes::from(rng.bytes::<32>()));
        if !bool::from(s.is_zero()) {
            return s;
        }
    }
}

fn compressed(p: &ProjectivePoint) -> [u8; 33] {
    p.to_affine()
        .to_encoded_point(true)
        .as_bytes()
        .try_into()
        .unwrap()
}

/// Q = r^-1 (s*X - h*G), X the point with x = r and parity v: ECDSA recovery without the low-s
/// rule, as libsecp256k1 (FRAME's host) and the EVM's ecrecover do it.
fn textbook_recover(h: &[u8; 32], rs: &[u8; 64], v: u8) -> Option<[u8; 64]> {
    let r_bytes = FieldBytes::from(<[u8; 32]>::try_from(&rs[..32]).unwrap());
    let r = Option::<Scalar>::from(Scalar::from_repr(r_bytes))?;
    let s = Option::<Scalar>::from(Scalar::from_repr(FieldBytes::from(
        <[u8; 32]>::try_from(&rs[32..]).unwrap(),
    )))?;
    if bool::from(r.is_zero()) || bool::from(s.is_zero()) || v > 1 {
        return None;
    }
    let x = Option::<AffinePoint>::from(AffinePoint::decompress(&r_bytes, Choice::from(v)))?;
    let h = <Scalar as Reduce<U256>>::reduce_bytes(&FieldBytes::from(*h));
    let r_inv = Option::<Scalar>::from(r.invert())?;
    let q = (ProjectivePoint::from(x) * s - ProjectivePoint::GENERATOR * h) * r_inv;
    if q == ProjectivePoint::IDENTITY {
        return None;
    }
    q.to_affine().to_encoded_point(false).as_bytes()[1..]
        .try_into()
        .ok()
}

/// A FROST signature by a single holder of the whole key (what aggregation yields).
fn sign(sk: &Scalar, pk: &[u8; 33], message: &[u8], rng: &mut Rng) -> Vec<u8> {
    let k = scalar(rng);
    let r = compressed(&(ProjectivePoint::GENERATOR * k));
    let c_bytes = frost::challenge(&r, pk, message);
    let c = Option::<Scalar>::from(Scalar::from_repr(FieldBytes::from(c_bytes))).unwrap();
    let z = k + c * sk;
    let mut sig = r.to_vec();
    sig.extend_from_slice(&z.to_bytes());
    sig
}

#[test]
fn generated_keys_of_both_parities_verify_through_either_host() {
    let mut rng = Rng(0x5a4_b41d6e);
    let mut parities = [0usize; 2];
    let mut high_s = [0usize; 2];
    for i in 0..200 {
        let sk = scalar(&mut rng);
        let pk = compressed(&(ProjectivePoint::GENERATOR * sk));
        if frost::check_group_key(&pk).is_err() {
            continue; // x >= n: probability ~2^-128
        }
        parities[(pk[0] & 1) as usize] += 1;
        let message = rng.bytes::<32>();
        let sig = sign(&sk, &pk, &message, &mut rng);

        // which branch the verifier takes: s = -c*x high or not
        let r: [u8; 33] = sig[..33].try_into().unwrap();
        let c = Scalar::from_repr(FieldBytes::from(frost::challenge(&r, &pk, &message))).unwrap();
        let x =
            Scalar::from_repr(FieldBytes::from(<[u8; 32]>::try_from(&pk[1..]).unwrap())).unwrap();
        high_s[bool::from((-(c * x)).is_high()) as usize] += 1;

        assert_eq!(
            frost::verify(&pk, &message, &sig, &k256_recover),
            Ok(()),
            "#{i}"
        );
        assert_eq!(
            frost::verify(&pk, &message, &sig, &textbook_recover),
            Ok(()),
            "#{i}"
        );

        // another message, another key, the negated key, a tampered z
        let mut other = message;
        other[i % 32] ^= 1 << (i % 8);
        assert_eq!(
            frost::verify(&pk, &other, &sig, &k256_recover),
            Err(FrostError::Mismatch)
        );
        let other_key = compressed(&(ProjectivePoint::GENERATOR * scalar(&mut rng)));
        if frost::check_group_key(&other_key).is_ok() {
            assert!(frost::verify(&other_key, &message, &sig, &textbook_recover).is_err());
        }
        let mut negated = pk;
        negated[0] ^= 1;
        assert!(frost::verify(&negated, &message, &sig, &k256_recover).is_err());
        let mut bad_z = sig.clone();
        bad_z[33 + i % 32] ^= 0x80;
        assert!(frost::verify(&pk, &message, &bad_z, &textbook_recover).is_err());
    }
    assert!(parities[0] > 50 && parities[1] > 50, "{parities:?}");
    assert!(high_s[0] > 50 && high_s[1] > 50, "{high_s:?}");
}

#[test]
fn a_host_given_the_unnormalized_high_s_recovers_the_same_point() {
    // the normalization (s -> n - s, v -> v ^ 1) is sound: both give z*G - c*PK
    let mut rng = Rng(7);
    for _ in 0..50 {
        let h = scalar(&mut rng);
        let s = scalar(&mut rng);
        let sk = scalar(&mut rng);
        let pk = compressed(&(ProjectivePoint::GENERATOR * sk));
        let mut rs = [0u8; 64];
        rs[..32].copy_from_slice(&pk[1..]);
        rs[32..].copy_from_slice(&s.to_bytes());
        let h_bytes: [u8; 32] = h.to_bytes().into();
        let a = textbook_recover(&h_bytes, &rs, pk[0] & 1);
        rs[32..].copy_from_slice(&(-s).to_bytes());
        let b = textbook_recover(&h_bytes, &rs, (pk[0] & 1) ^ 1);
        assert!(a.is_some());
        assert_eq!(a, b);
    }
}

#[test]
fn z_range_and_commitment_checks() {
    let mut rng = Rng(99);
    let sk = scalar(&mut rng);
    let pk = compressed(&(ProjectivePoint::GENERATOR * sk));
    let message = [7u8; 32];
    let sig = sign(&sk, &pk, &message, &mut rng);
    assert_eq!(frost::verify(&pk, &message, &sig, &k256_recover), Ok(()));
    // z = n, z = 2^256 - 1, z = 0
    for z in [frost::CURVE_ORDER, [0xff; 32], [0; 32]] {
        let mut bad = sig.clone();
        bad[33..].copy_from_slice(&z);
        assert_eq!(
            frost::verify(&pk, &message, &bad, &k256_recover),
            Err(FrostError::ScalarOutOfRange)
        );
    }
    // z = n - 1 is in range: well-formed, just wrong
    let mut bad = sig.clone();
    bad[33..].copy_from_slice(&(-Scalar::ONE).to_bytes());
    assert_eq!(
        frost::verify(&pk, &message, &bad, &k256_recover).map_err(|e| e.code()),
        Err("InvalidSignature")
    );
    // R checked before z (as the Solidity verifier): bad R and bad z -> InvalidCommitment
    let mut bad = sig.clone();
    bad[0] = 4;
    bad[33..].fill(0);
    assert_eq!(
        frost::verify(&pk, &message, &bad, &k256_recover),
        Err(FrostError::InvalidNonceCommitment)
    );
    // the group key is checked first of all
    let mut bad_key = pk;
    bad_key[0] = 4;
    assert_eq!(
        frost::verify(&bad_key, &message, &[], &k256_recover),
        Err(FrostError::InvalidGroupKey)
    );
    // R = the generator's negation etc. are fine points; R.x >= p is not
    let mut bad = sig.clone();
    bad[1..33].fill(0xff);
    assert_eq!(
        frost::verify(&pk, &message, &bad, &k256_recover),
        Err(FrostError::InvalidNonceCommitment)
    );
    // codes
    for (e, code) in [
        (FrostError::SignatureLength, "InvalidSignatureLength"),
        (FrostError::InvalidGroupKey, "InvalidGroupKey"),
        (FrostError::InvalidNonceCommitment, "InvalidCommitment"),
        (FrostError::ScalarOutOfRange, "ScalarOutOfRange"),
        (FrostError::RecoveryFailed, "InvalidSignature"),
        (FrostError::Mismatch, "InvalidSignature"),
    ] {
        assert_eq!(e.code(), code);
        assert!(!e.to_string().is_empty());
    }
}

#[test]
fn challenge_of_the_rfc_vector() {
    // c for the RFC 9591 E.5 signature, checked against z*G == R + c*PK directly
    let pk: [u8; 33] =
        hex::decode("02f37c34b66ced1fb51c34a90bdae006901f10625cc06c4f64663b0eae87d87b4f")
            .unwrap()
            .try_into()
            .unwrap();
    let sig = hex::decode("024c1ad4e031872661fa6ebd05dfc7fb30db08b38d79f0edbc82051ae931381bc6a46881e25c7989d3816eae32074f1ab0d49ee908a59713ed5284c6bade7cfb02").unwrap();
    let r: [u8; 33] = sig[..33].try_into().unwrap();
    let c = Scalar::from_repr(FieldBytes::from(frost::challenge(&r, &pk, b"test"))).unwrap();
    let z = Scalar::from_repr(FieldBytes::from(<[u8; 32]>::try_from(&sig[33..]).unwrap())).unwrap();
    let point = |b: &[u8; 33]| {
        ProjectivePoint::from(
            AffinePoint::decompress(
                &FieldBytes::from(<[u8; 32]>::try_from(&b[1..]).unwrap()),
                Choice::from(b[0] & 1),
            )
            .unwrap(),
        )
    };
    assert_eq!(ProjectivePoint::GENERATOR * z, point(&r) + point(&pk) * c);
}
