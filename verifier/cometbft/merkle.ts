/**
 * CometBFT's simple Merkle tree (RFC 6962 hashing): leaf = sha256(0x00 || data), inner = sha256(0x01 || left ||
 * right), the left subtree holding the largest power of two strictly below n items. It commits block headers,
 * validator sets, transactions and the multistore's store roots.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, equalBytes } from '../bytes.js';

const LEAF = Uint8Array.of(0);
const INNER = Uint8Array.of(1);

export const leafHash = (data: Uint8Array): Uint8Array => sha256(concatBytes(LEAF, data));
export const innerHash = (left: Uint8Array, right: Uint8Array): Uint8Array => sha256(concatBytes(INNER, left, right));

/** Largest power of two strictly below n (n >= 2). */
export function splitPoint(n: number): number {
  if (n < 2) throw new RangeError(`no split point for ${n} items`);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Root of the tree over `items` (each hashed as a leaf); sha256 of nothing for an empty list. */
export function merkleRoot(items: readonly Uint8Array[]): Uint8Array {
  return rootOfLeaves(items.map(leafHash));
}

function rootOfLeaves(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256(new Uint8Array(0));
  if (leaves.length === 1) return leaves[0] as Uint8Array;
  const k = splitPoint(leaves.length);
  return innerHash(rootOfLeaves(leaves.slice(0, k)), rootOfLeaves(leaves.slice(k)));
}

/** A CometBFT `crypto/merkle.Proof`: the leaf's position and its aunts, deepest first. */
export interface MerkleProof {
  total: number;
  index: number;
  leafHash: Uint8Array;
  aunts: readonly Uint8Array[];
}

/**
 * Recomputes the root from a leaf hash and its aunts, walking down the same split the tree was built with;
 * undefined when the aunts do not fit (too many, too few, index out of range).
 */
export function rootFromAunts(
  index: number,
  total: number,
  leaf: Uint8Array,
  aunts: readonly Uint8Array[],
): Uint8Array | undefined {
  if (index < 0 || index >= total || total < 1) return undefined;
  if (total === 1) return aunts.length === 0 ? leaf : undefined;
  const last = aunts.at(-1);
  if (!last) return undefined;
  const rest = aunts.slice(0, -1);
  const k = splitPoint(total);
  if (index < k) {
    const left = rootFromAunts(index, k, leaf, rest);
    return left && innerHash(left, last);
  }
  const right = rootFromAunts(index - k, total - k, leaf, rest);
  return right && innerHash(last, right);
}

/** True when `proof` places sha256-leaf `leaf` (the raw item, e.g. sha256(tx)) under `root`. */
export function verifyMerkleProof(proof: MerkleProof, root: Uint8Array, item: Uint8Array): boolean {
  const leaf = leafHash(item);
  if (!equalBytes(leaf, proof.leafHash)) return false;
  const computed = rootFromAunts(proof.index, proof.total, leaf, proof.aunts);
  return computed !== undefined && equalBytes(computed, root);
}
