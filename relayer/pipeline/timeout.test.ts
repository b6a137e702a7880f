import { describe, expect, it } from 'vitest';
import { ChainCallTimeoutError, withTimeout } from './timeout.js';

describe('withTimeout', () => {
  it('passes a timely answer (or failure) through', async () => {
    await expect(withTimeout(Promise.resolve(7), 50, 'x')).resolves.toBe(7);
    await expect(withTimeout(Promise.reject(new Error('boom')), 50, 'x')).rejects.toThrow('boom');
  });

  it('fails a call that never answers, by name and with what it was', async () => {
    const never = new Promise<number>(() => {});
    const e = await withTimeout(never, 20, 'deliver to 10003').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ChainCallTimeoutError);
    expect((e as Error).message).toBe('deliver to 10003: no answer within 20 ms');
  });
});
