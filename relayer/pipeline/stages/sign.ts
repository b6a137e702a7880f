/**
 * sign: jobs per batch key (consecutive nonces, one source, one destination), at most one waiting at a
 * time, so a burst of messages makes a few signing jobs, not one per message. The key's coordinator gathers
 * the verified messages waiting under it and runs a FROST session for up to batch.maxMessages of them at
 * a time; the other nodes wait for its signature and take over in turn if it does not come (or stop
 * waiting at once if they see it at work). Each peer signs only what it verified itself.
 */
import type { Job } from 'bullmq';
import type { Hex } from 'viem';
import { SigningFailedError } from '../../signer/coordinator.js';
import { ranking } from '../../signer/ranking.js';
import type { PipelineContext } from '../context.js';
import type { SignJob } from '../signingQueue.js';
import { ACCUMULATE_MAX_MS, ACCUMULATE_QUIET_MS, MAX_DEFER_SLOTS, NOT_READY_RETRY_MS } from '../stageConfig.js';
import type { BatchRecord, MessageRecord } from '../store.js';
import { recordSignedBatch } from '../transitions.js';

export function signStage(ctx: PipelineContext) {
  // one job at a time per batch key on this node (jobs of several windows may run at once)
  const busy = new Map<string, Promise<void>>();
  return async (job: Job<SignJob>, token?: string) => {
    const { batchKey: key } = job.data;
    while (busy.has(key)) await busy.get(key);
    // no await between the check above and this: the lock is taken atomically
    let release = () => {};
    busy.set(
      key,
      new Promise<void>((r) => {
        release = r;
      }),
    );
    try {
      await signKey(ctx, job, token);
    } finally {
      busy.delete(key);
      release();
    }
  };
}

async function signKey(ctx: PipelineContext, job: Job<SignJob>, token?: string): Promise<void> {
  const { batchKey: key, destinationChain } = job.data;
  while (true) {
    ctx.signing.reading(key);
    const ids = await ctx.store.pending(key, ctx.config.batch.maxMessages);
    if (ids.length === 0) return;
    const records = (await ctx.store.getMany(ids)).filter((r): r is MessageRecord => r?.stage === 'verified');
    if (records.length === 0) {
      await ctx.store.removePending(key, ids);
      continue;
    }
    const wait = waitBeforeCoordinating(ctx, key, records, await ctx.store.keyClaims(key)) || accumulate(ctx, records);
    if (wait > 0) await ctx.signing.delay(job, wait, token);
    try {
      const signingKey = ctx.keys.forDestination(destinationChain);
      const result = await ctx.coordinator.sign(
        signingKey,
        key,
        destinationChain,
        records.map((r) => r.id),
      );
      const byId = new Map(records.map((r) => [r.id.toLowerCase(), r.message]));
      const batch: BatchRecord = {
        root: result.root,
        destinationChain,
        epoch: signingKey.epoch,
        signature: result.signature,
        ids: result.ids,
        messages: result.ids.map((id) => byId.get(id.toLowerCase()) as Hex),
        coordinator: ctx.operatorId,
        signers: result.signers,
      };
      await recordSignedBatch(ctx, batch, true);
      ctx.log('sign.ok', { key, root: result.root, messages: result.ids.length, signers: result.signers });
    } catch (e) {
      if (e instanceof SigningFailedError && e.notReady.length > 0) {
        // peers have not verified these yet: try again shortly, without spending an attempt
        await ctx.signing.delay(job, NOT_READY_RETRY_MS, token);
      }
      throw e;
    }
  }
}

/**
 * While messages of a burst are still arriving, wait a moment so one session and one delivery carry
 * more of them (bounded: never past ACCUMULATE_MAX_MS after the oldest one was verified).
 */
function accumulate(ctx: PipelineContext, records: MessageRecord[]): number {
  if (records.length >= ctx.config.batch.maxMessages) return 0;
  const now = Date.now();
  const times = records.map((r) => r.verifiedAt ?? now);
  const quiet = now - Math.max(...times);
  const age = now - Math.min(...times);
  return quiet < ACCUMULATE_QUIET_MS && age < ACCUMULATE_MAX_MS ? ACCUMULATE_QUIET_MS : 0;
}

/**
 * 0 when this node should coordinate now; otherwise how long to wait. The coordinator of slot k of a
 * batch key is the k-th operator of its ranking, slots counted from the oldest waiting message's
 * verification. A coordinator ranked before this node that was at work on the key moments ago (its
 * commit requests) is left to finish, for up to MAX_DEFER_SLOTS slots: under load it is slow, not dead.
 */
function waitBeforeCoordinating(
  ctx: PipelineContext,
  key: string,
  records: MessageRecord[],
  claims: { coordinator: number; at: number }[],
): number {
  const slotMs = ctx.config.timeouts.coordinatorMs;
  const now = Date.now();
  const order = ranking(key, ctx.operators);
  const since = Math.min(...records.map((r) => r.verifiedAt ?? now));
  const myRank = order.indexOf(ctx.operatorId);
  const atWork = claims.some((c) => {
    const rank = order.indexOf(c.coordinator);
    return rank >= 0 && rank < myRank && now - c.at < 2 * slotMs;
  });
  if (atWork && now - since < MAX_DEFER_SLOTS * slotMs) return slotMs;
  const slot = Math.floor((now - since) / slotMs);
  if (order[slot % order.length] === ctx.operatorId) return 0;
  let next = slot + 1;
  while (order[next % order.length] !== ctx.operatorId) next++;
  return since + next * slotMs - now;
}
