/**
 * The node's public API (message status, health, attestations and jobs, OpenAPI) and its internal one
 * (Prometheus metrics, blame per peer operator). The peer API (signing rounds, signed batches, DKG) listens
 * on its own port (peer/routes.ts). Every route has a schema; bad input gets a 4xx with a reason, never a
 * 5xx. The public listener is open to anyone, so it carries security headers (helmet), sheds load when the
 * process is overloaded (under-pressure, 503) and limits requests per client address (rate-limit, 429).
 */
import { getHeapStatistics } from 'node:v8';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FlowIndex } from '../pipeline/flowIndex.js';
import type { MessageStore } from '../pipeline/store.js';
import type { ChainVerifierStatus } from '../pipeline/verifierStatus.js';
import { addFlowRoutes } from './flows.js';
import { createServer } from './http.js';

export interface ApiDeps {
  store: MessageStore;
  health: () => Promise<Record<string, unknown>>;
  metrics: () => Promise<{ contentType: string; body: string }>;
  /** Per source chain: finality mode, proofs made and refused, the last failure with its reason. */
  verifier: () => ChainVerifierStatus[];
}

/** What the internal listener needs: the metrics and the store the blame counters live in. */
export type InternalApiDeps = Pick<ApiDeps, 'store' | 'metrics'>;

/** Every limit left out or undefined (a config field left out) keeps its default: see settle(). */
export interface RateLimitOptions {
  /** Requests one client address may make per window (default 600). */
  max?: number | undefined;
  /** The window in ms (default 60,000). */
  timeWindowMs?: number | undefined;
  /** Client addresses never limited (e.g. a monitoring host); empty by default. */
  allowList?: string[] | undefined;
}

/** Every limit left out or undefined (a config field left out) keeps its default: see settle(). */
export interface UnderPressureOptions {
  /** Mean event-loop delay over a sample, in ms, above which requests get 503 (default 1,000; 0 = off). */
  maxEventLoopDelayMs?: number | undefined;
  /** Heap in use, in bytes, above which requests get 503 (default 90% of V8's heap limit; 0 = off). */
  maxHeapUsedBytes?: number | undefined;
  /** Resident set size, in bytes, above which requests get 503 (default 0 = off). */
  maxRssBytes?: number | undefined;
  /** How often the process is sampled, in ms (default 1,000). */
  sampleIntervalMs?: number | undefined;
  /** Retry-After, in seconds, on a 503 (default 10). */
  retryAfterSeconds?: number | undefined;
}

export interface PublicApiOptions {
  /** The node's pino logger (errors of this listener). */
  logger?: FastifyBaseLogger;
  /**
   * Also serve the internal routes (/metrics, /v1/blame) on this listener (default true, one listener as
   * before). A node with an internal listener (buildInternalApi) passes false.
   */
  internalRoutes?: boolean;
  /** The config's `api.rateLimit` as it is (undefined when the config has none: the defaults). */
  rateLimit?: RateLimitOptions | undefined;
  /** The config's `api.underPressure` as it is (undefined when the config has none: the defaults). */
  underPressure?: UnderPressureOptions | undefined;
}

export const RATE_LIMIT_DEFAULTS = { max: 600, timeWindowMs: 60_000 } as const;
export const UNDER_PRESSURE_DEFAULTS = {
  maxEventLoopDelayMs: 1_000,
  sampleIntervalMs: 1_000,
  retryAfterSeconds: 10,
} as const;

const HASH = { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$' } as const;
const errorSchema = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' } },
} as const;
const messageSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    id: { type: 'string' },
    stage: { type: 'string', enum: ['observed', 'verified', 'signed', 'submitted', 'delivered', 'rejected', 'parked'] },
    sourceChain: { type: 'integer' },
    destinationChain: { type: 'integer' },
    nonce: { type: 'string' },
    sourceTx: { type: 'string' },
    deliveryTx: { type: 'string' },
    error: { type: 'string' },
  },
} as const;

/**
 * `given` over `defaults`, skipping undefined: a caller that passes `{ max: config.api?.max }` gets the
 * default, not "no limit". Every value must be a non-negative integer; a bad one fails the build of the API,
 * not its first request.
 */
