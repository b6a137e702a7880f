/**
 * FROST DKG (RFC 9591 with the Pedersen DKG of its reference implementations) among the configured
 * operators over the authenticated peer channel, no dealer, and no way for one operator to poison it
 * unnoticed. Rounds, each a broadcast every node waits for from all others:
 *
 *   1. round1     each operator's commitment vector and proof of knowledge, signed by it;
 *   2. echo       every node repeats all round-1 packages it holds: a validly signed package that
 *                 differs from one's own view proves its sender equivocated (sent peers different
 *                 polynomials with the same constant term, so no honest t could ever sign);
 *   3. round2     shares, sealed per recipient (sealedShare.ts) and signed by their sender;
 *   4. complaint  a recipient of a bad share publishes it with the proven key that opens it; everyone
 *                 judges it the same way: the sender or the false accuser is disqualified;
 *   5. done       the group key and the transcript hash, compared.
 *
 * Any culprit fails the DKG on every honest node with the culprit named (DkgCheatingError). Inboxes
 * are write-once per session and sender. The share is written only after every check, never over an
 * existing epoch's share. A group key with x >= n cannot be verified on chain: all rerun.
 */
import { bytesToHex, type Hex, hexToBytes } from 'viem';
import { ApiError } from '../api/http.js';
import type { NodeConfig } from '../config/nodeConfig.js';
import { type GroupFile, groupFileFor, operatorKeystore, writeGroupFile } from '../node/secrets.js';
import { PeerAuthenticator } from '../peer/auth.js';
import { PeerClient } from '../peer/client.js';
import {
  dkgComplaints,
  dkgDone,
  dkgEcho,
  dkgRound1,
  dkgRound2,
  dkgTestSignCommit,
  dkgTestSignShare,
  type PeerRouteSpec,
} from '../peer/protocol.js';
import { createPeerServer, servePeerRoute } from '../peer/routes.js';
import { servesPeerTls } from '../peer/tlsIdentity.js';
import { InvalidGroupKeyError } from '../protocol/errors.js';
import { type FrostKey, frost } from '../protocol/frost.js';
import { parseGroupKey } from '../protocol/groupKey.js';
import { serializeKey } from '../signer/keys.js';
import type { WireCommitment } from '../signer/participant.js';
import { checkEphemeral, openShare, revealShareKey, sealShare } from './sealedShare.js';
import { checkTestSignatures, type TestSignature, testMessage, testSubsets } from './testSign.js';
import {
  type Complaint,
  type Culprit,
  decodeShare,
  describeCulprits,
  dkgSetup,
  encodeShare,
  judgeComplaint,
  judgeEchoes,
  type Round1Package,
  round1SignatureValid,
  type SharePackage,
  shareContext,
  shareMatchesCommitment,
  shareSignatureValid,
  signRound1,
  signSharePackage,
  transcriptHash,
} from './transcript.js';

export class DkgError extends Error {
  override name = 'DkgError';
}

/** The DKG found cheating: the named operators are disqualified; nothing was written. */
export class DkgCheatingError extends DkgError {
  override name = 'DkgCheatingError';
  constructor(readonly culprits: Culprit[]) {
    super(`DKG aborted, cheating detected: ${describeCulprits(culprits)}`);
  }
}

type Round1State = ReturnType<typeof frost.DKG.round1>;

/**
 * How this node plays the rounds. Every production node is honest (the default); the seam exists so
 * the tests can play a cheating operator against honest ones over the real protocol.
 */
export interface DkgConduct {
  /** The round-1 state behind what `peer` is sent (honest: one for all). */
  round1For(peer: number): Round1State;
  /** The share `peer` gets (honest: unchanged). */
  shareFor?(peer: number, share: Uint8Array): Uint8Array;
  /** Complaints besides the justified ones (honest: none). */
  extraComplaints?(accuse: (sender: number) => Complaint): Complaint[];
}

export interface DkgOptions {
  timeoutMs?: number;
  log?: (s: string) => void;
  /** Tests only: how this node plays (see DkgConduct). */
  conduct?: (round: { me: number; threshold: number; signers: number }) => DkgConduct;
}

