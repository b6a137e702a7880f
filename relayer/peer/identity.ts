/**
 * Operator identity: an ed25519 key that signs every peer request, and (converted to X25519) seals
 * the DKG shares one operator sends another.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, type Hex, hexToBytes } from 'viem';

export interface Identity {
  secretKey: Hex;
  publicKey: Hex;
}

export function newIdentity(): Identity {
  const secret = ed25519.utils.randomSecretKey();
  return { secretKey: bytesToHex(secret), publicKey: bytesToHex(ed25519.getPublicKey(secret)) };
}

export function signBytes(identity: Identity, message: Uint8Array): Hex {
  return bytesToHex(ed25519.sign(message, hexToBytes(identity.secretKey)));
}

export function verifyBytes(publicKey: Hex, message: Uint8Array, signature: Hex): boolean {
  try {
    return ed25519.verify(hexToBytes(signature), message, hexToBytes(publicKey));
  } catch {
    return false;
  }
}

export class SealedBoxError extends Error {
  override name = 'SealedBoxError';
}

function boxKey(mySecret: Hex, theirPublic: Hex): Buffer {
  const shared = x25519.getSharedSecret(
    ed25519.utils.toMontgomerySecret(hexToBytes(mySecret)),
    ed25519.utils.toMontgomery(hexToBytes(theirPublic)),
  );
  return Buffer.from(sha256(new Uint8Array([...new TextEncoder().encode('SAH-DKG-BOX-V1'), ...shared])));
}

/** Encrypts `plaintext` for the holder of `recipientPublic` (X25519 + AES-256-GCM). */
export function sealFor(sender: Identity, recipientPublic: Hex, plaintext: Uint8Array): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', boxKey(sender.secretKey, recipientPublic), iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

export function openFrom(recipient: Identity, senderPublic: Hex, sealed: string): Uint8Array {
  const raw = Buffer.from(sealed, 'base64');
  if (raw.length < 28) throw new SealedBoxError('sealed box too short');
  const decipher = createDecipheriv('aes-256-gcm', boxKey(recipient.secretKey, senderPublic), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  } catch {
    throw new SealedBoxError('sealed box does not open: wrong sender or altered');
  }
}
