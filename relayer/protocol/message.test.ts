import { readFileSync } from 'node:fs';
import { bytesToHex, type Hex, hexToBytes } from 'viem';
import { describe, expect, it } from 'vitest';
import { ZERO32 } from './bytes.js';
import { ChainId } from './chains.js';
import { messageId, signingDigest } from './digest.js';
import { EncodeError, ProtocolError } from './errors.js';
import { evmSignature, verifyFrost } from './frost.js';
import { decodeMessage, encodeMessage, type Message } from './message.js';
import { packBytes32 } from './strings.js';
import { renderVectors, VALID_MESSAGES } from './testVectors.js';

const vectorsText = readFileSync(new URL('../../test/vectors/messages.json', import.meta.url), 'utf8');
interface ValidVector {
  name: string;
  kind: string;
  header: { sourceChain: number; destinationChain: number; nonce: string; sender: Hex; recipient: Hex };
  payload: unknown;
  encoding: Hex;
  messageId: Hex;
  epoch: number;
  signingDigest: Hex;
  signature: Hex;
  signatureEvm: Hex;
}
interface InvalidVector {
  name: string;
  encoding: Hex;
  error: string;
}
const vectors = JSON.parse(vectorsText) as {
  testKey: { groupKey: Hex };
  valid: ValidVector[];
  invalid: InvalidVector[];
  badSignatures: { signature: Hex; digest: Hex }[];
  rfc9591: { groupKey: Hex; message: Hex; signature: Hex };
};

describe('golden vectors', () => {
  it('regenerate byte for byte from the TypeScript codec', () => {
    expect(renderVectors()).toBe(vectorsText);
  });

  it.each(vectors.valid.map((v) => [v.name, v] as const))('%s: decode, re-encode, id, digest, signature', (_, v) => {
    const bytes = hexToBytes(v.encoding);
    const decoded = decodeMessage(bytes);
    expect(decoded.kind).toBe(v.kind);
    expect(decoded.sourceChain).toBe(v.header.sourceChain);
    expect(decoded.destinationChain).toBe(v.header.destinationChain);
    expect(decoded.nonce).toBe(BigInt(v.header.nonce));
    expect(decoded.sender).toBe(v.header.sender);
    expect(decoded.recipient).toBe(v.header.recipient);
    expect(JSON.parse(JSON.stringify(decoded.payload, (_, x) => (typeof x === 'bigint' ? x.toString() : x)))).toEqual(
      v.payload,
    );
    expect(bytesToHex(encodeMessage(decoded))).toBe(v.encoding);
    expect(messageId(bytes)).toBe(v.messageId);
    expect(signingDigest(v.epoch, v.header.destinationChain, v.messageId)).toBe(v.signingDigest);
    expect(verifyFrost(hexToBytes(v.signature), hexToBytes(v.signingDigest), vectors.testKey.groupKey)).toBe(true);
    expect(evmSignature(v.signature)).toBe(v.signatureEvm);
  });

  it.each(vectors.invalid.map((v) => [v.name, v] as const))('%s is rejected with its named error', (_, v) => {
    let thrown: unknown;
    try {
      decodeMessage(hexToBytes(v.encoding));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ProtocolError);
    expect((thrown as ProtocolError).code).toBe(v.error);
    expect((thrown as Error).name).toBe(`${v.error}Error`);
  });

  it('signatures do not verify under another digest, key or with a flipped bit', () => {
    for (const bad of vectors.badSignatures)
      expect(verifyFrost(hexToBytes(bad.signature), hexToBytes(bad.digest), vectors.testKey.groupKey)).toBe(false);
    const v = vectors.valid[0] as ValidVector;
    expect(verifyFrost(hexToBytes(v.signature), hexToBytes(v.signingDigest), vectors.rfc9591.groupKey)).toBe(false);
  });

  it('the RFC 9591 appendix signature verifies', () => {
    const r = vectors.rfc9591;
    expect(verifyFrost(hexToBytes(r.signature), hexToBytes(r.message), r.groupKey)).toBe(true);
  });
});

describe('codec', () => {
  const base = VALID_MESSAGES[0]?.message as Extract<Message, { kind: 'TokenTransfer' }>;

  it('round-trips random token transfers', () => {
    for (let i = 0; i < 200; i++) {
      const rnd = (bytes: number) => BigInt(bytesToHex(crypto.getRandomValues(new Uint8Array(bytes))));
      const msg: Message = {
        ...base,
        sourceChain: Number(rnd(4) % 1000n) + 1,
        destinationChain: 5000,
        nonce: rnd(8),
        sender: bytesToHex(crypto.getRandomValues(new Uint8Array(32))),
        recipient: bytesToHex(crypto.getRandomValues(new Uint8Array(32))),
        payload: {
          ...base.payload,
          amount: rnd(16) + 1n > (1n << 128n) - 1n ? 1n : rnd(16) + 1n,
          decimals: Number(rnd(1)),
        },
      };
      const bytes = encodeMessage(msg);
      expect(bytes.length).toBe(82 + 117);
      expect(decodeMessage(bytes)).toEqual(msg);
    }
  });

  it('refuses to encode out-of-range fields with EncodeError', () => {
    expect(() => encodeMessage({ ...base, nonce: 1n << 64n })).toThrow(EncodeError);
    expect(() => encodeMessage({ ...base, sourceChain: 2 ** 32 })).toThrow(EncodeError);
    expect(() => encodeMessage({ ...base, payload: { ...base.payload, amount: 1n << 128n } })).toThrow(EncodeError);
    expect(() => encodeMessage({ ...base, sender: '0x1234' })).toThrow(/expected 32 bytes/);
    expect(() => packBytes32('x'.repeat(33))).toThrow(EncodeError);
  });

  it('refuses to encode what it would not decode', () => {
    expect(() => encodeMessage({ ...base, recipient: ZERO32 })).toThrow(/recipient is invalid/);
    expect(() => encodeMessage({ ...base, destinationChain: base.sourceChain })).toThrow(/same chain/);
    expect(() => encodeMessage({ ...base, sourceChain: ChainId.Governance })).toThrow(/chain 0/);
  });

  it('every strict prefix of every valid message is rejected', () => {
    for (const v of vectors.valid) {
      const bytes = hexToBytes(v.encoding);
      for (let n = 0; n < bytes.length; n++) expect(() => decodeMessage(bytes.slice(0, n))).toThrow(ProtocolError);
    }
  });

  it('random bytes never decode into something that re-encodes differently', () => {
    for (let i = 0; i < 2000; i++) {
      const v = vectors.valid[i % vectors.valid.length] as ValidVector;
      const bytes = hexToBytes(v.encoding);
      bytes[Math.floor(Math.random() * bytes.length)] = Math.floor(Math.random() * 256);
      try {
        const decoded = decodeMessage(bytes);
        expect(bytesToHex(encodeMessage(decoded))).toBe(bytesToHex(bytes));
      } catch (e) {
        expect(e).toBeInstanceOf(ProtocolError);
      }
    }
  });
});
