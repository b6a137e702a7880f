/**
 * Signing sessions between five operators (t = 3) over real loopback HTTP with signed peer requests,
 * each with its own real Redis database, and what malicious operators and a compromised Redis try:
 * spending an honest participant's session, racing two commits with one session id, two colluders
 * that always commit first and then fail their share, and a record flipped to `verified` by hand.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { bytesToHex, type Hex, hexToBytes } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedis } from '../../devnet/redis.js';
import { dealKeySet } from '../../test/helpers/trustedDealer.js';
import { observedMessage } from '../chains/adapter.js';
import type { OperatorConfig } from '../config/nodeConfig.js';
import { PeerAuthenticator } from '../peer/auth.js';
import { PeerClient, PeerRequestError } from '../peer/client.js';
import { type Identity, newIdentity } from '../peer/identity.js';
import { type PeerRouteSpec, signCommit, signShare } from '../peer/protocol.js';
import { createPeerServer } from '../peer/routes.js';
import { MessageStore } from '../pipeline/store.js';
import { VerifiedSeal } from '../pipeline/verifiedSeal.js';
import { buildBatch, type InstanceBinding, signingDigest } from '../protocol/digest.js';
import { frost, verifyFrost } from '../protocol/frost.js';
import { encodeMessage } from '../protocol/message.js';
import { type BlameReason, SigningCoordinator } from './coordinator.js';
import { DestinationInstances } from './instances.js';
import type { SigningKey } from './keys.js';
import {
  type CommitRequest,
  SESSIONS_PER_COORDINATOR,
  type ShareRequest,
  SigningParticipant,
  type WireCommitment,
} from './participant.js';
import { signingPeerRoutes } from './peerRoutes.js';

const N = 5;
const T = 3;
const A = 10001;
const B = 10002;
/** Chain B's bridge instance as every node's adapter reports it (anvil's chain id, some bridge address). */
const INSTANCE_B = {
  chainBinding: `0x${(31337).toString(16).padStart(64, '0')}`,
  bridge: `0x${'00'.repeat(12)}${'b2'.repeat(20)}`,
} as const satisfies InstanceBinding;
const INSTANCES = new DestinationInstances([{ protocolChainId: B, instance: INSTANCE_B }]);

interface Operator {
  id: number;
  identity: Identity;
  store: MessageStore;
  participant: SigningParticipant;
  peers: PeerClient;
  app: FastifyInstance;
  blamed: { operator: number; reason: BlameReason }[];
  coordinator: SigningCoordinator;
}

