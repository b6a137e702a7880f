/**
 * The list queries at scale, through the real public API (buildApi) over a real Redis: 10,000 attestations
 * by one owner and 10,000 on one chain, 5,000 of them both. The old in-process intersection took seconds
 * on sets this size; the Redis-side walk must answer a page in well under 100 ms, with the right items and
 * total, and paging by cursor must visit every match exactly once.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { bytesToHex, type Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedis } from '../../devnet/redis.js';
import { type ObservedMessage, observedMessage } from '../chains/adapter.js';
import { FlowIndex, migrateFlowIndex } from '../pipeline/flowIndex.js';
import { MessageStore } from '../pipeline/store.js';
import { encodeMessage, type Message } from '../protocol/message.js';
import { buildApi } from './server.js';

const P = 10001;
const Q = 10003;
const K = 10004;
const OWNER = 'did:pkh:eip155:31001:0x70997970c51812dc3a010c7d01b50e0d17dc79c8';
const OTHER = 'did:pkh:cosmos:sah-devnet-1:wasm1other';
const PER_GROUP = 5_000;

const hash = (label: string) => `0x${createHash('sha256').update(label).digest('hex')}` as Hex;

/** Attestation i: group 0 by OWNER on P->Q, group 1 by OWNER on P->K, group 2 by OTHER on Q->K. */
function attestation(i: number): ObservedMessage {
  const group = Math.floor(i / PER_GROUP);
  const [source, destination, ownerDid] = [
    [P, Q, OWNER],
    [P, K, OWNER],
    [Q, K, OTHER],
  ][group] as [number, number, string];
  const m = {
    kind: 'DataAttestation',
    sourceChain: source,
    destinationChain: destination,
    nonce: BigInt(i + 1),
    sender: hash(`sender${i}`),
    recipient: hash('registry'),
    payload: {
      action: 'Register',
      dataHash: hash(`data${i}`),
      timestamp: 1_700_000_000n + BigInt(i),
      ownerDid,
      uri: `ipfs://data/${i}`,
      license: 'CC-BY-4.0',
    },
  } as Message;
  return observedMessage(bytesToHex(encodeMessage(m)), hash(`tx${i}`), BigInt(i));
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
const sortedHashes = (is: number[]) => is.map((i) => hash(`data${i}`)).sort();

describe('attestation and job lists at 10,000 x 10,000 (real Redis, real API)', () => {
  let server: RedisServer;
  let redis: Redis;
  let store: MessageStore;
  let app: FastifyInstance;
  const both = sortedHashes(range(PER_GROUP, 2 * PER_GROUP));
  const ownerAll = sortedHashes(range(0, 2 * PER_GROUP));
  const chainAll = sortedHashes(range(PER_GROUP, 3 * PER_GROUP));

  beforeAll(async () => {
    server = await startRedis({ dir: mkdtempSync(join(tmpdir(), 'sah-flowlist-')) });
    redis = new Redis(server.url(0));
    store = new MessageStore(redis);
    for (let from = 0; from < 3 * PER_GROUP; from += 1_000) {
      const batch = range(from, from + 1_000).map(attestation);
      expect(await store.observeMany(batch)).toHaveLength(batch.length);
    }
    app = await buildApi(
      {
        store,
        health: async () => ({ status: 'ok' }),
        metrics: async () => ({ contentType: 'text/plain', body: '' }),
        verifier: () => [],
      },
      // this test pages through the whole intersection from one address
      { rateLimit: { max: 10_000 } },
    );
    // boot the plugins and compile the schemas now, as listen() would before the first request
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    redis?.disconnect();
    await server?.stop();
  });

  async function timed(url: string): Promise<{ ms: number; body: Record<string, unknown> & { total: number } }> {
    const started = performance.now();
    const res = await app.inject({ url });
    const ms = performance.now() - started;
    expect([url, res.statusCode]).toEqual([url, 200]);
    return { ms, body: res.json() };
  }

  /**
   * The query three times; the median is what the bound is checked on, so one scheduler hiccup on a shared
   * 2-core machine does not decide it while a query that is slow every time still fails. Every answer must
   * be the same.
   */
  async function measured(
    url: string,
  ): Promise<{ ms: number; samples: number[]; body: Record<string, unknown> & { total: number } }> {
    const runs = [await timed(url), await timed(url), await timed(url)];
    for (const r of runs.slice(1)) expect(r.body).toEqual(runs[0]?.body);
    const samples = runs.map((r) => r.ms);
    return { ms: [...samples].sort((a, b) => a - b)[1] as number, samples, body: (runs[0] as (typeof runs)[0]).body };
  }

  it('owner AND chain: the first page, a page from a cursor, owner only, chain only, each well under 100 ms', async () => {
    const owner = encodeURIComponent(OWNER);
    // one request of the same route first (a disjoint filter, so no page is cached anywhere): what follows
    // measures the queries, not V8 compiling the handler, validator and serializer on their first call
    const warmUp = await timed(`/v1/attestations?owner=${encodeURIComponent(OTHER)}&chain=${P}&limit=100`);
    expect(warmUp.body).toEqual({ attestations: [], total: 0 });
    const first = await measured(`/v1/attestations?owner=${owner}&chain=${K}&limit=100`);
    const middle = await measured(`/v1/attestations?owner=${owner}&chain=${K}&limit=100&cursor=${both[2_499]}`);
    const ownerOnly = await measured(`/v1/attestations?owner=${owner}&limit=100`);
    const chainOnly = await measured(`/v1/attestations?chain=${K}&limit=100&cursor=${chainAll[9_899]}`);
    const show = (t: { samples: number[] }) => t.samples.map((ms) => ms.toFixed(1)).join(' / ');
    console.log(
      `10,000 x 10,000 attestation lists (5,000 in both), page of 100, ms per request (3 runs each; cold warm-up ${warmUp.ms.toFixed(1)}): ` +
        `owner&chain first page ${show(first)}; owner&chain from a cursor ${show(middle)}; ` +
        `owner only ${show(ownerOnly)}; chain only, last page ${show(chainOnly)}`,
    );
    for (const t of [first, middle, ownerOnly, chainOnly]) expect(t.ms).toBeLessThan(100);

    const hashes = (b: Record<string, unknown>) => (b.attestations as { dataHash: Hex }[]).map((a) => a.dataHash);
    expect(first.body.total).toBe(PER_GROUP);
    expect(hashes(first.body)).toEqual(both.slice(0, 100));
    expect(first.body.nextCursor).toBe(both[99]);
    expect(middle.body.total).toBe(PER_GROUP);
    expect(hashes(middle.body)).toEqual(both.slice(2_500, 2_600));
    expect(ownerOnly.body.total).toBe(2 * PER_GROUP);
    expect(hashes(ownerOnly.body)).toEqual(ownerAll.slice(0, 100));
    expect(chainOnly.body.total).toBe(2 * PER_GROUP);
    expect(hashes(chainOnly.body)).toEqual(chainAll.slice(9_900));
    expect(chainOnly.body.nextCursor).toBeUndefined();

    // every item of the intersection is a full view: OWNER's attestation on P->K
    for (const a of first.body.attestations as { owners: string[]; messages: Record<string, unknown>[] }[]) {
      expect(a.owners).toEqual([OWNER]);
      expect(a.messages).toHaveLength(1);
      expect(a.messages[0]).toMatchObject({
        action: 'Register',
        sourceChain: P,
        destinationChain: K,
        stage: 'observed',
      });
    }
  });

  it('paging by cursor visits each of the 5,000 matches once, in order, and ends without a cursor', async () => {
    const seen: Hex[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const { body } = await timed(
        `/v1/attestations?owner=${encodeURIComponent(OWNER)}&chain=${K}&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(body.total).toBe(PER_GROUP);
      seen.push(...(body.attestations as { dataHash: Hex }[]).map((a) => a.dataHash));
      cursor = body.nextCursor as string | undefined;
      pages++;
    } while (cursor && pages < 100);
    expect(pages).toBe(50);
    expect(seen).toEqual(both);
  });

  it('a disjoint filter answers an empty page and total 0 after walking the smaller index', async () => {
    const started = performance.now();
    const page = await new FlowIndex(redis).attestationPage({ owner: OTHER, chain: P }, { limit: 100 });
    const ms = performance.now() - started;
    console.log(`disjoint owner (5,000) AND chain (10,000): ${ms.toFixed(1)} ms`);
    expect(page).toEqual({ items: [], total: 0 });
    expect(ms).toBeLessThan(100);
  });

  it('jobs page the same way: by payer and chain, with a cursor', async () => {
    const payer = hash('payer');
    const jobs = range(0, 30).map((i) => {
      const m = {
        kind: 'ComputeJob',
        sourceChain: P,
        destinationChain: i % 2 === 0 ? Q : K,
        nonce: BigInt(100_000 + i),
        sender: payer,
        recipient: hash('board'),
        payload: {
          action: 'Post',
          jobId: hash(`job${i}`),
          specHash: hash(`spec${i}`),
          paymentOriginChain: P,
          paymentOriginToken: `0x${'00'.repeat(12)}${'ab'.repeat(20)}`,
          paymentAmount: 1_000n,
          deadline: 2_000_000_000n,
          payer,
        },
      } as Message;
      return observedMessage(bytesToHex(encodeMessage(m)), hash(`jobtx${i}`), BigInt(i));
    });
    await store.observeMany(jobs);
    const toK = range(0, 30)
      .filter((i) => i % 2 === 1)
      .map((i) => hash(`job${i}`))
      .sort();
    const first = (await app.inject({ url: `/v1/jobs?payer=${payer}&chain=${K}&limit=10` })).json();
    expect(first.total).toBe(15);
    expect(first.jobs.map((j: { jobId: Hex }) => j.jobId)).toEqual(toK.slice(0, 10));
    expect(first.jobs[0]).toMatchObject({ status: 'posted', escrowChain: P, executorChain: K, payer });
    expect(first.nextCursor).toBe(toK[9]);
    const rest = (
      await app.inject({ url: `/v1/jobs?payer=${payer}&chain=${K}&limit=10&cursor=${first.nextCursor}` })
    ).json();
    expect(rest.jobs.map((j: { jobId: Hex }) => j.jobId)).toEqual(toK.slice(10));
    expect(rest.total).toBe(15);
    expect(rest.nextCursor).toBeUndefined();
  });

  it('migrateFlowIndex moves the plain-set indices an older node wrote into the sorted sets the queries read', async () => {
    const legacyOwner = 'did:pkh:eip155:31001:0xlegacy';
    const old = range(0, 1_500).map((i) => hash(`legacy${i}`).toUpperCase().replace('0X', '0x'));
    await redis.sadd(`flow:owner:${legacyOwner}`, ...old);
    await redis.sadd('flow:att-chain:4242', ...old.slice(0, 700));
    await redis.sadd('flow:payer:0xabc', hash('legacy-job'));
    expect(await migrateFlowIndex(redis)).toBe(3);
    expect(await redis.exists(`flow:owner:${legacyOwner}`, 'flow:att-chain:4242', 'flow:payer:0xabc')).toBe(0);
    const index = new FlowIndex(redis);
    const expected = old.map((h) => h.toLowerCase()).sort();
    const page = await index.attestationPage({ owner: legacyOwner }, { limit: 100 });
    expect(page.total).toBe(1_500);
    expect(page.items).toEqual(expected.slice(0, 100));
    const both = await index.attestationPage({ owner: legacyOwner, chain: 4242 }, { limit: 100 });
    expect(both.total).toBe(700);
    expect((await index.jobPage({ payer: '0xABC' }, { limit: 5 })).items).toEqual([hash('legacy-job')]);
    // a second run finds nothing left to move and changes nothing
    expect(await migrateFlowIndex(redis)).toBe(0);
    expect((await index.attestationPage({ owner: legacyOwner }, { limit: 1 })).total).toBe(1_500);
  });
});
