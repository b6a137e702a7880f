/**
 * Why a node may co-sign an id: its own verifier proved it. That fact lives in Redis with the rest of
 * the record, so it carries a MAC under a key derived from the operator's keystore (never stored in
 * Redis): whoever can write the node's Redis can flip a stage, but cannot make a record the signer
 * accepts. Bound to the id and its destination, so a MAC cannot be moved to another message or route.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { hexToBytes } from 'viem';

export class VerifiedSeal {
  private readonly key: Buffer;

  /** @param secret key material from the keystore (the identity secret key). */
  constructor(secret: `0x${string}`) {
    this.key = Buffer.from(
      sha256(new Uint8Array([...new TextEncoder().encode('SAH-VERIFIED-MAC-V1'), ...hexToBytes(secret)])),
    );
  }

  mac(id: string, destinationChain: number): string {
    return createHmac('sha256', this.key).update(`${id.toLowerCase()}\n${destinationChain}`).digest('hex');
  }

  holds(id: string, destinationChain: number, mac: string | null | undefined): boolean {
    if (!mac || !/^[0-9a-f]{64}$/.test(mac)) return false;
    return timingSafeEqual(Buffer.from(this.mac(id, destinationChain), 'hex'), Buffer.from(mac, 'hex'));
  }
}
