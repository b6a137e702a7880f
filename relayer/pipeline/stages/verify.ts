/**
 * verify: has the source chain's verifier (verifier/) prove each observed message: its bytes hash to its
 * id, and the bridge stored that id under its nonce in a block final under the chain's own consensus
 * (prover.ts). Only a proved message is signed. One job carries the messages one watch range found for one
 * destination (up to VERIFY_GROUP of them), so a burst costs a few jobs and a few pipelined Redis round
 * trips, not a handful per message. A refused message is rejected for good and this node will never sign
 * it; one not proved yet (block not final, RPC trouble) is retried, and a retry only redoes the messages
 * still at the observed stage.
 */
import { type Job, UnrecoverableError } from 'bullmq';
import type { PipelineContext } from '../context.js';
import { describeVerdict, judgeOutbound, NotYetProvedError, type Verdict } from '../prover.js';
import { CHAIN_CALL_TIMEOUT_MS } from '../stageConfig.js';
import type { MessageRecord } from '../store.js';
import { markVerified, reject, type VerifyJob } from '../transitions.js';

/** The verdict on one message, counted and shown by reason (metrics, GET /v1/verifier, logs). */
async function judge(ctx: PipelineContext, m: MessageRecord): Promise<Verdict> {
  const started = performance.now();
  const verdict = await judgeOutbound(
    ctx.verifiers.get(m.sourceChain),
    { ...m, messageId: m.id, nonce: BigInt(m.nonce), sourceBlock: BigInt(m.sourceBlock) },
    CHAIN_CALL_TIMEOUT_MS,
  );
  const chain = ctx.adapters.get(m.sourceChain)?.name ?? String(m.sourceChain);
  if (verdict.kind === 'proved') {
    ctx.metrics.proofs.inc({ chain, mode: verdict.proof.mode });
    ctx.metrics.proofSeconds.observe({ chain }, (performance.now() - started) / 1000);
    ctx.verifierStatus.proved(m.sourceChain, m.id, verdict.proof);
    return verdict;
  }
  const transient = verdict.kind === 'not-yet';
  ctx.metrics.proofFailures.inc({ chain, reason: verdict.reason });
  ctx.verifierStatus.failed(m.sourceChain, m.id, {
    reason: verdict.reason,
    message: describeVerdict(verdict),
    transient,
  });
  ctx.log(transient ? 'verify.proof_pending' : 'verify.proof_failed', {
    id: m.id,
    reason: verdict.reason,
    message: describeVerdict(verdict),
    transient,
  });
  return verdict;
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

    const verdicts = await Promise.all(open.map((m) => judge(ctx, m)));
    const verified: MessageRecord[] = [];
    const pending: Extract<Verdict, { kind: 'not-yet' }>[] = [];
    for (const [i, verdict] of verdicts.entries()) {
      const m = open[i] as MessageRecord;
      if (verdict.kind === 'proved') verified.push(m);
      else if (verdict.kind === 'not-yet') pending.push(verdict);
      else await reject(ctx, m.id, describeVerdict(verdict));
    }
    await markVerified(ctx, verified);
    if (pending.length) throw new NotYetProvedError(pending);
  };
}
