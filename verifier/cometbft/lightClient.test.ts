/**
 * Light-client verdicts on Celestia mocha-4 blocks (the expected verdicts of the fixtures' README), and
 * mutations: any single flipped bit in a signature, a validator key, a block id or a header field is refused.
 */
import { describe, expect, it } from 'vitest';
import { allBits, forEachBitFlip } from '../testing/bits.js';
import { proofError, reasonOf } from '../testing/reason.js';
import type { ProofError } from '../types.js';
import { CommitSignatures, InsufficientTrustError, verifyCommitLight } from './commit.js';
import { BlockIdFlag, type LightBlock } from './lightBlock.js';
import {
  type TrustedBlock,
  type VerifyOptions,
  verifyAdjacent,
  verifyCheckpoint,
  verifyLightBlock,
  verifySkipping,
} from './lightClient.js';
import { MOCHA_CHAIN_ID, MOCHA_HEIGHTS, mochaBlock } from './testdata/fixtures.js';

const DAY = 86_400;
/** Just after block 157001 (2023-09-27T20:25:50Z): 20.3 days after block 10000. */
const NOW = new Date('2023-09-27T20:30:00Z');
const opts = (overrides: Partial<VerifyOptions> = {}): VerifyOptions => ({
  chainId: MOCHA_CHAIN_ID,
  trustingPeriodSeconds: 21 * DAY,
  maxClockDriftSeconds: 10,
  now: NOW,
  ...overrides,
});

/** A mocha block as a trust anchor; at these heights next_validators_hash = validators_hash. */
function trustedAt(height: (typeof MOCHA_HEIGHTS)[number], o = opts()): TrustedBlock {
  const block = mochaBlock(height);
  return verifyCheckpoint(block, block.validators, o);
}

const failure = (f: () => unknown): ProofError => proofError(f) ?? expect.fail('verification passed');

describe('expected verdicts', () => {
  it.each([
    [10000, 10001],
    [10500, 10501],
    [11000, 11001],
    [157000, 157001],
  ] as const)('adjacent %i -> %i verifies', (a, b) => {
    const next = mochaBlock(b);
    expect(() => verifyAdjacent(trustedAt(a), next, opts())).not.toThrow();
    expect(verifyLightBlock(trustedAt(a), next, next.validators, opts()).signedHeader.header.height).toBe(BigInt(b));
  });

  it.each([
    [10000, 10500],
    [10000, 157000],
  ] as const)('skipping %i -> %i verifies (trust level 1/3, 21-day trusting period)', (a, b) => {
    expect(() => verifySkipping(trustedAt(a), mochaBlock(b), opts())).not.toThrow();
  });

  it('skipping 10000 -> 157000 with a 14-day trusting period: trusted header expired', () => {
    const trusted = trustedAt(10000);
    const e = failure(() => verifySkipping(trusted, mochaBlock(157000), opts({ trustingPeriodSeconds: 14 * DAY })));
    expect(e.reason).toBe('trusted-state-expired');
    expect(e.message).toMatch(/trusted header 10000/);
  });

  it('skipping 10000 -> 157000 needs more than the trust level of the trusted set: refused at 2/3', () => {
    const e = failure(() =>
      verifySkipping(trustedAt(10000), mochaBlock(157000), opts({ trustLevel: { numerator: 2n, denominator: 3n } })),
    );
    expect(e).toBeInstanceOf(InsufficientTrustError);
    expect(e.reason).toBe('insufficient-signatures');
    expect(
      reasonOf(() =>
        verifySkipping(trustedAt(10000), mochaBlock(157000), opts({ trustLevel: { numerator: 1n, denominator: 4n } })),
      ),
    ).toBe('malformed-input');
  });

  it.each(MOCHA_HEIGHTS)('block %i is refused under another chain id', (h) => {
    const block = mochaBlock(h);
    expect(reasonOf(() => verifyCheckpoint(block, block.validators, opts({ chainId: 'mocha-5' })))).toBe('wrong-chain');
    // and a header relabelled to that chain no longer hashes to what was signed
    block.signedHeader.header.chainId = 'mocha-5';
    expect(reasonOf(() => verifyCheckpoint(block, block.validators, opts({ chainId: 'mocha-5' })))).toBe('bad-commit');
    // the signatures themselves are over the chain id: checked under another one, they fail
    const sigs = new CommitSignatures('mocha-5', block.signedHeader.commit);
    const { commit } = block.signedHeader;
    expect(reasonOf(() => verifyCommitLight(sigs, block.validators, commit.blockId, commit.height))).toBe('bad-commit');
  });

  it('refuses a trusted block from another chain', () => {
    expect(reasonOf(() => verifyAdjacent(trustedAt(10000), mochaBlock(10001), opts({ chainId: 'other' })))).toBe(
      'wrong-chain',
    );
  });
});

