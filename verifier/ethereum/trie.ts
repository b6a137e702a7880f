/**
 * Builds a Merkle-Patricia trie root from a full key/value set: used to rebuild a block's receipts (or
 * transactions) trie and compare it with the header's root. Proof checking lives in mpt.ts; this is the
 * other direction.
 */
import { bytesToHex, type Hex, keccak256, toRlp } from 'viem';
import { EMPTY_TRIE_ROOT } from './mpt.js';
import { encodeCompact, toNibbles } from './nibbles.js';

type Node = readonly (Hex | Node)[];
interface Entry {
  path: number[];
  value: Hex;
}

export function trieRoot(entries: ReadonlyArray<{ key: Uint8Array; value: Uint8Array }>): Hex {
  if (entries.length === 0) return EMPTY_TRIE_ROOT;
  const list = entries.map((e) => ({ path: toNibbles(e.key), value: bytesToHex(e.value) }));
  return keccak256(toRlp(build(list)));
}

/** A child as its parent holds it: the node itself when its RLP is under 32 bytes, else its hash. */
function reference(node: Node): Node | Hex {
  const encoded = toRlp(node);
  return (encoded.length - 2) / 2 < 32 ? node : keccak256(encoded);
}

function build(entries: Entry[]): Node {
  if (entries.length === 1) {
    const only = entries[0] as Entry;
    return [bytesToHex(encodeCompact(only.path, true)), only.value];
  }
  const shared = commonPrefix(entries.map((e) => e.path));
  if (shared > 0) {
    const rest = entries.map((e) => ({ path: e.path.slice(shared), value: e.value }));
    return [bytesToHex(encodeCompact((entries[0] as Entry).path.slice(0, shared), false)), reference(build(rest))];
  }
  const branch: (Node | Hex)[] = Array.from({ length: 17 }, () => '0x' as Hex);
  for (let nibble = 0; nibble < 16; nibble++) {
    const under = entries.filter((e) => e.path[0] === nibble).map((e) => ({ path: e.path.slice(1), value: e.value }));
    if (under.length > 0) branch[nibble] = reference(build(under));
  }
  const here = entries.find((e) => e.path.length === 0);
  if (here) branch[16] = here.value;
  return branch as Node;
}

function commonPrefix(paths: number[][]): number {
  const first = paths[0] as number[];
  let n = 0;
  while (n < first.length && paths.every((p) => p.length > n && p[n] === first[n])) n++;
  return n;
}