function settle<T extends object>(
  what: string,
  defaults: Partial<Record<keyof T, number>>,
  given: T | undefined,
): Partial<Record<keyof T, number>> {
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(given ?? {}) as [string, unknown][]) {
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
      throw new Error(`${what}.${k} ${String(v)} is not a non-negative integer`);
    out[k] = v;
  }
  return out as Partial<Record<keyof T, number>>;
}

/**
 * Helmet, under-pressure and the rate limit, as onRequest hooks on every route of `app` (the 404 handler
 * too): registered before the routes, in the order they should answer: headers on every reply, then
 * shedding load without counting a request that will not be served, then the per-address limit.
 */
async function guard(app: FastifyInstance, opts: PublicApiOptions): Promise<void> {
  // a JSON API: nothing for a browser to render, frame or load from it
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  });

  const pressure = settle('underPressure', UNDER_PRESSURE_DEFAULTS, opts.underPressure);
  const retryAfter = pressure.retryAfterSeconds ?? UNDER_PRESSURE_DEFAULTS.retryAfterSeconds;
  const maxEventLoopDelay = pressure.maxEventLoopDelayMs ?? UNDER_PRESSURE_DEFAULTS.maxEventLoopDelayMs;
  // near V8's limit the process is about to die in GC; refusing new work gives it a chance to finish
  const maxHeapUsedBytes = pressure.maxHeapUsedBytes ?? Math.floor(getHeapStatistics().heap_size_limit * 0.9);
  const maxRssBytes = pressure.maxRssBytes ?? 0;
  await app.register(underPressure, {
    maxEventLoopDelay,
    maxHeapUsedBytes,
    maxRssBytes,
    sampleInterval: pressure.sampleIntervalMs ?? UNDER_PRESSURE_DEFAULTS.sampleIntervalMs,
    retryAfter,
    // answer here: the plugin's own error is a 503 our error handler (http.ts) would turn into a 500
    pressureHandler: (_req, reply, type, value) => {
      const v = value ?? 0;
      const mib = (n: number) => `${Math.round(n / 2 ** 20)} MiB`;
      const what =
        type === underPressure.TYPE_EVENT_LOOP_DELAY
          ? // no delay sample at all in an interval means the loop was blocked through it (the plugin says Infinity)
            `event loop delay ${Number.isFinite(v) ? `${Math.round(v)} ms` : 'unmeasured, blocked for a whole sample,'} > ${maxEventLoopDelay} ms`
          : type === underPressure.TYPE_HEAP_USED_BYTES
            ? `heap ${mib(v)} > ${mib(maxHeapUsedBytes)}`
            : type === underPressure.TYPE_RSS_BYTES
              ? `resident memory ${mib(v)} > ${mib(maxRssBytes)}`
              : type;
      reply
        .status(503)
        .header('retry-after', String(retryAfter))
        .send({ error: 'Overloaded', message: `the node is overloaded (${what}); retry in ${retryAfter} s` });
    },
  });

  const { allowList, ...counts } = opts.rateLimit ?? {};
  const limit = settle('rateLimit', RATE_LIMIT_DEFAULTS, counts);
  const max = limit.max ?? RATE_LIMIT_DEFAULTS.max;
  const timeWindowMs = limit.timeWindowMs ?? RATE_LIMIT_DEFAULTS.timeWindowMs;
  // 0 would mean "refuse everything" (max) or "never reset" (window): never what an operator meant
  if (max < 1) throw new Error('rateLimit.max must be at least 1');
  if (timeWindowMs < 1_000) throw new Error('rateLimit.timeWindowMs must be at least 1000');
  // global: false and our own hook, so the 429 carries our JSON error shape (the plugin's thrown error would
  // reach http.ts's handler as a generic BadRequest) and the 404 handler is limited too
  await app.register(rateLimit, {
    global: false,
    max,
    timeWindow: timeWindowMs,
    ...(allowList ? { allowList } : {}),
  });
  const check = app.createRateLimit();
  const windowSeconds = Math.ceil(timeWindowMs / 1000);
  app.addHook('onRequest', async (req, reply) => {
    const r = await check(req);
    if (r.isAllowed) return;
    reply.header('x-ratelimit-limit', r.max).header('x-ratelimit-reset', r.ttlInSeconds);
    if (!r.isExceeded) {
      reply.header('x-ratelimit-remaining', r.remaining);
      return;
    }
    return reply
      .status(429)
      .header('x-ratelimit-remaining', 0)
      .header('retry-after', r.ttlInSeconds)
      .send({
        error: 'RateLimited',
        message: `more than ${r.max} requests in ${windowSeconds} s from ${r.key}; retry in ${r.ttlInSeconds} s`,
      });
  });
}

