/**
 * The peer API: its own listener, only requests signed by an operator of the set reach a handler.
 * The signature is checked from the headers before the body is read (an unauthenticated 4 MiB body
 * costs the event loop nothing), each route takes at most the body its schema can need, and every
 * answer is signed by this node for the requester (auth.ts).
 */
import type { TLSSocket } from 'node:tls';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { Hex } from 'viem';
import { createServer } from '../api/http.js';
import {
  type AuthenticatedHeaders,
  HEADER_NONCE,
  HEADER_PEER,
  HEADER_RESPONSE_SIGNATURE,
  PeerAuthError,
  type PeerAuthenticator,
  type PeerSelf,
  signResponse,
} from './auth.js';
import { DEFAULT_PEER_BODY_LIMIT, type PeerRouteLimits, type PeerRouteSpec } from './protocol.js';
import { identityTlsMaterial, requirePeerKey } from './tlsIdentity.js';

/** A route as the server runs it; production routes come from their declaration (servePeerRoute). */
export interface PeerRoute {
  path: string;
  body: Record<string, unknown>;
  /** Largest body this route takes, in bytes (default DEFAULT_PEER_BODY_LIMIT): sized to its schema. */
  bodyLimit?: number;
  handler: (body: never, peer: number) => Promise<unknown> | unknown;
}

/** A declared route (protocol.ts) served by `handler`; an answer of undefined is `{ ok: true }`. */
export function servePeerRoute<Request, Response>(
  spec: PeerRouteSpec<Request, Response>,
  limits: PeerRouteLimits,
  handler: (body: Request, peer: number) => Promise<Response | undefined> | Response | undefined,
): PeerRoute {
  return {
    path: spec.path,
    body: spec.schema(limits),
    bodyLimit: spec.bodyLimit(limits),
    handler: handler as (body: never, peer: number) => unknown,
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    peerAuth?: AuthenticatedHeaders;
  }
}

/** Peer routes on `app`: headers authenticated on request, the body checked against them once read. */
export function addPeerRoutes(app: FastifyInstance, authenticator: PeerAuthenticator, routes: PeerRoute[]): void {
  for (const route of routes) {
    app.post(
      route.path,
      {
        schema: { summary: 'Peer API (authenticated operators only)', body: route.body },
        bodyLimit: route.bodyLimit ?? DEFAULT_PEER_BODY_LIMIT,
        onRequest: async (req) => {
          req.peerAuth = authenticator.authenticateHeaders('POST', route.path, req.headers as Record<string, unknown>);
          req.peer = req.peerAuth.peer;
          // over TLS the connection itself must come from that operator's key (mutual TLS)
          const socket = req.raw.socket as TLSSocket;
          if (socket.encrypted) {
            try {
              requirePeerKey(socket, authenticator.keyOf(req.peer) as Hex, `operator ${req.peer}`);
            } catch (e) {
              throw new PeerAuthError((e as Error).message);
            }
          }
        },
        preValidation: async (req) => {
          authenticator.checkBody(req.peerAuth as AuthenticatedHeaders, req.rawBody ?? '');
        },
      },
      async (req, reply) => {
        const answer = (await route.handler(req.body as never, req.peer as number)) ?? { ok: true };
        // always JSON, a bare string too (a signature share), so the client reads every answer one way
        return reply.type('application/json').send(JSON.stringify(answer));
      },
    );
  }
}

/** Signs every answer (errors included) for the operator the request named, bound to its nonce. */
export function signPeerResponses(app: FastifyInstance, self: PeerSelf): void {
  app.addHook('onSend', async (req: FastifyRequest, reply, payload) => {
    const text = typeof payload === 'string' ? payload : payload == null ? '' : undefined;
    if (text === undefined) return payload;
    const requester = Number(req.headers[HEADER_PEER]);
    const nonce = req.headers[HEADER_NONCE];
    if (Number.isInteger(requester) && typeof nonce === 'string')
      reply.header(HEADER_RESPONSE_SIGNATURE, signResponse(self, requester, nonce, reply.statusCode, text));
    return payload;
  });
}

/** The peer API's own listener: only the peer routes, nothing public, every answer signed. */
export async function createPeerServer(
  self: PeerSelf,
  authenticator: PeerAuthenticator,
  routes: PeerRoute[],
  opts: { tls?: boolean; logger?: FastifyBaseLogger } = {},
): Promise<FastifyInstance> {
  const app = await createServer({
    bodyLimit: Math.max(...routes.map((r) => r.bodyLimit ?? DEFAULT_PEER_BODY_LIMIT)),
    tls: opts.tls ? identityTlsMaterial(self.identity, self.operatorId) : undefined,
    logger: opts.logger,
  });
  signPeerResponses(app, self);
  addPeerRoutes(app, authenticator, routes);
  return app;
}
