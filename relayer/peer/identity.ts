/**
 * Operator identity: an ed25519 key that signs every peer request and answer, and that DKG shares are
 * sealed to (dkg/sealedShare.ts).
 */
import {
  createPrivateKey,
  createPublicKey,
  sign as cryptoSign,
  verify as cryptoVerify,
  type KeyObject,
} from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
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
