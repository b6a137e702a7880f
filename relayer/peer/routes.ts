/** The peer API's routes: only requests signed by an operator of the set reach a handler. */
import type { FastifyInstance } from 'fastify';
import { createServer } from '../api/http.js';
import type { PeerAuthenticator } from './auth.js';

export interface PeerRoute {
  path: string;
  body: Record<string, unknown>;
  handler: (body: never, peer: number) => Promise<unknown> | unknown;
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

/** The peer API's own listener: only the peer routes, nothing public. */
export async function createPeerServer(authenticator: PeerAuthenticator, routes: PeerRoute[]): Promise<FastifyInstance> {
  const app = await createServer();
  addPeerRoutes(app, authenticator, routes);
  return app;
}
