/**
 * A chain call that never answers must not hold a stage's worker forever (a worker runs one job at a
 * time per destination for delivery): after `ms` the job fails and BullMQ retries it.
 */
export class ChainCallTimeoutError extends Error {
  override name = 'ChainCallTimeoutError';
}

export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ChainCallTimeoutError(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
