/**
 * The stages of a message's life, one BullMQ queue per stage and destination chain:
 *
 *   watch (per source chain, a loop) -> verify -> sign -> deliver -> confirm
 *
 * Job ids are message ids (verify, sign) or batch roots (deliver, confirm), so the same work added twice
 * collapses into one job. Retries back off exponentially with jitter; a job that keeps failing ends
 * "parked" in the store and the API instead of disappearing.
 */
import type { JobsOptions } from 'bullmq';

export const STAGE_NAMES = ['verify', 'sign', 'deliver', 'confirm'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export function queueName(stage: StageName, destinationChain: number): string {
  return `${stage}-${destinationChain}`;
}

export function jobOptions(attempts: number, baseDelayMs: number): JobsOptions {
  return {
    attempts,
    backoff: { type: 'exponential', delay: baseDelayMs, jitter: 0.5 },
    // keep finished jobs a while so a duplicate add() within the hour still collapses into them
    removeOnComplete: { age: 3600, count: 100_000 },
    removeOnFail: false,
  };
}

/** BullMQ job ids may not contain ':'; ours are hex, and retries of a batch get a suffix. */
export function jobId(...parts: (string | number)[]): string {
  return parts.join('-');
}
