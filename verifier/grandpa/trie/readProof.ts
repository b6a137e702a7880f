/**
 * Verifies a Substrate storage read proof (`state_getReadProof`: an unordered set of encoded trie
 * nodes) against a state root. Nodes are found by their blake2-256 hash, so anything in the proof that
 * is not on the key's path is ignored, and a node that does not hash to what its parent names is simply
 * missing. Works for both trie layouts: the node header says whether a value is inline (V0, and short
 * V1 values) or stored by hash (V1 values of 33 bytes or more).
 */
import type { Hex } from 'viem';
import { ProofError } from '../../types.js';
import { blake2_256 } from '../hash.js';
import { parseHex, toHex } from '../scale.js';
import { type ChildRef, decodeNode, type NodeValue, type TrieNode, toNibbles } from './nodeCodec.js';

/** Proof nodes by hash. */
export type NodeDb = ReadonlyMap<string, Uint8Array>;

export function proofDb(proof: readonly (Hex | Uint8Array)[]): Map<string, Uint8Array> {
  const db = new Map<string, Uint8Array>();
  proof.forEach((n, i) => {
    const bytes = typeof n === 'string' ? parseHex(n, `proof[${i}]`) : n;
    db.set(toHex(blake2_256(bytes)), bytes);
  });
  return db;
}

const badProof = (detail: string) => new ProofError('bad-state-proof', detail);

function decode(bytes: Uint8Array, where: string): TrieNode {
  try {
    return decodeNode(bytes);
  } catch (e) {
    // A truncated node is the proof's fault, not an input format problem of ours.
    throw e instanceof ProofError ? badProof(`${where}: ${e.message}`) : e;
  }
}

/**
 * Looks `key` up in the trie under `root` using only the proof's nodes. Returns the value, or null when
 * the proof shows the key is absent. Throws `bad-state-proof` when a node on the path is missing or
 * undecodable (which is also what a wrong root looks like). `onNode` sees every stored node read.
 */
export function lookup(
  root: Uint8Array,
  db: NodeDb,
  key: Uint8Array,
  onNode?: (hash: string, node: Uint8Array) => void,
): Uint8Array | null {
  const fetch = (hash: Uint8Array, what: string): Uint8Array => {
    const h = toHex(hash);
    const node = db.get(h);
    if (!node) throw badProof(`proof lacks the ${what} ${h} for key ${toHex(key)}`);
    onNode?.(h, node);
    return node;
  };
  const value = (v: NodeValue): Uint8Array => ('inline' in v ? v.inline : fetch(v.hash, 'value node'));
  const nibbles = toNibbles(key);
  let at = 0;
  let node = decode(fetch(root, 'root node'), 'root');
  if (node.type === 'empty') return null;
  for (let depth = 0; ; depth++) {
    if (node.type === 'empty') throw badProof('empty node below the root');
    const { partial } = node;
    if (partial.length > nibbles.length - at) return null;
    for (let i = 0; i < partial.length; i++) if (partial[i] !== nibbles[at + i]) return null;
    at += partial.length;
    if (node.type === 'leaf') return at === nibbles.length ? value(node.value) : null;
    if (at === nibbles.length) return node.value ? value(node.value) : null;
    const child: ChildRef | undefined = node.children[nibbles[at] as number];
    if (!child) return null;
    at += 1;
    node =
      'inline' in child
        ? decode(child.inline, `inline node at depth ${depth + 1}`)
        : decode(fetch(child.hash, 'node'), 'node');
  }
}

/**
 * `state_getReadProof` check for one key: the value under `key` in the state with root `stateRoot`,
 * or null if the proof shows it absent.
 */
export function verifyReadProof(
  stateRoot: Hex | Uint8Array,
  proof: readonly (Hex | Uint8Array)[],
  key: Hex | Uint8Array,
): Uint8Array | null {
  const root = typeof stateRoot === 'string' ? parseHex(stateRoot, 'state root', 32) : stateRoot;
  const k = typeof key === 'string' ? parseHex(key, 'storage key') : key;
  return lookup(root, proofDb(proof), k);
}
