/**
 * The public listener's guards (rate limit, under-pressure, security headers) and the split of the internal
 * routes, on real fastify instances over a real Redis.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RedisServer, startRedis } from '../../devnet/redis.js';
import { MessageStore } from '../pipeline/store.js';
import { type ApiDeps, buildApi, buildInternalApi, type PublicApiOptions, RATE_LIMIT_DEFAULTS } from './server.js';

const METRICS = '# HELP sah_test 1\n# TYPE sah_test counter\nsah_test 1\n';

describe('public API guards and the internal listener (real Redis, real fastify)', () => {
  let server: RedisServer;
  let redis: Redis;
  let store: MessageStore;
  let deps: ApiDeps;
  const apps: FastifyInstance[] = [];

  async function api(opts: PublicApiOptions = {}): Promise<FastifyInstance> {
    const app = await buildApi(deps, opts);
    apps.push(app);
    await app.ready();
    return app;
  }

  beforeAll(async () => {
    server = await startRedis({ dir: mkdtempSync(join(tmpdir(), 'sah-api-')) });
    redis = new Redis(server.url(0));
    store = new MessageStore(redis);
    deps = {
      store,
      health: async () => ({ status: 'ok' }),
      metrics: async () => ({ contentType: 'text/plain; version=0.0.4', body: METRICS }),
      verifier: () => [],
    };
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });

  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('the rate limit answers 429 with a JSON reason after `max` requests from one address, and only to it', async () => {
    const app = await api({ rateLimit: { max: 5, timeWindowMs: 60_000 } });
    for (let i = 0; i < 5; i++) {
      const ok = await app.inject({ url: '/v1/health', remoteAddress: '203.0.113.7' });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['x-ratelimit-limit']).toBe('5');
      expect(ok.headers['x-ratelimit-remaining']).toBe(String(4 - i));
    }
    const limited = await app.inject({ url: '/v1/health', remoteAddress: '203.0.113.7' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({
      error: 'RateLimited',
      message: expect.stringMatching(/more than 5 requests in 60 s/),
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    // every route counts against the same budget, unknown ones too (a scanner gets no free requests)
    expect((await app.inject({ url: '/v1/attestations?chain=1', remoteAddress: '203.0.113.7' })).statusCode).toBe(429);
    expect((await app.inject({ url: '/nope', remoteAddress: '203.0.113.7' })).statusCode).toBe(429);
    // another client is not affected
    expect((await app.inject({ url: '/v1/health', remoteAddress: '198.51.100.2' })).statusCode).toBe(200);
  });

  it('the default limit is a few hundred requests a minute and an allow-listed address is never limited', async () => {
    expect(RATE_LIMIT_DEFAULTS).toEqual({ max: 600, timeWindowMs: 60_000 });
    const app = await api({ rateLimit: { max: 2, allowList: ['10.0.0.9'] } });
    for (let i = 0; i < 5; i++)
      expect((await app.inject({ url: '/v1/health', remoteAddress: '10.0.0.9' })).statusCode).toBe(200);
    const defaults = await api();
    const res = await defaults.inject({ url: '/v1/health' });
    expect(res.headers['x-ratelimit-limit']).toBe('600');
  });

  it('bad rate-limit options are refused when the API is built, not at the first request', async () => {
    await expect(buildApi(deps, { rateLimit: { max: 0 } })).rejects.toThrow(/rateLimit.max must be at least 1/);
    await expect(buildApi(deps, { rateLimit: { timeWindowMs: 1.5 } })).rejects.toThrow(
      /rateLimit.timeWindowMs 1.5 is not a non-negative integer/,
    );
    await expect(buildApi(deps, { underPressure: { maxEventLoopDelayMs: -1 } })).rejects.toThrow(
      /underPressure.maxEventLoopDelayMs -1/,
    );
    // an option passed as undefined (a config field left out) keeps its default rather than lifting the limit
    const app = await api({ rateLimit: { max: undefined }, underPressure: { maxEventLoopDelayMs: undefined } });
    expect((await app.inject({ url: '/v1/health' })).headers['x-ratelimit-limit']).toBe(
      String(RATE_LIMIT_DEFAULTS.max),
    );
  });

  it('under-pressure answers 503 with a JSON reason and Retry-After while the event loop is blocked, 200 after', async () => {
    const app = await api({
      underPressure: { maxEventLoopDelayMs: 20, sampleIntervalMs: 50, retryAfterSeconds: 7 },
      rateLimit: { max: 1_000 },
    });
    const statuses: number[] = [];
    const get = async () => {
      const res = await app.inject({ url: '/v1/health' });
      statuses.push(res.statusCode);
      return res;
    };
    expect((await get()).statusCode).toBe(200);
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    let res = await get();
    for (let i = 0; i < 10 && res.statusCode !== 503; i++) {
      busy(300);
      // the sampler's timer is overdue by now and runs before this one: it records the 300 ms stall
      await new Promise((r) => setTimeout(r, 1));
      res = await get();
    }
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.json()).toEqual({
      error: 'Overloaded',
      message: expect.stringMatching(/^the node is overloaded \(event loop delay .+ > 20 ms\); retry in 7 s$/),
    });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // once the loop runs freely again, the next samples clear it
    const deadline = Date.now() + 5_000;
    while (res.statusCode !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 60));
      res = await get();
    }
    expect(res.statusCode).toBe(200);
    // a shed request never reached the rate limit: only the served ones were counted
    const served = statuses.filter((s) => s === 200).length;
    expect(statuses.length - served).toBeGreaterThan(0);
    expect(res.headers['x-ratelimit-remaining']).toBe(String(1_000 - served));
  });

  it('security headers on every public reply: routes, errors and unknown routes', async () => {
    const app = await api();
    for (const [url, status] of [
      ['/v1/health', 200],
      ['/v1/attestations?chain=0', 400],
      ['/nope', 404],
    ] as const) {
      const res = await app.inject({ url });
      expect([url, res.statusCode]).toEqual([url, status]);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
      expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('/v1/blame lists every blamed operator and reason from the set blame() keeps, never calling KEYS', async () => {
    await store.blame(3, 'timeout');
    await store.blame(3, 'timeout');
    await store.blame(3, 'bad-share');
    await store.blame(12, 'timeout');
    // an unrelated key under the old pattern must not show up as an operator
    await redis.set('blame:stray', 'x');
    const keys = vi.spyOn(redis, 'keys');
    const scan = vi.spyOn(redis, 'scan');
    const app = await api();
    const res = await app.inject({ url: '/v1/blame' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ '3': { timeout: 2, 'bad-share': 1 }, '12': { timeout: 1 } });
    expect(keys).not.toHaveBeenCalled();
    expect(scan).not.toHaveBeenCalled();
    // and Redis itself never saw a KEYS: its command statistics count none
    const stats = await redis.info('commandstats');
    expect(stats).not.toMatch(/^cmdstat_keys:/m);
  });

  it('internal routes: on the public listener by default, off it on request, and on buildInternalApi', async () => {
    const both = await api();
    expect((await both.inject({ url: '/metrics' })).body).toBe(METRICS);
    expect((await both.inject({ url: '/v1/blame' })).statusCode).toBe(200);

    const publicOnly = await api({ internalRoutes: false });
    for (const url of ['/metrics', '/v1/blame']) {
      const res = await publicOnly.inject({ url });
      expect([url, res.statusCode]).toEqual([url, 404]);
      expect(res.json().error).toBe('NotFound');
    }
    expect((await publicOnly.inject({ url: '/v1/health' })).statusCode).toBe(200);

    const internal = await buildInternalApi({ store, metrics: deps.metrics });
    apps.push(internal);
    const metrics = await internal.inject({ url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toBe('text/plain; version=0.0.4');
    expect(metrics.body).toBe(METRICS);
    expect((await internal.inject({ url: '/v1/blame' })).json()).toMatchObject({ '3': { timeout: 2 } });
    // only those: the public routes are not served there
    expect((await internal.inject({ url: '/v1/health' })).statusCode).toBe(404);
    expect((await internal.inject({ url: '/v1/attestations?chain=1' })).statusCode).toBe(404);
  });
});
