/**
 * What every node does with a signed batch, whether it coordinated the signing or heard of it from the
 * coordinator: keep it, mark its messages signed, and queue the delivery: at once for the coordinator,
 * later for the others, in turn, so one takes over if the coordinator's delivery does not land.
 */
import { hexToBytes } from 'viem';
import { buildBatch, messageId, signingDigest } from '../../protocol/digest.js';
import { verifyFrost } from '../../protocol/frost.js';
import { batchKey, ranking } from '../../signer/ranking.js';
import type { PipelineContext } from '../context.js';
import { jobId } from '../queues.js';
import type { BatchRecord } from '../store.js';

export class BadBatchError extends Error {
  override name = 'BadBatchError';
}

/** Checks a batch heard from a peer: ids are the messages' ids, root is theirs, signature is the group's. */
export function checkBatch(ctx: PipelineContext, b: BatchRecord): void {
  if (b.ids.length === 0 || b.ids.length !== b.messages.length)
    throw new BadBatchError('ids and messages differ in number');
  if (!ctx.operators.includes(b.coordinator))
    throw new BadBatchError(`coordinator ${b.coordinator} is not an operator`);
  b.messages.forEach((m, i) => {
    if (messageId(hexToBytes(m)) !== b.ids[i]?.toLowerCase())
      throw new BadBatchError(`message ${i} does not hash to its id`);
  });
  if (buildBatch(b.ids).root !== b.root.toLowerCase()) throw new BadBatchError('root is not the root of the ids');
  const key = ctx.keys.ofEpoch(b.epoch);
  if (!key) throw new BadBatchError(`this node holds no key of epoch ${b.epoch}`);
  const expected = ctx.keys.expectedEpoch(b.destinationChain);
  if (expected !== undefined && b.epoch < expected - 1)
    throw new BadBatchError(
      `epoch ${b.epoch} is older than chain ${b.destinationChain}'s previous epoch ${expected - 1}`,
    );
  const digest = signingDigest(b.epoch, b.destinationChain, b.root);
  if (!verifyFrost(hexToBytes(b.signature), hexToBytes(digest), key.groupKey.compressed))
    throw new BadBatchError('signature does not verify under the group key');
}

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
}
