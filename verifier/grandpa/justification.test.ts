import { describe, expect, it } from 'vitest';
import { forEachBitFlip } from '../testing/bits.js';
import { reasonOf } from '../testing/reason.js';
import { supermajority } from './authoritySet.js';
import { type Header, headerHash } from './header.js';
import { encodeJustification, type Justification, verifyJustification } from './justification.js';
import { toHex } from './scale.js';
import { makeHeader, makeVoters, setOf, signJustification, type Voter } from './testing.js';

/** A short chain 0..5; the justification targets block 2 unless told otherwise. */
const chain: Header[] = [];
for (let n = 0; n <= 5; n++)
  chain.push(makeHeader(n === 0 ? new Uint8Array(32) : headerHash(chain[n - 1] as Header), n));
const block = (n: number) => ({ hash: headerHash(chain[n] as Header), number: n });

describe('GRANDPA justification, 297 authorities', () => {
  const voters = makeVoters(297);
  const set = setOf(voters, 1234n);
  const target = block(2);

  it('has the threshold 297 - floor(296 / 3) = 199', () => {
    expect(supermajority(297n)).toBe(199n);
    expect(supermajority(4n)).toBe(3n);
    expect(supermajority(1n)).toBe(1n);
  });

  it('accepts 199 signers and refuses 198', () => {
    const j = encodeJustification(signJustification({ setId: 1234n, round: 55n, target, signers: voters.slice(98) }));
    const ok = verifyJustification(j, set, { block: target });
    expect(ok).toMatchObject({ round: 55n, setId: 1234n, signers: 199, weight: 199n, threshold: 199n });
    expect(ok.target).toEqual({ hash: toHex(target.hash), number: 2 });
    const short = signJustification({ setId: 1234n, round: 55n, target, signers: voters.slice(99) });
    expect(reasonOf(() => verifyJustification(encodeJustification(short), set))).toBe('insufficient-signatures');
  });

  it('counts by weight when weights differ', () => {
    const weighted = {
      setId: 1234n,
      authorities: voters.slice(0, 4).map((v, i) => ({ key: v.key, weight: i === 0 ? 10n : 1n })),
    };
    // total 13, threshold 13 - 4 = 9: the heavy voter alone reaches 10.
    const heavy = signJustification({ setId: 1234n, target, signers: voters.slice(0, 1) });
    expect(verifyJustification(encodeJustification(heavy), weighted).weight).toBe(10n);
    const light = signJustification({ setId: 1234n, target, signers: voters.slice(1, 4) });
    expect(reasonOf(() => verifyJustification(encodeJustification(light), weighted))).toBe('insufficient-signatures');
  });
});