describe('light-client rules', () => {
  it('needs more than 2/3: 10501 loses one of its two signatures', () => {
    const block = mochaBlock(10501);
    const sig = block.signedHeader.commit.signatures[1];
    if (!sig) throw new Error('fixture changed');
    Object.assign(sig, {
      blockIdFlag: BlockIdFlag.Absent,
      validatorAddress: new Uint8Array(0),
      signature: new Uint8Array(0),
      timestamp: { seconds: -62135596800n, nanos: 0 },
    });
    expect(reasonOf(() => verifyAdjacent(trustedAt(10500), block, opts()))).toBe('insufficient-signatures');
    // counted as a nil vote (a vote, but not for this block) it does not count either
    Object.assign(sig, mochaBlock(10501).signedHeader.commit.signatures[1], { blockIdFlag: BlockIdFlag.Nil });
    expect(reasonOf(() => verifyAdjacent(trustedAt(10500), block, opts()))).toBe('insufficient-signatures');
  });

  it('refuses non-adjacent use of adjacent verification and the reverse', () => {
    expect(reasonOf(() => verifyAdjacent(trustedAt(10000), mochaBlock(10500), opts()))).toBe('bad-header');
    expect(reasonOf(() => verifySkipping(trustedAt(10000), mochaBlock(10001), opts()))).toBe('bad-header');
  });

  it('refuses going back in height or time, and headers from the future', () => {
    expect(reasonOf(() => verifySkipping(trustedAt(10500), mochaBlock(10000), opts()))).toBe('bad-header');
    const early = new Date('2023-09-07T12:46:00Z'); // before 10001 (12:46:11)
    expect(
      reasonOf(() => verifyAdjacent(trustedAt(10000, opts({ now: early })), mochaBlock(10001), opts({ now: early }))),
    ).toBe('bad-header');
    // a trusted header later than the new one (the new one is not re-dated: that would break its hash)
    const trusted = trustedAt(10000);
    trusted.signedHeader.header.time = { ...mochaBlock(10001).signedHeader.header.time };
    const e = failure(() => verifyAdjacent(trusted, mochaBlock(10001), opts()));
    expect(e.reason).toBe('bad-header');
    expect(e.message).toMatch(/is not after trusted/);
  });

  it('refuses an adjacent header whose validators are not the trusted next validators', () => {
    // 10501's set (3 validators) is not 10000's next set (2 validators)
    const trusted = trustedAt(10000);
    const e = failure(() => verifyLightBlock(trusted, { ...mochaBlock(10501) }, [], opts()));
    expect(e.reason).toBe('bad-header');
    const fake: TrustedBlock = {
      ...trusted,
      signedHeader: { ...trusted.signedHeader, header: { ...trusted.signedHeader.header, height: 10500n } },
    };
    expect(reasonOf(() => verifyAdjacent(fake, mochaBlock(10501), opts()))).toBe('bad-header');
  });

  it('refuses a validator set that does not hash to validators_hash, or a trusted next set that does not', () => {
    const block = mochaBlock(11001);
    block.validators.reverse();
    expect(reasonOf(() => verifyAdjacent(trustedAt(11000), block, opts()))).toBe('bad-header');
    const trusted = trustedAt(10000);
    trusted.nextValidators = mochaBlock(10500).validators;
    expect(reasonOf(() => verifySkipping(trusted, mochaBlock(10500), opts()))).toBe('bad-header');
  });
});

