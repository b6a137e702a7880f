/**
 * watch: follows one source chain, block range by block range up to its final height, and hands each
 * bridge message to the verify queue of its destination. The next block to scan is checkpointed in
 * Redis after the range's jobs are queued, so a restart resumes without missing events; anything seen
 * twice collapses (store + job id). Messages go to verify in groups of up to VERIFY_GROUP per destination.
 */
import type { ChainAdapter, ObservedMessage } from '../../chains/adapter.js';
import type { PipelineContext } from '../context.js';
import { jobId } from '../queues.js';
import { VERIFY_GROUP, type VerifyJob } from './verify.js';

export class ChainWatcher {
  private running = false;
  private loop?: Promise<void>;

  constructor(
    private readonly ctx: PipelineContext,
    private readonly adapter: ChainAdapter,
    private readonly startBlock: bigint,
  ) {}

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
        if (!progressed) await sleep(this.adapter.pollIntervalMs);
      } catch (e) {
        this.ctx.log('watch.error', { chain: this.adapter.name, error: (e as Error).message });
        await sleep(Math.max(this.adapter.pollIntervalMs, 500));
      }
    }
  }

  /** @returns whether a range was scanned (more may be waiting). */
  async scanOnce(): Promise<boolean> {
    const next = (await this.ctx.store.checkpoint(this.adapter.name)) ?? this.startBlock;
    const final = await this.adapter.finalHeight();
    if (next > final) return false;
    const to =
      final < next + BigInt(this.adapter.maxBlockRange) - 1n ? final : next + BigInt(this.adapter.maxBlockRange) - 1n;
    const observed = await this.adapter.outboundMessages(next, to);
    const routable = observed.filter((m) => this.ctx.adapters.has(m.destinationChain));
    for (const m of observed.filter((x) => !this.ctx.adapters.has(x.destinationChain)))
      if (await this.ctx.store.observe(m))
        await this.ctx.store.advance(m.messageId, 'rejected', { error: `no route to chain ${m.destinationChain}` });
    const fresh = await this.ctx.store.observeMany(routable);
    this.ctx.metrics.messages.inc({ stage: 'observed' }, fresh.length);
    const byDestination = new Map<number, ObservedMessage[]>();
    for (const m of fresh) byDestination.set(m.destinationChain, [...(byDestination.get(m.destinationChain) ?? []), m]);
    for (const [destination, ms] of byDestination) {
      const groups: ObservedMessage[][] = [];
      for (let i = 0; i < ms.length; i += VERIFY_GROUP) groups.push(ms.slice(i, i + VERIFY_GROUP));
      await this.ctx.queue('verify', destination).addBulk(
        groups.map((g) => ({
          name: 'verify',
          data: { ids: g.map((m) => m.messageId) } satisfies VerifyJob,
          // the first id and the size name a group: a rescan after a crash collapses into the same job
          opts: { jobId: jobId((g[0] as ObservedMessage).messageId, g.length) },
        })),
      );
    }
    await this.ctx.store.setCheckpoint(this.adapter.name, to + 1n);
    return true;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
