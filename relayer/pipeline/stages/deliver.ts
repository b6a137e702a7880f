/**
 * deliver: submits a signed batch to its destination (one message: receiveMessage; more: receiveBatch).
 * BullMQ runs a job at least once, and several nodes may hold the same batch, so the chain is asked
 * first whether it was delivered already; a submission that races another one and loses is fine.
 */
import { type Job, UnrecoverableError } from 'bullmq';
import type { Hex } from 'viem';
import { DeliveryRevertedError } from '../../chains/adapter.js';
import type { PipelineContext } from '../context.js';
import { jobId } from '../queues.js';
import { withTimeout } from '../timeout.js';

const ALREADY = new Set(['MessageAlreadyConsumed', 'BatchAlreadyDelivered']);
/** Longest wait for one chain call before the job fails and is retried. */
export const CHAIN_CALL_TIMEOUT_MS = 60_000;

export async function markDelivered(ctx: PipelineContext, ids: Hex[], tx?: Hex): Promise<void> {
  for (const id of ids) {
    const record = await ctx.store.get(id);
    if (!record || record.stage === 'delivered') continue;
    await ctx.store.advance(id, 'delivered', { deliveryTx: tx ?? record.deliveryTx });
    ctx.metrics.messages.inc({ stage: 'delivered' });
    if (record.observedAt)
      ctx.metrics.stageLatency.observe({ stage: 'end_to_end' }, (Date.now() - record.observedAt) / 1000);
  }
}

export function deliverStage(ctx: PipelineContext) {
  return async (job: Job<{ root: Hex }>) => {
    const batch = await ctx.store.getBatch(job.data.root);
    if (!batch) throw new UnrecoverableError(`unknown batch ${job.data.root}`);
    const chain = ctx.adapters.get(batch.destinationChain);
    if (!chain) throw new UnrecoverableError(`no adapter for chain ${batch.destinationChain}`);
    const done = await withTimeout(
      Promise.all(batch.ids.map((id) => chain.isDelivered(id))),
      CHAIN_CALL_TIMEOUT_MS,
      `delivery check on ${chain.name}`,
    );
    if (done.every(Boolean)) {
      await markDelivered(ctx, batch.ids);
      return;
    }
    let tx: Hex;
    try {
      tx = await withTimeout(chain.deliver(batch), CHAIN_CALL_TIMEOUT_MS, `delivery to ${chain.name}`);
    } catch (e) {
      if (e instanceof DeliveryRevertedError && ALREADY.has(e.reason)) {
        await markDelivered(ctx, batch.ids);
        return;
      }
      throw e;
    }
    for (const id of batch.ids) await ctx.store.advance(id, 'submitted', { deliveryTx: tx });
    ctx.log('deliver.submitted', { root: batch.root, tx, messages: batch.ids.length });
    await ctx
      .queue('confirm', batch.destinationChain)
      .add('confirm', { root: batch.root, tx }, { jobId: jobId(batch.root, tx) });
  };
}
