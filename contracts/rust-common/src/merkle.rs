//! Batches (docs/PROTOCOL.md §2): a Merkle tree over message ids with
//! `node = keccak256(min(a, b) || max(a, b))` (sorted pair, compared as big-endian bytes), pairing
//! left to right on each level, an odd last node moving up a level unchanged. A batch of one has
//! `root = id` and an empty proof. Identical to `buildBatch`/`batchRootFromProof` in TypeScript and to
//! OpenZeppelin's `MerkleProof.processProof` in Solidity.

use alloc::vec::Vec;

/// `keccak256(min(a, b) || max(a, b))`.
pub fn hash_pair(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    if a <= b {
        crate::keccak256(&[a, b])
    } else {
        crate::keccak256(&[b, a])
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

/// The root over `ids`, in their order. An empty batch (which no relayer signs) has the zero root.
pub fn root(ids: &[[u8; 32]]) -> [u8; 32] {
    match ids {
        [] => [0; 32],
        [only] => *only,
        _ => {
            let mut level = next_level(ids);
            while level.len() > 1 {
                level = next_level(&level);
            }
            level[0]
        }
    }
}

/// The sibling path from `ids[index]` up to the root (siblings only: the sorted pairs need no
/// left/right flags). Empty for a batch of one, and for an `index` out of range.
pub fn proof(ids: &[[u8; 32]], index: usize) -> Vec<[u8; 32]> {
    let mut path = Vec::new();
    if index >= ids.len() {
        return path;
    }
    let mut level = ids.to_vec();
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

/// The root that `leaf` and `proof` lead to.
pub fn root_from_proof(leaf: &[u8; 32], proof: &[[u8; 32]]) -> [u8; 32] {
    proof
        .iter()
        .fold(*leaf, |acc, sibling| hash_pair(&acc, sibling))
}

/// Whether `proof` leads from `leaf` to `root`.
pub fn verify(leaf: &[u8; 32], proof: &[[u8; 32]], root: &[u8; 32]) -> bool {
    root_from_proof(leaf, proof) == *root
}
