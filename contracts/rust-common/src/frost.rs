//! FROST(secp256k1, SHA-256) verification, RFC 9591 ciphersuite `FROST-secp256k1-SHA256-v1`
//! (docs/PROTOCOL.md §4), as every chain checks it: with one ECDSA public-key recovery that the host
//! provides, instead of two scalar multiplications in wasm.
//!
//! A signature `R (33, SEC1 compressed) || z (32)` is valid for group key `PK` and message `m` iff
//! `0 < z < n`, `R` is on the curve and `z*G == R + c*PK`, with `c = H2(R || PK || m)`. ECDSA recovery
//! with `hash = -z*PK.x`, `r = PK.x`, `s = -c*PK.x`, `v = parity(PK.y)` returns
//! `r^-1 (s*PK - hash*G) = z*G - c*PK`, which must equal `R`. This needs `PK.x < n`
//! ([`check_group_key`]).
//!
//! With CosmWasm's host recovery (which returns the key uncompressed, 65 bytes with 0x04):
//!
//! ```text
//! let recover = |hash: &[u8; 32], rs: &[u8; 64], v: u8| -> Option<[u8; 64]> {
//!     let key = deps.api.secp256k1_recover_pubkey(hash, rs, v).ok()?;
//!     key.get(1..65)?.try_into().ok()
//! };
//! frost::verify(&group_key, &digest, &signature, &recover)?;
//! ```

use core::fmt;

use k256::elliptic_curve::ops::Reduce;
use k256::elliptic_curve::point::DecompressPoint;
use k256::elliptic_curve::scalar::IsHigh;
use k256::elliptic_curve::sec1::ToEncodedPoint;
use k256::elliptic_curve::subtle::Choice;
use k256::elliptic_curve::PrimeField;
use k256::{AffinePoint, FieldBytes, Scalar, U256};
use sha2::{Digest, Sha256};

/// Length of an RFC 9591 signature: R (33) || z (32).
pub const SIGNATURE_LEN: usize = 65;

/// RFC 9591 §6.5: contextString || "chal".
pub const CHALLENGE_DST: &[u8] = b"FROST-secp256k1-SHA256-v1chal";

/// The secp256k1 group order n, big-endian.
pub const CURVE_ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
    0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
];

/// Recovers the public key (64 bytes x||y, no prefix) from an ECDSA signature r||s over a 32-byte
/// hash with recovery id 0/1; None if recovery fails. The host provides it (CosmWasm:
/// `deps.api.secp256k1_recover_pubkey`, dropping its 0x04 prefix; FRAME:
/// `sp_io::crypto::secp256k1_ecdsa_recover`). [`verify`] only ever passes a low `s` (`s <= n/2`),
/// so a host that refuses high-s signatures (as k256's recovery does) works too.
pub type Recover<'a> = &'a dyn Fn(&[u8; 32], &[u8; 64], u8) -> Option<[u8; 64]>;

/// Why a signature or group key is refused. [`FrostError::code`] gives the names the golden vectors
/// (`badSignatures[].error`) and the Solidity `FrostVerifier` use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrostError {
    /// The signature is not 65 bytes.
    SignatureLength,
    /// The group key is not a compressed secp256k1 point with x < n.
    InvalidGroupKey,
    /// R is not a compressed secp256k1 point (prefix not 02/03, x >= p, or not on the curve).
    InvalidNonceCommitment,
    /// z is 0 or not below n.
    ScalarOutOfRange,
    /// The host's recovery found no key: the signature is not valid.
    RecoveryFailed,
    /// The recovered point is not R: the signature is not valid.
    Mismatch,
}

impl FrostError {
    /// The vectors' / Solidity's name: `InvalidSignatureLength`, `InvalidGroupKey`,
    /// `InvalidCommitment`, `ScalarOutOfRange`, or `InvalidSignature` (both for [`Self::RecoveryFailed`]
    /// and [`Self::Mismatch`]: a well-formed signature that does not verify).
    pub fn code(&self) -> &'static str {
        match self {
            FrostError::SignatureLength => "InvalidSignatureLength",
            FrostError::InvalidGroupKey => "InvalidGroupKey",
            FrostError::InvalidNonceCommitment => "InvalidCommitment",
            FrostError::ScalarOutOfRange => "ScalarOutOfRange",
            FrostError::RecoveryFailed | FrostError::Mismatch => "InvalidSignature",
        }
    }
}

impl fmt::Display for FrostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FrostError::SignatureLength => "signature is not 65 bytes (R compressed || z)",
            FrostError::InvalidGroupKey => {
                "group key is not a compressed secp256k1 point with x below the curve order"
            }
            FrostError::InvalidNonceCommitment => {
                "signature commitment R is not a compressed secp256k1 point"
            }
            FrostError::ScalarOutOfRange => {
                "signature scalar z is zero or not below the curve order"
            }
            FrostError::RecoveryFailed => "signature does not verify (public-key recovery failed)",
            FrostError::Mismatch => "signature does not verify (z*G - c*PK is not R)",
        })
    }
}

/// A SEC1 compressed point: prefix 02/03, x < p, on the curve.
fn decompress(bytes: &[u8; 33]) -> Option<AffinePoint> {
    let prefix = bytes[0];
    if prefix != 2 && prefix != 3 {
        return None;
    }
    let mut x = [0u8; 32];
    x.copy_from_slice(&bytes[1..]);
    Option::from(AffinePoint::decompress(
        &FieldBytes::from(x),
        Choice::from(prefix & 1),
    ))
}

