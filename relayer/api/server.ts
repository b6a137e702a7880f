/**
 * The node's HTTP service: the public API (message status, health, metrics, OpenAPI) and the peer API
 * (signing rounds, signed batches, DKG) that only authenticated operators may call. Every route has a
 * schema; bad input gets a 4xx with a reason, never a 5xx.
 */
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { PeerAuthError, type PeerAuthenticator } from '../peer/auth.js';
import { FlowIndex } from '../pipeline/flowIndex.js';
import type { MessageStore } from '../pipeline/store.js';
import type { ChainVerifierStatus } from '../pipeline/verifierStatus.js';
import { SigningRefusedError } from '../signer/participant.js';
import { addFlowRoutes } from './flows.js';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
    peer?: number;
  }
}

export interface PeerRoute {
  path: string;
  body: Record<string, unknown>;
  handler: (body: never, peer: number) => Promise<unknown> | unknown;
}

export interface ApiDeps {
  store: MessageStore;
  authenticator: PeerAuthenticator;
  health: () => Promise<Record<string, unknown>>;
  metrics: () => Promise<{ contentType: string; body: string }>;
  /** Per source chain: finality mode, proofs made and refused, the last failure with its reason. */
  verifier: () => ChainVerifierStatus[];
  peerRoutes: PeerRoute[];
}

/** An input error a handler raises on purpose: the client gets `status` and the message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

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

/** A fastify instance with our JSON parsing, OpenAPI and error mapping; no routes yet. */
export async function createServer(): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });
  // keep the raw body: peer requests are authenticated over its exact bytes
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    (req as FastifyRequest).rawBody = body as string;
    if ((body as string).length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new ApiError(400, 'body is not valid JSON'), undefined);
    }
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'SAH bridge relayer node',
        version: '1.0.0',
        description: 'Public and peer API of one relayer node',
      },
    },
  });

  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown }, _req, reply) => {
    if (error instanceof ApiError)
      return reply.status(error.status).send({ error: 'BadRequest', message: error.message });
    if (error instanceof PeerAuthError)
      return reply.status(401).send({ error: 'PeerAuthError', message: error.message });
    if (error instanceof SigningRefusedError)
      return reply
        .status(error.status)
        .send({ error: 'SigningRefused', message: error.message, missing: error.missing });
    if (error.validation || (error.statusCode && error.statusCode < 500))
      return reply.status(error.statusCode ?? 400).send({ error: 'BadRequest', message: error.message });
    reply.log?.error?.(error);
    return reply.status(500).send({ error: 'InternalError', message: 'internal error' });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({ error: 'NotFound', message: `no route ${req.method} ${req.url}` }),
  );
  return app;
}

/** Peer routes: the request must be signed by an operator of the set (checked before the body schema). */
export function addPeerRoutes(app: FastifyInstance, authenticator: PeerAuthenticator, routes: PeerRoute[]): void {
  for (const route of routes) {
    app.post(
      route.path,
      {
        schema: { summary: 'Peer API (authenticated operators only)', body: route.body },
        preValidation: async (req) => {
          req.peer = authenticator.verify(
            'POST',
            route.path,
            req.headers as Record<string, unknown>,
            req.rawBody ?? '',
          );
        },
      },
      async (req) => (await route.handler(req.body as never, req.peer as number)) ?? { ok: true },
    );
  }
}

export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const app = await createServer();

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

  app.get('/v1/blame', { schema: { summary: 'Signing failures per peer operator' } }, async () => deps.store.blames());

  app.get('/metrics', { schema: { summary: 'Prometheus metrics', hide: false } }, async (_req, reply) => {
    const m = await deps.metrics();
    return reply.header('content-type', m.contentType).send(m.body);
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  addPeerRoutes(app, deps.authenticator, deps.peerRoutes);
  return app;
}
