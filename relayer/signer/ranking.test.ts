import { describe, expect, it } from 'vitest';
import { BATCH_SPAN, batchKey, ranking, turn } from './ranking.js';

describe('deterministic roles', () => {
  const operators = [1, 2, 3, 4, 5];

  it('every node computes the same ranking, a permutation of the operators, whatever order it lists them in', () => {
    const a = ranking('10001-10002-0', operators);
    expect(ranking('10001-10002-0', [5, 3, 1, 4, 2])).toEqual(a);
    expect([...a].sort()).toEqual(operators);
  });

  it('spreads coordination across operators over batch keys', () => {
    const firsts = new Set(Array.from({ length: 50 }, (_, k) => ranking(`10001-10002-${k}`, operators)[0]));
    expect(firsts.size).toBe(5);
  });

  it('consecutive nonces share a batch key; the key changes every BATCH_SPAN nonces and per route', () => {
    const m = (nonce: bigint) => ({ sourceChain: 10001, destinationChain: 10002, nonce });
    expect(batchKey(m(0n))).toBe(batchKey(m(BATCH_SPAN - 1n)));
    expect(batchKey(m(BATCH_SPAN))).not.toBe(batchKey(m(0n)));
    expect(batchKey({ ...m(1n), destinationChain: 10003 })).not.toBe(batchKey(m(1n)));
  });

  it('the turn moves to the next operator of the ranking every slot, and wraps around', () => {
    const order = ranking('k', operators);
    expect(turn('k', operators, 0, 1000)).toBe(order[0]);
    expect(turn('k', operators, 999, 1000)).toBe(order[0]);
    expect(turn('k', operators, 1000, 1000)).toBe(order[1]);
    expect(turn('k', operators, 5000, 1000)).toBe(order[0]);
  });
});
