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
    ctx = { store, metrics: new Metrics() } as unknown as PipelineContext;
  });

  beforeEach(async () => {
    await redis.flushdb();
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

  it("counted final before the deliverer spoke, the deliverer's transaction fills it in later", async () => {
    // a takeover job saw the batch consumed in the destination's final state: delivered, tx unknown yet
    await markDelivered(ctx, batch);
    for (const id of batch.ids) {
      const r = await store.get(id);
      expect(r?.stage).toBe('delivered');
      expect(r?.deliveryTx).toBeUndefined();
    }
    const deliveredAt = (await store.get(batch.ids[0] as Hex))?.deliveredAt;
    // the deliverer's word arrives
    await markDelivered(ctx, batch, DELIVERER_TX);
    for (const id of batch.ids) {
      const r = await store.get(id);
      expect(r?.stage).toBe('delivered');
      expect(r?.deliveryTx).toBe(DELIVERER_TX);
    }
    // the delivery time is the first count's, not the late word's
    expect((await store.get(batch.ids[0] as Hex))?.deliveredAt).toBe(deliveredAt);
    // a later word naming another transaction does not replace it
    await markDelivered(ctx, batch, h('e3'));
    for (const id of batch.ids) expect((await store.get(id))?.deliveryTx).toBe(DELIVERER_TX);
  });

  it("this node's own reverted attempt is never shown as the delivery", async () => {
    for (const id of batch.ids) await store.advance(id, 'submitted', { deliveryTx: OWN_REVERTED_TX });
    await markDelivered(ctx, batch, undefined, OWN_REVERTED_TX);
    for (const id of batch.ids) {
      const r = await store.get(id);
      expect(r?.stage).toBe('delivered');
      expect(r?.deliveryTx).toBeUndefined();
    }
  });

  it('a transaction learned while the node still trailed the final block is kept', async () => {
    // the peer route stored the deliverer's tx at submitted; the stage later counts the batch final without it
    for (const id of batch.ids) await store.advance(id, 'submitted', { deliveryTx: DELIVERER_TX });
    await markDelivered(ctx, batch, undefined, OWN_REVERTED_TX);
    for (const id of batch.ids) expect((await store.get(id))?.deliveryTx).toBe(DELIVERER_TX);
  });
});