describe('signing sessions (5 operators, t = 3, real HTTP and Redis)', () => {
  let redisServer: RedisServer;
  const redises: Redis[] = [];
  const ops: Operator[] = [];
  let key: SigningKey;
  let nonce = 0n;

  /** A real transfer message A -> B, observed by every operator, proved by those in `provers`. */
  async function message(provers: number[]): Promise<Hex> {
    nonce++;
    const bytes = encodeMessage({
      kind: 'TokenTransfer',
      sourceChain: A,
      destinationChain: B,
      nonce,
      sender: `0x${'11'.repeat(32)}`,
      recipient: `0x${'00'.repeat(12)}${'22'.repeat(20)}`,
      payload: {
        originChain: A,
        originToken: `0x${'00'.repeat(12)}${'33'.repeat(20)}`,
        amount: 10n ** 18n,
        decimals: 18,
        symbol: `0x${'53414800'.padEnd(64, '0')}`,
        name: `0x${'00'.repeat(32)}`,
      },
    } as Parameters<typeof encodeMessage>[0]);
    const observed = observedMessage(bytesToHex(bytes), `0x${'aa'.repeat(32)}`, 1n);
    for (const op of ops) {
      await op.store.observe(observed);
      if (provers.includes(op.id)) await op.store.markVerified([observed.messageId], [B]);
    }
    return observed.messageId;
  }

  beforeAll(async () => {
    redisServer = await startRedis({ dir: mkdtempSync(join(tmpdir(), 'sah-signing-')) });
    const set = dealKeySet(T, N);
    key = { epoch: 1, key: set.keys[0] as SigningKey['key'], groupKey: set.groupKey };
    const identities = Array.from({ length: N }, () => newIdentity());
    const authKeys = new Map(identities.map((identity, i) => [i + 1, identity.publicKey]));
    const parts: { store: MessageStore; participant: SigningParticipant; app: FastifyInstance; port: number }[] = [];
    for (let i = 0; i < N; i++) {
      const redis = new Redis(redisServer.url(i));
      await redis.flushdb();
      redises.push(redis);
      const store = new MessageStore(redis, new VerifiedSeal(identities[i]?.secretKey as Hex));
      const own: SigningKey = { epoch: 1, key: set.keys[i] as SigningKey['key'], groupKey: set.groupKey };
      const participant = new SigningParticipant(store, (e) => (e === 1 ? own : undefined), 64, INSTANCES);
      const app = await createPeerServer(
        { operatorId: i + 1, identity: identities[i] as Identity },
        new PeerAuthenticator(i + 1, authKeys),
        signingPeerRoutes(participant, { threshold: T, operators: N, maxBatch: 64 }),
      );
      await app.listen({ host: '127.0.0.1', port: 0 });
      parts.push({ store, participant, app, port: (app.server.address() as { port: number }).port });
    }
    const operators: OperatorConfig[] = identities.map((identity, i) => ({
      id: i + 1,
      url: `http://127.0.0.1:${parts[i]?.port}`,
      identityKey: identity.publicKey,
    }));
    for (const [i, part] of parts.entries()) {
      const id = i + 1;
      const identity = identities[i] as Identity;
      const peers = new PeerClient({ operatorId: id, identity }, operators, 2000);
      const blamed: Operator['blamed'] = [];
      const coordinator = new SigningCoordinator({
        operatorId: id,
        operators: operators.map((o) => o.id),
        threshold: T,
        participant: part.participant,
        instances: INSTANCES,
        peers,
        onBlame: (operator, reason) => blamed.push({ operator, reason }),
        onRound: () => {},
      });
      ops.push({ id, identity, ...part, peers, blamed, coordinator });
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(ops.map((o) => o.app.close()));
    for (const r of redises) r.disconnect();
    await redisServer?.stop();
  });

  const op = (id: number) => ops[id - 1] as Operator;
  const commitReq = (ids: Hex[]): CommitRequest => ({
    sessionId: randomUUID(),
    batchKey: `${A}-${B}-0`,
    destinationChain: B,
    epoch: 1,
    ids,
  });

  it('honest operators sign a batch that verifies under the group key', async () => {
    const id = await message([1, 2, 3, 4, 5]);
    const result = await op(1).coordinator.sign(key, `${A}-${B}-0`, B, [id]);
    const digest = signingDigest(1, B, INSTANCE_B, buildBatch([id]).root);
    expect(verifyFrost(hexToBytes(result.signature), hexToBytes(digest), key.groupKey.compressed)).toBe(true);
  });

  it("the signature is bound to the destination instance: good for chain B's bridge, not for another bridge or chain binding", async () => {
    const id = await message([1, 2, 3, 4, 5]);
    const result = await op(1).coordinator.sign(key, `${A}-${B}-0`, B, [id]);
    const root = buildBatch([id]).root;
    const otherBridge = { ...INSTANCE_B, bridge: `0x${'00'.repeat(12)}${'b3'.repeat(20)}` } as InstanceBinding;
    const otherChain = { ...INSTANCE_B, chainBinding: `0x${'00'.repeat(31)}01` } as InstanceBinding;
    for (const elsewhere of [otherBridge, otherChain])
      expect(
        verifyFrost(
          hexToBytes(result.signature),
          hexToBytes(signingDigest(1, B, elsewhere, root)),
          key.groupKey.compressed,
        ),
      ).toBe(false);
  });

  it('a coordinator asking to sign for a destination the participant does not know is refused (400), before any nonce', async () => {
    const id = await message([1, 2, 3, 4, 5]);
    const unknown = await op(1)
      .peers.post(2, signCommit.path, { ...commitReq([id]), destinationChain: 10004 })
      .catch((e: PeerRequestError) => e);
    expect(unknown).toBeInstanceOf(PeerRequestError);
    expect((unknown as PeerRequestError).status).toBe(400);
    expect(JSON.stringify((unknown as PeerRequestError).body)).toMatch(
      /chain 10004 is not a destination this node knows/,
    );
  });

  it('a non-coordinator asking for an honest participant’s share is refused (403); the real coordinator still gets it', async () => {
    const id = await message([1, 2, 3, 4, 5]);
    // operator 1 coordinates: it opens sessions on 2, 3 and 4
    const req = commitReq([id]);
    const commitments: WireCommitment[] = [];
    for (const p of [2, 3, 4]) commitments.push(await op(1).peers.post<WireCommitment>(p, signCommit.path, req));
    const shareReq: ShareRequest = { sessionId: req.sessionId, commitments };
    // operator 5 (malicious) saw the session id and tries to spend participant 2's nonces first
    const hijack = await op(5)
      .peers.post(2, signShare.path, shareReq)
      .catch((e: PeerRequestError) => e);
    expect(hijack).toBeInstanceOf(PeerRequestError);
    expect((hijack as PeerRequestError).status).toBe(403);
    // the honest coordinator's session is intact: every share verifies, nobody honest gets blamed
    const digest = hexToBytes(signingDigest(1, B, INSTANCE_B, buildBatch([id]).root));
    const list = commitments.map((c) => ({ ...c, hiding: hexToBytes(c.hiding), binding: hexToBytes(c.binding) }));
    for (const [i, p] of [2, 3, 4].entries()) {
      const share = await op(1).peers.post<Hex>(p, signShare.path, shareReq);
      expect(
        frost.verifyShare(key.key.public, list, digest, commitments[i]?.identifier as string, hexToBytes(share)),
      ).toBe(true);
    }
  });

  it('two concurrent commits with one session id: exactly one wins', async () => {
    const id = await message([1, 2, 3, 4, 5]);
    const req = commitReq([id]);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, () => op(1).peers.post<WireCommitment>(3, signCommit.path, req)),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect((o.reason as PeerRequestError).status).toBe(409);
  });

  it('one coordinator cannot hold more than SESSIONS_PER_COORDINATOR sessions open on a participant (429); others still can', async () => {
    const id = await message([1, 2, 3, 4, 5]);
    const participant = op(2).participant;
    for (let i = 0; i < SESSIONS_PER_COORDINATOR; i++) await participant.commit(commitReq([id]), 5);
    await expect(participant.commit(commitReq([id]), 5)).rejects.toMatchObject({ status: 429 });
    // another coordinator is not affected
    await expect(participant.commit(commitReq([id]), 1)).resolves.toMatchObject({ identifier: expect.any(String) });
  });

  it('a record flipped to `verified` in Redis by hand is not signed; the same message proved here is', async () => {
    const id = await message([1, 2]);
    // someone with write access to operators 3, 4 and 5's Redis marks it verified (and copies a MAC)
    const mac = await redises[0]?.hget(`msg:${id.toLowerCase()}`, 'verifiedMac');
    for (const i of [2, 3, 4])
      await redises[i]?.hset(`msg:${id.toLowerCase()}`, { stage: 'verified', verifiedMac: mac as string });
    for (const p of [3, 4, 5]) {
      const refused = await op(1)
        .peers.post(p, signCommit.path, commitReq([id]))
        .catch((e: PeerRequestError) => e);
      expect((refused as PeerRequestError).status).toBe(409);
      expect(((refused as PeerRequestError).body as { missing: Hex[] }).missing).toEqual([id]);
    }
    await expect(op(1).coordinator.sign(key, `${A}-${B}-0`, B, [id])).rejects.toThrow(/operators committed/);
    // once operator 3's own verifier proves it, t = 3 can sign
    await op(3).store.markVerified([id], [B]);
    const result = await op(1).coordinator.sign(key, `${A}-${B}-0`, B, [id]);
    expect(result.signers.sort()).toEqual([1, 2, 3]);
  });

  it('two colluders that always commit first and then fail their share: every batch is still signed, and they are the ones blamed', async () => {
    // operators 4 and 5 answer commits at once and then return garbage shares; the honest ones are slow
    const colluders = [4, 5];
    const coordinator = new SigningCoordinator({
      operatorId: 1,
      operators: [1, 2, 3, 4, 5],
      threshold: T,
      participant: op(1).participant,
      instances: INSTANCES,
      peers: {
        call: async <Q, R>(spec: PeerRouteSpec<Q, R>, target: number, body: Q): Promise<R> => {
          if (colluders.includes(target)) {
            const honest = await op(1).peers.call(spec, target, body);
            if (spec.path === signShare.path) return bytesToHex(new Uint8Array(32).fill(7)) as R;
            return honest;
          }
          await new Promise((r) => setTimeout(r, 60));
          return op(1).peers.call(spec, target, body);
        },
      } as PeerClient,
      onBlame: (operator, reason) => blamed.push({ operator, reason }),
      onRound: () => {},
    });
    const blamed: { operator: number; reason: BlameReason }[] = [];
    for (let batch = 0; batch < 5; batch++) {
      const id = await message([1, 2, 3, 4, 5]);
      const result = await coordinator.sign(key, `${A}-${B}-${batch}`, B, [id]);
      expect(result.signers.some((s) => colluders.includes(s))).toBe(false);
      const digest = signingDigest(1, B, INSTANCE_B, buildBatch([id]).root);
      expect(verifyFrost(hexToBytes(result.signature), hexToBytes(digest), key.groupKey.compressed)).toBe(true);
    }
    expect(new Set(blamed.map((b) => b.operator))).toEqual(new Set(colluders));
    expect(blamed.every((b) => b.reason === 'bad-share')).toBe(true);
    // once blamed, they are passed over: later batches cost no failed round
    expect(blamed.length).toBeLessThanOrEqual(2);
  });
});
