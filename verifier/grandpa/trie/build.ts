/**
 * Builds a Substrate state trie (layout V0 or V1) from key/value pairs, and read proofs from it. The
 * verifier does not need this; tests, the benchmark and a devnet finality sidecar do (chopsticks keeps
 * no trie of its own). Checked against chopsticks' smoldot-based state root (testdata/).
 */
import { blake2_256 } from '../hash.js';
import { toHex } from '../scale.js';
import { type ChildRef, encodeNode, type NodeValue, toNibbles } from './nodeCodec.js';
import { lookup } from './readProof.js';

/** 0: values always inline. 1 (sp_trie LayoutV1, state_version 1): values of 33+ bytes stored by hash. */
export type TrieVersion = 0 | 1;

/** trie V1 stores a value by hash from this length on (sp_core::storage::TRIE_VALUE_NODE_THRESHOLD). */
export const VALUE_NODE_THRESHOLD = 33;

/** Values this long or longer are looked up in `BuildOptions.valueHashes` (smaller ones are cheap to hash). */
const CACHED_VALUE_LENGTH = 4096;

export interface BuildOptions {
  /**
   * Hashes of large V1 values by identity, kept across builds. A caller that rebuilds the trie of a changing state
   * every block (the devnet's GRANDPA sidecar) hands in the same Uint8Array for an unchanged value such as the
   * runtime's `:code` (over a megabyte) and so hashes it once instead of every block. The caller must not mutate
   * a value it has passed.
   */
  valueHashes?: WeakMap<Uint8Array, Uint8Array>;
}

export interface BuiltTrie {
  root: Uint8Array;
  /** Every stored node (and V1 value node) by its hash. */
  nodes: Map<string, Uint8Array>;
}

interface Item {
  nibbles: Uint8Array;
  value: Uint8Array;
}

export function buildTrie(
  entries: Iterable<readonly [Uint8Array, Uint8Array]>,
  version: TrieVersion,
  options: BuildOptions = {},
): BuiltTrie {
  const byKey = new Map<string, Item>();
  for (const [k, v] of entries) byKey.set(toHex(k), { nibbles: toNibbles(k), value: v });
  const items = [...byKey.values()].sort((a, b) => compare(a.nibbles, b.nibbles));
  const nodes = new Map<string, Uint8Array>();
  const store = (bytes: Uint8Array, hash = blake2_256(bytes)): Uint8Array => {
    nodes.set(toHex(hash), bytes);
    return hash;
  };
  /** blake2-256 of a value; a large one from `options.valueHashes` when it has been hashed before. */
  const hashValue = (v: Uint8Array): Uint8Array => {
    const cache = v.length >= CACHED_VALUE_LENGTH ? options.valueHashes : undefined;
    let h = cache?.get(v);
    if (!h) {
      h = blake2_256(v);
      cache?.set(v, h);
    }
    return h;
  };
  const nodeValue = (v: Uint8Array): NodeValue =>
    version === 1 && v.length >= VALUE_NODE_THRESHOLD ? { hash: store(v, hashValue(v)) } : { inline: v };

  const build = (group: Item[], depth: number): Uint8Array => {
    const first = group[0] as Item;
    if (group.length === 1)
      return encodeNode({ type: 'leaf', partial: first.nibbles.slice(depth), value: nodeValue(first.value) });
    const last = group[group.length - 1] as Item;
    let cp = 0;
    while (depth + cp < first.nibbles.length && first.nibbles[depth + cp] === last.nibbles[depth + cp]) cp++;
    const end = depth + cp;
    // Sorted, so a key that ends exactly here (the branch's own value) comes first.
    const own = first.nibbles.length === end ? first : undefined;
    const children: (ChildRef | undefined)[] = new Array(16).fill(undefined);
    for (let nibble = 0; nibble < 16; nibble++) {
      const sub = group.filter((it) => it !== own && it.nibbles[end] === nibble);
      if (sub.length === 0) continue;
      const enc = build(sub, end + 1);
      children[nibble] = enc.length < 32 ? { inline: enc } : { hash: store(enc) };
    }
    const partial = first.nibbles.slice(depth, end);
    return encodeNode(
      own ? { type: 'branch', partial, value: nodeValue(own.value), children } : { type: 'branch', partial, children },
    );
  };
  const root = store(items.length === 0 ? encodeNode({ type: 'empty' }) : build(items, 0));
  return { root, nodes };
}

/** The nodes a read of `keys` touches: a minimal `state_getReadProof` answer. */
export function proveRead(trie: BuiltTrie, keys: readonly Uint8Array[]): Uint8Array[] {
  const used = new Map<string, Uint8Array>();
  for (const key of keys) lookup(trie.root, trie.nodes, key, (h, n) => used.set(h, n));
  return [...used.values()];
}

function compare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}
