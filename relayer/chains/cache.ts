/**
 * Short-lived memoization of chain reads that a burst asks for many times at once: the final height (every
 * verification asks) and a block's receipts or events (every message of the block asks). The promise itself is
 * kept, so concurrent callers share one request; a failed fetch is forgotten at once so the next caller retries.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { at: number; value: Promise<V> }>();

  constructor(private readonly ttlMs: number) {}

  get(key: K, fetch: () => Promise<V>): Promise<V> {
    const now = Date.now();
    for (const [k, entry] of this.entries) if (now - entry.at >= this.ttlMs) this.entries.delete(k);
    const cached = this.entries.get(key);
    if (cached) return cached.value;
    const value = fetch();
    const entry = { at: now, value };
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }
}

/** The final height is asked by every verification: a few milliseconds of reuse spare thousands of calls. */
export const FINAL_HEIGHT_TTL_MS = 50;
/** A block's receipts or events are asked by each of its messages while a burst is verified. */
export const BLOCK_TTL_MS = 10_000;
