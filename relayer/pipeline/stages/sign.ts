/**
 * sign: jobs per batch key (consecutive nonces, one source, one destination), at most one waiting at a
 * time, so a burst of messages makes a few signing jobs, not one per message. The key's coordinator gathers
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

export interface SignJob {
  batchKey: string;
  destinationChain: number;
}

/**
 * Batch keys (per node) with a sign job that has yet to read the key's pending set. A verification
 * while one is waiting needs no new job: that job will see it. Once a job has read the set, the next
 * verification queues a new one, so a message verified just after the read is never left without a job.
 */
const awaitingRead = new Set<string>();
let sequence = 0;

/** Queues the sign job of a batch key, unless one that will still read its pending set is queued already. */
export async function queueSigning(ctx: PipelineContext, batchKey: string, destinationChain: number): Promise<void> {
  const flag = `${ctx.operatorId}/${batchKey}`;
  if (awaitingRead.has(flag)) return;
  awaitingRead.add(flag);
  try {
    await ctx.queue('sign', destinationChain).add('sign', { batchKey, destinationChain } satisfies SignJob, {
      jobId: jobId('k', batchKey, Date.now(), sequence++),
      delay: 50,
    });
  } catch (e) {
    awaitingRead.delete(flag);
    throw e;
  }
}

/** The job goes back to wait: it reads the pending set again when it wakes. */
async function delayJob(ctx: PipelineContext, job: Job<SignJob>, ms: number, token?: string): Promise<never> {
  awaitingRead.add(`${ctx.operatorId}/${job.data.batchKey}`);
  await job.moveToDelayed(Date.now() + ms, token);
  throw new DelayedError();
}

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
    awaitingRead.delete(`${ctx.operatorId}/${key}`);
    const ids = await ctx.store.pending(key, ctx.config.batch.maxMessages);
    if (ids.length === 0) return;
    const records = (await ctx.store.getMany(ids)).filter((r): r is MessageRecord => r?.stage === 'verified');
    if (records.length === 0) {
      await ctx.store.removePending(key, ids);
      continue;
    }
    const wait = waitBeforeCoordinating(ctx, key, records, await ctx.store.keyClaims(key)) || accumulate(ctx, records);
    if (wait > 0) await delayJob(ctx, job, wait, token);
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
      broadcast(ctx, batch);
      ctx.log('sign.ok', { key, root: result.root, messages: result.ids.length, signers: result.signers });
    } catch (e) {
      if (e instanceof SigningFailedError && e.notReady.length > 0) {
        // peers have not verified these yet: try again shortly, without spending an attempt
        await delayJob(ctx, job, NOT_READY_RETRY_MS, token);
      }
      throw e;
    }
  }
}

/**
 * While messages of a burst are still arriving, wait a moment so one session and one delivery carry
 * more of them (bounded: never past ACCUMULATE_MAX_MS after the oldest one was verified).
 */
const ACCUMULATE_QUIET_MS = 60;
const ACCUMULATE_MAX_MS = 400;
function accumulate(ctx: PipelineContext, records: MessageRecord[]): number {
  if (records.length >= ctx.config.batch.maxMessages) return 0;
  const now = Date.now();
  const times = records.map((r) => r.verifiedAt ?? now);
  const quiet = now - Math.max(...times);
  const age = now - Math.min(...times);
  return quiet < ACCUMULATE_QUIET_MS && age < ACCUMULATE_MAX_MS ? ACCUMULATE_QUIET_MS : 0;
}

/** A coordinator at work is deferred to for at most this many slots, so a stalling one cannot hold a key forever. */
const MAX_DEFER_SLOTS = 5;

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

function broadcast(ctx: PipelineContext, batch: BatchRecord): void {
  for (const operator of ctx.operators) {
    if (operator === ctx.operatorId) continue;
    ctx.peers
      .post(operator, '/peer/v1/signed', batch)
      .catch((e: Error) => ctx.log('sign.broadcast_failed', { operator, error: e.message }));
  }
}
