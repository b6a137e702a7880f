/**
 * FROST DKG among the configured operators over the authenticated peer channel, no dealer.
 *
 * Round 1 broadcasts each operator's commitment (exactly t coefficients) and proof of knowledge; @noble/curves
 * checks the proofs in round 2. Round 2 shares travel sealed for their recipient (X25519 from the ed25519
 * identity keys, AES-GCM). Everyone then announces the group key it computed; all must agree. A group key
 * with x >= n cannot be verified on chain, so every operator sees it and all rerun the next attempt.
 */
import { bytesToHex, type Hex, hexToBytes } from 'viem';
import { ApiError, addPeerRoutes, createServer } from '../api/server.js';
import type { NodeConfig } from '../config/nodeConfig.js';
import { type GroupFile, operatorKeystore, writeGroupFile } from '../node/secrets.js';
import { PeerAuthenticator } from '../peer/auth.js';
import { PeerClient } from '../peer/client.js';
import { openFrom, sealFor } from '../peer/identity.js';
import { InvalidGroupKeyError } from '../protocol/errors.js';
import { type FrostKey, frost } from '../protocol/frost.js';
import { parseGroupKey } from '../protocol/groupKey.js';
import { serializeKey } from '../signer/keys.js';

export class DkgError extends Error {
  override name = 'DkgError';
}

type Round1Wire = { identifier: string; commitment: Hex[]; proofOfKnowledge: Hex };

