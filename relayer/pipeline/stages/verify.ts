/**
 * verify: re-checks observed messages against this node's own RPC of the source chain (receipt, log
 * bytes, the id the bridge stored under the nonce), then has the chain's verifier (verifier/) prove
 * that the id is in the committed state of a block final under the chain's own consensus. Only a
 * proved message is signed. One job carries the messages one watch range found
 * for one destination (up to VERIFY_GROUP of them), so a burst costs a few jobs and a few pipelined Redis
 * round trips, not a handful per message; the RPC calls of a group go out together (JSON-RPC batching).
 * A message that fails is rejected for good and this node will never sign it; RPC trouble is retried,
 * and a retry only redoes the messages still at the observed stage.
 */
import { type Job, UnrecoverableError } from 'bullmq';
import { ProofError } from '../../../verifier/types.js';
import { type ObservedMessage, VerificationError } from '../../chains/adapter.js';
import type { PipelineContext } from '../context.js';
import { CHAIN_CALL_TIMEOUT_MS } from '../stageConfig.js';
import type { MessageRecord } from '../store.js';
import { withTimeout } from '../timeout.js';
import { markVerified, reject, type VerifyJob } from '../transitions.js';

/** A source block that is not final yet: try again later, it is not a forgery. */
function isTransient(e: unknown): boolean {
  if (e instanceof ProofError) return e.transient;
  return !(e instanceof VerificationError) || /not final yet/.test(e.message);
}

/** The RPC check, then the proof; a proof failure is counted and shown by reason. */
async function checkAndProve(ctx: PipelineContext, m: ObservedMessage): Promise<void> {
  const source = ctx.adapters.get(m.sourceChain);
  const verifier = ctx.verifiers.get(m.sourceChain);
  if (!source || !verifier) throw new VerificationError(`no adapter or verifier for source chain ${m.sourceChain}`);
  await withTimeout(source.verifyOutbound(m), CHAIN_CALL_TIMEOUT_MS, `verification on ${source.name}`);
  const started = performance.now();
  try {
    const proof = await withTimeout(
      verifier.proveOutbound({
        sourceChain: m.sourceChain,
        nonce: m.nonce,
        messageId: m.messageId,
        sourceBlock: m.sourceBlock,
      }),
      CHAIN_CALL_TIMEOUT_MS,
      `proof on ${source.name}`,
    );
    ctx.metrics.proofs.inc({ chain: source.name, mode: proof.mode });
    ctx.metrics.proofSeconds.observe({ chain: source.name }, (performance.now() - started) / 1000);
    ctx.verifierStatus.proved(m.sourceChain, m.messageId, proof);
  } catch (e) {
    const failure =
      e instanceof ProofError
        ? { reason: e.reason, message: e.message, transient: e.transient }
        : { reason: 'rpc-unavailable' as const, message: (e as Error).message, transient: true };
    ctx.metrics.proofFailures.inc({ chain: source.name, reason: failure.reason });
    ctx.verifierStatus.failed(m.sourceChain, m.messageId, failure);
    ctx.log(failure.transient ? 'verify.proof_pending' : 'verify.proof_failed', { id: m.messageId, ...failure });
    throw e;
  }
}

export function verifyStage(ctx: PipelineContext) {
  return async (job: Job<VerifyJob>) => {
    const { ids } = job.data;
    if (!Array.isArray(ids) || ids.length === 0) throw new UnrecoverableError('verify job without message ids');
    const records = await ctx.store.getMany(ids);
    const unknown = ids.filter((_, i) => !records[i]);
    if (unknown.length) ctx.log('verify.unknown', { ids: unknown });
    // a peer's signed batch covering some of these is no reason to skip proving them: this node's
    // verification is what lets it co-sign, and it is checked, not inferred from others' signatures
    const open = records.filter((m): m is MessageRecord => m?.stage === 'observed');
    if (open.length === 0) return;

    const outcomes = await Promise.allSettled(
      open.map((m) =>
        checkAndProve(ctx, { ...m, messageId: m.id, nonce: BigInt(m.nonce), sourceBlock: BigInt(m.sourceBlock) }),
      ),
    );
    const verified: MessageRecord[] = [];
    let retry: unknown;
    for (const [i, outcome] of outcomes.entries()) {
      const m = open[i] as MessageRecord;
      if (outcome.status === 'fulfilled') verified.push(m);
      else if (isTransient(outcome.reason)) retry ??= outcome.reason;
      else await reject(ctx, m.id, (outcome.reason as Error).message);
    }
    await markVerified(ctx, verified);
    if (retry) throw retry;
  };
}
