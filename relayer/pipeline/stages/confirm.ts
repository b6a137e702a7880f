/**
 * confirm: waits until the delivery is final on the destination: its transaction in a final block and the
 * bridge's final state holding every message as consumed. Only then are the messages delivered, and the peers
 * told. A transaction that reverted or vanished (reorg, dropped) sends the batch back to deliver, unless the
 * messages were delivered by someone else meanwhile (then this waits for that delivery to be final instead).
 */
import { type Job, UnrecoverableError } from 'bullmq';
import { batchRefs } from '../../chains/consumed.js';
import type { PipelineContext } from '../context.js';
import { deliveryStatus, waitForDestination } from '../destination.js';
import { type ConfirmJob, type DeliverJob, deliveryJobId } from '../queues.js';
import { CHAIN_CALL_TIMEOUT_MS, PENDING_LIMIT_MS } from '../stageConfig.js';
import { withTimeout } from '../timeout.js';
import { announceDelivered, markDelivered } from '../transitions.js';

export function confirmStage(ctx: PipelineContext) {
  return async (job: Job<ConfirmJob>, token?: string) => {
    const batch = await ctx.store.getBatch(job.data.root);
    if (!batch) throw new UnrecoverableError(`unknown batch ${job.data.root}`);
    const chain = ctx.adapters.get(batch.destinationChain);
    if (!chain) throw new UnrecoverableError(`no adapter for chain ${batch.destinationChain}`);
    const state = await withTimeout(chain.deliveryState(job.data.tx), CHAIN_CALL_TIMEOUT_MS, `state of ${job.data.tx}`);
    if (state.state === 'included' && state.final) {
      // the block is final; the bridge's final state is what counts, read from one final block
      const final = await withTimeout(
        chain.deliveredFinal(batchRefs(batch)),
        CHAIN_CALL_TIMEOUT_MS,
        `final delivery check on ${chain.name}`,
      );
      if (!final.every(Boolean)) return waitForDestination(job, token, chain);
      await markDelivered(ctx, batch, { tx: job.data.tx });
      // tell the others, so their takeover jobs stand down and their APIs show the delivery now
      announceDelivered(ctx, batch, job.data.tx);
      return;
    }
    if (state.state === 'included' || (state.state === 'pending' && Date.now() - job.timestamp < PENDING_LIMIT_MS))
      return waitForDestination(job, token, chain);
    // reverted (the replay protection refuses a second delivery: someone else's landed first), dropped or
    // reorged out: what the destination holds decides
    const status = await deliveryStatus(chain, batch);
    if (status === 'final') {
      // someone else's delivery counted; this node's own transaction did not deliver them
      await markDelivered(ctx, batch, { staleTx: job.data.tx });
      return;
    }
    if (status === 'head') return waitForDestination(job, token, chain);
    ctx.log('confirm.resend', { root: batch.root, tx: job.data.tx, state: state.state, round: job.data.round });
    const { round } = job.data;
    const resend: DeliverJob = { root: batch.root, ...(round === undefined ? {} : { round }) };
    await ctx
      .queue('deliver', batch.destinationChain)
      .add('deliver', resend, { jobId: deliveryJobId(resend, 'resend', job.data.tx) });
  };
}
