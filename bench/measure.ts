/**
 * The timing loop of the in-process benchmarks: `warmup` untimed calls, then calls until `ms` have
 * passed (the last call may run past it); the rate is over the time actually spent.
 */
export function rate(f: () => void, ms: number, warmup: number): { perSecond: number; runs: number } {
  for (let i = 0; i < warmup; i++) f();
  let runs = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    f();
    runs++;
    elapsed = performance.now() - start;
  }
  return { perSecond: (runs * 1000) / elapsed, runs };
}