interface SessionInbox {
  round1: Map<number, Round1Wire>;
  round2: Map<number, string>;
  done: Map<number, Hex>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runNetworkDkg(
  config: NodeConfig,
  epoch: number,
  opts: { timeoutMs?: number; log?: (s: string) => void } = {},
): Promise<GroupFile> {
  const log = opts.log ?? (() => {});
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  const keystore = operatorKeystore(config);
  const secrets = keystore.read();
  const me = config.operatorId;
  const others = config.operators.filter((o) => o.id !== me);
  const n = config.operators.length;
  const t = config.threshold;
  const identityOf = new Map(config.operators.map((o) => [o.id, o.identityKey]));
  const inbox = new Map<string, SessionInbox>();
  const box = (session: string) => {
    let b = inbox.get(session);
    if (!b) {
      b = { round1: new Map(), round2: new Map(), done: new Map() };
      inbox.set(session, b);
    }
    return b;
  };
  const app = await createServer();
  const sessionField = { type: 'string', pattern: '^[0-9]+-[0-9]+$' };
  addPeerRoutes(app, new PeerAuthenticator(identityOf), [
    {
      path: '/peer/v1/dkg/round1',
      body: {
        type: 'object',
        required: ['session', 'identifier', 'commitment', 'proofOfKnowledge'],
        properties: {
          session: sessionField,
          identifier: { type: 'string', pattern: '^[0-9a-f]{64}$' },
          commitment: { type: 'array', items: { type: 'string', pattern: '^0x[0-9a-f]{66}$' }, maxItems: 255 },
          proofOfKnowledge: { type: 'string', pattern: '^0x[0-9a-f]{130}$' },
        },
      },
      handler: (body: Round1Wire & { session: string }, peer: number) => {
        // exactly t coefficients, from the identifier the sender's operator id gives
        if (body.commitment.length !== t)
          throw new ApiError(400, `commitment has ${body.commitment.length} coefficients, expected ${t}`);
        if (body.identifier !== frost.Identifier.fromNumber(peer))
          throw new ApiError(400, 'identifier does not belong to the sender');
        box(body.session).round1.set(peer, body);
      },
    },
    {
      path: '/peer/v1/dkg/round2',
      body: {
        type: 'object',
        required: ['session', 'sealed'],
        properties: { session: sessionField, sealed: { type: 'string', maxLength: 4096 } },
      },
      handler: (body: { session: string; sealed: string }, peer: number) => {
        box(body.session).round2.set(peer, body.sealed);
      },
    },
    {
      path: '/peer/v1/dkg/done',
      body: {
        type: 'object',
        required: ['session', 'groupKey'],
        properties: { session: sessionField, groupKey: { type: 'string', pattern: '^0x[0-9a-f]{66}$' } },
      },
      handler: (body: { session: string; groupKey: Hex }, peer: number) => {
        box(body.session).done.set(peer, body.groupKey);
      },
    },
  ]);
  await app.listen({ host: config.listen.host, port: config.listen.port });
  const peers = new PeerClient(
    { operatorId: me, identity: secrets.identity },
    config.operators,
    config.timeouts.peerRequestMs,
  );
  const sendAll = async (path: string, body: (peer: number) => unknown) => {
    await Promise.all(
      others.map(async (o) => {
        while (true) {
          try {
            await peers.post(o.id, path, body(o.id));
            return;
          } catch (e) {
            if (Date.now() > deadline)
              throw new DkgError(`operator ${o.id} did not take ${path}: ${(e as Error).message}`);
            await sleep(200);
          }
        }
      }),
    );
  };
  const waitFor = async (what: string, ready: () => boolean) => {
    while (!ready()) {
      if (Date.now() > deadline) throw new DkgError(`timed out waiting for ${what}`);
      await sleep(50);
    }
  };

  try {
    for (let attempt = 0; attempt < 8; attempt++) {
      const session = `${epoch}-${attempt}`;
      const inb = box(session);
      log(`dkg ${session}: round 1`);
      const r1 = frost.DKG.round1(frost.Identifier.fromNumber(me), { min: t, max: n });
      const wire1: Round1Wire = {
        identifier: r1.public.identifier,
        commitment: r1.public.commitment.map((c) => bytesToHex(c as Uint8Array)),
        proofOfKnowledge: bytesToHex(r1.public.proofOfKnowledge as Uint8Array),
      };
      await sendAll('/peer/v1/dkg/round1', () => ({ session, ...wire1 }));
      await waitFor('round 1 packages', () => inb.round1.size === n - 1);
      const received1 = others.map((o) => {
        const w = inb.round1.get(o.id) as Round1Wire;
        return {
          identifier: w.identifier,
          commitment: w.commitment.map((c) => hexToBytes(c)),
          proofOfKnowledge: hexToBytes(w.proofOfKnowledge),
        };
      });
      log(`dkg ${session}: round 2`);
      let packages: Record<string, { identifier: string; signingShare: Uint8Array }>;
      try {
        packages = frost.DKG.round2(r1.secret, received1) as typeof packages;
      } catch (e) {
        throw new DkgError(`round 1 packages do not check out: ${(e as Error).message}`);
      }
      await sendAll('/peer/v1/dkg/round2', (peer) => {
        const pkg = packages[frost.Identifier.fromNumber(peer)];
        if (!pkg) throw new DkgError(`no round 2 package for operator ${peer}`);
        const plain = JSON.stringify({ identifier: pkg.identifier, signingShare: bytesToHex(pkg.signingShare) });
        return {
          session,
          sealed: sealFor(secrets.identity, identityOf.get(peer) as Hex, new TextEncoder().encode(plain)),
        };
      });
      await waitFor('round 2 packages', () => inb.round2.size === n - 1);
      const received2 = others.map((o) => {
        const plain = JSON.parse(
          new TextDecoder().decode(openFrom(secrets.identity, o.identityKey, inb.round2.get(o.id) as string)),
        );
        return { identifier: plain.identifier as string, signingShare: hexToBytes(plain.signingShare as Hex) };
      });
      let key: FrostKey;
      try {
        key = frost.DKG.round3(r1.secret, received1, received2) as FrostKey;
      } catch (e) {
        throw new DkgError(`round 2 shares do not check out: ${(e as Error).message}`);
      }
      const groupKey = bytesToHex(key.public.commitments[0] as Uint8Array);
      await sendAll('/peer/v1/dkg/done', () => ({ session, groupKey }));
      await waitFor('group key confirmations', () => inb.done.size === n - 1);
      for (const [peer, theirs] of inb.done)
        if (theirs !== groupKey)
          throw new DkgError(`operator ${peer} computed group key ${theirs}, this node ${groupKey}`);
      try {
        parseGroupKey(groupKey);
      } catch (e) {
        if (e instanceof InvalidGroupKeyError) {
          log(`dkg ${session}: group key has x >= n, rerunning`);
          continue;
        }
        throw e;
      }
      secrets.shares[String(epoch)] = serializeKey(key);
      keystore.write(secrets);
      const group: GroupFile = { epoch, groupKey, threshold: t, operators: config.operators.map((o) => o.id) };
      writeGroupFile(config.groupFile, group);
      log(`dkg ${session}: group key ${groupKey}`);
      // let the slowest peer finish reading our confirmation before the server goes away
      await sleep(300);
      return group;
    }
    throw new DkgError('every attempt produced a group key with x >= n');
  } finally {
    await app.close();
  }
}
