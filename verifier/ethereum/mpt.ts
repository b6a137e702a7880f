/**
 * Merkle-Patricia proof checking (the proofs of `eth_getProof` and of receipt/transaction tries): walks
 * from the root along the key's nibbles through the supplied nodes, each node authenticated by the hash
 * its parent holds. The result is the value, or `undefined` when the nodes prove the key absent (an
 * exclusion proof). Anything that does not fit the walk exactly — a node whose hash does not match, a
 * node left over, a reference of the wrong size — is rejected, so a proof is accepted in one form only.
 */
import { type Hex, hexToBytes, keccak256 } from 'viem';
import { equalBytes } from '../bytes.js';
import { ProofError } from '../types.js';
import { bytesOf } from './bytes.js';
import { decodeCompact, toNibbles } from './nibbles.js';
import { decodeRlp, type RlpItem } from './rlp.js';

/** keccak256(rlp('')): the root of an empty trie. */
export const EMPTY_TRIE_ROOT: Hex = '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421';

const fail = (detail: string): never => {
  throw new ProofError('bad-state-proof', detail);
};

/**
 * Verifies `proof` (RLP nodes, root first) for `key` (the trie path bytes: keccak(address) or
 * keccak(slot) in the state tries, rlp(index) in receipt tries) against `root`.
 */
export function verifyMptProof(root: Hex | Uint8Array, key: Uint8Array, proof: readonly Hex[]): Uint8Array | undefined {
  const rootBytes = typeof root === 'string' ? bytesOf(root, 'root', 32) : root;
  if (rootBytes.length !== 32) fail('root is not 32 bytes');
  const nodes = proof.map((n, i) => bytesOf(n, `proof[${i}]`));
  if (nodes.length === 0) {
    // only an empty trie has no nodes to show
    if (equalBytes(rootBytes, hexToBytes(EMPTY_TRIE_ROOT))) return undefined;
    return fail('empty proof for a non-empty trie');
  }
  const path = toNibbles(key);
  let at = 0; // nibbles consumed
  let used = 0; // proof nodes consumed
  // the reference to follow: a 32-byte hash, or an inline node (< 32 bytes, embedded in its parent)
  let ref: RlpItem = rootBytes;
  for (;;) {
    let node: RlpItem;
    if (ref instanceof Uint8Array) {
      if (ref.length === 0) return done(undefined);
      if (ref.length !== 32) return fail(`child reference of ${ref.length} bytes`);
      const encoded = nodes[used];
      if (!encoded) return fail('proof ends before the path does');
      if (!equalBytes(hexToBytes(keccak256(encoded)), ref)) return fail(`proof node ${used} does not match its hash`);
      used++;
      node = decodeRlp(encoded);
    } else node = ref;
    if (!Array.isArray(node)) return fail('trie node is not a list');
    if (node.length === 17) {
      if (at === path.length) return done(nonEmpty(node[16] as RlpItem));
      ref = node[path[at++] as number] as RlpItem;
      if (Array.isArray(ref) && ref.length === 0) return fail('empty list as a child');
      continue;
    }
    if (node.length !== 2) return fail(`trie node with ${node.length} items`);
    const [compact, child] = node as [RlpItem, RlpItem];
    if (!(compact instanceof Uint8Array)) return fail('node path is a list');
    const { leaf, path: segment } = decodeCompact(compact);
    const rest = path.slice(at);
    if (leaf) {
      const same = segment.length === rest.length && segment.every((n, i) => n === rest[i]);
      if (!(child instanceof Uint8Array)) return fail('leaf value is a list');
      // a leaf on our path with another key proves ours absent
      return done(same ? nonEmpty(child) : undefined);
    }
    if (segment.length === 0) return fail('extension with an empty path');
    if (segment.length > rest.length || segment.some((n, i) => n !== rest[i])) return done(undefined);
    at += segment.length;
    ref = child;
  }

  function nonEmpty(value: RlpItem): Uint8Array | undefined {
    if (!(value instanceof Uint8Array)) return fail('value is a list');
    return value.length === 0 ? undefined : value;
  }
  function done(value: Uint8Array | undefined): Uint8Array | undefined {
    if (used !== nodes.length) fail(`${nodes.length - used} proof node(s) off the path`);
    return value;
  }
}
