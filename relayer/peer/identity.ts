/**
 * Operator identity: an ed25519 key that signs every peer request, and (converted to X25519) seals
 * the DKG shares one operator sends another.
 */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  sign as cryptoSign,
  verify as cryptoVerify,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
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

// Every peer request is signed and verified: use OpenSSL's ed25519 (node:crypto), an order of magnitude
// faster than a pure-JS one. Raw 32-byte keys are wrapped in their fixed PKCS#8 / SPKI DER prefixes.
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const keyObjects = new Map<string, KeyObject>();

/** Node key objects for raw keys, made once per key. */
function keyObject(raw: Hex, kind: 'private' | 'public'): KeyObject {
  const cacheKey = `${kind}:${raw}`;
  let key = keyObjects.get(cacheKey);
  if (!key) {
    key =
      kind === 'private'
        ? createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, hexToBytes(raw)]), format: 'der', type: 'pkcs8' })
        : createPublicKey({ key: Buffer.concat([SPKI_ED25519, hexToBytes(raw)]), format: 'der', type: 'spki' });
    keyObjects.set(cacheKey, key);
  }
  return key;
}

export function signBytes(identity: Identity, message: Uint8Array): Hex {
  return bytesToHex(cryptoSign(null, message, keyObject(identity.secretKey, 'private')));
}

export function verifyBytes(publicKey: Hex, message: Uint8Array, signature: Hex): boolean {
  try {
    return cryptoVerify(null, message, keyObject(publicKey, 'public'), hexToBytes(signature));
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
