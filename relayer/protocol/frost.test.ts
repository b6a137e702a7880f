import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { Hex } from 'viem';
import { hexToBytes } from 'viem';
import { describe, expect, it } from 'vitest';
import { batchRootFromProof, buildBatch, leafHash } from './digest.js';
import { InvalidGroupKeyError } from './errors.js';
import {
  evmSignature,
  FrostError,
  frostChallenge,
  runDkgInProcess,
  signInProcess,
  splitSignature,
  verifyFrost,
} from './frost.js';
import { CURVE_ORDER, parseGroupKey } from './groupKey.js';

const digest = hexToBytes(`0x${'ab'.repeat(32)}`);

describe('FROST over @noble/curves', () => {
  const set = runDkgInProcess(3, 5);

  it('any 3 of 5 DKG participants produce a signature that verifies; the challenge matches our own H2', () => {
    for (const subset of [
      [0, 1, 2],
      [2, 3, 4],
      [0, 2, 4],
      [0, 1, 2, 3, 4],
    ]) {
      const sig = signInProcess(
        subset.map((i) => set.keys[i] as (typeof set.keys)[number]),
        digest,
      );
      expect(verifyFrost(sig, digest, set.groupKey.compressed)).toBe(true);
      // z*G == R + c*PK with our challenge: what every chain recomputes
      const { R, z } = splitSignature(sig);
      const c = frostChallenge(R, hexToBytes(set.groupKey.compressed), digest);
      const PK = secp256k1.Point.fromBytes(hexToBytes(set.groupKey.compressed));
      expect(secp256k1.Point.BASE.multiply(z).equals(secp256k1.Point.fromBytes(R).add(PK.multiply(c)))).toBe(true);
    }
  });

  it('t-1 signers cannot sign', () => {
    expect(() => signInProcess(set.keys.slice(0, 2), digest)).toThrow(FrostError);
  });

  it('the group key has x < n, as the chains require', () => {
    expect(set.groupKey.x < CURVE_ORDER).toBe(true);
    expect(parseGroupKey(set.groupKey.compressed)).toEqual(set.groupKey);
  });

  it('rejects malformed group keys with InvalidGroupKeyError', () => {
    expect(() => parseGroupKey(`0x04${'11'.repeat(32)}`)).toThrow(InvalidGroupKeyError);
    expect(() => parseGroupKey(`0x02${'00'.repeat(31)}05`)).toThrow(InvalidGroupKeyError);
  });

  it('the EVM form appends R.y', () => {
    const sig = signInProcess(set.keys.slice(0, 3), digest);
    const evm = hexToBytes(evmSignature(sig));
    expect(evm.length).toBe(97);
    expect(BigInt(`0x${Buffer.from(evm.slice(65)).toString('hex')}`)).toBe(splitSignature(sig).ry);
  });
});

describe('batches', () => {
  it('every leaf proves to the root for 1..9 leaves', () => {
    for (let n = 1; n <= 9; n++) {
      const ids = Array.from({ length: n }, (_, i) => `0x${(i + 1).toString(16).padStart(64, '0')}` as const);
      const batch = buildBatch(ids);
      ids.forEach((id, i) => {
        expect(batchRootFromProof(id, batch.proofs[i] ?? [])).toBe(batch.root);
      });
      if (n === 1) expect(batch.root).toBe(leafHash(ids[0] as Hex));
    }
  });
});
