//! Batches (docs/PROTOCOL.md §2): a Merkle tree over the leaves of message ids,
//! `leaf = keccak256(0x00 || id)`, `node = keccak256(0x01 || min(a, b) || max(a, b))` (sorted pair,
//! compared as big-endian bytes), pairing left to right on each level, an odd last node moving up a
//! level unchanged. A batch of one has `root = leaf(id)` and an empty proof. The prefixes keep an inner
//! node from passing for a leaf. Identical to `buildBatch`/`batchRootFromProof` in TypeScript and to
//! `BatchMerkle` in Solidity.

use alloc::vec::Vec;

const LEAF_PREFIX: [u8; 1] = [0x00];
const NODE_PREFIX: [u8; 1] = [0x01];

/// `keccak256(0x00 || id)`: a message id as a leaf.
pub fn leaf(id: &[u8; 32]) -> [u8; 32] {
    crate::keccak256(&[&LEAF_PREFIX, id])
}

/// `keccak256(0x01 || min(a, b) || max(a, b))`.
pub fn hash_pair(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    if a <= b {
        crate::keccak256(&[&NODE_PREFIX, a, b])
    } else {
        crate::keccak256(&[&NODE_PREFIX, b, a])
    }
}

fn next_level(level: &[[u8; 32]]) -> Vec<[u8; 32]> {
    level
        .chunks(2)
        .map(|pair| match pair {
            [a, b] => hash_pair(a, b),
            [a] => *a,
            _ => unreachable!("chunks(2) yields one or two"),
        })
        .collect()
}

/// The root over the leaves of `ids`, in their order. An empty batch (which no relayer signs) has the zero
/// root.
pub fn root(ids: &[[u8; 32]]) -> [u8; 32] {
    let mut level: Vec<[u8; 32]> = ids.iter().map(leaf).collect();
    if level.is_empty() {
        return [0; 32];
    }
    while level.len() > 1 {
        level = next_level(&level);
    }
    level[0]
}

/// The sibling path from the leaf of `ids[index]` up to the root (siblings only: the sorted pairs need no
/// left/right flags). Empty for a batch of one, and for an `index` out of range.
pub fn proof(ids: &[[u8; 32]], index: usize) -> Vec<[u8; 32]> {
    let mut path = Vec::new();
    if index >= ids.len() {
        return path;
    }
    let mut level: Vec<[u8; 32]> = ids.iter().map(leaf).collect();
    let mut i = index;
    while level.len() > 1 {
        let sibling = i ^ 1;
        if sibling < level.len() {
            path.push(level[sibling]);
        }
        level = next_level(&level);
        i /= 2;
    }
    path
}

/// The root that message `id` and its sibling path lead to.
pub fn root_from_proof(id: &[u8; 32], proof: &[[u8; 32]]) -> [u8; 32] {
    proof
        .iter()
        .fold(leaf(id), |acc, sibling| hash_pair(&acc, sibling))
}

/// Whether `proof` leads from message `id` to `root`.
pub fn verify(id: &[u8; 32], proof: &[[u8; 32]], root: &[u8; 32]) -> bool {
    root_from_proof(id, proof) == *root
}
