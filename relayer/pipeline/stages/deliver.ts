/**
 * deliver: submits a signed batch to its destination (one message: receiveMessage; more: receiveBatch).
 * BullMQ runs a job at least once, and several nodes may hold the same batch, so the chain is asked
 * first whether it was delivered already; a submission that races another one and loses is fine.
 *
 * Delivered means final on the destination: consumed at the RPC's head only holds back a re-send (someone's
 * delivery landed), and the job waits until the destination's final state holds it too, or until a reorg
 * has undone it, and then delivers again.
 */
import { type Job, UnrecoverableError } from 'bullmq';
import type { Hex } from 'viem';
import { DeliveryRevertedError } from '../../chains/adapter.js';
import type { PipelineContext } from '../context.js';
import { deliveryStatus, waitForDestination } from '../destination.js';
import type { DeliverJob } from '../queues.js';
import { CHAIN_CALL_TIMEOUT_MS } from '../stageConfig.js';
import { withTimeout } from '../timeout.js';
import { markDelivered, markSubmitted } from '../transitions.js';

/** The bridge's replay protection: a delivery of what is consumed already reverts with one of these. */
const ALREADY = new Set(['MessageAlreadyConsumed', 'BatchAlreadyDelivered']);

export function deliverStage(ctx: PipelineContext) {
  return async (job: Job<DeliverJob>, token?: string) => {
    const batch = await ctx.store.getBatch(job.data.root);
    if (!batch) throw new UnrecoverableError(`unknown batch ${job.data.root}`);
    const chain = ctx.adapters.get(batch.destinationChain);
    if (!chain) throw new UnrecoverableError(`no adapter for chain ${batch.destinationChain}`);
    const status = await deliveryStatus(chain, batch);
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
    await markSubmitted(ctx, batch, tx, job.data.round);
  };
}
