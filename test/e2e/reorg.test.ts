/**
 * A reorg on the destination never loses a delivery. 5 real relayer nodes (t = 3) on two real anvil chains:
 * messages locked on A are delivered on B, then a reorg of B (anvil_reorg) drops the delivery transactions
 * after every node counted them delivered; the nodes' reconciliation notices and delivers them again, exactly
 * once. And the deliver stage, racing another delivery that lands between its check and its send, takes the
 * bridge's replay-protection revert as delivered, not as a failure.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Processor, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { type Address, type Hex, parseEther } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANVIL_KEYS } from '../../devnet/anvil.js';
import { type Devnet, startDevnet } from '../../devnet/devnet.js';
import { DeliveryRevertedError, type SignedBatch } from '../../relayer/chains/adapter.js';
import type { MessageRef } from '../../relayer/chains/consumed.js';
import { bridgeAbi } from '../../relayer/chains/evm/abi/bridge.js';
import { EvmChainAdapter } from '../../relayer/chains/evm/adapter.js';
import type { EvmChainConfig } from '../../relayer/chains/evm/config.js';
import { loadDevnetConfig, onlyFamilies } from '../../relayer/config/devnetConfig.js';
import type { PipelineContext } from '../../relayer/pipeline/context.js';
import { Metrics } from '../../relayer/pipeline/metrics.js';
import { type DeliverJob, queueName } from '../../relayer/pipeline/queues.js';
import { deliverStage } from '../../relayer/pipeline/stages/deliver.js';
import { type BatchRecord, MessageStore } from '../../relayer/pipeline/store.js';
import { DevnetClient } from '../helpers/devnetClient.js';
import { refOf } from '../helpers/messageRefs.js';

const OPERATORS = [1, 2, 3, 4, 5];
/** A Redis database no node uses (they use 1..5), for the in-process pipeline. */
const SPARE_DB = 40;

interface ApiRecord {
  stage: string;
  root?: Hex;
  deliveryTx?: Hex;
  error?: string;
}

/** An EVM adapter whose first look at the chain is followed, before it can act on it, by a rival's delivery. */
class RacedAdapter extends EvmChainAdapter {
  /** Why each of its own deliveries was refused (the bridge's error name). */
  readonly refusals: string[] = [];
  sends = 0;

  constructor(
    config: Omit<EvmChainConfig, 'verifier'>,
    key: Hex,
    private rival: (() => Promise<void>) | undefined,
  ) {
    super(config, key);
  }

  override async isDelivered(message: MessageRef): Promise<boolean> {
    const seen = await super.isDelivered(message);
    const rival = this.rival;
    this.rival = undefined;
    // the answer stands as read; another node's delivery lands right after, before the stage can act on it
    await rival?.();
    return seen;
  }

  override async deliver(batch: SignedBatch): Promise<Hex> {
    this.sends++;
    try {
      return await super.deliver(batch);
    } catch (e) {
      if (e instanceof DeliveryRevertedError) this.refusals.push(e.reason);
      throw e;
    }
  }
}

