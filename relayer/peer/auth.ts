/**
 * Authentication of the peer channel, both ways.
 *
 * A request carries the sender's operator id, the recipient's, a timestamp, a nonce and the body's
 * SHA-256 in headers, and an ed25519 signature over all of them with the method and path. So a
 * receiver can refuse an unauthenticated request from its headers alone, before reading the body;
 * a captured request cannot be replayed to another operator (recipient bound), nor to the same one
 * (nonce), nor after a restart (timestamps before the process started are refused, so the in-memory
 * nonce cache needs no persistence). A response carries the responder's signature over its status
 * and body, bound to the request's nonce: a network attacker cannot forge a refusal or a share.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, type Hex } from 'viem';
import { type Identity, signBytes, verifyBytes } from './identity.js';

export const HEADER_PEER = 'x-sah-peer';
export const HEADER_TO = 'x-sah-to';
export const HEADER_TIMESTAMP = 'x-sah-timestamp';
export const HEADER_NONCE = 'x-sah-nonce';
export const HEADER_BODY = 'x-sah-body-sha256';
export const HEADER_SIGNATURE = 'x-sah-signature';
export const HEADER_RESPONSE_SIGNATURE = 'x-sah-response-signature';

export class PeerAuthError extends Error {
  override name = 'PeerAuthError';
}

export interface PeerSelf {
  operatorId: number;
  identity: Identity;
}

export const bodyHash = (body: string): string => bytesToHex(sha256(new TextEncoder().encode(body))).slice(2);

function requestStatement(
  sender: number,
  recipient: number,
  method: string,
  path: string,
  timestamp: string,
  nonce: string,
  hash: string,
): Uint8Array {
  return new TextEncoder().encode(
    `SAH-PEER-V2\n${sender}\n${recipient}\n${method.toUpperCase()}\n${path}\n${timestamp}\n${nonce}\n${hash}`,
  );
}

function responseStatement(responder: number, requester: number, nonce: string, status: number, hash: string) {
  return new TextEncoder().encode(`SAH-PEER-RESPONSE-V1\n${responder}\n${requester}\n${nonce}\n${status}\n${hash}`);
}

export function signRequest(
  self: PeerSelf,
  recipient: number,
  method: string,
  path: string,
  body: string,
): Record<string, string> {
  const timestamp = String(Date.now());
  const nonce = bytesToHex(crypto.getRandomValues(new Uint8Array(16))).slice(2);
  const hash = bodyHash(body);
  return {
    [HEADER_PEER]: String(self.operatorId),
    [HEADER_TO]: String(recipient),
    [HEADER_TIMESTAMP]: timestamp,
    [HEADER_NONCE]: nonce,
    [HEADER_BODY]: hash,
    [HEADER_SIGNATURE]: signBytes(
      self.identity,
      requestStatement(self.operatorId, recipient, method, path, timestamp, nonce, hash),
    ),
  };
}

export function signResponse(self: PeerSelf, requester: number, nonce: string, status: number, body: string): string {
  return signBytes(self.identity, responseStatement(self.operatorId, requester, nonce, status, bodyHash(body)));
}

export function responseSignatureValid(
  responderKey: Hex,
  responder: number,
  requester: number,
  nonce: string,
  status: number,
  body: string,
  signature: string | null,
): boolean {
  if (!signature || !/^0x[0-9a-f]{128}$/.test(signature)) return false;
  return verifyBytes(
    responderKey,
    responseStatement(responder, requester, nonce, status, bodyHash(body)),
    signature as Hex,
  );
}

/** What the headers established: who sent it, and the body hash the body must have. */
export interface AuthenticatedHeaders {
  peer: number;
  nonce: string;
  bodyHash: string;
}

export class PeerAuthenticator {
  private readonly seen = new Map<string, number>();
  /** Requests signed before this authenticator existed are refused: no replay across a restart. */
  private readonly notBefore: number;
  private readonly windowMs: number;

  constructor(
    /** This node's operator id: requests must be addressed to it. */
    private readonly self: number,
    private readonly peers: ReadonlyMap<number, Hex>,
    opts: { windowMs?: number; notBefore?: number } = {},
  ) {
    this.windowMs = opts.windowMs ?? 30_000;
    this.notBefore = opts.notBefore ?? Date.now();
  }

  /** The identity key configured for `operator`. */
  keyOf(operator: number): Hex | undefined {
    return this.peers.get(operator);
  }

  /** Checks everything but the body, from the headers alone; records the nonce. */
  authenticateHeaders(method: string, path: string, headers: Record<string, unknown>): AuthenticatedHeaders {
    const get = (name: string) => {
      const v = headers[name];
      if (typeof v !== 'string' || v.length === 0) throw new PeerAuthError(`missing header ${name}`);
      return v;
    };
    const peer = Number(get(HEADER_PEER));
    const publicKey = this.peers.get(peer);
    if (!publicKey) throw new PeerAuthError(`operator ${get(HEADER_PEER)} is not in the relayer set`);
    const to = get(HEADER_TO);
    if (to !== String(this.self))
      throw new PeerAuthError(`request addressed to operator ${to}, this is operator ${this.self}`);
    const timestamp = get(HEADER_TIMESTAMP);
    const nonce = get(HEADER_NONCE);
    const hash = get(HEADER_BODY);
    const signature = get(HEADER_SIGNATURE);
    const at = Number(timestamp);
    if (!/^\d{1,15}$/.test(timestamp) || Math.abs(Date.now() - at) > this.windowMs)
      throw new PeerAuthError(`timestamp outside the ${this.windowMs} ms replay window`);
    if (at < this.notBefore)
      throw new PeerAuthError('request signed before this node started (replay after a restart?)');
    if (!/^[0-9a-f]{32}$/.test(nonce)) throw new PeerAuthError('nonce must be 16 bytes of hex');
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new PeerAuthError('body hash must be 32 bytes of hex');
    if (!/^0x[0-9a-f]{128}$/.test(signature)) throw new PeerAuthError('signature must be 64 bytes of hex');
    if (
      !verifyBytes(publicKey, requestStatement(peer, this.self, method, path, timestamp, nonce, hash), signature as Hex)
    )
      throw new PeerAuthError(`bad signature from operator ${peer}`);
    const key = `${peer}:${nonce}`;
    this.prune();
    if (this.seen.has(key)) throw new PeerAuthError(`replayed request from operator ${peer}`);
    this.seen.set(key, Date.now() + 2 * this.windowMs);
    return { peer, nonce, bodyHash: hash };
  }

  /** The body read after the headers passed must be the one they signed. */
  checkBody(auth: AuthenticatedHeaders, body: string): void {
    if (bodyHash(body) !== auth.bodyHash)
      throw new PeerAuthError(`body does not match the signed hash from operator ${auth.peer}`);
  }

  /** Headers and body at once. @returns the authenticated operator id. */
  verify(method: string, path: string, headers: Record<string, unknown>, body: string): number {
    const auth = this.authenticateHeaders(method, path, headers);
    this.checkBody(auth, body);
    return auth.peer;
  }

  private prune(): void {
    if (this.seen.size < 10_000) return;
    const now = Date.now();
    for (const [k, expiry] of this.seen) if (expiry < now) this.seen.delete(k);
  }
}
