import { type Hex, hexToBytes } from 'viem';
import { describe, expect, it } from 'vitest';
import { flipped } from '../../testing/bits.js';
import { type Outcome, reasonOf } from '../../testing/reason.js';
import { toHex } from '../scale.js';
import { outboundMessageKey } from '../storageKey.js';
import vectors from '../testdata/trieVectors.json' with { type: 'json' };
import { buildTrie, proveRead } from './build.js';
import { decodeNode, encodeNode } from './nodeCodec.js';
import { verifyReadProof } from './readProof.js';

const entries = vectors.entries.map(([k, v]) => [hexToBytes(k as Hex), hexToBytes(v as Hex)] as const);
const absent = vectors.absent.map((k) => hexToBytes(k as Hex));

const failsWith = (reason: Outcome, f: () => unknown) => expect(reasonOf(f)).toBe(reason);

describe('trie proofs against chopsticks (smoldot) vectors', () => {
  it('verifies every key and every absence in the V0 proof smoldot built', () => {
    for (const [k, v] of entries)
      expect(toHex(verifyReadProof(vectors.rootV0 as Hex, vectors.proofV0 as Hex[], k) ?? Uint8Array.of())).toBe(
        toHex(v),
      );
    for (const k of absent) expect(verifyReadProof(vectors.rootV0 as Hex, vectors.proofV0 as Hex[], k)).toBeNull();
  });

  it('builds the same V0 and V1 roots as smoldot', () => {
    expect(toHex(buildTrie(entries, 0).root)).toBe(vectors.rootV0);
    expect(toHex(buildTrie(entries, 1).root)).toBe(vectors.rootV1);
  });

  it('verifies minimal V1 proofs (values of 33+ bytes by hash) against the smoldot V1 root', () => {
    const trie = buildTrie(entries, 1);
    let hashedValues = 0;
    for (const [k, v] of entries) {
      const proof = proveRead(trie, [k]);
      if (v.length >= 33) {
        hashedValues++;
        expect(proof.some((n) => toHex(n) === toHex(v))).toBe(true); // the value node itself
      }
      expect(toHex(verifyReadProof(vectors.rootV1 as Hex, proof, k) ?? Uint8Array.of())).toBe(toHex(v));
    }
    expect(hashedValues).toBeGreaterThan(3);
    for (const k of absent) expect(verifyReadProof(vectors.rootV1 as Hex, proveRead(trie, [k]), k)).toBeNull();
  });

  it('fails on a wrong root or a missing node; ignores extra nodes', () => {
    const trie = buildTrie(entries, 1);
    const key = outboundMessageKey(3n);
    const proof = proveRead(trie, [key]);
    failsWith('bad-state-proof', () => verifyReadProof(vectors.rootV0 as Hex, proof, key));
    for (let i = 0; i < proof.length; i++)
      failsWith('bad-state-proof', () =>
        verifyReadProof(
          trie.root,
          proof.filter((_, j) => j !== i),
          key,
        ),
      );
    const extra = [...proof, ...vectors.proofV0.map((n) => hexToBytes(n as Hex)), Uint8Array.of(1, 2, 3)];
    expect(verifyReadProof(trie.root, extra, key)).toEqual(entries.find(([k]) => toHex(k) === toHex(key))?.[1]);
    // An absence cannot be shown without the nodes on its path.
    failsWith('bad-state-proof', () =>
      verifyReadProof(trie.root, proveRead(trie, [key]).slice(0, 1), outboundMessageKey(9n)),
    );
  });

  it('fails on every single-bit flip of every node of a proof', () => {
    for (const version of [0, 1] as const) {
      const trie = buildTrie(entries, version);
      const key = outboundMessageKey(2n);
      const proof = proveRead(trie, [key]);
      let flips = 0;
      for (let n = 0; n < proof.length; n++) {
        const node = proof[n] as Uint8Array;
        for (let bit = 0; bit < node.length * 8; bit++) {
          const bad = flipped(node, bit);
          const tampered = proof.map((p, i) => (i === n ? bad : p));
          failsWith('bad-state-proof', () => verifyReadProof(trie.root, tampered, key));
          flips++;
        }
      }
      expect(flips).toBeGreaterThan(1000);
    }
  });

  it('node codec round-trips every node, including long partial keys', () => {
    const nodes = [...buildTrie(entries, 1).nodes.values(), ...vectors.proofV0.map((n) => hexToBytes(n as Hex))];
    let long = 0;
    for (const n of nodes) {
      let node: ReturnType<typeof decodeNode>;
      try {
        node = decodeNode(n);
      } catch {
        continue; // V1 value nodes are raw values, not trie nodes
      }
      if (node.type !== 'empty' && node.partial.length >= 63) long++;
      expect(toHex(encodeNode(node))).toBe(toHex(n));
    }
    expect(long).toBeGreaterThan(0);
    expect(() => decodeNode(Uint8Array.of(0x01))).toThrowError(/unknown node header/);
    expect(() => decodeNode(Uint8Array.of(0x80, 0, 0))).toThrowError(/without children/);
    expect(() => decodeNode(Uint8Array.of(0x41, 0x10, 0))).toThrowError(/padding/);
  });

  it('proves the empty trie holds nothing', () => {
    const empty = buildTrie([], 1);
    expect(toHex(empty.root)).toBe('0x03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314');
    expect(verifyReadProof(empty.root, [...empty.nodes.values()], outboundMessageKey(0n))).toBeNull();
  });
});
