/**
 * Every move of a message from one stage to the next, in one place. Stages decide (is it proved? did the
 * session sign? is the delivery final?); these functions write the outcome, count it, and queue what
 * comes next. Stage files call them and never import each other.
 *
 *   observed -> verified -> signed -> submitted -> delivered
 *        \          \          \           \
 *      rejected   parked     parked      parked       (and delivered -> signed when a reorg undid it)
 */
import type { Hex } from 'viem';
import type { ObservedMessage } from '../chains/adapter.js';
import { deliveredBatch, signedBatch } from '../peer/protocol.js';
import { batchKey, ranking } from '../signer/ranking.js';
import type { PipelineContext } from './context.js';
import { type ConfirmJob, type DeliverJob, deliveryJobId, jobId, type StageName } from './queues.js';
import { CHAIN_CALL_TIMEOUT_MS, VERIFY_GROUP } from './stageConfig.js';
import type { BatchRecord, MessageRecord } from './store.js';
import { withTimeout } from './timeout.js';

export interface VerifyJob {
  ids: Hex[];
}

/**
 * Keeps what a watch range found and queues its verification: one job per VERIFY_GROUP messages of one
 * destination. A message to a chain this node has no route to is rejected at once.
 */
export async function observe(ctx: PipelineContext, observed: ObservedMessage[]): Promise<void> {
  const routable = observed.filter((m) => ctx.adapters.has(m.destinationChain));
  for (const m of observed.filter((x) => !ctx.adapters.has(x.destinationChain)))
    if (await ctx.store.observe(m))
      await ctx.store.advance(m.messageId, 'rejected', { error: `no route to chain ${m.destinationChain}` });
  const fresh = await ctx.store.observeMany(routable);
  ctx.metrics.messages.inc({ stage: 'observed' }, fresh.length);
  const byDestination = new Map<number, ObservedMessage[]>();
  for (const m of fresh) byDestination.set(m.destinationChain, [...(byDestination.get(m.destinationChain) ?? []), m]);
  for (const [destination, ms] of byDestination) {
    const groups: ObservedMessage[][] = [];
    for (let i = 0; i < ms.length; i += VERIFY_GROUP) groups.push(ms.slice(i, i + VERIFY_GROUP));
    await ctx.queue('verify', destination).addBulk(
      groups.map((g) => ({
        name: 'verify',
        data: { ids: g.map((m) => m.messageId) } satisfies VerifyJob,
        // the first id and the size name a group: a rescan after a crash collapses into the same job
        opts: { jobId: jobId((g[0] as ObservedMessage).messageId, g.length) },
      })),
    );
  }
}

/** This node will never sign the message: its proof failed for good. */
export async function reject(ctx: PipelineContext, id: Hex, reason: string): Promise<void> {
  await ctx.store.advance(id, 'rejected', { error: reason });
  ctx.metrics.messages.inc({ stage: 'rejected' });
  ctx.log('verify.rejected', { id, reason });
}

/**
 * Marks messages this node proved (or, for governance, its operator approved) as verified, sealed, and lines
 * them up for signing under their batch keys. One a peer's signed batch covers already moves on to signed.
 */
export async function markVerified(ctx: PipelineContext, verified: MessageRecord[]): Promise<void> {
  if (verified.length === 0) return;
  const roots = await ctx.store.markVerified(
    verified.map((m) => m.id),
    verified.map((m) => m.destinationChain),
  );
  const now = Date.now();
  ctx.metrics.messages.inc({ stage: 'verified' }, verified.length);
  const keys = new Map<string, number>();
  const pending: { key: string; id: Hex; nonce: bigint }[] = [];
  for (const [i, m] of verified.entries()) {
    ctx.metrics.stageLatency.observe({ stage: 'verify' }, (now - (m.observedAt ?? now)) / 1000);
    const root = roots[i];
    // a peer's signed batch may have arrived while we verified: then there is nothing left to sign
    if (root) {
      await ctx.store.advance(m.id, 'signed', { root });
      continue;
    }
    const key = batchKey(m);
    pending.push({ key, id: m.id, nonce: BigInt(m.nonce) });
    keys.set(key, m.destinationChain);
  }
  await ctx.store.addPendingMany(pending);
  for (const [key, destination] of keys) await ctx.signing.queue(key, destination);
}

