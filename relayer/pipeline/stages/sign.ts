/**
 * sign: one job per batch key (consecutive nonces, one source, one destination) and short time window,
 * so a burst of messages makes a few signing jobs, not one per message. The key's coordinator gathers
 * the verified messages waiting under it and runs a FROST session for up to batch.maxMessages of them at
 * a time; the other nodes wait for its signature and take over in turn if it does not come (or stop
 * waiting at once if they see it at work). Each peer signs only what it verified itself.
 */
import { DelayedError, type Job } from 'bullmq';
import type { Hex } from 'viem';
import { SigningFailedError } from '../../signer/coordinator.js';
import { ranking } from '../../signer/ranking.js';
import type { PipelineContext } from '../context.js';
import { jobId } from '../queues.js';
import type { BatchRecord, MessageRecord } from '../store.js';
import { recordSignedBatch } from './signed.js';

const NOT_READY_RETRY_MS = 150;
/** Verifications of one batch key within this window share a sign job. */
const WINDOW_MS = 250;

export interface SignJob {
  batchKey: string;
  destinationChain: number;
}

/** Queues (or joins) the sign job of a batch key. */
export async function queueSigning(ctx: PipelineContext, batchKey: string, destinationChain: number): Promise<void> {
  const window = Math.floor(Date.now() / WINDOW_MS);
  await ctx
    .queue('sign', destinationChain)
    .add('sign', { batchKey, destinationChain } satisfies SignJob, { jobId: jobId('k', batchKey, window), delay: 50 });
}

export function signStage(ctx: PipelineContext) {
  // one session at a time per batch key on this node
  const sessions = new Map<string, Promise<unknown>>();
  return async (job: Job<SignJob>, token?: string) => {
    const { batchKey: key, destinationChain } = job.data;
    await sessions.get(key)?.catch(() => undefined);
    while (true) {
      const ids = await ctx.store.pending(key, ctx.config.batch.maxMessages);
      if (ids.length === 0) return;
      const records = (await Promise.all(ids.map((id) => ctx.store.get(id)))).filter(
        (r): r is MessageRecord => r?.stage === 'verified',
      );
      if (records.length === 0) {
        await ctx.store.removePending(key, ids);
        continue;
      }
      const wait = waitBeforeCoordinating(ctx, key, records);
      if (wait > 0) {
        await job.moveToDelayed(Date.now() + wait, token);
        throw new DelayedError();
      }
      const session = ctx.coordinator.sign(
        ctx.currentKey(),
        destinationChain,
        records.map((r) => r.id),
      );
      sessions.set(key, session);
      try {
        const result = await session;
        const byId = new Map(records.map((r) => [r.id.toLowerCase(), r.message]));
        const batch: BatchRecord = {
          root: result.root,
          destinationChain,
          epoch: ctx.currentKey().epoch,
          signature: result.signature,
          ids: result.ids,
          messages: result.ids.map((id) => byId.get(id.toLowerCase()) as Hex),
          coordinator: ctx.operatorId,
          signers: result.signers,
        };
        await recordSignedBatch(ctx, batch, true);
        broadcast(ctx, batch);
        ctx.log('sign.ok', { root: result.root, messages: result.ids.length, signers: result.signers });
      } catch (e) {
        if (e instanceof SigningFailedError && e.notReady.length > 0) {
          // peers have not verified these yet: try again shortly, without spending an attempt
          await job.moveToDelayed(Date.now() + NOT_READY_RETRY_MS, token);
          throw new DelayedError();
        }
        throw e;
      } finally {
        if (sessions.get(key) === session) sessions.delete(key);
      }
    }
  };
}

/**
 * 0 when this node should coordinate now; otherwise how long to wait. The coordinator of slot k of a
 * batch key is the k-th operator of its ranking, slots counted from the oldest waiting message's
 * verification; a coordinator ranked before this node and seen at work recently (its commit requests)
 * is left to finish.
 */
function waitBeforeCoordinating(ctx: PipelineContext, key: string, records: MessageRecord[]): number {
  const slotMs = ctx.config.timeouts.coordinatorMs;
  const now = Date.now();
  const order = ranking(key, ctx.operators);
  const myRank = order.indexOf(ctx.operatorId);
  // defer only to a coordinator ranked before us that was at work moments ago: it is alive, let it finish
  const deferTo = records.find(
    (r) =>
      r.claimedBy !== undefined &&
      order.indexOf(r.claimedBy) < myRank &&
      order.indexOf(r.claimedBy) >= 0 &&
      now - (r.claimedAt ?? 0) < 2 * slotMs,
  );
  if (deferTo) return slotMs;
  const since = Math.min(...records.map((r) => r.verifiedAt ?? now));
  const slot = Math.floor((now - since) / slotMs);
  if (order[slot % order.length] === ctx.operatorId) return 0;
  let next = slot + 1;
  while (order[next % order.length] !== ctx.operatorId) next++;
  return since + next * slotMs - now;
}

function broadcast(ctx: PipelineContext, batch: BatchRecord): void {
  for (const operator of ctx.operators) {
    if (operator === ctx.operatorId) continue;
    ctx.peers
      .post(operator, '/peer/v1/signed', batch)
      .catch((e: Error) => ctx.log('sign.broadcast_failed', { operator, error: e.message }));
  }
}
