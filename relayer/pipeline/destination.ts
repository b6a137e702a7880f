/**
 * What a batch's destination holds: the deliver and confirm stages and the peer route that hears of a
 * delivery all decide from it, never from a peer's word or the chain's head alone.
 */
import { DelayedError, type Job } from 'bullmq';
import type { Hex } from 'viem';
import type { ChainAdapter } from '../chains/adapter.js';
import { batchRefs } from '../chains/consumed.js';
import { CHAIN_CALL_TIMEOUT_MS, FINALITY_POLL_MS } from './stageConfig.js';
import { withTimeout } from './timeout.js';

/**
 * Where the destination stands on a batch: `final` (every message consumed in its final state: delivered),
 * `head` (consumed at the head, not all final yet: a delivery is in, and a reorg may still undo it) or
 * `open` (some message not consumed: it needs a delivery).
 */
export type DeliveryStatus = 'final' | 'head' | 'open';

export async function deliveryStatus(
  chain: ChainAdapter,
  batch: { ids: Hex[]; messages: Hex[] },
): Promise<DeliveryStatus> {
  const refs = batchRefs(batch);
  // the final state is an ancestor of the head and consumption is never undone on one chain: not consumed at the
  // head means not final either, and that one look is all a first delivery costs
  const head = await withTimeout(
    Promise.all(refs.map((r) => chain.isDelivered(r))),
    CHAIN_CALL_TIMEOUT_MS,
    `delivery check on ${chain.name}`,
  );
  if (!head.every(Boolean)) return 'open';
  const final = await withTimeout(
    chain.deliveredFinal(refs),
    CHAIN_CALL_TIMEOUT_MS,
    `final delivery check on ${chain.name}`,
  );
  return final.every(Boolean) ? 'final' : 'head';
}

/** The job goes back to wait, without spending an attempt, and looks at the destination again when it wakes. */
export async function waitForDestination(job: Job, token: string | undefined, chain: ChainAdapter): Promise<never> {
  await job.moveToDelayed(Date.now() + Math.max(FINALITY_POLL_MS, chain.pollIntervalMs), token);
  throw new DelayedError();
}