describe('GRANDPA justification checks (4 authorities)', () => {
  const voters = makeVoters(4, 'small');
  const set = setOf(voters, 7n);
  const target = block(2);
  const sign = (o: Partial<Parameters<typeof signJustification>[0]> = {}) =>
    signJustification({ setId: 7n, round: 3n, target, signers: voters.slice(0, 3), ...o });
  const verify = (j: Justification, expectBlock = target) =>
    reasonOf(() => verifyJustification(encodeJustification(j), set, { block: expectBlock }));

  it('accepts a plain justification', () => expect(verify(sign())).toBe('passed'));

  it('refuses a duplicate signer', () => {
    const j = sign({ signers: voters.slice(0, 3) });
    j.commit.precommits.push(j.commit.precommits[0] as Justification['commit']['precommits'][number]);
    expect(verify(j)).toBe('bad-justification');
  });

  it('refuses a signer outside the set', () => {
    const outsider = makeVoters(1, 'outsider') as [Voter];
    expect(verify(sign({ signers: [...voters.slice(0, 3), outsider[0]] }))).toBe('unknown-authority-set');
  });

  it('refuses a wrong set id and a wrong round', () => {
    expect(verify(sign({ setId: 8n }))).toBe('bad-justification');
    const j = sign();
    expect(verify({ ...j, round: 4n })).toBe('bad-justification');
  });

  it('refuses a justification for another block, or below the block to prove', () => {
    expect(verify(sign(), block(3))).toBe('bad-justification');
    expect(verify(sign({ target: block(1) }))).toBe('bad-justification');
  });

  it('accepts a target descending from the block to prove through given headers', () => {
    const j = encodeJustification(sign({ target: block(4) }));
    expect(
      verifyJustification(j, set, { block: target, headers: [chain[3], chain[4]] as Header[] }).target.number,
    ).toBe(4);
    expect(reasonOf(() => verifyJustification(j, set, { block: target, headers: [chain[4]] as Header[] }))).toBe(
      'bad-justification',
    );
  });

  it('accepts precommits on descendants through votes ancestries', () => {
    const votes = new Map([
      [1, { targetHash: block(4).hash, targetNumber: 4 }],
      [2, { targetHash: block(3).hash, targetNumber: 3 }],
    ]);
    const j = sign({ votes, votesAncestries: [chain[3], chain[4]] as Header[] });
    expect(verify(j)).toBe('passed');
    // Without the ancestry the votes do not connect; with an extra header one is unused.
    expect(verify({ ...j, votesAncestries: [chain[4] as Header] })).toBe('bad-justification');
    expect(verify({ ...j, votesAncestries: [chain[3], chain[4], chain[5]] as Header[] })).toBe('bad-justification');
  });

  it('refuses a precommit for a block that does not descend from the target', () => {
    const fork = makeHeader(headerHash(chain[1] as Header), 2, { stateRoot: new Uint8Array(32).fill(9) });
    const forkChild = makeHeader(headerHash(fork), 3);
    const votes = new Map([[1, { targetHash: headerHash(forkChild), targetNumber: 3 }]]);
    expect(verify(sign({ votes, votesAncestries: [forkChild, fork] }))).toBe('bad-justification');
    // A vote for the parent of the target.
    expect(verify(sign({ votes: new Map([[0, { targetHash: block(1).hash, targetNumber: 1 }]]) }))).toBe(
      'bad-justification',
    );
    // A vote naming the target with the wrong number.
    expect(verify(sign({ votes: new Map([[0, { targetHash: target.hash, targetNumber: 3 }]]) }))).toBe(
      'bad-justification',
    );
  });

  it('refuses an unused ancestry header', () => {
    expect(verify(sign({ votesAncestries: [chain[3] as Header] }))).toBe('bad-justification');
  });

  it('refuses malformed encodings', () => {
    const bytes = encodeJustification(sign());
    expect(reasonOf(() => verifyJustification(bytes.slice(0, -1), set))).toBe('malformed-input');
    expect(reasonOf(() => verifyJustification(Uint8Array.of(...bytes, 0), set))).toBe('malformed-input');
    expect(reasonOf(() => verifyJustification('0xzz', set))).toBe('malformed-input');
  });

  it('fails on every single-bit flip of a signature, a signer id and the target hash', () => {
    const bytes = encodeJustification(sign());
    // Layout: round 8 | target hash 32 | number 4 | compact len 1 | precommit 0: hash 32, number 4, signature 64, id 32 ...
    const TARGET = 8;
    const P0 = 8 + 32 + 4 + 1;
    const ranges: [string, number, number][] = [
      ['commit target hash', TARGET, 32],
      ['precommit target hash', P0, 32],
      ['signature', P0 + 36, 64],
      ['signer id', P0 + 100, 32],
    ];
    let flips = 0;
    for (const [what, start, len] of ranges)
      flips += forEachBitFlip(bytes.subarray(start, start + len), (bit) => {
        const r = reasonOf(() => verifyJustification(bytes, set, { block: target }));
        if (r === 'passed') throw new Error(`flipping bit ${bit} of the ${what} still verifies`);
      });
    expect(verifyJustification(bytes, set, { block: target }).signers).toBe(3);
    expect(flips).toBe((32 + 32 + 64 + 32) * 8);
  });
});
