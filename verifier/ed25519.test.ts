import { createPublicKey, verify } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { verifyEd25519 } from './ed25519.js';
import { flipped } from './testing/bits.js';

const secret = new Uint8Array(32).fill(9);
const publicKey = ed25519.getPublicKey(secret);
const message = new TextEncoder().encode('precommit');
const signature = ed25519.sign(message, secret);

describe('verifyEd25519', () => {
  it('accepts a valid signature and refuses every single-bit flip of signature, message and key', () => {
    expect(verifyEd25519(signature, message, publicKey)).toBe(true);
    for (let bit = 0; bit < 512; bit++) expect(verifyEd25519(flipped(signature, bit), message, publicKey)).toBe(false);
    for (let bit = 0; bit < 256; bit++) expect(verifyEd25519(signature, message, flipped(publicKey, bit))).toBe(false);
    for (let bit = 0; bit < message.length * 8; bit++)
      expect(verifyEd25519(signature, flipped(message, bit), publicKey)).toBe(false);
  });

  it('refuses wrong lengths instead of throwing', () => {
    expect(verifyEd25519(signature.slice(0, 63), message, publicKey)).toBe(false);
    expect(verifyEd25519(signature, message, publicKey.slice(1))).toBe(false);
  });

  it('accepts what ZIP-215 accepts and OpenSSL refuses: a non-canonical encoding of R', () => {
    // The identity point encodes canonically as 01 00..00 and non-canonically as 01 00..80 (x = 0 with
    // the sign bit set). With A = identity and S = 0, [S]B = R + [k]A holds for R = identity, whatever
    // the message; OpenSSL compares R's bytes with its own canonical re-encoding and refuses.
    const identity = new Uint8Array(32);
    identity[0] = 1;
    const nonCanonical = identity.slice();
    nonCanonical[31] = 0x80;
    const sig = new Uint8Array([...nonCanonical, ...new Uint8Array(32)]);
    const openssl = () => {
      const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), identity]);
      return verify(null, message, createPublicKey({ key: spki, format: 'der', type: 'spki' }), sig);
    };
    expect(openssl()).toBe(false);
    expect(ed25519.verify(sig, message, identity, { zip215: true })).toBe(true);
    expect(verifyEd25519(sig, message, identity)).toBe(true);
    // the strict RFC 8032 rules refuse it too: this is the case the fallback exists for
    expect(ed25519.verify(sig, message, identity, { zip215: false })).toBe(false);
  });
});
