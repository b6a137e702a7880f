import { TypeRegistry } from '@polkadot/types';
import type { Header as PolkadotHeader } from '@polkadot/types/interfaces';
import { describe, expect, it } from 'vitest';
import { ProofError } from '../types.js';
import { decodeDigestItem } from './digest.js';
import { decodeHeader, encodeHeader, type Header, headerFromRpc, headerHash, headerToRpc } from './header.js';
import { encodeCompact, ScaleReader, toHex } from './scale.js';
import { changeTo, grandpaDigest, makeVoters } from './testing.js';

const registry = new TypeRegistry();
const h32 = (b: number) => `0x${b.toString(16).padStart(2, '0').repeat(32)}` as const;

describe('header codec', () => {
  // Digest items as @polkadot/types encodes them; our codec must hash the same bytes.
  const polkadotHeader = registry.createType<PolkadotHeader>('Header', {
    parentHash: h32(0x11),
    number: 21_000_123,
    stateRoot: h32(0x22),
    extrinsicsRoot: h32(0x33),
    digest: {
      logs: [
        { PreRuntime: ['0x42414245', '0x0301000000aabbccdd'] },
        { Consensus: ['0x46524e4b', `0x01${'04'}${'ab'.repeat(32)}0100000000000000${'05000000'}`] },
        { Other: '0xdeadbeef' },
        { RuntimeEnvironmentUpdated: null },
        { Seal: ['0x42414245', `0x${'99'.repeat(64)}`] },
      ],
    },
  });

  it('hashes like @polkadot/types: blake2-256 of the SCALE encoding', () => {
    const ours = decodeHeader(polkadotHeader.toU8a());
    expect(ours.number).toBe(21_000_123);
    expect(ours.digest.map((d) => d.kind)).toEqual([
      'preRuntime',
      'consensus',
      'other',
      'runtimeEnvironmentUpdated',
      'seal',
    ]);
    expect(toHex(encodeHeader(ours))).toBe(polkadotHeader.toHex());
    expect(toHex(headerHash(ours))).toBe(polkadotHeader.hash.toHex());
  });

  it('reads the chain_getHeader JSON shape and writes it back', () => {
    // A node's JSON: number in hex, each digest log as the hex of its SCALE encoding.
    const rpc = {
      parentHash: polkadotHeader.parentHash.toHex(),
      number: `0x${(21_000_123).toString(16)}`,
      stateRoot: polkadotHeader.stateRoot.toHex(),
      extrinsicsRoot: polkadotHeader.extrinsicsRoot.toHex(),
      digest: { logs: polkadotHeader.digest.logs.map((l) => l.toHex()) },
    };
    const h = headerFromRpc(rpc);
    expect(toHex(headerHash(h))).toBe(polkadotHeader.hash.toHex());
    expect(headerFromRpc(headerToRpc(h))).toEqual(h);
  });

  it('reads a GRANDPA scheduled change from a digest', () => {
    const item = grandpaDigest({ type: 'scheduledChange', change: changeTo(makeVoters(2), 7) });
    const back = decodeDigestItem(item.raw);
    expect(back.kind).toBe('consensus');
    const h: Header = {
      parentHash: new Uint8Array(32),
      number: 5,
      stateRoot: new Uint8Array(32),
      extrinsicsRoot: new Uint8Array(32),
      digest: [back],
    };
    expect(toHex(encodeHeader(decodeHeader(encodeHeader(h))))).toBe(toHex(encodeHeader(h)));
  });

  it('refuses malformed headers', () => {
    const bytes = polkadotHeader.toU8a();
    const fails = (f: () => unknown) => expect(f).toThrowError(ProofError);
    fails(() => decodeHeader(bytes.slice(0, -1)));
    fails(() => decodeHeader(Uint8Array.of(...bytes, 0)));
    fails(() => headerFromRpc({ ...headerToRpc(decodeHeader(bytes)), number: '0x1ffffffff' }));
    fails(() => headerFromRpc({ ...headerToRpc(decodeHeader(bytes)), stateRoot: '0x1234' }));
    fails(() => headerFromRpc(null));
    fails(() => decodeDigestItem(Uint8Array.of(3, 0)));
  });

  it('compact integers round-trip at every mode boundary and refuse non-canonical forms', () => {
    for (const v of [0n, 63n, 64n, 16383n, 16384n, 2n ** 30n - 1n, 2n ** 30n, 2n ** 32n - 1n, 2n ** 64n - 1n]) {
      const r = new ScaleReader(encodeCompact(v), 'compact');
      expect(r.compact()).toBe(v);
      r.end();
    }
    expect(() => new ScaleReader(Uint8Array.of(0b01, 0), 'c').compact()).toThrowError(/non-canonical/);
    expect(() => new ScaleReader(Uint8Array.of(0b11, 1, 0, 0, 0), 'c').compact()).toThrowError(/non-canonical/);
  });
});
