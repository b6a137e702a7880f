/**
 * sign: the coordinator of a batch key (consecutive nonces, one source, one destination) gathers the
 * verified messages waiting under that key and runs a FROST session for them; the other nodes wait
 * for its signature and take over in turn if it does not come. Each peer signs only what it verified.
 */
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { Hex } from 'viem';
import { SigningFailedError } from '../../signer/coordinator.js';
import { batchKey, ranking } from '../../signer/ranking.js';
import type { PipelineContext } from '../context.js';
import type { BatchRecord } from '../store.js';
import { recordSignedBatch } from './signed.js';

const NOT_READY_RETRY_MS = 150;

export function signStage(ctx: PipelineContext) {
  return async (job: Job<{ id: Hex }>, token?: string) => {
    const m = await ctx.store.get(job.data.id);
    if (!m) throw new UnrecoverableError(`unknown message ${job.data.id}`);
    if (m.stage !== 'verified') return; // signed already (by us or a peer), or rejected
    const key = batchKey(m);
    const order = ranking(key, ctx.operators);
    const slotMs = ctx.config.timeouts.coordinatorMs;
    const since = m.verifiedAt ?? Date.now();
    const slot = Math.floor((Date.now() - since) / slotMs);
    if (order[slot % order.length] !== ctx.operatorId) {
      // not our turn: wake up at our next slot; by then the coordinator's signature has usually arrived
      let next = slot + 1;
      while (order[next % order.length] !== ctx.operatorId) next++;
      await job.moveToDelayed(since + next * slotMs, token);
      throw new DelayedError();
    }
    const waiting = await ctx.store.pending(key, ctx.config.batch.maxMessages);
    const ids = waiting.includes(m.id) ? waiting : [m.id, ...waiting.slice(0, ctx.config.batch.maxMessages - 1)];
    try {
      const result = await ctx.coordinator.sign(ctx.currentKey(), m.destinationChain, ids);
      const messages = await Promise.all(result.ids.map(async (id) => (await ctx.store.get(id))?.message as Hex));
      const batch: BatchRecord = {
        root: result.root,
        destinationChain: m.destinationChain,
        epoch: ctx.currentKey().epoch,
        signature: result.signature,
        ids: result.ids,
        messages,
        coordinator: ctx.operatorId,
        signers: result.signers,
      };
      await recordSignedBatch(ctx, batch, true);
      broadcast(ctx, batch);
      ctx.log('sign.ok', { root: result.root, messages: result.ids.length, signers: result.signers });
      if (!result.ids.includes(m.id)) {
        await job.moveToDelayed(Date.now() + NOT_READY_RETRY_MS, token);
        throw new DelayedError();
      }
    } catch (e) {
      if (e instanceof SigningFailedError && e.notReady.length > 0) {
        // peers have not seen these messages yet: try again shortly, without spending an attempt
        await job.moveToDelayed(Date.now() + NOT_READY_RETRY_MS, token);
        throw new DelayedError();
      }
      throw e;
    }
  };
}

function broadcast(ctx: PipelineContext, batch: BatchRecord): void {
  for (const operator of ctx.operators) {
    if (operator === ctx.operatorId) continue;
    ctx.peers
      .post(operator, '/peer/v1/signed', batch)
      .catch((e: Error) => ctx.log('sign.broadcast_failed', { operator, error: e.message }));
  }
}
