/**
 * The checks a signed batch heard from a peer must pass before this node keeps it: the batch is what the
 * coordinator says, and the group signed it. A node believes signatures, not operators.
 */
import { hexToBytes } from 'viem';
import { buildBatch, messageId } from '../protocol/digest.js';
import { verifyFrost } from '../protocol/frost.js';
import type { PipelineContext } from './context.js';
import type { BatchRecord } from './store.js';

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
  const digest = ctx.instances.digest(b.epoch, b.destinationChain, b.root);
  if (!verifyFrost(hexToBytes(b.signature), hexToBytes(digest), key.groupKey.compressed))
    throw new BadBatchError('signature does not verify under the group key');
}
