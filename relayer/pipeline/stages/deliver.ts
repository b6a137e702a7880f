/**
 * deliver: submits a signed batch to its destination (one message: receiveMessage; more: receiveBatch).
 * BullMQ runs a job at least once, and several nodes may hold the same batch, so the chain is asked
 * first whether it was delivered already; a submission that races another one and loses is fine.
 *
 * Delivered means final on the destination: consumed at the RPC's head only holds back a re-send (someone's
 * delivery landed), and the job waits until the destination's final state holds it too, or until a reorg
 * has undone it, and then delivers again.
 */
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { Hex } from 'viem';
import { type ChainAdapter, DeliveryRevertedError } from '../../chains/adapter.js';
import type { PipelineContext } from '../context.js';
import { type ConfirmJob, type DeliverJob, deliveryJobId } from '../queues.js';
import type { BatchRecord } from '../store.js';
import { withTimeout } from '../timeout.js';

/** The bridge's replay protection: a delivery of what is consumed already reverts with one of these. */
const ALREADY = new Set(['MessageAlreadyConsumed', 'BatchAlreadyDelivered']);
/** Longest wait for one chain call before the job fails and is retried. */
export const CHAIN_CALL_TIMEOUT_MS = 60_000;
/** Shortest pause between two looks at a delivery that is in but not final yet. */
const FINALITY_POLL_MS = 200;

/**
 * Where the destination stands on a batch: `final` (every message consumed in its final state: delivered),
 * `head` (consumed at the head, not all final yet: a delivery is in, and a reorg may still undo it) or
 * `open` (some message not consumed: it needs a delivery).
 */
export type DeliveryStatus = 'final' | 'head' | 'open';

export async function deliveryStatus(chain: ChainAdapter, ids: Hex[]): Promise<DeliveryStatus> {
  // the final state is an ancestor of the head and consumption is never undone on one chain: not consumed at the
  // head means not final either, and that one look is all a first delivery costs
  const head = await withTimeout(
    Promise.all(ids.map((id) => chain.isDelivered(id))),
    CHAIN_CALL_TIMEOUT_MS,
    `delivery check on ${chain.name}`,
  );
  if (!head.every(Boolean)) return 'open';
  const final = await withTimeout(
    chain.deliveredFinal(ids),
    CHAIN_CALL_TIMEOUT_MS,
    `final delivery check on ${chain.name}`,
  );
  return final.every(Boolean) ? 'final' : 'head';
}

/**
 * Counts a batch delivered (its messages move to delivered; call only once the destination's final state holds
 * them) and notes it among the recent deliveries that reconciliation re-checks.
 */
export async function markDelivered(ctx: PipelineContext, batch: BatchRecord, tx?: Hex): Promise<void> {
  await ctx.store.noteDelivered(batch.destinationChain, batch.root);
  for (const id of batch.ids) {
    const record = await ctx.store.get(id);
    if (!record || record.stage === 'delivered') continue;
    await ctx.store.advance(id, 'delivered', { deliveryTx: tx ?? record.deliveryTx });
    ctx.metrics.messages.inc({ stage: 'delivered' });
    if (record.observedAt)
      ctx.metrics.stageLatency.observe({ stage: 'end_to_end' }, (Date.now() - record.observedAt) / 1000);
  }
}

/** The job goes back to wait, without spending an attempt, and looks at the destination again when it wakes. */
export async function waitForDestination(job: Job, token: string | undefined, chain: ChainAdapter): Promise<never> {
  await job.moveToDelayed(Date.now() + Math.max(FINALITY_POLL_MS, chain.pollIntervalMs), token);
  throw new DelayedError();
}

export function deliverStage(ctx: PipelineContext) {
  return async (job: Job<DeliverJob>, token?: string) => {
    const batch = await ctx.store.getBatch(job.data.root);
    if (!batch) throw new UnrecoverableError(`unknown batch ${job.data.root}`);
    const chain = ctx.adapters.get(batch.destinationChain);
    if (!chain) throw new UnrecoverableError(`no adapter for chain ${batch.destinationChain}`);
    const status = await deliveryStatus(chain, batch.ids);
    if (status === 'final') {
      await markDelivered(ctx, batch);
      return;
    }
    // someone's delivery is in: sending another would only revert; wait until it is final (or undone)
    if (status === 'head') return waitForDestination(job, token, chain);
    let tx: Hex;
    try {
      tx = await withTimeout(chain.deliver(batch), CHAIN_CALL_TIMEOUT_MS, `delivery to ${chain.name}`);
    } catch (e) {
      // the replay protection refused it: another delivery got there first, which is success, not a failure;
      // it counts once final, like any other
      if (e instanceof DeliveryRevertedError && ALREADY.has(e.reason)) return waitForDestination(job, token, chain);
      throw e;
    }
    for (const id of batch.ids) await ctx.store.advance(id, 'submitted', { deliveryTx: tx });
    ctx.log('deliver.submitted', { root: batch.root, tx, messages: batch.ids.length, round: job.data.round });
    const confirm: ConfirmJob = { root: batch.root, tx, round: job.data.round };
    await ctx.queue('confirm', batch.destinationChain).add('confirm', confirm, { jobId: deliveryJobId(confirm, tx) });
  };
}
