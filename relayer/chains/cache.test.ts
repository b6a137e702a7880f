import { describe, expect, it } from 'vitest';
import { TtlCache } from './cache.js';

describe('TtlCache', () => {
  it('shares one fetch among concurrent callers until the entry expires', async () => {
    const cache = new TtlCache<string, number>(40);
    let calls = 0;
    const fetch = async () => ++calls;
    expect(await Promise.all([cache.get('a', fetch), cache.get('a', fetch), cache.get('a', fetch)])).toEqual([1, 1, 1]);
    expect(await cache.get('b', fetch)).toBe(2);
    await new Promise((r) => setTimeout(r, 50));
    expect(await cache.get('a', fetch)).toBe(3);
  });

  it('forgets a failed fetch so the next caller retries', async () => {
    const cache = new TtlCache<number, string>(10_000);
    await expect(cache.get(1, () => Promise.reject(new Error('rpc down')))).rejects.toThrow('rpc down');
    expect(await cache.get(1, async () => 'ok')).toBe('ok');
  });
});
