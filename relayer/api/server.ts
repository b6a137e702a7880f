/**
 * The node's public API (message status, health, metrics, OpenAPI). The peer API (signing rounds,
 * signed batches, DKG) listens on its own port (peer/routes.ts). Every route has a schema; bad input
 * gets a 4xx with a reason, never a 5xx.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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

  return app;
}