/**
 * What every node does with a signed batch, whether it coordinated the signing or heard of it from the
 * coordinator: keep it, mark its messages signed, and queue the delivery: at once for the coordinator,
 * later for the others, in turn, so one takes over if the coordinator's delivery does not land. The
 * coordinator tells the others.
 */
export async function recordSignedBatch(ctx: PipelineContext, b: BatchRecord, asCoordinator: boolean): Promise<void> {
  if (await ctx.store.getBatch(b.root)) return;
  await ctx.store.saveBatch(b);
  const verifiedAt = await ctx.store.markSigned(b.ids, b.root, batchKey);
  for (const t of verifiedAt) ctx.metrics.stageLatency.observe({ stage: 'sign' }, (Date.now() - t) / 1000);
  ctx.metrics.messages.inc({ stage: 'signed' }, b.ids.length);
  // the coordinator delivers at once; the others line up behind it, one takeover timeout apart
  const takeover = ranking(
    b.root,
    ctx.operators.filter((o) => o !== b.coordinator),
  );
  const position = asCoordinator ? 0 : takeover.indexOf(ctx.operatorId) + 1;
  await ctx
    .queue('deliver', b.destinationChain)
    .add(
      'deliver',
      { root: b.root },
      { jobId: jobId(b.root), delay: position * ctx.config.timeouts.deliveryTakeoverMs },
    );
  if (asCoordinator)
    for (const operator of ctx.operators)
      if (operator !== ctx.operatorId)
        ctx.peers
          .call(signedBatch, operator, b)
          .catch((e: Error) => ctx.log('sign.broadcast_failed', { operator, error: e.message }));
}

/** A delivery transaction is in: the messages wait for it to be final (the confirm stage). */
export async function markSubmitted(ctx: PipelineContext, batch: BatchRecord, tx: Hex, round?: number): Promise<void> {
  for (const id of batch.ids) await ctx.store.advance(id, 'submitted', { deliveryTx: tx });
  ctx.log('deliver.submitted', { root: batch.root, tx, messages: batch.ids.length, round });
  const confirm: ConfirmJob = round === undefined ? { root: batch.root, tx } : { root: batch.root, tx, round };
  await ctx.queue('confirm', batch.destinationChain).add('confirm', confirm, { jobId: deliveryJobId(confirm, tx) });
}

/** What a caller knows of the transaction that delivered a batch (see markDelivered). */
export interface DeliveryKnown {
  /** This node's own transaction, included in a final block, with the batch consumed in the final state. */
  tx?: Hex;
  /** This node's own attempt that reverted or vanished: never shown as the delivery. */
  staleTx?: Hex;
}

/**
 * Counts a batch delivered (its messages move to delivered; call only once the destination's final state holds
 * them) and notes it among the recent deliveries that reconciliation re-checks.
 *
 * Every delivered record names the transaction that delivered it. This node's own confirmed transaction is
 * known; a delivery it did not make (another node's, a user's) is looked up on the destination, whose receive
 * events name the consuming transaction: a peer's word only ever stands in while the chain has not answered,
 * and this node's reverted attempt (`staleTx`) never does.
 */
