/**
 * ed25519 verification with the acceptance rules of ZIP-215, which CometBFT (curve25519-voi) and
 * Substrate (ed25519-zebra) apply to votes. OpenSSL (node:crypto) checks the stricter RFC 8032 rules about nine
 * times faster than a pure-JS verify; every signature it accepts is also ZIP-215-valid, so it is the
 * fast path, and only a signature it refuses is re-checked with @noble/curves' ZIP-215 verify (an
 * unusual encoding an honest signer's library may still produce must not be refused).
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';

/** DER SubjectPublicKeyInfo prefix of a raw 32-byte ed25519 key (RFC 8410). */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const KEY_CACHE_LIMIT = 4096;
const keys = new Map<string, KeyObject | null>();

function keyObject(publicKey: Uint8Array): KeyObject | null {
  const id = Buffer.from(publicKey).toString('hex');
  let key = keys.get(id);
  if (key === undefined) {
    try {
      key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
    } catch {
      key = null; // not a point OpenSSL decodes; ZIP-215 may still (non-canonical encoding)
    }
    if (keys.size >= KEY_CACHE_LIMIT) keys.clear();
    keys.set(id, key);
  }
  return key;
}

export function verifyEd25519(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  const key = keyObject(publicKey);
  if (key && verify(null, message, key, signature)) return true;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: true });
  } catch {
    return false;
  }
}
