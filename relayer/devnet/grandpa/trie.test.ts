import { readFileSync } from 'node:fs';
import { calculateStateRoot, decodeProof, destroyWorker } from '@acala-network/chopsticks-core';
import { afterAll, describe, expect, it } from 'vitest';
import { SUBSTRATE_GENESIS } from '../substrateDevnet.js';
import { fromHex, type HexString, toHex } from './scale.js';
import { StateTrie, type TrieEntry } from './trie.js';

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

function randomEntries(seed: number, count: number): TrieEntry[] {
  const bytes = rng(seed);
  const map = new Map<string, TrieEntry>();
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

const asHex = (entries: readonly TrieEntry[]): [HexString, HexString][] =>
  entries.map(([k, v]) => [toHex(k), toHex(v)]);

describe('StateTrie', () => {
  afterAll(async () => {
    await destroyWorker();
  });

  it('gives chopsticks-core’s root for the committed genesis, under both state versions', async () => {
    const spec = JSON.parse(readFileSync(SUBSTRATE_GENESIS, 'utf8')) as {
      genesis: { raw: { top: Record<string, string> } };
    };
    const entries: TrieEntry[] = Object.entries(spec.genesis.raw.top).map(([k, v]) => [fromHex(k), fromHex(v)]);
    for (const version of [0, 1] as const)
      expect(toHex(new StateTrie(entries, version).root)).toBe(await calculateStateRoot(asHex(entries), version));
  });

  it('gives chopsticks-core’s root for random tries (shared prefixes, prefix keys, short and long values)', async () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const entries = randomEntries(seed, seed * 40);
      for (const version of [0, 1] as const)
        expect(toHex(new StateTrie(entries, version).root), `seed ${seed} v${version}`).toBe(
          await calculateStateRoot(asHex(entries), version),
        );
    }
    expect(toHex(new StateTrie([], 1).root)).toBe(await calculateStateRoot([], 1));
    const one: TrieEntry[] = [[Uint8Array.of(1, 2, 3), Uint8Array.of(9)]];
    expect(toHex(new StateTrie(one, 1).root)).toBe(await calculateStateRoot(asHex(one), 1));
  });

  it('makes read proofs that smoldot (chopsticks-core decodeProof) accepts against the root', async () => {
    const entries = randomEntries(7, 300);
    for (const version of [0, 1] as const) {
      const trie = new StateTrie(entries, version);
      const picked = [0, 17, 99, entries.length - 1].map((i) => entries[i] as TrieEntry);
      const proof = trie.proof(picked.map(([k]) => k));
      const decoded = await decodeProof(toHex(trie.root), proof.map(toHex));
      for (const [k, v] of picked) expect(decoded[toHex(k)], `v${version} ${toHex(k)}`).toBe(toHex(v));
      // a proof for one key is much smaller than the whole trie
      expect(trie.proof([(entries[5] as TrieEntry)[0]]).length).toBeLessThan(12);
      // against another root the same nodes prove nothing (smoldot finds no node with that hash)
      expect(await decodeProof(toHex(new StateTrie(entries.slice(1), version).root), proof.map(toHex))).toEqual({});
    }
  });

  it('proves absence: the proof walks to where the key would be', async () => {
    const entries = randomEntries(8, 100);
    const trie = new StateTrie(entries, 1);
    const missing = Uint8Array.from([...(entries[3] as TrieEntry)[0], 0xee, 0xee]);
    const proof = trie.proof([missing]);
    expect(proof.length).toBeGreaterThan(0);
    const decoded = await decodeProof(toHex(trie.root), proof.map(toHex));
    expect(decoded[toHex(missing)]).toBeUndefined();
  });
});
