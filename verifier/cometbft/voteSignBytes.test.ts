/** Canonical precommit sign bytes against CometBFT's own vectors (types/vote_test.go). */
import { describe, expect, it } from 'vitest';
import type { BlockId } from './lightBlock.js';
import { sharedCometbftJson } from './testdata/fixtures.js';
import { voteSignBytes } from './voteSignBytes.js';

interface Vectors {
  cases: { chain_id: string; vote: { height?: number; round?: number; type?: number }; sign_bytes_hex: string }[];
}

// Go's zero time.Time, what a vote without a timestamp carries
const ZERO_TIME = { seconds: -62135596800n, nanos: 0 };

describe('vote sign bytes', () => {
  const { cases } = sharedCometbftJson<Vectors>('vote_sign_bytes_vectors.json');

  it.each(cases.map((c, i) => [i, c] as const))('matches CometBFT vector %i', (_, c) => {
    const bytes = voteSignBytes({
      type: c.vote.type ?? 0,
      height: BigInt(c.vote.height ?? 0),
      round: BigInt(c.vote.round ?? 0),
      timestamp: ZERO_TIME,
      chainId: c.chain_id,
    });
    expect(Buffer.from(bytes).toString('hex')).toBe(c.sign_bytes_hex);
  });

  it('writes the block id of a vote for a block, and omits it for a vote for nil', () => {
    const blockId: BlockId = {
      hash: new Uint8Array(32).fill(1),
      partSetHeader: { total: 1, hash: new Uint8Array(32) },
    };
    const vote = { type: 2, height: 5n, round: 0n, timestamp: { seconds: 1n, nanos: 2 }, chainId: 'c' };
    const nil = voteSignBytes(vote);
    const forBlock = voteSignBytes({ ...vote, blockId });
    // 0x22: field 4, length-delimited; hash (2 + 32) and part set header (2 + 2 + 2 + 32)
    expect(forBlock.length - nil.length).toBe(2 + 34 + 38);
    expect(Buffer.from(forBlock).includes(Buffer.from([0x22, 72]))).toBe(true);
    // round 0 is the proto3 default: omitted, like height and type would be
    expect(Buffer.from(nil).toString('hex')).toBe('140802110500000000000000' + '2a0408011002' + '320163');
  });
});
