import { describe, expect, it } from 'vitest';
import { ProofError } from '../types.js';
import { decodeVersionedAuthorityList, encodeVersionedAuthorityList, toAuthoritySet } from './authoritySet.js';
import { AuthoritySetTracker } from './authorityTracker.js';
import { decodeGrandpaLog, encodeGrandpaLog, type GrandpaConsensusLog } from './digest.js';
import { type Header, headerHash } from './header.js';
import { toHex } from './scale.js';
import { changeTo, grandpaDigest, makeHeader, makeVoters, setOf } from './testing.js';

const [a, b] = [makeVoters(3, 'a'), makeVoters(5, 'b')];

function chainWith(digests: Record<number, Parameters<typeof grandpaDigest>[0]>, length: number): Header[] {
  const out: Header[] = [];
  for (let n = 1; n <= length; n++) {
    const parent = out.length ? headerHash(out[out.length - 1] as Header) : new Uint8Array(32);
    const log = digests[n];
    out.push(makeHeader(parent, n, { digest: log ? [grandpaDigest(log)] : [] }));
  }
  return out;
}

describe('authority sets', () => {
  it('decodes :grandpa_authorities (VersionedAuthorityList) and refuses other versions', () => {
    const set = setOf(b, 0n);
    const bytes = encodeVersionedAuthorityList(set.authorities);
    expect(bytes[0]).toBe(1);
    const back = decodeVersionedAuthorityList(bytes, 42n);
    expect(back.setId).toBe(42n);
    expect(back.authorities.map((x) => toHex(x.key))).toEqual(b.map((v) => toHex(v.key)));
    expect(() => decodeVersionedAuthorityList(Uint8Array.of(2, ...bytes.slice(1)), 0n)).toThrowError(ProofError);
    expect(() => decodeVersionedAuthorityList(bytes.slice(0, -1), 0n)).toThrowError(ProofError);
  });

  it('normalises config sets and refuses a key listed twice', () => {
    const k = toHex(a[0]?.key as Uint8Array);
    expect(toAuthoritySet({ setId: 3, authorities: [k] }).authorities[0]?.weight).toBe(1n);
    expect(() => toAuthoritySet({ setId: 3, authorities: [k, k] })).toThrowError(/twice/);
  });

  it('round-trips every GRANDPA consensus log', () => {
    const logs: GrandpaConsensusLog[] = [
      { type: 'scheduledChange', change: changeTo(b, 10) },
      { type: 'forcedChange', medianLastFinalized: 77, change: changeTo(a, 0) },
      { type: 'onDisabled', authorityIndex: 2n },
      { type: 'pause', delay: 5 },
      { type: 'resume', delay: 6 },
    ];
    for (const log of logs) expect(decodeGrandpaLog(encodeGrandpaLog(log))).toEqual(log);
    expect(() => decodeGrandpaLog(Uint8Array.of(9))).toThrowError(ProofError);
  });
});

describe('AuthoritySetTracker', () => {
  it('enacts a scheduled change at N + delay, once that block is final', () => {
    const t = new AuthoritySetTracker(setOf(a, 0n));
    const chain = chainWith(
      { 3: { type: 'scheduledChange', change: changeTo(b, 2) }, 4: { type: 'pause', delay: 1 } },
      6,
    );
    for (const h of chain.slice(0, 4)) t.noteHeader(h);
    expect(t.currentSetEndsAt).toBe(5);
    t.finalized(4);
    expect(t.current.setId).toBe(0n);
    t.noteHeader(chain[4] as Header);
    t.finalized(5);
    expect(t.current.setId).toBe(1n);
    expect(t.current.authorities).toHaveLength(5);
    expect(t.currentSetEndsAt).toBeUndefined();
  });

  it('refuses a justification of the old set beyond the end of the set', () => {
    const t = new AuthoritySetTracker(setOf(a, 0n));
    for (const h of chainWith({ 2: { type: 'scheduledChange', change: changeTo(b, 1) } }, 4)) t.noteHeader(h);
    expect(() => t.finalized(4)).toThrowError(/ended at block 3/);
  });

  it('enacts a scheduled change with delay 0 when the announcing block is final', () => {
    const t = new AuthoritySetTracker(setOf(a, 5n));
    for (const h of chainWith({ 2: { type: 'scheduledChange', change: changeTo(b, 0) } }, 2)) t.noteHeader(h);
    t.finalized(2);
    expect(t.current.setId).toBe(6n);
  });

  it('enacts a forced change when block N + delay is walked, without a justification', () => {
    const t = new AuthoritySetTracker(setOf(a, 0n));
    const chain = chainWith({ 2: { type: 'forcedChange', medianLastFinalized: 1, change: changeTo(b, 2) } }, 5);
    for (const h of chain.slice(0, 3)) t.noteHeader(h);
    expect(t.current.setId).toBe(0n);
    t.noteHeader(chain[3] as Header);
    expect(t.current.setId).toBe(1n);
    expect(t.forced).toBeUndefined();
  });

  it('can refuse forced changes, and refuses a second scheduled change while one is pending', () => {
    const forced = chainWith({ 1: { type: 'forcedChange', medianLastFinalized: 0, change: changeTo(b, 0) } }, 1);
    const strict = new AuthoritySetTracker(setOf(a, 0n), { allowForcedChanges: false });
    expect(() => strict.noteHeader(forced[0] as Header)).toThrowError(/refused/);
    const twice = chainWith(
      {
        1: { type: 'scheduledChange', change: changeTo(b, 5) },
        2: { type: 'scheduledChange', change: changeTo(a, 5) },
      },
      2,
    );
    const t = new AuthoritySetTracker(setOf(a, 0n));
    t.noteHeader(twice[0] as Header);
    expect(() => t.noteHeader(twice[1] as Header)).toThrowError(/pending/);
  });
});
