// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title The batch Merkle tree of docs/PROTOCOL.md §2 (protocol v2)
/// @notice `leaf = keccak256(0x00 || messageId)`, `node = keccak256(0x01 || min(a, b) || max(a, b))` (sorted
/// pair, compared as uint256, i.e. big-endian bytes), pairing left to right on each level, an odd last node
/// moving up a level unchanged. A single message is a batch of one: its root is its leaf, its path empty.
/// The one-byte prefixes make a leaf and an inner node unequal by construction: an inner node presented as a
/// message id is hashed as a leaf (33-byte preimage) and leads to another root, whatever length a message
/// may have. Identical to `buildBatch`/`batchRootFromProof` (TypeScript) and `merkle` (Rust).
library BatchMerkle {
    /// @notice keccak256(0x00 || id): a message id as a leaf (33-byte preimage).
    function leaf(bytes32 id) internal pure returns (bytes32 h) {
        assembly ("memory-safe") {
            // scratch space: byte 0x00 is the prefix 0x00, bytes 0x01..0x20 the id
            mstore(0x00, 0)
            mstore(0x01, id)
            h := keccak256(0x00, 33)
        }
    }

    /// @notice keccak256(0x01 || min(a, b) || max(a, b)): an inner node (65-byte preimage).
    function node(bytes32 a, bytes32 b) internal pure returns (bytes32 h) {
        assembly ("memory-safe") {
            // 65 bytes do not fit the 64-byte scratch space: use the free memory, without claiming it
            let m := mload(0x40)
            mstore8(m, 1)
            // branchless sort: x = a ^ b, lo = (a < b ? a : b), hi = lo ^ x
            let x := xor(a, b)
            let lo := xor(b, mul(x, lt(a, b)))
            mstore(add(m, 1), lo)
            mstore(add(m, 33), xor(lo, x))
            h := keccak256(m, 65)
        }
    }

    /// @notice The root that message `id` and its sibling path lead to (no left/right flags: pairs are sorted).
    function rootFromProof(bytes32 id, bytes32[] calldata proof) internal pure returns (bytes32 h) {
        h = leaf(id);
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore8(m, 1) // the node prefix, written once: the loop only rewrites bytes 1..64
            let end := add(proof.offset, shl(5, proof.length))
            for { let p := proof.offset } lt(p, end) { p := add(p, 0x20) } {
                let s := calldataload(p)
                let x := xor(h, s)
                let lo := xor(s, mul(x, lt(h, s)))
                mstore(add(m, 1), lo)
                mstore(add(m, 33), xor(lo, x))
                h := keccak256(m, 65)
            }
        }
    }

    /// @notice The root over `leaves` (already hashed as leaves), in their order. Overwrites `leaves` (each
    /// level is written over the one below it). Zero for an empty array (which no relayer signs).
    function root(bytes32[] memory leaves) internal pure returns (bytes32 r) {
        assembly ("memory-safe") {
            let len := mload(leaves)
            let base := add(leaves, 0x20)
            // scratch for the 65-byte node preimage: past the free memory pointer, so past `leaves`
            let m := mload(0x40)
            mstore8(m, 1)
            for {} gt(len, 1) {} {
                let next := base // where the next level's following node goes
                let last := add(base, shl(5, sub(len, 1))) // the level's last node
                let p := base
                for {} lt(p, last) { p := add(p, 0x40) } {
                    let a := mload(p)
                    let b := mload(add(p, 0x20))
                    let x := xor(a, b)
                    let lo := xor(b, mul(x, lt(a, b)))
                    mstore(add(m, 1), lo)
                    mstore(add(m, 33), xor(lo, x))
                    mstore(next, keccak256(m, 65)) // next <= p: both children already read
                    next := add(next, 0x20)
                }
                // an odd node (p stopped on the last one) moves up unchanged
                if eq(p, last) {
                    mstore(next, mload(p))
                    next := add(next, 0x20)
                }
                len := shr(5, sub(next, base))
            }
            if len { r := mload(base) }
        }
    }
}
