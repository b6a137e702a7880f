/**
 * The shadow chain's state roots and read proofs come from the verifier's trie builder (verifier/grandpa/trie):
 * here against chopsticks-core (smoldot's trie in wasm) on the devnet genesis and on random tries, including the
 * `valueHashes` cache the shadow chain uses so `:code` is hashed once rather than every block.
 */
import { readFileSync } from 'node:fs';
import { calculateStateRoot, decodeProof, destroyWorker } from '@acala-network/chopsticks-core';
import { type Hex, hexToBytes } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../verifier/grandpa/scale.js';
import { buildTrie, proveRead } from '../../verifier/grandpa/trie/build.js';
import { SUBSTRATE_GENESIS } from '../substrateDevnet.js';
import type { StateEntry } from './source.js';

/** Deterministic pseudo-random bytes (xorshift), so a failure reproduces. */
function rng(seed: number): (n: number) => Uint8Array {
  let s = seed >>> 0 || 1;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      out[i] = s & 0xff;
    }
    return out;
  };
}

function randomEntries(seed: number, count: number): StateEntry[] {
  const bytes = rng(seed);
  const map = new Map<string, StateEntry>();
  const prefixes = [bytes(16), bytes(16), bytes(32)];
  for (let i = 0; i < count; i++) {
    const mode = (bytes(1)[0] as number) % 5;
    // shared prefixes (pallet-style keys), keys that are prefixes of other keys, odd-length tails
    const prefix = prefixes[mode % 3] as Uint8Array;
    const tail = bytes(mode === 4 ? 0 : ((bytes(1)[0] as number) % 40) + 1);
    const key = mode === 3 ? bytes(1 + ((bytes(1)[0] as number) % 3)) : Uint8Array.from([...prefix, ...tail]);
    const valueLen = [0, 1, 31, 32, 33, 34, 200, 5000][(bytes(1)[0] as number) % 8] as number;
    map.set(toHex(key), [key, bytes(valueLen)]);
  }
  return [...map.values()];
}

const asHex = (entries: readonly StateEntry[]): [Hex, Hex][] => entries.map(([k, v]) => [toHex(k), toHex(v)]);

describe('shadow state roots (verifier/grandpa/trie/build.ts against chopsticks-core)', () => {
  afterAll(async () => {
    await destroyWorker();
  });

  it('gives chopsticks-core’s root for the committed genesis, under both state versions', async () => {
    const spec = JSON.parse(readFileSync(SUBSTRATE_GENESIS, 'utf8')) as {
      genesis: { raw: { top: Record<string, string> } };
    };
    const entries = Object.entries(spec.genesis.raw.top).map(
      ([k, v]): StateEntry => [hexToBytes(k as Hex), hexToBytes(v as Hex)],
    );
    for (const version of [0, 1] as const)
      expect(toHex(buildTrie(entries, version).root)).toBe(await calculateStateRoot(asHex(entries), version));
  });

  it('gives chopsticks-core’s root for random tries (shared prefixes, prefix keys, short and long values)', async () => {
    const valueHashes = new WeakMap<Uint8Array, Uint8Array>();
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const entries = randomEntries(seed, seed * 40);
      for (const version of [0, 1] as const) {
        const root = await calculateStateRoot(asHex(entries), version);
        expect(toHex(buildTrie(entries, version).root), `seed ${seed} v${version}`).toBe(root);
        // twice with the cache: the second build takes the large values' hashes from it
        for (let i = 0; i < 2; i++)
          expect(toHex(buildTrie(entries, version, { valueHashes }).root), `seed ${seed} v${version} cached`).toBe(
            root,
          );
      }
    }
    expect(toHex(buildTrie([], 1).root)).toBe(await calculateStateRoot([], 1));
    const one: StateEntry[] = [[Uint8Array.of(1, 2, 3), Uint8Array.of(9)]];
    expect(toHex(buildTrie(one, 1).root)).toBe(await calculateStateRoot(asHex(one), 1));
  });

  it('looks large values up in valueHashes by identity, and only large V1 ones', () => {
    const big = new Uint8Array(5000).fill(1);
    const small = new Uint8Array(100).fill(2);
    const entries: StateEntry[] = [
      [Uint8Array.of(1), big],
      [Uint8Array.of(2), small],
    ];
    const valueHashes = new WeakMap<Uint8Array, Uint8Array>();
    const root = buildTrie(entries, 1, { valueHashes }).root;
    expect(valueHashes.has(big)).toBe(true);
    expect(valueHashes.has(small)).toBe(false);
    const v0 = new WeakMap<Uint8Array, Uint8Array>();
    buildTrie(entries, 0, { valueHashes: v0 }); // V0 stores values inline: no value hash
    expect(v0.has(big)).toBe(false);
    // a (deliberately wrong) cached hash is what the trie uses, so an unchanged :code is not hashed again
    valueHashes.set(big, new Uint8Array(32));
    expect(toHex(buildTrie(entries, 1, { valueHashes }).root)).not.toBe(toHex(root));
    // an equal value in another array is hashed afresh
    const copy: StateEntry[] = [[Uint8Array.of(1), big.slice()], entries[1] as StateEntry];
    expect(toHex(buildTrie(copy, 1, { valueHashes }).root)).toBe(toHex(root));
  });

  it('makes read proofs that smoldot (chopsticks-core decodeProof) accepts against the root', async () => {
    const entries = randomEntries(7, 300);
    for (const version of [0, 1] as const) {
      const trie = buildTrie(entries, version);
      const picked = [0, 17, 99, entries.length - 1].map((i) => entries[i] as StateEntry);
      const proof = proveRead(
        trie,
        picked.map(([k]) => k),
      );
      const decoded = await decodeProof(toHex(trie.root), proof.map(toHex));
      for (const [k, v] of picked) expect(decoded[toHex(k)], `v${version} ${toHex(k)}`).toBe(toHex(v));
      // a proof for one key is much smaller than the whole trie
      expect(proveRead(trie, [(entries[5] as StateEntry)[0]]).length).toBeLessThan(12);
      // against another root the same nodes prove nothing (smoldot finds no node with that hash)
      expect(await decodeProof(toHex(buildTrie(entries.slice(1), version).root), proof.map(toHex))).toEqual({});
    }
  });

  it('proves absence: the proof walks to where the key would be', async () => {
    const entries = randomEntries(8, 100);
    const trie = buildTrie(entries, 1);
    const missing = Uint8Array.from([...(entries[3] as StateEntry)[0], 0xee, 0xee]);
    const proof = proveRead(trie, [missing]);
    expect(proof.length).toBeGreaterThan(0);
    const decoded = await decodeProof(toHex(trie.root), proof.map(toHex));
    expect(decoded[toHex(missing)]).toBeUndefined();
  });
});