describe('a reorg on the destination: 5 nodes, t = 3, two anvil chains', () => {
  let devnet: Devnet;
  let c: DevnetClient;
  const api = (id: number) => devnet.nodes[id - 1]?.api as string;
  const redisOf = (db: number) =>
    new Redis(devnet.redis.url(db), {
      maxRetriesPerRequest: null,
      ...(devnet.redis.auth ? { username: devnet.redis.auth.username, password: devnet.redis.auth.password } : {}),
    });

  beforeAll(async () => {
    devnet = await startDevnet(onlyFamilies(loadDevnetConfig('config/devnet.json'), 'evm'), {
      dir: mkdtempSync(join(tmpdir(), 'sah-reorg-')),
      freePorts: true,
    });
    c = new DevnetClient(devnet.info);
    await c.approveAll();
  }, 240_000);

  afterAll(async () => {
    await devnet?.stop();
  });

  const records = (id: Hex) =>
    Promise.all(OPERATORS.map((o) => c.nodeRecord(api(o), id) as Promise<ApiRecord | undefined>));

  /** Jobs of chain B's deliver and confirm queues still to run on a node (waiting, delayed or active). */
  async function openDeliveryJobs(operator: number): Promise<number> {
    const connection = redisOf(operator);
    try {
      let open = 0;
      for (const stage of ['deliver', 'confirm'] as const) {
        const q = new Queue(queueName(stage, c.chainB.protocolChainId), { connection });
        const counts = await q.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
        open += Object.values(counts).reduce((a, b) => a + b, 0);
        await q.close();
      }
      return open;
    } finally {
      connection.disconnect();
    }
  }

  /**
   * Until every node counts every id delivered, each with the transaction that delivered it, and no node has a
   * delivery job of chain B left (takeover jobs included): from then on only reconciliation can deliver again.
   */
  async function waitSettled(ids: Hex[], txOf: (id: Hex) => Hex | undefined, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      const all = await Promise.all(ids.map(records));
      const done = all.every((rs, i) =>
        rs.every((r) => r?.stage === 'delivered' && r.deliveryTx?.toLowerCase() === txOf(ids[i] as Hex)?.toLowerCase()),
      );
      const jobs = done ? await Promise.all(OPERATORS.map(openDeliveryJobs)) : [];
      if (done && jobs.every((n) => n === 0)) return;
      last = JSON.stringify({
        stages: all.map((rs) => rs.map((r) => r?.stage)),
        // per id, each node's delivery tx where it is not the one that delivered it
        wrongTx: all.map((rs, i) =>
          rs.map((r) =>
            r?.deliveryTx?.toLowerCase() === txOf(ids[i] as Hex)?.toLowerCase() ? 'ok' : (r?.deliveryTx ?? 'none'),
          ),
        ),
        jobs,
      });
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`not settled within ${timeoutMs} ms: ${last}`);
  }

  /** Until every node counts every id delivered again. */
  async function waitAllDelivered(ids: Hex[], timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const all = await Promise.all(ids.map(records));
      if (all.every((rs) => rs.every((r) => r?.stage === 'delivered'))) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`not delivered on every node within ${timeoutMs} ms`);
  }

  /** Whether B's bridge had consumed message `id` (its replay bit) at `blockNumber`. */
  const consumedAt = async (id: Hex, blockNumber: bigint) => {
    const ref = await refOf(devnet.info, id);
    if (!ref) throw new Error(`no node observed ${id}`);
    return c.b.publicClient.readContract({
      address: c.chainB.bridge,
      abi: bridgeAbi,
      functionName: 'isConsumed',
      args: [ref.sourceChain, ref.nonce],
      blockNumber,
    });
  };

  it('deliveries reorged out of B after the nodes counted them delivered are delivered again, exactly once', async () => {
    const recipient = '0x00000000000000000000000000000000000e0a61' as Address;
    const amounts = [parseEther('3'), parseEther('5'), parseEther('7')];
    const ids: Hex[] = [];
    for (const amount of amounts) ids.push(await c.lock(amount, recipient));
    await c.waitDelivered(c.bridgeB, ids, 60_000);
    const before = await c.receivedLogsB(ids);
    expect(before.map((l) => l.messageId.toLowerCase()).sort()).toEqual(ids.map((id) => id.toLowerCase()).sort());
    const oldTx = new Map(before.map((l) => [l.messageId.toLowerCase(), l.transactionHash]));
    await waitSettled(ids, (id) => oldTx.get(id.toLowerCase()));

    // every block from the first delivery up is replaced by an empty one
    const head = await c.b.publicClient.getBlockNumber();
    const first = BigInt(Math.min(...before.map((l) => Number(l.blockNumber))));
    const replaced = await c.b.publicClient.getBlock({ blockNumber: head });
    await c.reorgB(Number(head - first + 1n));
    // read at the old head's height (a re-delivery lands above it): another block, holding none of the messages
    expect((await c.b.publicClient.getBlock({ blockNumber: head })).hash).not.toBe(replaced.hash);
    for (const id of ids) expect(await consumedAt(id, head)).toBe(false);

    await c.waitDelivered(c.bridgeB, ids, 90_000);
    await waitAllDelivered(ids);
    const after = await c.receivedLogsB(ids);
    for (const id of ids) {
      const received = after.filter((l) => l.messageId.toLowerCase() === id.toLowerCase());
      // exactly once, and in a block the reorg did not touch: a new delivery
      expect(received).toHaveLength(1);
      expect((received[0] as { blockNumber: bigint }).blockNumber).toBeGreaterThan(head);
      expect(await c.receivedCountB(id)).toBe(1);
      // the nodes that noticed show why the message went back to deliver
      const reason = `delivery reorged out of ${c.chainB.name} at ${oldTx.get(id.toLowerCase())}; re-sending`;
      expect((await records(id)).filter((r) => r?.error === reason).length).toBeGreaterThan(0);
    }
    const total = amounts.reduce((a, b) => a + b, 0n);
    expect(await c.balanceB(recipient)).toBe(total);
    // every lock of this devnet minted once on B, no more
    expect(await c.supplyB()).toBe(await c.bridgeA.locked(c.sah));
  });

  it('the deliver stage, beaten by a delivery landing between its check and its send, counts the revert as delivered', async () => {
    const recipient = '0x00000000000000000000000000000000000e0a62' as Address;
    const id = await c.lock(parseEther('2'), recipient);
    await c.waitDelivered(c.bridgeB, [id]);
    const [delivered] = await c.receivedLogsB([id]);
    await waitSettled([id], () => delivered?.transactionHash);
    const root = (await records(id))[0]?.root as Hex;
    const nodeRedis = redisOf(1);
    const batch = (await new MessageStore(nodeRedis).getBatch(root)) as BatchRecord;
    nodeRedis.disconnect();
    expect(batch.ids.map((x) => x.toLowerCase())).toEqual([id.toLowerCase()]);

    // the nodes stop and a reorg undoes the delivery: the signed batch is waiting for a delivery again
    await Promise.all(OPERATORS.map((o) => devnet.stopNode(o)));
    const head = await c.b.publicClient.getBlockNumber();
    await c.reorgB(Number(head - (delivered?.blockNumber as bigint) + 1n));
    expect(await c.isConsumed(c.bridgeB, id)).toBe(false);

    // a pipeline of this test's own: a store on a Redis database no node uses, the deliver stage in a BullMQ
    // worker, an adapter on B whose look at the chain is followed by a courier's delivery of the same batch
    const redis = redisOf(SPARE_DB);
    await redis.flushdb();
    const store = new MessageStore(redis);
    await store.saveBatch(batch);
    const message = batch.messages[0] as Hex;
    await store.observe({
      messageId: id,
      message,
      sourceChain: c.chainA.protocolChainId,
      destinationChain: c.chainB.protocolChainId,
      nonce: 0n,
      sourceTx: `0x${'00'.repeat(32)}`,
      sourceBlock: 0n,
    });
    await store.advance(id, 'signed', { root });
    const chainConfig: Omit<EvmChainConfig, 'verifier'> = {
      name: c.chainB.name,
      family: 'evm',
      devnet: true,
      unsafeConfirmationsFinality: false,
      protocolChainId: c.chainB.protocolChainId,
      evmChainId: c.chainB.evmChainId,
      rpcUrl: c.chainB.rpcUrl,
      bridge: c.chainB.bridge,
      finality: { confirmations: 0 },
      startBlock: 0n,
      pollIntervalMs: 100,
      maxBlockRange: 1000,
    };
    const courier = new EvmChainAdapter(chainConfig, ANVIL_KEYS[9] as Hex);
    let courierTx: Hex | undefined;
    const adapter = new RacedAdapter(chainConfig, ANVIL_KEYS[8] as Hex, async () => {
      courierTx = await courier.deliver(batch);
      await c.b.publicClient.waitForTransactionReceipt({ hash: courierTx });
    });
    const stageWallet = privateKeyToAccount(ANVIL_KEYS[8] as Hex).address;
    const nonceBefore = await c.b.publicClient.getTransactionCount({ address: stageWallet });
    const queues = new Map<string, Queue>();
    const queue = (stage: Parameters<PipelineContext['queue']>[0], chain: number) => {
      const name = queueName(stage, chain);
      if (!queues.has(name)) queues.set(name, new Queue(name, { connection: redis }));
      return queues.get(name) as Queue;
    };
    const events: string[] = [];
    // the deliver stage reads the store, the adapters, the queues, the log and the metrics of its context
    const ctx = {
      operatorId: 1,
      operators: OPERATORS,
      store,
      adapters: new Map([[c.chainB.protocolChainId, adapter]]),
      metrics: new Metrics(),
      queue,
      log: (event: string) => events.push(event),
    } as unknown as PipelineContext;
    const workerRedis = redisOf(SPARE_DB);
    const worker = new Worker(queueName('deliver', c.chainB.protocolChainId), deliverStage(ctx) as Processor, {
      connection: workerRedis,
    });
    const failures: string[] = [];
    worker.on('failed', (_job, err) => failures.push(err.message));
    try {
      const job = await queue('deliver', c.chainB.protocolChainId).add('deliver', { root } satisfies DeliverJob, {
        jobId: 'raced',
        attempts: 5,
      });
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && (await job.getState()) !== 'completed')
        await new Promise((r) => setTimeout(r, 100));
      expect(await job.getState()).toBe('completed');
      // one send, refused by the bridge's replay protection, and no failed attempt for it
      expect(adapter.sends).toBe(1);
      expect(adapter.refusals).toEqual(['MessageAlreadyConsumed']);
      expect(failures).toEqual([]);
      expect(events).not.toContain('deliver.submitted');
      // the refusal was the simulation's: the stage's wallet spent no transaction
      expect(await c.b.publicClient.getTransactionCount({ address: stageWallet })).toBe(nonceBefore);
      expect((await store.get(id))?.stage).toBe('delivered');
      expect(courierTx).toBeDefined();
      expect(await c.receivedCountB(id)).toBe(1);
    } finally {
      await worker.close();
      for (const q of queues.values()) await q.close();
      workerRedis.disconnect();
      redis.disconnect();
    }

    // the nodes come back to the courier's delivery: still delivered on every node, received once
    await Promise.all(OPERATORS.map((o) => devnet.startNode(o)));
    await waitAllDelivered([id]);
    expect(await c.receivedCountB(id)).toBe(1);
    expect(await c.balanceB(recipient)).toBe(parseEther('2'));
    expect(await c.supplyB()).toBe(await c.bridgeA.locked(c.sah));
  });
});
