//! Shared test helpers: the golden vectors, hex, and a host-like ECDSA recovery over k256.
#![allow(dead_code)]

use std::path::PathBuf;

use k256::ecdsa::{RecoveryId, Signature, VerifyingKey};
use serde_json::Value;

pub fn vectors() -> Value {
    read_vectors("messages.json")
}

/// The rules' vectors: test/vectors/flows.json.
pub fn flow_vectors() -> Value {
    read_vectors("flows.json")
}

fn read_vectors(file: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../test/vectors")
        .join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file} is not JSON: {e}"))
}

pub fn bytes(v: &Value) -> Vec<u8> {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("not a hex string: {v}"));
    hex::decode(s.strip_prefix("0x").expect("0x prefix")).expect("hex")
}

pub fn arr<const N: usize>(v: &Value) -> [u8; N] {
    let b = bytes(v);
    b.as_slice()
        .try_into()
        .unwrap_or_else(|_| panic!("expected {N} bytes, got {}", b.len()))
}

pub fn hex32(b: &[u8; 32]) -> String {
    format!("0x{}", hex::encode(b))
}

/// What a host gives: k256's recovery (refuses high s, as CosmWasm's k256-based one may).
pub fn k256_recover(hash: &[u8; 32], rs: &[u8; 64], v: u8) -> Option<[u8; 64]> {
    let sig = Signature::from_slice(rs).ok()?;
    let id = RecoveryId::from_byte(v)?;
    let key = VerifyingKey::recover_from_prehash(hash, &sig, id).ok()?;
    let point = key.to_encoded_point(false);
    point.as_bytes()[1..].try_into().ok()
}

/// A deterministic generator for randomized tests (SplitMix64).
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
    pub fn fill(&mut self, out: &mut [u8]) {
        for chunk in out.chunks_mut(8) {
            let v = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
    pub fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        self.fill(&mut out);
        out
    }
    pub fn vec(&mut self, len: usize) -> Vec<u8> {
        let mut out = vec![0u8; len];
        self.fill(&mut out);
        out
    }
}
