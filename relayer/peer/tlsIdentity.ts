/**
 * TLS between operators, bound to the identity keys the config already pins: each node presents a
 * self-signed X.509 certificate whose key IS its ed25519 identity key, made in memory at start; a
 * peer accepts the connection only if the certificate's key is the one configured for the operator it
 * meant to reach (client and server both: mutual TLS). No CA, no certificate files to distribute or
 * renew: rotating the identity key in the config rotates the TLS key.
 *
 * The certificate is the smallest RFC 5280 v3 one (no extensions) in DER, written here: the one library
 * that builds Ed25519 certificates (@peculiar/x509) needs a global reflect-metadata polyfill in the node.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { bytesToHex, type Hex, hexToBytes } from 'viem';
import { type Identity, signBytes } from './identity.js';

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const ED25519_ALGORITHM = Buffer.from('300506032b6570', 'hex');

export interface TlsMaterial {
  /** PEM private key and certificate (the identity key), for node:tls / fastify `https`. */
  key: string;
  cert: string;
}

function der(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, content]);
}
const seq = (...parts: Buffer[]) => der(0x30, Buffer.concat(parts));

function utcTime(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0');
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return der(0x17, Buffer.from(s, 'ascii'));
}

function name(commonName: string): Buffer {
  const cn = seq(der(0x06, Buffer.from([0x55, 0x04, 0x03])), der(0x0c, Buffer.from(commonName, 'utf8')));
  return seq(der(0x31, cn));
}

/** The node's TLS key and certificate: its identity key, valid from an hour ago until 2049. */
export function identityTlsMaterial(identity: Identity, operatorId: number, now = new Date()): TlsMaterial {
  const subject = name(`sah-operator-${operatorId}`);
  const spki = Buffer.concat([SPKI_ED25519, Buffer.from(hexToBytes(identity.publicKey))]);
  const tbs = seq(
    der(0xa0, der(0x02, Buffer.from([2]))), // v3
    der(0x02, Buffer.from([0x01, ...hexToBytes(identity.publicKey).slice(0, 8)])), // serial: positive, from the key
    ED25519_ALGORITHM,
    subject,
    seq(utcTime(new Date(now.getTime() - 3_600_000)), utcTime(new Date(Date.UTC(2049, 11, 31, 23, 59, 59)))),
    subject,
    spki,
  );
  const signature = Buffer.from(hexToBytes(signBytes(identity, tbs)));
  const certificate = seq(tbs, ED25519_ALGORITHM, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519, Buffer.from(hexToBytes(identity.secretKey))]),
    format: 'der',
    type: 'pkcs8',
  });
  return {
    key: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    cert: `-----BEGIN CERTIFICATE-----\n${certificate
      .toString('base64')
      .replace(/(.{64})/g, '$1\n')
      .trim()}\n-----END CERTIFICATE-----\n`,
  };
}

/** Whether this operator serves its peer API over TLS: its own URL, as the others reach it, is https://. */
export function servesPeerTls(config: { operatorId: number; operators: { id: number; url: string }[] }): boolean {
  const own = config.operators.find((o) => o.id === config.operatorId);
  return own !== undefined && new URL(own.url).protocol === 'https:';
}

export class TlsPeerKeyError extends Error {
  override name = 'TlsPeerKeyError';
}

/** The ed25519 key of the certificate the other end of `socket` presented (undefined: none, or not ed25519). */
export function peerCertificateKey(socket: TLSSocket): Hex | undefined {
  const raw = socket.getPeerCertificate()?.raw;
  if (!raw?.length) return undefined;
  try {
    const cert = new X509Certificate(raw);
    // self-signed by that very key: a certificate with someone else's key and a junk signature is refused
    if (!cert.verify(cert.publicKey)) return undefined;
    const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
    if (spki.length !== 44 || !spki.subarray(0, 12).equals(SPKI_ED25519)) return undefined;
    return bytesToHex(spki.subarray(12));
  } catch {
    return undefined;
  }
}

/** Throws unless the other end of `socket` presented the certificate of `expected` (an identity key). */
export function requirePeerKey(socket: TLSSocket, expected: Hex, who: string): void {
  const got = peerCertificateKey(socket);
  if (!got || got.toLowerCase() !== expected.toLowerCase())
    throw new TlsPeerKeyError(
      `${who} presented ${got ? `the TLS key ${got}` : 'no usable certificate'}, not its configured identity key`,
    );
}
