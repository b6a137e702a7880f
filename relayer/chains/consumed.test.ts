import { describe, expect, it } from 'vitest';
import { bitIsSet, consumedByWords, type MessageRef, wordIndexOf } from './consumed.js';

const ref = (sourceChain: number, nonce: bigint): MessageRef => ({ id: `0x${'00'.repeat(32)}`, sourceChain, nonce });

describe('consumed bitmaps (PROTOCOL.md §2)', () => {
  it('bit i of word nonce >> 8 is nonce & 255, across the word boundary', () => {
    expect([0n, 255n, 256n, 511n, 512n, 2n ** 64n - 1n].map(wordIndexOf)).toEqual([0n, 0n, 1n, 1n, 2n, 2n ** 56n - 1n]);
    expect(bitIsSet(1n, 0n)).toBe(true);
    expect(bitIsSet(1n << 255n, 255n)).toBe(true);
    expect(bitIsSet(1n << 255n, 511n)).toBe(true);
    expect(bitIsSet(1n << 255n, 256n)).toBe(false);
  });

  it('reads each (source, word) once, and answers each reference from its own source', async () => {
    const asked: string[] = [];
    const words = new Map([
      ['7/0', (1n << 3n) | (1n << 255n)],
      ['7/1', 1n],
      ['8/0', 1n << 4n],
    ]);
    const refs = [ref(7, 3n), ref(7, 4n), ref(7, 255n), ref(7, 256n), ref(8, 3n), ref(8, 4n), ref(7, 3n)];
    const got = await consumedByWords(refs, async (ws) => {
      asked.push(...ws.map((w) => `${w.sourceChain}/${w.wordIndex}`));
      return ws.map((w) => words.get(`${w.sourceChain}/${w.wordIndex}`) ?? 0n);
    });
    expect(got).toEqual([true, false, true, true, false, true, true]);
    expect(asked.sort()).toEqual(['7/0', '7/1', '8/0']);
    expect(await consumedByWords([], async () => [])).toEqual([]);
  });
});
