/**
 * confirm: waits until the delivery transaction is final on the destination. A transaction that
 * reverted or vanished (reorg, dropped) sends the batch back to deliver, unless the messages were
 * delivered by someone else meanwhile.
 */
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { Hex } from 'viem';
import type { PipelineContext } from '../context.js';
import { jobId } from '../queues.js';
import { withTimeout } from '../timeout.js';
import { CHAIN_CALL_TIMEOUT_MS, markDelivered } from './deliver.js';

const POLL_MS = 200;
/** A transaction still unknown after this long is treated as dropped. */
const PENDING_LIMIT_MS = 120_000;

export function confirmStage(ctx: PipelineContext) {
  return async (job: Job<{ root: Hex; tx: Hex }>, token?: string) => {
    const batch = await ctx.store.getBatch(job.data.root);
    if (!batch) throw new UnrecoverableError(`unknown batch ${job.data.root}`);
    const chain = ctx.adapters.get(batch.destinationChain);
    if (!chain) throw new UnrecoverableError(`no adapter for chain ${batch.destinationChain}`);
    const state = await withTimeout(chain.deliveryState(job.data.tx), CHAIN_CALL_TIMEOUT_MS, `state of ${job.data.tx}`);
    const waitMore = async () => {
      await job.moveToDelayed(Date.now() + POLL_MS, token);
      throw new DelayedError();
    };
    if (state.state === 'included' && state.final) {
      await markDelivered(ctx, batch.ids, job.data.tx);
      // tell the others, so their takeover jobs stand down and their APIs show the delivery now
      for (const operator of ctx.operators)
        if (operator !== ctx.operatorId)
          ctx.peers
            .post(operator, '/peer/v1/delivered', { root: batch.root, tx: job.data.tx })
            .catch((e: Error) => ctx.log('confirm.broadcast_failed', { operator, error: e.message }));
      return;
    }
    if (state.state === 'included' || (state.state === 'pending' && Date.now() - job.timestamp < PENDING_LIMIT_MS))
      return waitMore();
    // reverted, dropped or reorged out
    const done = await withTimeout(
      Promise.all(batch.ids.map((id) => chain.isDelivered(id))),
      CHAIN_CALL_TIMEOUT_MS,
      `delivery check on ${chain.name}`,
    );
    if (done.every(Boolean)) {
      await markDelivered(ctx, batch.ids);
      return;
    }
    ctx.log('confirm.resend', { root: batch.root, tx: job.data.tx, state: state.state });
    await ctx
      .queue('deliver', batch.destinationChain)
      .add('deliver', { root: batch.root }, { jobId: jobId(batch.root, 'resend', job.data.tx) });
  };
}
