/**
 * The peer channel over real loopback HTTP, as a network attacker and an unauthenticated client see
 * it: big unauthenticated bodies, requests replayed to another operator, answers forged in transit.
 */
import { request as httpsRequest } from 'node:https';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../api/http.js';
import { PeerAuthenticator, signRequest } from './auth.js';
import { PeerClient, PeerRequestError } from './client.js';
import { newIdentity } from './identity.js';
import { createPeerServer } from './routes.js';
import { identityTlsMaterial } from './tlsIdentity.js';

const alice = { operatorId: 1, identity: newIdentity() };
const bob = { operatorId: 2, identity: newIdentity() };
const carol = { operatorId: 3, identity: newIdentity() };
const keys = new Map([alice, bob, carol].map((o) => [o.operatorId, o.identity.publicKey]));

describe('peer channel (real HTTP)', () => {
  let bobApp: FastifyInstance;
  let carolApp: FastifyInstance;
  let impostor: FastifyInstance;
  const urls: Record<number, string> = {};
  const handled: number[] = [];

  beforeAll(async () => {
    const routes = (id: number) => [
      {
        path: '/peer/v1/echo',
        body: { type: 'object', properties: { x: { type: 'integer' } } },
        handler: (body: { x: number }, peer: number) => {
          handled.push(id);
          return { x: body.x, from: peer };
        },
      },
    ];
    bobApp = await createPeerServer(bob, new PeerAuthenticator(2, keys), routes(2));
    carolApp = await createPeerServer(carol, new PeerAuthenticator(3, keys), routes(3));
    // answers like Bob would, but cannot sign as Bob (a man in the middle)
    impostor = await createServer();
    impostor.post('/peer/v1/echo', async () => ({ x: 1, from: 1 }));
    for (const [id, app] of [
      [2, bobApp],
      [3, carolApp],
      [4, impostor],
    ] as const) {
      await app.listen({ host: '127.0.0.1', port: 0 });
      urls[id] = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    }
  });

  afterAll(async () => {
    await Promise.all([bobApp, carolApp, impostor].map((a) => a.close()));
  });

  const operators = () => [
    { id: 1, url: 'http://127.0.0.1:9', identityKey: alice.identity.publicKey },
    { id: 2, url: urls[2] as string, identityKey: bob.identity.publicKey },
    { id: 3, url: urls[3] as string, identityKey: carol.identity.publicKey },
  ];

  it('a signed request is served and its signed answer checks out', async () => {
    const client = new PeerClient(alice, operators(), 2000);
    expect(await client.post(2, '/peer/v1/echo', { x: 7 })).toEqual({ x: 7, from: 1 });
  });

  it('a 4 MiB unauthenticated body is refused from its headers, without being read or parsed', async () => {
    const big = JSON.stringify({ x: 1, pad: Array.from({ length: 200_000 }, (_, i) => `item-${i}`) }).padEnd(4 << 20);
    const started = performance.now();
    JSON.parse(big);
    const parseMs = performance.now() - started;
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const before = handled.length;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${urls[2]}/peer/v1/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: big,
      });
      statuses.push(res.status);
      await res.text();
    }
    delay.disable();
    const maxLoopMs = delay.max / 1e6;
    console.log(
      `4 MiB unauthenticated x5: event-loop delay max ${maxLoopMs.toFixed(1)} ms (JSON.parse alone: ${parseMs.toFixed(1)} ms)`,
    );
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect(handled.length).toBe(before);
    expect(maxLoopMs).toBeLessThan(Math.max(20, parseMs));
    // authenticated, the same body is still over the route's limit: 413, not parsed either
    const res = await fetch(`${urls[2]}/peer/v1/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signRequest(alice, 2, 'POST', '/peer/v1/echo', big) },
      body: big,
    });
    expect(res.status).toBe(413);
  });

  it('a request captured on its way to Bob and replayed to Carol, or to Bob again, is refused', async () => {
    const body = JSON.stringify({ x: 3 });
    const headers = { 'content-type': 'application/json', ...signRequest(alice, 2, 'POST', '/peer/v1/echo', body) };
    const first = await fetch(`${urls[2]}/peer/v1/echo`, { method: 'POST', headers, body });
    expect(first.status).toBe(200);
    const toCarol = await fetch(`${urls[3]}/peer/v1/echo`, { method: 'POST', headers, body });
    expect(toCarol.status).toBe(401);
    expect(((await toCarol.json()) as { message: string }).message).toMatch(/addressed to operator 2/);
    const again = await fetch(`${urls[2]}/peer/v1/echo`, { method: 'POST', headers, body });
    expect(again.status).toBe(401);
    expect(((await again.json()) as { message: string }).message).toMatch(/replayed/);
  });

  it('an answer not signed by the operator asked (a man in the middle) is refused as forged', async () => {
    const client = new PeerClient(
      alice,
      operators().map((o) => (o.id === 2 ? { ...o, url: urls[4] as string } : o)),
      2000,
    );
    const err = await client.post(2, '/peer/v1/echo', { x: 1 }).catch((e: PeerRequestError) => e);
    expect(err).toBeInstanceOf(PeerRequestError);
    expect((err as PeerRequestError).status).toBe('forged');
    // Carol's genuine answer to a request addressed to Carol is not accepted as Bob's either
    const swapped = new PeerClient(
      alice,
      operators().map((o) => (o.id === 2 ? { ...o, url: urls[3] as string } : o)),
      2000,
    );
    const err2 = await swapped.post(2, '/peer/v1/echo', { x: 1 }).catch((e: PeerRequestError) => e);
    expect((err2 as PeerRequestError).status).toBe('forged');
  });

  describe('over mutual TLS bound to the identity keys', () => {
    let bobTls: FastifyInstance;
    let malloryTls: FastifyInstance;
    const mallory = { operatorId: 2, identity: newIdentity() };
    const tlsUrls: Record<string, string> = {};
    const malloryHeard: string[] = [];

    beforeAll(async () => {
      const echo = {
        path: '/peer/v1/echo',
        body: { type: 'object', properties: { x: { type: 'integer' } } },
        handler: (body: { x: number }, peer: number) => ({ x: body.x, from: peer }),
      };
      bobTls = await createPeerServer(bob, new PeerAuthenticator(2, keys), [echo], { tls: true });
      // Mallory answers at Bob's address with a certificate of her own key (she cannot make Bob's)
      malloryTls = await createServer({ tls: identityTlsMaterial(mallory.identity, 2) });
      malloryTls.post('/peer/v1/echo', async (req) => {
        malloryHeard.push(req.rawBody ?? '');
        return { x: 0 };
      });
      for (const [name, app] of [
        ['bob', bobTls],
        ['mallory', malloryTls],
      ] as const) {
        await app.listen({ host: '127.0.0.1', port: 0 });
        tlsUrls[name] = `https://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      }
    });

    afterAll(async () => {
      await Promise.all([bobTls, malloryTls].map((a) => a.close()));
    });

    const tlsOperators = (bobUrl: string) => [
      { id: 1, url: 'https://127.0.0.1:9', identityKey: alice.identity.publicKey },
      { id: 2, url: bobUrl, identityKey: bob.identity.publicKey },
    ];

    it('Alice reaches Bob: each side checks the other’s certificate key against the config', async () => {
      const client = new PeerClient(alice, tlsOperators(tlsUrls.bob as string), 2000);
      expect(await client.post(2, '/peer/v1/echo', { x: 5 })).toEqual({ x: 5, from: 1 });
      // keep-alive: a second request on the checked connection
      expect(await client.post(2, '/peer/v1/echo', { x: 6 })).toEqual({ x: 6, from: 1 });
    });

    it('a server without Bob’s key at Bob’s address gets nothing: the body is never sent', async () => {
      const client = new PeerClient(alice, tlsOperators(tlsUrls.mallory as string), 2000);
      const err = await client.post(2, '/peer/v1/echo', { x: 9 }).catch((e: PeerRequestError) => e);
      expect(err).toBeInstanceOf(PeerRequestError);
      expect((err as PeerRequestError).status).toBe('impostor');
      expect(malloryHeard).toEqual([]);
    });

    it('a client without a certificate, or with another operator’s, is refused even with a valid request signature', async () => {
      const body = JSON.stringify({ x: 1 });
      const raw = (opts: { key?: string; cert?: string }) =>
        new Promise<number>((resolve, reject) => {
          const req = httpsRequest(`${tlsUrls.bob}/peer/v1/echo`, {
            method: 'POST',
            rejectUnauthorized: false,
            ...opts,
            headers: { 'content-type': 'application/json', ...signRequest(alice, 2, 'POST', '/peer/v1/echo', body) },
          });
          req.once('error', reject);
          req.once('response', (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.end(body);
        });
      expect(await raw({})).toBe(401);
      expect(await raw(identityTlsMaterial(carol.identity, 3))).toBe(401);
      expect(await raw(identityTlsMaterial(alice.identity, 1))).toBe(200);
    });
  });
});