/// Checks a group key: 33-byte SEC1 compressed, on the curve, x < n.
pub fn check_group_key(group_key: &[u8; 33]) -> Result<(), FrostError> {
    decompress(group_key).ok_or(FrostError::InvalidGroupKey)?;
    // big-endian byte order is numeric order
    if group_key[1..] >= CURVE_ORDER[..] {
        return Err(FrostError::InvalidGroupKey);
    }
    Ok(())
}

fn challenge_scalar(r_compressed: &[u8; 33], group_key: &[u8; 33], message: &[u8]) -> Scalar {
    // expand_message_xmd(SHA-256, msg, DST, 48), RFC 9380 §5.3.1: ell = 2 blocks
    const LEN: usize = 48;
    let dst_len = [CHALLENGE_DST.len() as u8];
    let b0: [u8; 32] = Sha256::new()
        .chain_update([0u8; 64])
        .chain_update(r_compressed)
        .chain_update(group_key)
        .chain_update(message)
        .chain_update((LEN as u16).to_be_bytes())
        .chain_update([0u8])
        .chain_update(CHALLENGE_DST)
        .chain_update(dst_len)
        .finalize()
        .into();
    let b1: [u8; 32] = Sha256::new()
        .chain_update(b0)
        .chain_update([1u8])
        .chain_update(CHALLENGE_DST)
        .chain_update(dst_len)
        .finalize()
        .into();
    let mut mixed = [0u8; 32];
    for (m, (x, y)) in mixed.iter_mut().zip(b0.iter().zip(b1.iter())) {
        *m = x ^ y;
    }
    let b2: [u8; 32] = Sha256::new()
        .chain_update(mixed)
        .chain_update([2u8])
        .chain_update(CHALLENGE_DST)
        .chain_update(dst_len)
        .finalize()
        .into();
    // OS2IP(b1 || b2[..16]) mod n = (b1 * 2^128 + b2[..16]) mod n
    let hi = <Scalar as Reduce<U256>>::reduce_bytes(&FieldBytes::from(b1));
    let mut two_128 = [0u8; 32];
    two_128[15] = 1;
    let mut lo = [0u8; 32];
    lo[16..].copy_from_slice(&b2[..16]);
    // both below 2^129 < n
    hi * scalar_below_n(&two_128) + scalar_below_n(&lo)
}

/// A scalar from 32 big-endian bytes known to be below n.
fn scalar_below_n(bytes: &[u8; 32]) -> Scalar {
    <Scalar as Reduce<U256>>::reduce_bytes(&FieldBytes::from(*bytes))
}

/// The RFC's challenge c = H2(R || PK || msg) (expand_message_xmd SHA-256, DST
/// "FROST-secp256k1-SHA256-v1chal", 48 bytes, mod n) as 32 big-endian bytes; exposed for tests.
pub fn challenge(r_compressed: &[u8; 33], group_key: &[u8; 33], message: &[u8]) -> [u8; 32] {
    challenge_scalar(r_compressed, group_key, message)
        .to_bytes()
        .into()
}

/// RFC 9591 FROST(secp256k1, SHA-256) verification of a 65-byte signature (R compressed 33 || z 32)
/// over `message` (the 32-byte signing digest), with one public-key recovery.
///
/// Checks, in order: the group key ([`FrostError::InvalidGroupKey`]), the length
/// ([`FrostError::SignatureLength`]), R ([`FrostError::InvalidNonceCommitment`]), z
/// ([`FrostError::ScalarOutOfRange`]), then the recovery ([`FrostError::RecoveryFailed`],
/// [`FrostError::Mismatch`]); R before z as in the Solidity verifier.
pub fn verify(
    group_key: &[u8; 33],
    message: &[u8],
    signature: &[u8],
    recover: Recover,
) -> Result<(), FrostError> {
    check_group_key(group_key)?;
    if signature.len() != SIGNATURE_LEN {
        return Err(FrostError::SignatureLength);
    }
    let mut r_compressed = [0u8; 33];
    r_compressed.copy_from_slice(&signature[..33]);
    let r_point = decompress(&r_compressed).ok_or(FrostError::InvalidNonceCommitment)?;
    let mut z_bytes = [0u8; 32];
    z_bytes.copy_from_slice(&signature[33..]);
    let z: Option<Scalar> = Scalar::from_repr(FieldBytes::from(z_bytes)).into();
    let z = match z {
        Some(z) if !bool::from(z.is_zero()) => z,
        _ => return Err(FrostError::ScalarOutOfRange),
    };
    let c = challenge_scalar(&r_compressed, group_key, message);

    // x < n was checked, so it is its own scalar, and non-zero (no point has x = 0)
    let mut x_bytes = [0u8; 32];
    x_bytes.copy_from_slice(&group_key[1..]);
    let x = scalar_below_n(&x_bytes);
    let hash = -(z * x);
    let mut s = -(c * x);
    let mut recovery_id = group_key[0] & 1;
    if bool::from(s.is_zero()) {
        // c = 0 (probability 2^-256): ECDSA has no s = 0; the Solidity verifier refuses it too
        return Err(FrostError::Mismatch);
    }
    if bool::from(s.is_high()) {
        // (r, n - s) with the other parity of the point at r recovers the same key: keep s low for
        // hosts that refuse high-s signatures
        s = -s;
        recovery_id ^= 1;
    }
    let hash_bytes: [u8; 32] = hash.to_bytes().into();
    let mut rs = [0u8; 64];
    rs[..32].copy_from_slice(&x_bytes);
    rs[32..].copy_from_slice(&s.to_bytes());

    let q = recover(&hash_bytes, &rs, recovery_id).ok_or(FrostError::RecoveryFailed)?;
    let r_uncompressed = r_point.to_encoded_point(false);
    if q[..] != r_uncompressed.as_bytes()[1..] {
        return Err(FrostError::Mismatch);
    }
    Ok(())
}
