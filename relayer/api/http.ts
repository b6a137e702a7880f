/**
 * The HTTP plumbing both of a node's listeners share: JSON parsing that keeps the raw body (peer
 * requests are authenticated over its exact bytes), OpenAPI, and one error mapping: bad input gets a
 * 4xx with a reason, never a 5xx or a stack trace.
 */
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import { PeerAuthError } from '../peer/auth.js';
import { SigningRefusedError } from '../signer/participant.js';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
    peer?: number;
  }
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

/** A fastify instance with our JSON parsing, OpenAPI and error mapping; no routes yet. */
export async function createServer(
  opts: {
    bodyLimit?: number;
    tls?: { key: string; cert: string } | undefined;
    logger?: FastifyBaseLogger | undefined;
  } = {},
): Promise<FastifyInstance> {
  // the public API takes small bodies; the peer API sets its own limit per route (peer/routes.ts)
  const bodyLimit = opts.bodyLimit ?? 256 * 1024;
  // the node's pino logger when given (errors only: a line per request would drown the events)
  const logging = opts.logger
    ? { loggerInstance: opts.logger, logController: new LogController({ disableRequestLogging: true }) }
    : { logger: false as const };
  // with TLS (the peer API): mutual, the client's certificate checked against its identity key per request
  const app = (opts.tls
    ? Fastify({
        ...logging,
        bodyLimit,
        https: { key: opts.tls.key, cert: opts.tls.cert, requestCert: true, rejectUnauthorized: false },
      })
    : Fastify({ ...logging, bodyLimit })) as unknown as FastifyInstance;
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
