/**
 * reconcile: a delivery counts only once final on the destination, yet "final" is only as good as the chain's
 * configured finality (a count of confirmations can be outrun by a deep enough reorg, a devnet chain has none).
 * So each node re-checks, per destination chain, the batches it counted delivered in the last
 * RECONCILE_WINDOW_MS: every message must still be consumed in the destination's final state. What a reorg
 * undid goes back to the deliver stage: its messages return from delivered to signed (the batch is still
 * signed) with the reason in their record, and a re-send is queued, in the batch's takeover order so the nodes
 * do not all send at once. The bridge's replay protection keeps it exactly once: a message delivered meanwhile
 * is skipped or refused, and the deliver stage counts that refusal as delivered.
 *
 * A timer in the node rather than a BullMQ repeatable job: every node has its own Redis, so there is no
 * scheduling across processes to share; a pass is cheap, idempotent and only meaningful while the node runs
 * (a repeatable job's schedule would outlive the node, and a chain dropped from the config, in Redis); and a
 * loop that sleeps after each pass never runs two passes of a chain at once however slow the RPC is. The
 * re-send itself goes through the deliver queue, with its retries and parking.
 */
import type { Hex } from 'viem';
import type { ChainAdapter } from '../../chains/adapter.js';
import { batchRefs, type MessageRef } from '../../chains/consumed.js';
import type { PipelineContext } from '../context.js';
import { CHAIN_CALL_TIMEOUT_MS } from '../stageConfig.js';
import type { BatchRecord } from '../store.js';
import { withTimeout } from '../timeout.js';
import { reopenDelivery } from '../transitions.js';

/** How long a delivery stays under watch after it was counted delivered. */
export const RECONCILE_WINDOW_MS = 30 * 60_000;
/** Most batches one pass re-checks; a larger window is walked over several passes, oldest first, then again. */
const BATCHES_PER_PASS = 64;
const MIN_INTERVAL_MS = 1_000;
const MAX_INTERVAL_MS = 60_000;

/** The pause between two passes over a chain: ten of its polls, kept between 1 s and 1 min. */
export function reconcileIntervalMs(chain: ChainAdapter): number {
  return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, 10 * chain.pollIntervalMs));
}

export class DeliveryReconciler {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private timer?: NodeJS.Timeout;
  /** Position in the chain's recent deliveries (oldest first) where the next pass goes on. */
  private cursor = 0;

  constructor(
    private readonly ctx: PipelineContext,
    private readonly chain: ChainAdapter,
    private readonly intervalMs = reconcileIntervalMs(chain),
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.runOnce();
      } catch (e) {
        // an RPC or Redis failure: the next pass tries again, nothing is lost meanwhile
        this.ctx.log('reconcile.error', { chain: this.chain.name, error: (e as Error).message });
      }
      if (!this.running) break;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, this.intervalMs);
      });
    }
  }

  /** One pass: up to BATCHES_PER_PASS recent deliveries re-checked. @returns the batch roots sent back to deliver. */
  async runOnce(): Promise<Hex[]> {
    const { store } = this.ctx;
    const chainId = this.chain.protocolChainId;
    // what left the window was before the cursor: the cursor moves back with it
    const pruned = await store.pruneDeliveries(chainId, Date.now() - RECONCILE_WINDOW_MS);
    this.cursor = Math.max(0, this.cursor - pruned);
    let roots = await store.recentDeliveries(chainId, this.cursor, BATCHES_PER_PASS);
    if (roots.length === 0 && this.cursor > 0) {
      this.cursor = 0;
      roots = await store.recentDeliveries(chainId, 0, BATCHES_PER_PASS);
    }
    if (roots.length === 0) return [];
    const batches = await Promise.all(roots.map((root) => store.getBatch(root)));
    const known: BatchRecord[] = [];
    let forgotten = 0;
    for (const [i, batch] of batches.entries()) {
      if (batch) known.push(batch);
      else {
        // nothing to re-send without the signed batch
        await store.forgetDelivery(chainId, roots[i] as Hex);
        forgotten++;
      }
    }
    const undone = await this.undoneMessages(known);
    for (const [batch, ids] of undone) await this.resend(batch, ids);
    forgotten += undone.size;
    // a short page reached the end: the next pass starts from the oldest again
    this.cursor = roots.length < BATCHES_PER_PASS ? 0 : this.cursor + roots.length - forgotten;
    return [...undone.keys()].map((b) => b.root);
  }

  /** Per batch, the messages the destination's final state does not hold (batches it holds whole left out). */
  private async undoneMessages(batches: BatchRecord[]): Promise<Map<BatchRecord, Hex[]>> {
    const refs = batches.flatMap(batchRefs);
    const consumed = await this.finalConsumed(refs);
    const missing = refs.filter((_, i) => !consumed[i]);
    if (missing.length === 0) return new Map();
    // a second look, at a final block read afresh, before anything is undone: an RPC behind a load balancer may
    // answer one call from a node that lags
    const again = await this.finalConsumed(missing);
    const gone = new Set(missing.filter((_, i) => !again[i]).map((r) => r.id.toLowerCase()));
    const out = new Map<BatchRecord, Hex[]>();
    for (const b of batches) {
      const lost = b.ids.filter((id) => gone.has(id.toLowerCase()));
      if (lost.length > 0) out.set(b, lost);
    }
    return out;
  }

  private finalConsumed(refs: MessageRef[]): Promise<boolean[]> {
    return withTimeout(
      this.chain.deliveredFinal(refs),
      CHAIN_CALL_TIMEOUT_MS,
      `reconciliation of ${refs.length} message(s) on ${this.chain.name}`,
    );
  }

  /** The messages go back from delivered to signed, with the reason, and the batch back to deliver. */
  private async resend(batch: BatchRecord, lost: Hex[]): Promise<void> {
    const { ctx } = this;
    const records = await ctx.store.getMany(lost);
    const tx = records.find((r) => r?.deliveryTx)?.deliveryTx;
    const reason = `delivery reorged out of ${this.chain.name} at ${tx ?? 'an unrecorded transaction'}; re-sending`;
    const { reopened, round } = await reopenDelivery(ctx, batch, lost, reason);
    ctx.log('reconcile.reorged', {
      chain: this.chain.name,
      root: batch.root,
      tx,
      messages: lost.length,
      reopened: reopened.length,
      round,
    });
  }
}

/** One reconciler per destination chain of the node, started. */
export function startReconcilers(ctx: PipelineContext): DeliveryReconciler[] {
  return [...ctx.adapters.values()].map((chain) => {
    const r = new DeliveryReconciler(ctx, chain);
    r.start();
    return r;
  });
}
