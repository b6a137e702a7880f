import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { bytesToHex, type Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedis } from '../../devnet/redis.js';
import { observedMessage } from '../chains/adapter.js';
import { FlowIndex } from '../pipeline/flowIndex.js';
import { MessageStore } from '../pipeline/store.js';
import { encodeMessage, type Message } from '../protocol/message.js';
import { addFlowRoutes } from './flows.js';
import { createServer } from './http.js';

const A = 10001;
const B = 10003;
const C = 10004;
const h = (byte: string) => `0x${byte.repeat(32)}` as Hex;
const dataHash = h('d1');
const jobId = h('0b');
const payer = h('0a');
const owner = 'did:pkh:eip155:31001:0x70997970c51812dc3a010c7d01b50e0d17dc79c8';
const intruder = 'did:pkh:cosmos:sah-devnet-1:wasm1intruder';

function header(kind: Message['kind'], sourceChain: number, destinationChain: number, nonce: bigint) {
  return { kind, sourceChain, destinationChain, nonce, sender: payer, recipient: h('00') };
}

const register = (source: number, destination: number, nonce: bigint, ownerDid: string, timestamp: bigint) =>
  ({
    ...header('DataAttestation', source, destination, nonce),
    payload: { action: 'Register', dataHash, timestamp, ownerDid, uri: 'ipfs://data', license: 'CC-BY-4.0' },
  }) as Message;

const post = {
  ...header('ComputeJob', A, B, 7n),
  payload: {
    action: 'Post',
    jobId,
    specHash: h('5e'),
    paymentOriginChain: A,
    paymentOriginToken: `0x${'00'.repeat(12)}${'ab'.repeat(20)}`,
    paymentAmount: 1_000n,
    deadline: 2_000_000_000n,
    payer,
  },
} as Message;
const result = {
  ...header('ComputeResult', B, A, 3n),
  payload: { outcome: 'Completed', jobId, resultHash: h('7e'), executor: h('0e'), timestamp: 1_900_000_000n },
} as Message;