/** /metrics and /v1/blame: for the operator's monitoring, not for the public. */
function addInternalRoutes(app: FastifyInstance, deps: InternalApiDeps): void {
  app.get(
    '/v1/blame',
    {
      schema: {
        summary: 'Signing failures per peer operator and reason',
        response: {
          200: {
            type: 'object',
            additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } },
          },
        },
      },
    },
    async () => deps.store.blames(),
  );

  app.get('/metrics', { schema: { summary: 'Prometheus metrics', hide: false } }, async (_req, reply) => {
    const m = await deps.metrics();
    return reply.header('content-type', m.contentType).send(m.body);
  });
}

/**
 * The internal listener: /metrics and /v1/blame only, without the public guards (it is meant for a private
 * address that Prometheus and the operator reach, and should answer precisely when the node is loaded).
 */
export async function buildInternalApi(deps: InternalApiDeps, logger?: FastifyBaseLogger): Promise<FastifyInstance> {
  const app = await createServer({ logger });
  addInternalRoutes(app, deps);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}

/** The public listener; see PublicApiOptions for the guards' limits and the internal routes. */
export async function buildApi(deps: ApiDeps, opts: PublicApiOptions = {}): Promise<FastifyInstance> {
  const app = await createServer({ logger: opts.logger });
  await guard(app, opts);

  app.get(
    '/v1/messages/:id',
    {
      schema: {
        summary: 'A message by id, with the stage it reached on this node',
        params: { type: 'object', required: ['id'], properties: { id: HASH } },
        response: { 200: messageSchema, 404: errorSchema },
      },
    },
    async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
      const record = await deps.store.get(req.params.id);
      if (!record) return reply.status(404).send({ error: 'NotFound', message: `no message ${req.params.id}` });
      return record;
    },
  );

  app.get(
    '/v1/messages',
    {
      schema: {
        summary: 'Messages emitted by a source transaction',
        querystring: {
          type: 'object',
          required: ['sourceTx'],
          additionalProperties: false,
          properties: { sourceTx: HASH },
        },
        response: { 200: { type: 'object', properties: { messages: { type: 'array', items: messageSchema } } } },
      },
    },
    async (req: FastifyRequest<{ Querystring: { sourceTx: string } }>) => ({
      messages: await deps.store.bySourceTx(req.query.sourceTx),
    }),
  );

  app.get(
    '/v1/health',
    {
      schema: {
        summary: 'Liveness and what the node follows',
        response: { 200: { type: 'object', additionalProperties: true } },
      },
    },
    async () => deps.health(),
  );

  app.get(
    '/v1/verifier',
    {
      schema: {
        summary: "What this node's verifiers proved and refused per source chain, with the last failure's reason",
        response: {
          200: {
            type: 'object',
            properties: {
              chains: {
                type: 'array',
                items: {
                  type: 'object',
                  additionalProperties: true,
                  required: ['chain', 'protocolChainId', 'mode', 'proved', 'refused', 'retried'],
                  properties: {
                    chain: { type: 'string' },
                    protocolChainId: { type: 'integer' },
                    mode: { type: 'string' },
                    proved: { type: 'integer' },
                    refused: { type: 'integer' },
                    retried: { type: 'integer' },
                    lastProof: { type: 'object', additionalProperties: true },
                    lastFailure: { type: 'object', additionalProperties: true },
                  },
                },
              },
            },
          },
        },
      },
    },
    async () => ({ chains: deps.verifier() }),
  );

  addFlowRoutes(app, deps.store, new FlowIndex(deps.store.redis));

  if (opts.internalRoutes ?? true) addInternalRoutes(app, deps);

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  return app;
}