export async function markDelivered(
  ctx: PipelineContext,
  batch: BatchRecord,
  known: DeliveryKnown = {},
): Promise<void> {
  await ctx.store.noteDelivered(batch.destinationChain, batch.root);
  const records = (await ctx.store.getMany(batch.ids)).filter((r): r is MessageRecord => r !== undefined);
  // this node's own confirmed transaction names every record: the chain is asked only when it is unknown
  const unnamed = known.tx ? [] : records.filter((r) => r.stage !== 'delivered' || !r.deliveryTx);
  const onChain = await deliveryTransactions(
    ctx,
    batch,
    unnamed.map((r) => r.id),
  );
  for (const record of records) {
    const id = record.id;
    const fromChain = onChain.get(id.toLowerCase() as Hex);
    if (record.stage === 'delivered') {
      // filled in once, when it was missing; a delivery tx once shown stays
      if (!record.deliveryTx && (known.tx ?? fromChain)) await ctx.store.setDeliveryTx(id, known.tx ?? fromChain);
      continue;
    }
    // a peer's earlier word stands in only when the chain has not named the transaction
    const earlier = record.deliveryTx && record.deliveryTx !== known.staleTx ? record.deliveryTx : undefined;
    const deliveryTx = known.tx ?? fromChain ?? earlier;
    if (!deliveryTx && record.deliveryTx) await ctx.store.setDeliveryTx(id, undefined);
    await ctx.store.advance(id, 'delivered', deliveryTx === undefined ? {} : { deliveryTx });
    ctx.metrics.messages.inc({ stage: 'delivered' });
    if (record.observedAt)
      ctx.metrics.stageLatency.observe({ stage: 'end_to_end' }, (Date.now() - record.observedAt) / 1000);
  }
}

/**
 * The destination's word on which transactions consumed `ids` (lower-case keys). A failed lookup costs only the
 * name shown (the delivery itself is decided by the final state): logged, and the records keep what they had.
 */
async function deliveryTransactions(ctx: PipelineContext, batch: BatchRecord, ids: Hex[]): Promise<Map<Hex, Hex>> {
  const chain = ctx.adapters.get(batch.destinationChain);
  if (ids.length === 0 || !chain) return new Map();
  try {
    return await withTimeout(
      chain.deliveryTransactions(ids),
      CHAIN_CALL_TIMEOUT_MS,
      `delivery transactions on ${chain.name}`,
    );
  } catch (e) {
    ctx.log('deliver.tx_lookup_failed', { root: batch.root, error: (e as Error).message });
    return new Map();
  }
}

/** This node delivered the batch and it is final: the others hear it (their takeover jobs stand down). */
export function announceDelivered(ctx: PipelineContext, batch: BatchRecord, tx: Hex): void {
  for (const operator of ctx.operators)
    if (operator !== ctx.operatorId)
      ctx.peers
        .call(deliveredBatch, operator, { root: batch.root, tx })
        .catch((e: Error) => ctx.log('confirm.broadcast_failed', { operator, error: e.message }));
}

/**
 * A reorg undid a delivery: the messages go back from delivered to signed, with the reason, and the batch
 * back to deliver. Every node that noticed re-sends, one takeover timeout apart in the batch's own order: the
 * first one delivers, the others find it delivered when their turn comes.
 * @returns the ids that were reopened and the re-send round
 */
export async function reopenDelivery(
  ctx: PipelineContext,
  batch: BatchRecord,
  lost: Hex[],
  reason: string,
): Promise<{ reopened: Hex[]; round: number }> {
  const reopened: Hex[] = [];
  for (const id of lost) if (await ctx.store.reopenDelivered(id, reason)) reopened.push(id);
  const job: DeliverJob = { root: batch.root, round: await ctx.store.nextResendRound(batch.root) };
  const position = Math.max(0, ranking(batch.root, ctx.operators).indexOf(ctx.operatorId));
  await ctx.queue('deliver', batch.destinationChain).add('deliver', job, {
    jobId: deliveryJobId(job, 'reorg'),
    delay: position * ctx.config.timeouts.deliveryTakeoverMs,
  });
  // noted again when the re-send is delivered (and final)
  await ctx.store.forgetDelivery(batch.destinationChain, batch.root);
  return { reopened, round: job.round as number };
}

/**
 * A job out of attempts: its messages are parked with the stage and the error (visible in the API), not
 * lost. A verify group parks only what it left unverified; nothing delivered or rejected is parked.
 */
export async function park(ctx: PipelineContext, stage: StageName, ids: Hex[], error: string): Promise<void> {
  for (const id of ids) {
    const record = await ctx.store.get(id);
    const open =
      stage === 'verify' ? record?.stage === 'observed' : record && !['rejected', 'delivered'].includes(record.stage);
    if (record && open) await ctx.store.advance(id, 'parked', { error: `${stage}: ${error}` });
  }
}