describe('attestation and job views over observed messages (real Redis)', () => {
  let server: RedisServer;
  let redis: Redis;
  let store: MessageStore;
  let app: FastifyInstance;
  const ids: Record<string, Hex> = {};

  async function observe(name: string, m: Message, n: number) {
    const o = observedMessage(bytesToHex(encodeMessage(m)), h(n.toString(16).padStart(2, '0')), BigInt(n));
    ids[name] = o.messageId;
    expect(await store.observe(o)).toBe(true);
  }

  beforeAll(async () => {
    server = await startRedis({ dir: mkdtempSync(join(tmpdir(), 'sah-flows-')) });
    redis = new Redis(server.url(0));
    store = new MessageStore(redis);
    await observe('toB', register(A, B, 1n, owner, 100n), 1);
    await observe('toC', register(A, C, 2n, owner, 100n), 2);
    await observe('intruder', register(B, C, 9n, intruder, 150n), 3);
    await observe('post', post, 4);
    app = await createServer();
    addFlowRoutes(app, store, new FlowIndex(redis));
  });

  afterAll(async () => {
    await app?.close();
    redis?.disconnect();
    await server?.stop();
  });

  it('an attestation by data hash: every message, its stage, and both owners when another DID claims it', async () => {
    await store.advance(ids.toB as Hex, 'delivered', { deliveryTx: h('dd') });
    const res = await app.inject({ method: 'GET', url: `/v1/attestations/${dataHash}` });
    expect(res.statusCode).toBe(200);
    const view = res.json();
    expect(view.owners).toEqual([owner, intruder]);
    expect(
      view.messages.map((m: { destinationChain: number; stage: string }) => [m.destinationChain, m.stage]),
    ).toEqual([
      [B, 'delivered'],
      [C, 'observed'],
      [C, 'observed'],
    ]);
    expect(view.messages[0]).toMatchObject({
      action: 'Register',
      sourceChain: A,
      uri: 'ipfs://data',
      deliveryTx: h('dd'),
    });
  });

  it('attestations by owner DID and by chain, and their intersection', async () => {
    const byOwner = (await app.inject({ url: `/v1/attestations?owner=${encodeURIComponent(intruder)}` })).json();
    expect(byOwner.attestations.map((a: { dataHash: Hex }) => a.dataHash)).toEqual([dataHash]);
    expect(byOwner.total).toBe(1);
    expect(byOwner.nextCursor).toBeUndefined();
    const byChain = (await app.inject({ url: `/v1/attestations?chain=${C}` })).json();
    expect(byChain.attestations).toHaveLength(1);
    expect(byChain.total).toBe(1);
    const both = (await app.inject({ url: `/v1/attestations?owner=${encodeURIComponent(owner)}&chain=${B}` })).json();
    expect(both.attestations.map((a: { dataHash: Hex }) => a.dataHash)).toEqual([dataHash]);
    expect(both.total).toBe(1);
    const none = (await app.inject({ url: `/v1/attestations?owner=${encodeURIComponent(owner)}&chain=99` })).json();
    expect(none).toEqual({ attestations: [], total: 0 });
    // a cursor at (or past) the only entry: an empty page, the total unchanged
    const after = (await app.inject({ url: `/v1/attestations?chain=${C}&cursor=${dataHash}` })).json();
    expect(after).toEqual({ attestations: [], total: 1 });
  });

  it('a job moves posted -> open -> completed -> paid as its messages advance', async () => {
    const status = async () => (await app.inject({ url: `/v1/jobs/${jobId}` })).json().status;
    expect(await status()).toBe('posted');
    await store.advance(ids.post as Hex, 'delivered');
    expect(await status()).toBe('open');
    await observe('result', result, 5);
    expect(await status()).toBe('completed');
    await store.advance(ids.result as Hex, 'delivered');
    const view = (await app.inject({ url: `/v1/jobs/${jobId}` })).json();
    expect(view).toMatchObject({
      status: 'paid',
      escrowChain: A,
      executorChain: B,
      payer,
      payment: { originChain: A, amount: '1000' },
      result: { outcome: 'Completed', resultHash: h('7e'), executor: h('0e') },
    });
    expect(view.messages.map((m: { kind: string }) => m.kind).sort()).toEqual(['post', 'result']);
    const byPayer = (await app.inject({ url: `/v1/jobs?payer=${payer}&chain=${B}` })).json();
    expect(byPayer.jobs.map((j: { jobId: Hex }) => j.jobId)).toEqual([jobId]);
    expect(byPayer.total).toBe(1);
    const elsewhere = (await app.inject({ url: `/v1/jobs?payer=${payer}&chain=${C}` })).json();
    expect(elsewhere).toEqual({ jobs: [], total: 0 });
  });

  it('bad requests are 400 or 404 with a named error, never 500', async () => {
    const cases: [string, number][] = [
      [`/v1/attestations/${h('ee')}`, 404],
      ['/v1/attestations/0x1234', 400],
      ['/v1/attestations', 400],
      ['/v1/attestations?owner=not-a-did', 400],
      ['/v1/attestations?chain=0', 400],
      [`/v1/jobs/${h('ee')}`, 404],
      ['/v1/jobs?payer=0x12', 400],
      ['/v1/jobs?nope=1', 400],
      [`/v1/attestations?chain=${A}&limit=0`, 400],
      [`/v1/attestations?chain=${A}&limit=101`, 400],
      [`/v1/attestations?chain=${A}&limit=ten`, 400],
      [`/v1/attestations?chain=${A}&cursor=0x12`, 400],
      [`/v1/attestations?limit=10`, 400],
      [`/v1/jobs?chain=${A}&limit=1000`, 400],
      [`/v1/jobs?chain=${A}&cursor=${'z'.repeat(66)}`, 400],
    ];
    for (const [url, code] of cases) {
      const res = await app.inject({ url });
      expect([url, res.statusCode]).toEqual([url, code]);
      expect(typeof res.json().error).toBe('string');
    }
  });
});