interface DonePackage {
  groupKey: Hex;
  transcript: Hex;
}

/** Per-session inboxes; each sender writes each round once (the same bytes again are a retry). */
class Inbox<T> {
  private readonly items = new Map<string, Map<number, { value: T; text: string }>>();

  /** @returns false when the sender already put something else here. */
  put(session: string, sender: number, value: T): boolean {
    let box = this.items.get(session);
    if (!box) {
      box = new Map();
      this.items.set(session, box);
    }
    const text = JSON.stringify(value);
    const had = box.get(sender);
    if (had) return had.text === text;
    box.set(sender, { value, text });
    return true;
  }

  of(session: string): Map<number, T> {
    return new Map([...(this.items.get(session) ?? new Map()).entries()].map(([k, v]) => [k, v.value]));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export async function runNetworkDkg(config: NodeConfig, epoch: number, opts: DkgOptions = {}): Promise<GroupFile> {
  const log = opts.log ?? (() => {});
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  const keystore = operatorKeystore(config);
  const secrets = keystore.read();
  if (secrets.shares[String(epoch)])
    throw new DkgError(`the keystore already holds a key share for epoch ${epoch}; a DKG never overwrites one`);
  const me = config.operatorId;
  const others = config.operators.filter((o) => o.id !== me);
  const n = config.operators.length;
  const t = config.threshold;
  const keys = new Map(config.operators.map((o) => [o.id, o.identityKey]));
  const setup = dkgSetup(t, config.operators);
  const round1In = new Inbox<Round1Package>();
  const echoIn = new Inbox<Round1Package[]>();
  const round2In = new Inbox<SharePackage>();
  const complaintIn = new Inbox<Complaint[]>();
  const doneIn = new Inbox<DonePackage>();
  const testCommitIn = new Inbox<Record<string, WireCommitment>>();
  const testShareIn = new Inbox<Record<string, Hex>>();
  /** Equivocation proven at receipt: a sender that signed two different round-1 packages for us. */
  const provenAtReceipt: Culprit[] = [];
  const refuse = (peer: number, round: string): never => {
    throw new ApiError(409, `operator ${peer} already sent a different ${round} for this session`);
  };

  const self = { operatorId: me, identity: secrets.identity };
  const limits = { threshold: t, operators: n, maxBatch: config.batch.maxMessages };
  const app = await createPeerServer(
    self,
    new PeerAuthenticator(me, keys),
    [
      servePeerRoute(dkgRound1, limits, (body, peer) => {
        if (body.sender !== peer) throw new ApiError(400, `operator ${peer} sent operator ${body.sender}'s package`);
        if (body.commitment.length !== t)
          throw new ApiError(400, `commitment has ${body.commitment.length} coefficients, expected ${t}`);
        if (body.identifier !== frost.Identifier.fromNumber(peer))
          throw new ApiError(400, 'identifier does not belong to the sender');
        if (!round1SignatureValid(setup, body, keys.get(peer) as Hex))
          throw new ApiError(400, 'round-1 package not signed by its sender for this set and session');
        if (!round1In.put(body.session, peer, body)) {
          provenAtReceipt.push({ operator: peer, offence: 'equivocation', detail: 'signed two round-1 packages' });
          refuse(peer, 'round-1 package');
        }
      }),
      servePeerRoute(dkgEcho, limits, (body, peer) => {
        const senders = new Set(body.packages.map((p) => p.sender));
        if (senders.size !== n || config.operators.some((o) => !senders.has(o.id)))
          throw new ApiError(400, 'an echo carries one round-1 package per operator');
        if (!echoIn.put(body.session, peer, body.packages)) refuse(peer, 'echo');
      }),
      servePeerRoute(dkgRound2, limits, (body, peer) => {
        if (body.sender !== peer || body.recipient !== me)
          throw new ApiError(400, `a share from operator ${peer} must be its own and for operator ${me}`);
        if (!shareSignatureValid(setup, body, keys.get(peer) as Hex))
          throw new ApiError(400, 'share not signed by its sender for this set and session');
        if (!round2In.put(body.session, peer, body)) refuse(peer, 'share');
      }),
      servePeerRoute(dkgComplaints, limits, (body, peer) => {
        if (!complaintIn.put(body.session, peer, body.complaints)) refuse(peer, 'complaint list');
      }),
      servePeerRoute(dkgDone, limits, (body, peer) => {
        if (!doneIn.put(body.session, peer, { groupKey: body.groupKey, transcript: body.transcript }))
          refuse(peer, 'result');
      }),
      servePeerRoute(dkgTestSignCommit, limits, (body, peer) => {
        if (!testCommitIn.put(body.session, peer, body.commitments)) refuse(peer, 'test-signing commitment');
      }),
      servePeerRoute(dkgTestSignShare, limits, (body, peer) => {
        if (!testShareIn.put(body.session, peer, body.shares)) refuse(peer, 'test-signing share');
      }),
    ],
    { tls: servesPeerTls(config) },
  );
  await app.listen({ host: config.listen.peerHost, port: config.listen.peerPort });
  const peers = new PeerClient(self, config.operators, config.timeouts.peerRequestMs);
  const sendAll = async <Request>(spec: PeerRouteSpec<Request, unknown>, body: (peer: number) => Request) => {
    await Promise.all(
      others.map(async (o) => {
        const payload = body(o.id);
        while (true) {
          try {
            await peers.call(spec, o.id, payload);
            return;
          } catch (e) {
            if (Date.now() > deadline)
              throw new DkgError(`operator ${o.id} did not take ${spec.path}: ${(e as Error).message}`);
            await sleep(200);
          }
        }
      }),
    );
  };
  const waitFor = async <T>(what: string, inbox: Inbox<T>, session: string) => {
    while (inbox.of(session).size < n - 1) {
      if (provenAtReceipt.length) throw new DkgCheatingError(provenAtReceipt);
      if (Date.now() > deadline) {
        const missing = others.filter((o) => !inbox.of(session).has(o.id)).map((o) => o.id);
        throw new DkgError(`timed out waiting for ${what} from operator(s) ${missing.join(', ')}`);
      }
      await sleep(25);
    }
    return inbox.of(session);
  };
  const conductFor = opts.conduct ?? honestConduct;

  /** The key signs test messages from subsets covering every operator; a bad share names its sender. */
  const testSign = async (session: string, key: FrostKey, groupKey: Hex): Promise<TestSignature[]> => {
    const subsets = testSubsets(
      config.operators.map((o) => o.id),
      t,
    );
    const messages = subsets.map((signers) => testMessage(epoch, groupKey, signers));
    const nonces = new Map<number, ReturnType<typeof frost.commit>>();
    subsets.forEach((signers, i) => {
      if (signers.includes(me)) nonces.set(i, frost.commit(key.secret));
    });
    const myCommitments = Object.fromEntries(
      [...nonces].map(([i, c]) => [
        String(i),
        {
          identifier: c.commitments.identifier,
          hiding: bytesToHex(c.commitments.hiding as Uint8Array),
          binding: bytesToHex(c.commitments.binding as Uint8Array),
        },
      ]),
    );
    await sendAll(dkgTestSignCommit, () => ({ session, commitments: myCommitments }));
    const commitments = await waitFor('test-signing commitments', testCommitIn, session);
    commitments.set(me, myCommitments);
    const listOf = (i: number) =>
      (subsets[i] as number[]).map((member) => {
        const c = commitments.get(member)?.[String(i)];
        if (!c || c.identifier !== frost.Identifier.fromNumber(member))
          throw new DkgCheatingError([
            { operator: member, offence: 'bad-test-share', detail: `no commitment for test subset ${i}` },
          ]);
        return { identifier: c.identifier, hiding: hexToBytes(c.hiding), binding: hexToBytes(c.binding) };
      });
    const myShares: Record<string, Hex> = {};
    for (const [i, c] of nonces)
      myShares[String(i)] = bytesToHex(
        frost.signShare(key.secret, key.public, c.nonces, listOf(i), hexToBytes(messages[i] as Hex)),
      );
    await sendAll(dkgTestSignShare, () => ({ session, shares: myShares }));
    const shares = await waitFor('test-signing shares', testShareIn, session);
    shares.set(me, myShares);
    const culprits: Culprit[] = [];
    const out: TestSignature[] = [];
    subsets.forEach((signers, i) => {
      const list = listOf(i);
      const message = hexToBytes(messages[i] as Hex);
      const byId: Record<string, Uint8Array> = {};
      for (const member of signers) {
        const share = shares.get(member)?.[String(i)];
        const id = frost.Identifier.fromNumber(member);
        if (!share || !frost.verifyShare(key.public, list, message, id, hexToBytes(share)))
          culprits.push({ operator: member, offence: 'bad-test-share', detail: `test subset ${signers.join(',')}` });
        else byId[id] = hexToBytes(share);
      }
      if (culprits.length) return;
      const signature = bytesToHex(frost.aggregate(key.public, list, message, byId));
      out.push({ signers, message: messages[i] as Hex, signature });
    });
    if (culprits.length) throw new DkgCheatingError(culprits);
    return out;
  };

  try {
    for (let attempt = 0; attempt < 8; attempt++) {
      const session = `${epoch}-${attempt}`;
      const conduct = conductFor({ me, threshold: t, signers: n });
      const myPackage = (peer: number) => {
        const r1 = conduct.round1For(peer);
        return signRound1(secrets.identity, setup, {
          session,
          sender: me,
          identifier: r1.public.identifier,
          commitment: r1.public.commitment.map((c) => bytesToHex(c as Uint8Array)),
          proofOfKnowledge: bytesToHex(r1.public.proofOfKnowledge as Uint8Array),
        });
      };
      log(`dkg ${session}: round 1`);
      await sendAll(dkgRound1, myPackage);
      const received1 = await waitFor('round-1 packages', round1In, session);
      const own = myPackage(me);
      const view = new Map([...received1, [me, own]]);

      log(`dkg ${session}: echo`);
      await sendAll(dkgEcho, (peer) => ({
        session,
        packages: [...received1.values(), myPackage(peer)],
      }));
      const echoes = await waitFor('round-1 echoes', echoIn, session);
      const echoCulprits = judgeEchoes(setup, view, echoes, keys);
      if (echoCulprits.length) throw new DkgCheatingError(echoCulprits);

      log(`dkg ${session}: round 2`);
      const toNoble = (p: Round1Package) => ({
        identifier: p.identifier,
        commitment: p.commitment.map((c) => hexToBytes(c)),
        proofOfKnowledge: hexToBytes(p.proofOfKnowledge),
      });
      const othersRound1 = others.map((o) => toNoble(received1.get(o.id) as Round1Package));
      const sharesFor = new Map<number, Uint8Array>();
      for (const o of others) {
        let packages: Record<string, { signingShare: Uint8Array }>;
        try {
          packages = frost.DKG.round2(conduct.round1For(o.id).secret, othersRound1) as typeof packages;
        } catch (e) {
          // every round-1 package verified, and every node saw the same ones: a bad proof of knowledge
          throw new DkgError(`round-1 packages do not check out: ${(e as Error).message}`);
        }
        const share = packages[frost.Identifier.fromNumber(o.id)]?.signingShare;
        if (!share) throw new DkgError(`no round-2 share for operator ${o.id}`);
        sharesFor.set(o.id, conduct.shareFor ? conduct.shareFor(o.id, share) : share);
      }
      await sendAll(dkgRound2, (peer) => {
        const ctx = { session, sender: me, recipient: peer };
        const sealed = sealShare(ctx, keys.get(peer) as Hex, encodeShare(sharesFor.get(peer) as Uint8Array));
        return signSharePackage(secrets.identity, setup, { ...ctx, ...sealed });
      });
      const received2 = await waitFor('round-2 shares', round2In, session);

      log(`dkg ${session}: complaints`);
      const commitmentOf = (sender: number) => view.get(sender)?.commitment;
      const accuse = (sender: number): Complaint => {
        const share = received2.get(sender) as SharePackage;
        return { against: sender, share, reveal: revealShareKey(shareContext(share), secrets.identity, share) };
      };
      const myComplaints: Complaint[] = [];
      const shares = new Map<number, Uint8Array>();
      for (const [sender, pkg] of received2) {
        try {
          checkEphemeral(pkg);
          const share = decodeShare(openShare(shareContext(pkg), secrets.identity, pkg));
          if (!shareMatchesCommitment(share, me, commitmentOf(sender) as Hex[]))
            throw new DkgError('off the committed polynomial');
          shares.set(sender, hexToBytes(`0x${share.toString(16).padStart(64, '0')}`));
        } catch (e) {
          log(`dkg ${session}: bad share from operator ${sender} (${(e as Error).message}): complaining`);
          myComplaints.push(accuse(sender));
        }
      }
      myComplaints.push(...(conduct.extraComplaints?.(accuse) ?? []));
      await sendAll(dkgComplaints, () => ({ session, complaints: myComplaints }));
      const complaints = await waitFor('complaint lists', complaintIn, session);
      complaints.set(me, myComplaints);
      const verdicts = new Map<number, Culprit>();
      for (const [accuser, list] of [...complaints.entries()].sort((a, b) => a[0] - b[0]))
        for (const c of list) {
          const verdict = judgeComplaint(setup, session, accuser, c, keys, commitmentOf);
          if (!verdicts.has(verdict.operator)) verdicts.set(verdict.operator, verdict);
        }
      if (verdicts.size) throw new DkgCheatingError([...verdicts.values()]);

      let key: FrostKey;
      try {
        key = frost.DKG.round3(
          conduct.round1For(me).secret,
          othersRound1,
          others.map((o) => ({
            identifier: frost.Identifier.fromNumber(o.id),
            signingShare: shares.get(o.id) as Uint8Array,
          })),
        ) as FrostKey;
      } catch (e) {
        throw new DkgError(`round-2 shares do not check out: ${(e as Error).message}`);
      }
      const groupKey = bytesToHex(key.public.commitments[0] as Uint8Array);
      const transcript = transcriptHash([...view.values()]);
      await sendAll(dkgDone, () => ({ session, groupKey, transcript }));
      const done = await waitFor('results', doneIn, session);
      const disagree = [...done].filter(([, d]) => d.groupKey !== groupKey || d.transcript !== transcript);
      if (disagree.length)
        throw new DkgCheatingError(
          disagree.map(([peer, d]) => ({
            operator: peer,
            offence: 'inconsistent-result',
            detail: `reports group key ${d.groupKey} / transcript ${d.transcript}; this node has ${groupKey} / ${transcript}`,
          })),
        );
      try {
        parseGroupKey(groupKey);
      } catch (e) {
        if (e instanceof InvalidGroupKeyError) {
          log(`dkg ${session}: group key has x >= n, rerunning`);
          continue;
        }
        throw e;
      }
      log(`dkg ${session}: test signatures`);
      const testSignatures = await testSign(session, key, groupKey);
      // re-read: the keystore may have changed while the rounds ran; never overwrite an epoch's share
      const latest = keystore.read();
      if (latest.shares[String(epoch)])
        throw new DkgError(`the keystore gained a key share for epoch ${epoch} during the DKG; not overwriting it`);
      latest.shares[String(epoch)] = serializeKey(key);
      keystore.write(latest);
      const group = { ...groupFileFor(config, epoch, key), testSignatures };
      checkTestSignatures(group, testSignatures);
      writeGroupFile(config.groupFile, group);
      log(`dkg ${session}: group key ${groupKey}`);
      // let the slowest peer finish reading our result before the server goes away
      await sleep(300);
      return group;
    }
    throw new DkgError('every attempt produced a group key with x >= n');
  } finally {
    await app.close();
  }
}

/** An honest operator: one polynomial, the same round-1 package for everyone. */
export function honestConduct(round: { me: number; threshold: number; signers: number }): DkgConduct {
  const state = frost.DKG.round1(frost.Identifier.fromNumber(round.me), { min: round.threshold, max: round.signers });
  return { round1For: () => state };
}
