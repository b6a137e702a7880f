/**
 * watch: follows one source chain, block range by block range up to its final height, and hands each
 * bridge message to the verify queue of its destination. The next block to scan is checkpointed in
 * Redis after the range's jobs are queued, so a restart resumes without missing events; anything seen
 * twice collapses (store + job id). Messages go to verify in groups of up to VERIFY_GROUP per destination.
 *
 * Completeness: an RPC that answers a range without the events the chain has (a lying or lagging provider, a
 * load balancer whose backend is behind) would make the node skip them for good; the verifier catches forged
 * events, not omitted ones. So where the chain's adapter can read the bridge's outbound count at a block,
 * every range is checked against it: the bridge's state says which nonces were sent in (from - 1, to], and
 * every one of them must be among the range's events. If one is missing the range is suspect
 * (`watch.suspect_range`): the checkpoint stays, and the range is scanned again, in halves, until it adds up.
 */
import type { ChainAdapter, ObservedMessage } from '../../chains/adapter.js';
import type { PipelineContext } from '../context.js';
import { observe } from '../transitions.js';

/** Longest wait between re-scans of a range that stays suspect. */
export const SUSPECT_BACKOFF_MAX_MS = 5_000;
/** Missing nonces named in a `watch.suspect_range` line (the counts say how many in all). */
const MISSING_LOGGED = 10;

/** What the bridge's state says a range [from, to] holds: the nonces in (before, after]. */
interface RangeCount {
  before: bigint;
  after: bigint;
}

export class ChainWatcher {
  private running = false;
  private loop?: Promise<void>;
  /** Blocks the next range spans: halved after a suspect range (re-scanned in smaller pieces), doubled back after a complete one. */
  private span: number;
  /** The bridge's outbound count at the end of the last range found complete: the next range's start count. */
  private lastCount: { block: bigint; count: bigint } | undefined;
  /** The last suspect range and how long to wait before scanning it again (grows while it stays suspect). */
  private suspect: { from: bigint; to: bigint; waitMs: number } | undefined;

  constructor(
    private readonly ctx: PipelineContext,
    private readonly adapter: ChainAdapter,
    private readonly startBlock: bigint,
  ) {
    this.span = adapter.maxBlockRange;
    adapter.onRpcDisagreement?.((d) => ctx.log('watch.rpc_disagreement', { ...d }));
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const progressed = await this.scanOnce();
        if (!progressed) await sleep(Math.max(this.adapter.pollIntervalMs, this.suspect?.waitMs ?? 0));
      } catch (e) {
        this.ctx.log('watch.error', { chain: this.adapter.name, error: (e as Error).message });
        await sleep(Math.max(this.adapter.pollIntervalMs, 500));
      }
    }
  }

  /** @returns whether a range was scanned and the checkpoint moved past it (more may be waiting). */
  async scanOnce(): Promise<boolean> {
    const next = (await this.ctx.store.checkpoint(this.adapter.name)) ?? this.startBlock;
    const final = await this.adapter.finalHeight();
    if (next > final) return false;
    const last = next + BigInt(this.span) - 1n;
    const to = final < last ? final : last;
    const [observed, count] = await Promise.all([this.adapter.outboundMessages(next, to), this.countOf(next, to)]);
    if (count && !this.complete(observed, next, to, count)) return false;

    // an event that names another source (or the governance pseudo-chain) is not this chain's bridge speaking:
    // a lying RPC could otherwise plant another chain's pending message here and have it refused for good
    const own = observed.filter((m) => m.sourceChain === this.adapter.protocolChainId);
    if (own.length !== observed.length)
      this.ctx.log('watch.foreign_event', {
        chain: this.adapter.name,
        from: String(next),
        to: String(to),
        ids: observed.filter((m) => m.sourceChain !== this.adapter.protocolChainId).map((m) => m.messageId),
      });
    await observe(this.ctx, own);
    await this.ctx.store.setCheckpoint(this.adapter.name, to + 1n);
    if (count) this.lastCount = { block: to, count: count.after };
    this.suspect = undefined;
    this.span = Math.min(this.adapter.maxBlockRange, this.span * 2);
    return true;
  }

  /** The nonces the bridge's state says [from, to] holds; undefined where the chain's adapter cannot tell. */
  private async countOf(from: bigint, to: bigint): Promise<RangeCount | undefined> {
    if (!this.adapter.outboundCountAt) return undefined;
    const countAt = (height: bigint) => this.adapter.outboundCountAt?.(height) ?? Promise.resolve(0n);
    const cached = this.lastCount?.block === from - 1n ? this.lastCount.count : undefined;
    const [before, after] = await Promise.all([
      cached !== undefined ? cached : from === 0n ? 0n : countAt(from - 1n),
      countAt(to),
    ]);
    return { before, after };
  }

  /**
   * Whether the range's events account for every nonce the bridge sent in it. Events beyond those nonces (a
   * forged one, say) do not make a range incomplete: the verify stage rejects them. A missing one does: the
   * range is logged as suspect and will be scanned again, in halves, from the same checkpoint.
   */
  private complete(observed: ObservedMessage[], from: bigint, to: bigint, count: RangeCount): boolean {
    const { before, after } = count;
    const found = new Set(
      observed
        .filter((m) => m.sourceChain === this.adapter.protocolChainId && m.nonce > before && m.nonce <= after)
        .map((m) => m.nonce),
    );
    // the count going down means the state read at one end is not the chain's: no verdict on this range
    const expected = after - before;
    if (expected >= 0n && BigInt(found.size) === expected) return true;
    const missing: string[] = [];
    for (let n = before + 1n; n <= after && missing.length < MISSING_LOGGED; n++)
      if (!found.has(n)) missing.push(n.toString());
    this.ctx.log('watch.suspect_range', {
      chain: this.adapter.name,
      from: from.toString(),
      to: to.toString(),
      nonceBefore: before.toString(),
      nonceAfter: after.toString(),
      expected: expected.toString(),
      found: found.size,
      events: observed.length,
      missing,
    });
    // read both ends again next time (the cached start may be what is wrong), wait a little longer each time
    // the same range fails, and narrow it: a provider (or a backend behind its load balancer) that drops events
    // from a wide range may answer a narrow one, and the clean part of the range can move on
    this.lastCount = undefined;
    const again = this.suspect?.from === from && this.suspect.to === to;
    const waitMs = again
      ? Math.min(SUSPECT_BACKOFF_MAX_MS, (this.suspect?.waitMs ?? 0) * 2)
      : this.adapter.pollIntervalMs;
    this.suspect = { from, to, waitMs: Math.max(waitMs, this.adapter.pollIntervalMs) };
    this.span = Math.max(1, Math.floor(Number(to - from + 1n) / 2));
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
