/**
 * The SSZ merkleization the light client needs (consensus specs, ssz/simple-serialize.md): 32-byte
 * chunks, a binary sha256 tree padded with zero subtrees to a power of two, and Merkle branch checks by
 * generalized index. Only fixed shapes are needed here, so there is no general type system: containers
 * are built from their field roots in containers.ts.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, equalBytes } from '../bytes.js';

export type Root = Uint8Array;

export const hash2 = (a: Uint8Array, b: Uint8Array): Root => sha256(concatBytes(a, b));

/** ZERO[d]: the root of a depth-d tree of zero chunks. */
const ZERO: Root[] = [new Uint8Array(32)];
for (let d = 1; d <= 64; d++) ZERO.push(hash2(ZERO[d - 1] as Root, ZERO[d - 1] as Root));

/** merkleize(chunks, limit): the root of the chunks padded with zero chunks to the next power of two. */
export function merkleize(chunks: readonly Root[], limit = chunks.length): Root {
  if (chunks.length > limit) throw new Error('more chunks than the limit');
  let depth = 0;
  while (1 << depth < Math.max(limit, 1)) depth++;
  let layer = chunks.slice();
  for (let d = 0; d < depth; d++) {
    const next: Root[] = [];
    for (let i = 0; i < layer.length; i += 2) next.push(hash2(layer[i] as Root, layer[i + 1] ?? (ZERO[d] as Root)));
    layer = next;
  }
  return layer[0] ?? (ZERO[depth] as Root);
}

/** Right-pads bytes to 32-byte chunks (a basic vector's packing). */
export function pack(bytes: Uint8Array): Root[] {
  const chunks: Root[] = [];
  for (let i = 0; i < bytes.length; i += 32) {
    const chunk = new Uint8Array(32);
    chunk.set(bytes.subarray(i, i + 32));
    chunks.push(chunk);
  }
  return chunks;
}

export function uint64Root(n: bigint): Root {
  if (n < 0n || n >= 1n << 64n) throw new Error('not a uint64');
  return uintLeRoot(n);
}

export function uint256Root(n: bigint): Root {
  if (n < 0n || n >= 1n << 256n) throw new Error('not a uint256');
  return uintLeRoot(n);
}

function uintLeRoot(n: bigint): Root {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32 && n > 0n; i++, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}

/** A fixed-size byte vector (Bytes4, Bytes20, Bytes48, Bytes256...). */
export const bytesVectorRoot = (bytes: Uint8Array): Root =>
  bytes.length <= 32 ? (pack(bytes)[0] ?? new Uint8Array(32)) : merkleize(pack(bytes));

/** ByteList[max]: the packed chunks merkleized to the list's chunk limit, length mixed in. */
export function byteListRoot(bytes: Uint8Array, max: number): Root {
  if (bytes.length > max) throw new Error(`byte list longer than ${max}`);
  return mixInLength(merkleize(pack(bytes), Math.ceil(max / 32)), bytes.length);
}

export const mixInLength = (root: Root, length: number): Root => hash2(root, uint64Root(BigInt(length)));

/**
 * is_valid_merkle_branch: `leaf` sits at generalized index `gindex` (depth = floor(log2 gindex)) of the
 * tree with root `root`; `branch` lists the sibling roots bottom-up.
 */
export function isValidMerkleBranch(leaf: Root, branch: readonly Root[], gindex: number, root: Root): boolean {
  const depth = Math.floor(Math.log2(gindex));
  if (branch.length !== depth) return false;
  let node = leaf;
  for (let i = 0; i < depth; i++) {
    const sibling = branch[i] as Root;
    node = (gindex >> i) & 1 ? hash2(sibling, node) : hash2(node, sibling);
  }
  return equalBytes(node, root);
}

/**
 * is_valid_normalized_merkle_branch (Electra): branches of a deeper later-fork tree may carry leading
 * zero entries beyond the gindex's depth; they must be zero, and the rest is an ordinary branch.
 */
export function isValidNormalizedBranch(leaf: Root, branch: readonly Root[], gindex: number, root: Root): boolean {
  const depth = Math.floor(Math.log2(gindex));
  const extra = branch.length - depth;
  if (extra < 0) return false;
  for (let i = 0; i < extra; i++) if (!equalBytes(branch[i] as Root, ZERO[0] as Root)) return false;
  return isValidMerkleBranch(leaf, branch.slice(extra), gindex, root);
}
