/**
 * The stages of a message's life, one BullMQ queue per stage and destination chain:
 *
 *   watch (per source chain, a loop) -> verify -> sign -> deliver -> confirm
 *
 * Job ids are message ids (verify, sign) or batch roots (deliver, confirm), so the same work added twice
 * collapses into one job. Retries back off exponentially with jitter; a job that keeps failing ends
 * "parked" in the store and the API instead of disappearing.
 *
 * Reconciliation (stages/reconcile.ts, a timer per destination chain, no queue of its own) re-checks the
 * recent deliveries on the destination's final state and queues a re-send to deliver for what a reorg undid.
 */
import type { JobsOptions } from 'bullmq';
import type { Hex } from 'viem';

export interface DeliverJob {
  root: Hex;
  /**
   * The re-send round after a reorg (none: the first delivery). It goes into the ids of the jobs that follow,
   * so they do not collapse into the finished jobs of an earlier round: a re-sent transaction can even have
   * the hash of the one the reorg dropped (same wallet nonce, same call).
   */
  round?: number;
}

export interface ConfirmJob extends DeliverJob {
  tx: Hex;
}

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

/** The id of a job of a batch's delivery: the parts, then the re-send round if there is one. */
export function deliveryJobId(job: DeliverJob, ...parts: (string | number)[]): string {
  return job.round === undefined ? jobId(job.root, ...parts) : jobId(job.root, ...parts, 'r', job.round);
}
