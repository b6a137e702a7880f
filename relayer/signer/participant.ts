/**
 * The signer side of a FROST session: commits nonces and signs a share, but only for messages this
 * node observed on the source chain and verified itself.
 */
import { bytesToHex, type Hex, hexToBytes } from 'viem';
import type { MessageStore } from '../pipeline/store.js';
import { buildBatch, signingDigest } from '../protocol/digest.js';
import { frost } from '../protocol/frost.js';
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
    readonly status: 400 | 404 | 409,
    message: string,
    readonly missing: Hex[] = [],
  ) {
    super(message);
  }
}

interface Session {
  nonces: ReturnType<typeof frost.commit>['nonces'];
  commitment: WireCommitment;
  digest: Uint8Array;
  epoch: number;
  expires: number;
}

const SIGNABLE = new Set(['verified', 'signed', 'submitted', 'delivered']);
const SESSION_TTL_MS = 30_000;

export class SigningParticipant {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly store: MessageStore,
    private readonly keyFor: (epoch: number) => SigningKey | undefined,
    private readonly maxMessages: number,
  ) {}

  /** @param coordinator the operator running the session (recorded so others see it is at work). */
  async commit(req: CommitRequest, coordinator: number): Promise<WireCommitment> {
    const key = this.keyFor(req.epoch);
    if (!key) throw new SigningRefusedError(409, `no key share for epoch ${req.epoch}`);
    if (req.ids.length === 0 || req.ids.length > this.maxMessages)
      throw new SigningRefusedError(400, `a session signs 1..${this.maxMessages} messages, got ${req.ids.length}`);
    if (new Set(req.ids.map((i) => i.toLowerCase())).size !== req.ids.length)
      throw new SigningRefusedError(400, 'duplicate message ids');
    if (this.sessions.has(req.sessionId)) throw new SigningRefusedError(409, 'session id already used');
    // the coordinator is at work on this key, even if we cannot sign yet: note it (see the sign stage)
    await this.store.claimKey(req.batchKey, coordinator);
    // the one rule that makes t-of-n mean something: sign only what this node verified itself
    const known = await this.store.stages(req.ids);
    const missing = req.ids.filter((_, i) => {
      const r = known[i];
      return !r || !SIGNABLE.has(r.stage) || r.destinationChain !== req.destinationChain;
    });
    if (missing.length)
      throw new SigningRefusedError(409, `not observed and verified here: ${missing.length} message(s)`, missing);
    const digest = hexToBytes(signingDigest(req.epoch, req.destinationChain, buildBatch(req.ids).root));
    const { nonces, commitments } = frost.commit(key.key.secret);
    const commitment = {
      identifier: commitments.identifier,
      hiding: bytesToHex(commitments.hiding as Uint8Array),
      binding: bytesToHex(commitments.binding as Uint8Array),
    };
    this.prune();
    this.sessions.set(req.sessionId, {
      nonces,
      commitment,
      digest,
      epoch: req.epoch,
      expires: Date.now() + SESSION_TTL_MS,
    });
    return commitment;
  }

  share(req: ShareRequest): Hex {
    const session = this.sessions.get(req.sessionId);
    if (!session || session.expires < Date.now()) throw new SigningRefusedError(404, 'unknown or expired session');
    // nonces are one-time: whatever happens next, this session is gone
    this.sessions.delete(req.sessionId);
    const key = this.keyFor(session.epoch);
    if (!key) throw new SigningRefusedError(409, `no key share for epoch ${session.epoch}`);
    const mine = req.commitments.find((c) => c.identifier === session.commitment.identifier);
    if (!mine || mine.hiding !== session.commitment.hiding || mine.binding !== session.commitment.binding)
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

  private prune(): void {
    const now = Date.now();
    for (const [id, s] of this.sessions) if (s.expires < now) this.sessions.delete(id);
  }
}
