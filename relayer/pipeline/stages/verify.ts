/**
 * verify: re-checks an observed message against this node's own RPC of the source chain (receipt,
 * log bytes, the id the bridge stored under the nonce). A message that fails is rejected for good and
 * this node will never sign it; RPC trouble is retried.
 */
import { type Job, UnrecoverableError } from 'bullmq';
import type { Hex } from 'viem';
import { VerificationError } from '../../chains/adapter.js';
import { batchKey } from '../../signer/ranking.js';
import type { PipelineContext } from '../context.js';
import { queueSigning } from './sign.js';

export function verifyStage(ctx: PipelineContext) {
  return async (job: Job<{ id: Hex }>) => {
    const m = await ctx.store.get(job.data.id);
    if (!m) throw new UnrecoverableError(`unknown message ${job.data.id}`);
    if (m.stage !== 'observed') return;
    if (m.root) {
      // t operators already signed it (a batch whose group signature we checked): nothing left to do here
      await ctx.store.advance(m.id, 'signed', { root: m.root });
      return;
    }
    const source = ctx.adapters.get(m.sourceChain);
    if (!source) throw new UnrecoverableError(`no adapter for source chain ${m.sourceChain}`);
    try {
      await source.verifyOutbound({
        ...m,
        messageId: m.id,
        nonce: BigInt(m.nonce),
        sourceBlock: BigInt(m.sourceBlock),
      });
    } catch (e) {
      if (e instanceof VerificationError && !/not final yet/.test(e.message)) {
        await ctx.store.advance(m.id, 'rejected', { error: e.message });
        ctx.log('verify.rejected', { id: m.id, reason: e.message });
        throw new UnrecoverableError(e.message);
      }
      throw e;
    }
    await ctx.store.advance(m.id, 'verified');
    ctx.metrics.messages.inc({ stage: 'verified' });
    ctx.metrics.stageLatency.observe({ stage: 'verify' }, (Date.now() - (m.observedAt ?? Date.now())) / 1000);
    // a peer's signed batch may have arrived while we verified: then there is nothing left to sign
    const root = await ctx.store.signedRoot(m.id);
    if (root) {
      await ctx.store.advance(m.id, 'signed', { root });
      return;
    }
    await ctx.store.addPending(batchKey(m), m.id, BigInt(m.nonce));
    await queueSigning(ctx, batchKey(m), m.destinationChain);
  };
}
