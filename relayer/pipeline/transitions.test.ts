import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { bytesToHex, type Hex } from 'viem';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RedisServer, startRedis } from '../../devnet/redis.js';
import { h, sampleAttestation } from '../../test/helpers/sampleMessages.js';
import { observedMessage } from '../chains/adapter.js';
import { encodeMessage } from '../protocol/message.js';
import type { PipelineContext } from './context.js';
import { Metrics } from './metrics.js';
import { type BatchRecord, MessageStore } from './store.js';
import { markDelivered } from './transitions.js';

const OWN_REVERTED_TX = h('e1');
const DELIVERER_TX = h('e2');

describe('markDelivered: the record names the transaction that delivered it (real Redis)', () => {
  let server: RedisServer;
  let redis: Redis;
  let store: MessageStore;
  let ctx: PipelineContext;
  let batch: BatchRecord;

  beforeAll(async () => {
    server = await startRedis({ dir: mkdtempSync(join(tmpdir(), 'sah-deliver-')) });
    redis = new Redis(server.url(0));
    store = new MessageStore(redis);
    // the destination stands in here as its one read (the e2e flows run the real chains' lookups)
    const destination = {
      name: 'destination',
      deliveryTransactions: async (ids: Hex[]) => {
        lookups.push(ids);
        if (failLookup) throw new Error('RPC unreachable');
        return new Map([...onChain].filter(([id]) => ids.includes(id)));
      },
    };
    ctx = {
      store,
      metrics: new Metrics(),
      adapters: new Map([[10002, destination]]),
      log: () => {},
    } as unknown as PipelineContext;
  });

  let onChain = new Map<Hex, Hex>();
  let failLookup = false;
  let lookups: Hex[][] = [];

  beforeEach(async () => {
    await redis.flushdb();
    onChain = new Map();
    failLookup = false;
    lookups = [];
    const observed = [1n, 2n].map((n) =>
      observedMessage(bytesToHex(encodeMessage(sampleAttestation(n))), h(`a${n}`), n),
    );
    for (const o of observed) expect(await store.observe(o)).toBe(true);
    batch = {
      root: h('77'),
      destinationChain: 10002,
      epoch: 1,
      signature: h('55'),
      ids: observed.map((o) => o.messageId),
      messages: observed.map((o) => o.message),
      coordinator: 2,
      signers: [1, 2, 3],
    };
  });

  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it("a delivery this node did not make is named by the destination's receive events, not by a peer", async () => {
    // a takeover job saw the batch consumed in the destination's final state; the chain names the deliverer's tx
    onChain = new Map(batch.ids.map((id) => [id, DELIVERER_TX]));
    await markDelivered(ctx, batch);
    for (const id of batch.ids) {
      const r = await store.get(id);
      expect(r?.stage).toBe('delivered');
      expect(r?.deliveryTx).toBe(DELIVERER_TX);
    }
    expect(lookups).toEqual([batch.ids]);
    const deliveredAt = (await store.get(batch.ids[0] as Hex))?.deliveredAt;
    // a later count (a peer's report, another takeover) neither asks again nor replaces it, nor moves the time
    onChain = new Map(batch.ids.map((id) => [id, h('e3')]));
    await markDelivered(ctx, batch);
    for (const id of batch.ids) expect((await store.get(id))?.deliveryTx).toBe(DELIVERER_TX);
    expect(lookups).toHaveLength(1);
    expect((await store.get(batch.ids[0] as Hex))?.deliveredAt).toBe(deliveredAt);
  });

  it('a delivery counted while the chain could not name its tx gets it on the next count', async () => {
    failLookup = true;
    await markDelivered(ctx, batch);
    for (const id of batch.ids) expect((await store.get(id))?.deliveryTx).toBeUndefined();
    failLookup = false;
    onChain = new Map([[batch.ids[0] as Hex, DELIVERER_TX]]);
    await markDelivered(ctx, batch);
    expect((await store.get(batch.ids[0] as Hex))?.deliveryTx).toBe(DELIVERER_TX);
    // the chain did not name the other one (yet): nothing is made up for it
    expect((await store.get(batch.ids[1] as Hex))?.deliveryTx).toBeUndefined();
  });

  it("this node's own reverted attempt is never shown as the delivery", async () => {
    for (const id of batch.ids) await store.advance(id, 'submitted', { deliveryTx: OWN_REVERTED_TX });
    onChain = new Map(batch.ids.map((id) => [id, DELIVERER_TX]));
    await markDelivered(ctx, batch, { staleTx: OWN_REVERTED_TX });
    for (const id of batch.ids) expect((await store.get(id))?.deliveryTx).toBe(DELIVERER_TX);
  });

  it('when the chain cannot name the delivery, the record shows none rather than the reverted attempt', async () => {
    for (const id of batch.ids) await store.advance(id, 'submitted', { deliveryTx: OWN_REVERTED_TX });
    failLookup = true;
    await markDelivered(ctx, batch, { staleTx: OWN_REVERTED_TX });
    for (const id of batch.ids) {
      const r = await store.get(id);
      expect(r?.stage).toBe('delivered');
      expect(r?.deliveryTx).toBeUndefined();
    }
  });

  it("the chain's word replaces a peer's earlier one; it stands in only while the chain has not answered", async () => {
    // the peer route stored a peer's tx at submitted while this node trailed the final block
    for (const id of batch.ids) await store.advance(id, 'submitted', { deliveryTx: h('e4') });
    onChain = new Map([[batch.ids[0] as Hex, DELIVERER_TX]]);
    await markDelivered(ctx, batch, { staleTx: OWN_REVERTED_TX });
    expect((await store.get(batch.ids[0] as Hex))?.deliveryTx).toBe(DELIVERER_TX);
    expect((await store.get(batch.ids[1] as Hex))?.deliveryTx).toBe(h('e4'));
  });

  it("this node's own confirmed transaction is used as it is, with no lookup", async () => {
    await markDelivered(ctx, batch, { tx: h('e5') });
    for (const id of batch.ids) expect((await store.get(id))?.deliveryTx).toBe(h('e5'));
    expect(lookups).toEqual([]);
  });
});
