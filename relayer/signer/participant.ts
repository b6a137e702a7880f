/**
 * The signer side of a FROST session: commits nonces and signs a share, but only for messages this
 * node observed on the source chain and verified itself.
 */
import { bytesToHex, type Hex, hexToBytes } from 'viem';
import type { MessageStore } from '../pipeline/store.js';
import { buildBatch } from '../protocol/digest.js';
import { frost } from '../protocol/frost.js';
import { type DestinationInstances, UnknownDestinationError } from './instances.js';
import type { SigningKey } from './keys.js';

export interface CommitRequest {
  sessionId: string;
  /** The batch key the coordinator is working on (peers note that it is at work). */
  batchKey: string;
  destinationChain: number;
  epoch: number;
  ids: Hex[];
}

export interface WireCommitment {
  identifier: string;
  hiding: Hex;
  binding: Hex;
}

export interface ShareRequest {
  sessionId: string;
  commitments: WireCommitment[];
}

/** The request cannot be served; `status` is the HTTP status the peer API answers with. */
export class SigningRefusedError extends Error {
  override name = 'SigningRefusedError';
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 429,
    message: string,
    readonly missing: Hex[] = [],
  ) {
    super(message);
  }
}

interface Session {
  /** Undefined while the commit's checks run: the id is reserved, nothing can be signed yet. */
  nonces?: ReturnType<typeof frost.commit>['nonces'];
  commitment?: WireCommitment;
  digest?: Uint8Array;
  epoch: number;
  expires: number;
}

const SESSION_TTL_MS = 30_000;
/**
 * Open sessions one coordinator may hold here. A coordinator opens a session on every operator and asks
 * only t of them for a share; the others' sessions live until SESSION_TTL_MS, so under a burst a fair
 * coordinator holds about (sessions per second) x 30 of them: room for a few hundred, far too few (each
 * is two nonces) to exhaust memory.
 */
export const SESSIONS_PER_COORDINATOR = 512;

/**
 * Sessions are keyed by (coordinator, session id): only the operator that opened a session can ask
 * for its share, so no other operator can spend an honest participant's nonces and have it blamed.
 */
export class SigningParticipant {
  private readonly sessions = new Map<string, Session>();
  private readonly open = new Map<number, number>();

  constructor(
    private readonly store: MessageStore,
    private readonly keyFor: (epoch: number) => SigningKey | undefined,
    private readonly maxMessages: number,
    private readonly instances: DestinationInstances,
  ) {}

  /** @param coordinator the authenticated operator running the session. */
  async commit(req: CommitRequest, coordinator: number): Promise<WireCommitment> {
    const key = this.keyFor(req.epoch);
    if (!key) throw new SigningRefusedError(409, `no key share for epoch ${req.epoch}`);
    if (req.ids.length === 0 || req.ids.length > this.maxMessages)
      throw new SigningRefusedError(400, `a session signs 1..${this.maxMessages} messages, got ${req.ids.length}`);
    if (new Set(req.ids.map((i) => i.toLowerCase())).size !== req.ids.length)
      throw new SigningRefusedError(400, 'duplicate message ids');
    // the digest binds this node's own idea of the destination's bridge instance, never the coordinator's
    let digest: Uint8Array;
    try {
      digest = hexToBytes(this.instances.digest(req.epoch, req.destinationChain, buildBatch(req.ids).root));
    } catch (e) {
      if (e instanceof UnknownDestinationError) throw new SigningRefusedError(400, e.message);
      throw e;
    }
    this.prune();
    const slot = sessionKey(coordinator, req.sessionId);
    if (this.sessions.has(slot)) throw new SigningRefusedError(409, 'session id already used');
    if ((this.open.get(coordinator) ?? 0) >= SESSIONS_PER_COORDINATOR)
      throw new SigningRefusedError(429, `operator ${coordinator} has ${SESSIONS_PER_COORDINATOR} sessions open here`);
    // reserve the id before the first await: two concurrent commits with one id cannot both pass
    const session: Session = { epoch: req.epoch, expires: Date.now() + SESSION_TTL_MS };
    this.sessions.set(slot, session);
    this.open.set(coordinator, (this.open.get(coordinator) ?? 0) + 1);
    try {
      // the one rule that makes t-of-n mean something: sign only what this node's verifier proved
      const proved = await this.store.provedHere(req.ids, req.destinationChain);
      const missing = req.ids.filter((_, i) => !proved[i]);
      if (missing.length)
        throw new SigningRefusedError(409, `not observed and verified here: ${missing.length} message(s)`, missing);
      // the coordinator is at work on this key (see the sign stage); noted once its request holds up
      await this.store.claimKey(req.batchKey, coordinator);
    } catch (e) {
      this.drop(slot, coordinator);
      throw e;
    }
    const { nonces, commitments } = frost.commit(key.key.secret);
    session.nonces = nonces;
    session.commitment = {
      identifier: commitments.identifier,
      hiding: bytesToHex(commitments.hiding as Uint8Array),
      binding: bytesToHex(commitments.binding as Uint8Array),
    };
    session.digest = digest;
    return session.commitment;
  }

  /** @param coordinator the authenticated operator asking: must be the one that opened the session. */
  share(req: ShareRequest, coordinator: number): Hex {
    const slot = sessionKey(coordinator, req.sessionId);
    const session = this.sessions.get(slot);
    if (!session || session.expires < Date.now()) {
      if ([...this.sessions.keys()].some((k) => k.endsWith(`/${req.sessionId}`)))
        throw new SigningRefusedError(403, 'the session belongs to another coordinator');
      throw new SigningRefusedError(404, 'unknown or expired session');
    }
    if (!session.nonces || !session.commitment || !session.digest)
      throw new SigningRefusedError(409, 'the session is still being opened');
    // nonces are one-time: whatever happens next, this session is gone
    this.drop(slot, coordinator);
    const key = this.keyFor(session.epoch);
    if (!key) throw new SigningRefusedError(409, `no key share for epoch ${session.epoch}`);
    const own = session.commitment;
    const mine = req.commitments.find((c) => c.identifier === own.identifier);
    if (!mine || mine.hiding !== own.hiding || mine.binding !== own.binding)
      throw new SigningRefusedError(400, 'the commitment list does not contain this signer’s commitment');
    if (req.commitments.length < key.key.public.signers.min)
      throw new SigningRefusedError(
        400,
        `${req.commitments.length} commitments, threshold is ${key.key.public.signers.min}`,
      );
    const list = req.commitments.map((c) => ({
      identifier: c.identifier,
      hiding: hexToBytes(c.hiding),
      binding: hexToBytes(c.binding),
    }));
    try {
      return bytesToHex(frost.signShare(key.key.secret, key.key.public, session.nonces, list, session.digest));
    } catch (e) {
      throw new SigningRefusedError(400, `cannot sign: ${(e as Error).message}`);
    }
  }

  private drop(slot: string, coordinator: number): void {
    if (this.sessions.delete(slot)) this.open.set(coordinator, Math.max(0, (this.open.get(coordinator) ?? 1) - 1));
  }

  private prune(): void {
    const now = Date.now();
    for (const [slot, s] of this.sessions)
      if (s.expires < now) this.drop(slot, Number(slot.slice(0, slot.indexOf('/'))));
  }
}

function sessionKey(coordinator: number, sessionId: string): string {
  return `${coordinator}/${sessionId}`;
}
