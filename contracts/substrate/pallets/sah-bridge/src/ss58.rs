//! SS58 addresses and the `did:pkh:polkadot` owner DIDs of PROTOCOL.md §7.1, `no_std`.
//!
//! SS58 (the Substrate address format): `base58(prefix || account || checksum)`, where `prefix` is one
//! byte for network ids below 64 and two bytes for ids below 16384, and `checksum` is the first two
//! bytes of `blake2b-512("SS58PRE" || prefix || account)`. Base58 uses Bitcoin's alphabet; each leading
//! zero byte becomes a `1`. The std tests check every form against `sp_core`'s `to_ss58check`.

use alloc::vec::Vec;

/// Bitcoin's base58 alphabet (no 0, O, I, l).
const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Highest SS58 network id (14 bits).
pub const MAX_SS58_PREFIX: u16 = 0x3fff;

/// The CAIP-2 namespace prefix of a Substrate owner DID.
pub const DID_PREFIX: &[u8] = b"did:pkh:polkadot:";

/// Base58 (Bitcoin alphabet) of `input`.
pub fn base58(input: &[u8]) -> Vec<u8> {
    let zeros = input.iter().take_while(|b| **b == 0).count();
    // base-58 digits, least significant first; every input byte multiplies the number by 256
    let mut digits: Vec<u8> = Vec::with_capacity(input.len() * 138 / 100 + 1);
    for &byte in &input[zeros..] {
        let mut carry = u32::from(byte);
        for d in digits.iter_mut() {
            carry += u32::from(*d) << 8;
            *d = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let mut out = Vec::with_capacity(zeros + digits.len());
    out.resize(zeros, b'1');
    out.extend(digits.iter().rev().map(|d| ALPHABET[usize::from(*d)]));
    out
}

/// The SS58 address of a 32-byte account under network id `prefix` (at most [`MAX_SS58_PREFIX`];
/// higher bits are ignored).
pub fn ss58(prefix: u16, account: &[u8; 32]) -> Vec<u8> {
    let ident = prefix & MAX_SS58_PREFIX;
    let mut data = Vec::with_capacity(2 + 32 + 2);
    if ident < 64 {
        data.push(ident as u8);
    } else {
        // 01 + the ident's bits 2..8, then its bits 8..14 with bits 0..2 on top
        data.push((((ident & 0b0000_0000_1111_1100) >> 2) as u8) | 0b0100_0000);
        data.push(((ident >> 8) as u8) | (((ident & 0b11) as u8) << 6));
    }
    data.extend_from_slice(account);
    let mut preimage = Vec::with_capacity(7 + data.len());
    preimage.extend_from_slice(b"SS58PRE");
    preimage.extend_from_slice(&data);
    let checksum = sp_crypto_hashing::blake2_512(&preimage);
    data.extend_from_slice(&checksum[..2]);
    base58(&data)
}

/// Lower-case hex of `bytes`.
pub fn hex_lower(bytes: &[u8]) -> Vec<u8> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(HEX[usize::from(b >> 4)]);
        out.push(HEX[usize::from(b & 0x0f)]);
    }
    out
}

/// `did:pkh:polkadot:<first 16 bytes of the genesis hash, 32 lowercase hex>:<SS58 address>`
/// (PROTOCOL.md §7.1; the CAIP-2 `polkadot` chain reference is the genesis hash's first 16 bytes).
pub fn did_pkh(genesis_hash: &[u8], prefix: u16, account: &[u8; 32]) -> Vec<u8> {
    let mut genesis = [0u8; 16];
    let n = genesis_hash.len().min(16);
    genesis[..n].copy_from_slice(&genesis_hash[..n]);
    let mut did = Vec::with_capacity(DID_PREFIX.len() + 32 + 1 + 50);
    did.extend_from_slice(DID_PREFIX);
    did.extend_from_slice(&hex_lower(&genesis));
    did.push(b':');
    did.extend_from_slice(&ss58(prefix, account));
    did
}
