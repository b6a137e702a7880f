/**
 * A DKG share sealed for one recipient, in a form a third party can open if the recipient complains.
 *
 * Each share gets a fresh ephemeral ed25519 key e (E = e·B). The AES-256-GCM key is derived from
 * S = e·A_R, A_R the recipient's identity key, and the box's associated data binds session, sender and
 * recipient, so a box cannot be replayed into another session or passed off as another pair's.
 * A recipient that received a bad share reveals S with a Chaum-Pedersen proof that S = a_R·E for the
 * same a_R as A_R = a_R·B: anyone can then open that one box (e is fresh, so nothing else opens) and
 * see whether the share or the complaint is false. Without the proof a complaint could not be judged.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex, type Hex, hexToBytes } from 'viem';
import type { Identity } from '../peer/identity.js';

const Point = ed25519.Point;
type EdPoint = InstanceType<typeof Point>;
const ORDER = Point.Fn.ORDER;
const encoder = new TextEncoder();

/** Who sent the share to whom, in which session: the box's associated data. */
export interface ShareContext {
  session: string;
  sender: number;
  recipient: number;
}

export interface SealedShare {
  /** E = e·B, 32 bytes. */
  ephemeral: Hex;
  /** iv (12) || tag (16) || ciphertext, base64. */
  box: string;
}

/** What a complaining recipient reveals: S and the proof that it is a_R·E. */
export interface ShareKeyReveal {
  sharedPoint: Hex;
  /** Chaum-Pedersen proof (c, z), 32-byte little-endian scalars. */
  challenge: Hex;
  response: Hex;
}

export class SealedShareError extends Error {
  override name = 'SealedShareError';
}

function associatedData(ctx: ShareContext): Uint8Array {
  return encoder.encode(`SAH-DKG-SHARE-V2\n${ctx.session}\n${ctx.sender}\n${ctx.recipient}`);
}

/** A point of the prime-order subgroup (not small order, no torsion part), or an error naming `what`. */
function primeOrderPoint(bytes: Hex, what: string): EdPoint {
  let p: EdPoint;
  try {
    p = Point.fromBytes(hexToBytes(bytes));
  } catch {
    throw new SealedShareError(`${what} is not a curve point`);
  }
  if (p.isSmallOrder() || !p.isTorsionFree()) throw new SealedShareError(`${what} is not in the prime-order group`);
  return p;
}

function boxKey(ctx: ShareContext, ephemeral: EdPoint, shared: EdPoint): Buffer {
  return Buffer.from(sha256(new Uint8Array([...associatedData(ctx), ...ephemeral.toBytes(), ...shared.toBytes()])));
}

function scalarOf(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i] as number);
  return n % ORDER;
}

function scalarBytes(n: bigint): Hex {
  const out = new Uint8Array(32);
  let v = n;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return bytesToHex(out);
}

function randomScalar(): bigint {
  // 64 bytes reduced mod the order: bias below 2^-250
  let k = 0n;
  while (k === 0n) k = scalarOf(randomBytes(64));
  return k;
}

/** Is `ephemeral` usable? A sender that sent an unusable one is at fault, checkable by anyone. */
export function checkEphemeral(sealed: SealedShare): void {
  primeOrderPoint(sealed.ephemeral, 'ephemeral key');
}

export function sealShare(ctx: ShareContext, recipientPublic: Hex, plaintext: Uint8Array): SealedShare {
  const recipient = primeOrderPoint(recipientPublic, 'recipient identity key');
  const e = randomScalar();
  const ephemeral = Point.BASE.multiply(e);
  const key = boxKey(ctx, ephemeral, recipient.multiply(e));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(associatedData(ctx));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    ephemeral: bytesToHex(ephemeral.toBytes()),
    box: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64'),
  };
}

function openWithShared(ctx: ShareContext, sealed: SealedShare, ephemeral: EdPoint, shared: EdPoint): Uint8Array {
  const raw = Buffer.from(sealed.box, 'base64');
  if (raw.length < 28) throw new SealedShareError('sealed share too short');
  const decipher = createDecipheriv('aes-256-gcm', boxKey(ctx, ephemeral, shared), raw.subarray(0, 12));
  decipher.setAAD(associatedData(ctx));
  decipher.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  } catch {
    throw new SealedShareError('sealed share does not open: altered, or sealed for another session or pair');
  }
}

function identityScalar(identity: Identity): bigint {
  return ed25519.utils.getExtendedPublicKey(hexToBytes(identity.secretKey)).scalar;
}

export function openShare(ctx: ShareContext, recipient: Identity, sealed: SealedShare): Uint8Array {
  const ephemeral = primeOrderPoint(sealed.ephemeral, 'ephemeral key');
  return openWithShared(ctx, sealed, ephemeral, ephemeral.multiply(identityScalar(recipient)));
}

function proofChallenge(ctx: ShareContext, points: EdPoint[]): bigint {
  const parts = [encoder.encode('SAH-DKG-DLEQ-V1'), associatedData(ctx), ...points.map((p) => p.toBytes())];
  return scalarOf(sha512(new Uint8Array(parts.flatMap((p) => [...p]))));
}

/** The recipient's reveal of S = a_R·E, with its proof, for a complaint about this box. */
export function revealShareKey(ctx: ShareContext, recipient: Identity, sealed: SealedShare): ShareKeyReveal {
  const ephemeral = primeOrderPoint(sealed.ephemeral, 'ephemeral key');
  const a = identityScalar(recipient);
  const A = Point.fromBytes(hexToBytes(recipient.publicKey));
  const shared = ephemeral.multiply(a);
  const k = randomScalar();
  const c = proofChallenge(ctx, [A, ephemeral, shared, Point.BASE.multiply(k), ephemeral.multiply(k)]);
  const z = (k + c * a) % ORDER;
  return { sharedPoint: bytesToHex(shared.toBytes()), challenge: scalarBytes(c), response: scalarBytes(z) };
}

/**
 * Opens a box with a recipient's reveal. A reveal whose proof fails is the recipient's lie
 * (`ShareKeyRevealError`); a box that then does not open is the sender's fault (`SealedShareError`).
 */
export class ShareKeyRevealError extends Error {
  override name = 'ShareKeyRevealError';
}

export function openRevealed(
  ctx: ShareContext,
  recipientPublic: Hex,
  sealed: SealedShare,
  reveal: ShareKeyReveal,
): Uint8Array {
  const ephemeral = primeOrderPoint(sealed.ephemeral, 'ephemeral key');
  let shared: EdPoint;
  let A: EdPoint;
  try {
    shared = primeOrderPoint(reveal.sharedPoint, 'revealed shared point');
    A = primeOrderPoint(recipientPublic, 'recipient identity key');
  } catch (e) {
    throw new ShareKeyRevealError((e as Error).message);
  }
  const c = scalarOf(hexToBytes(reveal.challenge));
  const z = scalarOf(hexToBytes(reveal.response));
  if (c === 0n || z === 0n) throw new ShareKeyRevealError('zero scalar in the proof');
  // T1 = z·B - c·A, T2 = z·E - c·S; the proof holds when they hash back to c
  const t1 = Point.BASE.multiply(z).subtract(A.multiply(c));
  const t2 = ephemeral.multiply(z).subtract(shared.multiply(c));
  if (proofChallenge(ctx, [A, ephemeral, shared, t1, t2]) !== c)
    throw new ShareKeyRevealError('the proof that the revealed key is the recipient’s does not hold');
  return openWithShared(ctx, sealed, ephemeral, shared);
}