describe('mutations', () => {
  it('every single-bit flip of either signature of 10501 is refused (1024 flips)', () => {
    const trusted = trustedAt(10500);
    const block = mochaBlock(10501);
    let refused = 0;
    for (const sig of block.signedHeader.commit.signatures) {
      if (sig.blockIdFlag !== BlockIdFlag.Commit) continue;
      expect(sig.signature).toHaveLength(64);
      refused += forEachBitFlip(sig.signature, () =>
        expect(reasonOf(() => verifyAdjacent(trusted, block, opts()))).toBe('bad-commit'),
      );
    }
    expect(refused).toBe(1024);
    expect(() => verifyAdjacent(trusted, block, opts())).not.toThrow();
  });

  it('every bit flip of a signature of the 100-validator 157001 is refused, beyond the 2/3 already counted', () => {
    const trusted = trustedAt(157000);
    const block = mochaBlock(157001);
    const signed = block.signedHeader.commit.signatures.filter((s) => s.blockIdFlag === BlockIdFlag.Commit);
    // the last one: a verifier that stopped at 2/3 would never look at it
    const sig = signed.at(-1)?.signature as Uint8Array;
    const flips = forEachBitFlip(
      sig,
      () => expect(reasonOf(() => verifyAdjacent(trusted, block, opts()))).toBe('bad-commit'),
      allBits(sig, 7),
    );
    expect(flips).toBe(74);
  });

  it('every bit flip of a validator public key is refused (10501 signer, trusted set of a skip)', () => {
    const trusted = trustedAt(10500);
    const block = mochaBlock(10501);
    const key = block.validators[0]?.pubKey as Uint8Array;
    // the address no longer derives from the key (and the set no longer hashes to validators_hash)
    const keyFlips = forEachBitFlip(key, () =>
      expect(reasonOf(() => verifyAdjacent(trusted, block, opts()))).toBe('bad-header'),
    );
    expect(keyFlips).toBe(256);
    const anchor = trustedAt(10000);
    const trustedKey = anchor.nextValidators[0]?.pubKey as Uint8Array;
    const trustedKeyFlips = forEachBitFlip(
      trustedKey,
      () => expect(reasonOf(() => verifySkipping(anchor, mochaBlock(10500), opts()))).toBe('bad-header'),
      allBits(trustedKey, 5),
    );
    expect(trustedKeyFlips).toBe(52);
  });

  it('every bit flip of the block id hash, the part set hash or a header field is refused', () => {
    const trusted = trustedAt(10500);
    const block = mochaBlock(10501);
    const { commit, header } = block.signedHeader;
    for (const [name, bytes] of [
      ['block id hash', commit.blockId.hash],
      ['part set header hash', commit.blockId.partSetHeader.hash],
      ['app hash', header.appHash],
      ['data hash', header.dataHash],
      ['next validators hash', header.nextValidatorsHash],
    ] as const) {
      forEachBitFlip(bytes, (bit) =>
        expect(
          reasonOf(() => verifyAdjacent(trusted, block, opts())),
          `${name} bit ${bit}`,
        ).toBe('bad-commit'),
      );
    }
    header.height += 1n;
    expect(reasonOf(() => verifyAdjacent(trusted, block, opts()))).toBe('bad-commit');
    header.height -= 1n;
    commit.round += 1;
    expect(reasonOf(() => verifyAdjacent(trusted, block, opts()))).toBe('bad-commit');
    commit.round -= 1;
    const ts = commit.signatures[0]?.timestamp as { nanos: number };
    ts.nanos += 1;
    expect(reasonOf(() => verifyAdjacent(trusted, block, opts()))).toBe('bad-commit');
    ts.nanos -= 1;
    expect(() => verifyAdjacent(trusted, block, opts())).not.toThrow();
  });

  it('a signature moved to another validator slot, or a duplicated signer, is refused', () => {
    const trusted = trustedAt(10500);
    const block: LightBlock = mochaBlock(10501);
    const sigs = block.signedHeader.commit.signatures;
    [sigs[0], sigs[1]] = [sigs[1] as (typeof sigs)[number], sigs[0] as (typeof sigs)[number]];
    expect(reasonOf(() => verifyAdjacent(trusted, block, opts()))).toBe('bad-commit');
    const skip = mochaBlock(10500);
    const s = skip.signedHeader.commit.signatures;
    s[2] = { ...(s[0] as (typeof s)[number]) };
    expect(reasonOf(() => verifySkipping(trustedAt(10000), skip, opts()))).toBe('bad-commit');
  });
});
