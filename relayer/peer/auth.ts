/**
 * Authentication of peer requests. Every request carries the sender's operator id, a timestamp and a
 * nonce, and an ed25519 signature over them, the method, the path and the body's hash. A receiver
 * refuses unknown operators, bad signatures, stale or future timestamps and nonces it has seen.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, type Hex } from 'viem';
import { type Identity, signBytes, verifyBytes } from './identity.js';

export const HEADER_PEER = 'x-sah-peer';
export const HEADER_TIMESTAMP = 'x-sah-timestamp';
export const HEADER_NONCE = 'x-sah-nonce';
export const HEADER_SIGNATURE = 'x-sah-signature';

export class PeerAuthError extends Error {
  override name = 'PeerAuthError';
}

function canonical(method: string, path: string, timestamp: string, nonce: string, body: string): Uint8Array {
  const bodyHash = bytesToHex(sha256(new TextEncoder().encode(body)));
  return new TextEncoder().encode(`SAH-PEER-V1\n${method.toUpperCase()}\n${path}\n${timestamp}\n${nonce}\n${bodyHash}`);
}

export function signRequest(
  self: { operatorId: number; identity: Identity },
  method: string,
  path: string,
  body: string,
): Record<string, string> {
  const timestamp = String(Date.now());
  const nonce = bytesToHex(crypto.getRandomValues(new Uint8Array(16))).slice(2);
  return {
    [HEADER_PEER]: String(self.operatorId),
    [HEADER_TIMESTAMP]: timestamp,
    [HEADER_NONCE]: nonce,
    [HEADER_SIGNATURE]: signBytes(self.identity, canonical(method, path, timestamp, nonce, body)),
  };
}

export class PeerAuthenticator {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly peers: ReadonlyMap<number, Hex>,
    private readonly windowMs = 30_000,
  ) {}

  /** @returns the authenticated operator id. */
  verify(method: string, path: string, headers: Record<string, unknown>, body: string): number {
    const get = (name: string) => {
      const v = headers[name];
      if (typeof v !== 'string' || v.length === 0) throw new PeerAuthError(`missing header ${name}`);
      return v;
    };
    const peer = Number(get(HEADER_PEER));
    const publicKey = this.peers.get(peer);
    if (!publicKey) throw new PeerAuthError(`operator ${get(HEADER_PEER)} is not in the relayer set`);
    const timestamp = get(HEADER_TIMESTAMP);
    const nonce = get(HEADER_NONCE);
    const signature = get(HEADER_SIGNATURE);
    const age = Date.now() - Number(timestamp);
    if (!/^\d+$/.test(timestamp) || Math.abs(age) > this.windowMs)
      throw new PeerAuthError(`timestamp outside the ${this.windowMs} ms replay window`);
    if (!/^[0-9a-f]{32}$/.test(nonce)) throw new PeerAuthError('nonce must be 16 bytes of hex');
    if (!/^0x[0-9a-f]{128}$/.test(signature)) throw new PeerAuthError('signature must be 64 bytes of hex');
    if (!verifyBytes(publicKey, canonical(method, path, timestamp, nonce, body), signature as Hex))
      throw new PeerAuthError(`bad signature from operator ${peer}`);
    const key = `${peer}:${nonce}`;
    this.prune();
    if (this.seen.has(key)) throw new PeerAuthError(`replayed request from operator ${peer}`);
    this.seen.set(key, Date.now() + 2 * this.windowMs);
    return peer;
  }

  private prune(): void {
    if (this.seen.size < 10_000) return;
    const now = Date.now();
    for (const [k, expiry] of this.seen) if (expiry < now) this.seen.delete(k);
  }
}
