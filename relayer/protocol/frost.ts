/**
 * FROST(secp256k1, SHA-256), RFC 9591, over @noble/curves, as the relayer set uses it: in-process DKG
 * and signing (the networked rounds live in the relayer node), the challenge as every chain recomputes
 * it, and the EVM signature form.
 */
import { secp256k1, secp256k1_FROST } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, type Hex, hexToBytes } from 'viem';
import { fixedBytes, toHex } from './bytes.js';
import { InvalidGroupKeyError } from './errors.js';
import { CURVE_ORDER, type GroupKey, parseGroupKey } from './groupKey.js';

export const frost = secp256k1_FROST;
export type FrostKey = ReturnType<typeof frost.DKG.round3>;
export type FrostPublicPackage = FrostKey['public'];
export type Rng = (length?: number) => Uint8Array;

export const SIGNATURE_LENGTH = 65;
/** RFC 9591 section 6.5: contextString || "chal". */
export const CHALLENGE_DST = 'FROST-secp256k1-SHA256-v1chal';

export class FrostError extends Error {
  override name = 'FrostError';
}

export interface KeySet {
  threshold: number;
  signers: number;
  groupKey: GroupKey;
  /** One key package per participant, in identifier order 1..n. */
  keys: FrostKey[];
}

/**
 * Runs the FROST DKG among `signers` in-process (no dealer): every participant checks every other's
 * commitment and proof of knowledge (inside @noble/curves). A group key with x >= n cannot be verified
 * by the chains' ecrecover trick, so such a run is discarded and the DKG is rerun.
 */
export function runDkgInProcess(threshold: number, signers: number, rng?: Rng): KeySet {
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > signers)
    throw new FrostError(`threshold ${threshold} must be in 1..${signers}`);
  for (let attempt = 0; attempt < 8; attempt++) {
    const ids = Array.from({ length: signers }, (_, i) => frost.Identifier.fromNumber(i + 1));
    const opts = { min: threshold, max: signers };
    const round1 = ids.map((id) => frost.DKG.round1(id, opts, undefined, rng));
    const round2 = round1.map((own) =>
      frost.DKG.round2(
        own.secret,
        round1.filter((o) => o !== own).map((o) => o.public),
      ),
    );
    const keys = round1.map((own, i) => {
      const id = ids[i] as string;
      const others = round1.filter((o) => o !== own).map((o) => o.public);
      const received = round2.filter((_, j) => j !== i).map((packages) => packages[id]);
      if (received.some((p) => p === undefined)) throw new FrostError(`missing round2 package for ${id}`);
      return frost.DKG.round3(own.secret, others, received as NonNullable<(typeof received)[number]>[]);
    });
    const first = keys[0];
    if (!first) throw new FrostError('no participants');
    const compressed = first.public.commitments[0] as Uint8Array;
    for (const k of keys)
      if (bytesToHex(k.public.commitments[0] as Uint8Array) !== bytesToHex(compressed))
        throw new FrostError('participants disagree on the group key');
    try {
      return { threshold, signers, groupKey: parseGroupKey(compressed), keys };
    } catch (e) {
      if (e instanceof InvalidGroupKeyError) continue; // x >= n: rerun
      throw e;
    }
  }
  throw new FrostError('DKG kept producing group keys with x >= n');
}

/**
 * Both FROST rounds among `keys` (at least threshold of them) over `message`, with every share checked
 * by `verifyShare` before aggregation, as a coordinator does.
 */
export function signInProcess(keys: FrostKey[], message: Uint8Array, rng?: Rng): Uint8Array {
  const pub = keys[0]?.public;
  if (!pub) throw new FrostError('no signers');
  if (keys.length < pub.signers.min) throw new FrostError(`${keys.length} signers, threshold is ${pub.signers.min}`);
  const rounds = keys.map((k) => ({ key: k, nonce: frost.commit(k.secret, rng) }));
  const commitments = rounds.map((r) => r.nonce.commitments);
  const shares: Record<string, Uint8Array> = {};
  for (const r of rounds) {
    const share = frost.signShare(r.key.secret, pub, r.nonce.nonces, commitments, message);
    if (!frost.verifyShare(pub, commitments, message, r.key.secret.identifier, share))
      throw new FrostError(`bad signature share from ${r.key.secret.identifier}`);
    shares[r.key.secret.identifier] = share;
  }
  return frost.aggregate(pub, commitments, message, shares);
}

export function verifyFrost(signature: Uint8Array, message: Uint8Array, groupKey: Hex | Uint8Array): boolean {
  try {
    const key = typeof groupKey === 'string' ? hexToBytes(groupKey) : groupKey;
    return frost.verify(signature, message, key);
  } catch {
    return false;
  }
}

/** expand_message_xmd(SHA-256) of RFC 9380 section 5.3.1. */
function expandMessageXmd(msg: Uint8Array, dst: Uint8Array, length: number): Uint8Array {
  const ell = Math.ceil(length / 32);
  const dstPrime = new Uint8Array([...dst, dst.length]);
  const b0 = sha256(new Uint8Array([...new Uint8Array(64), ...msg, length >> 8, length & 0xff, 0, ...dstPrime]));
  const out: number[] = [];
  let prev = sha256(new Uint8Array([...b0, 1, ...dstPrime]));
  out.push(...prev);
  for (let i = 2; i <= ell; i++) {
    const mixed = b0.map((b, j) => b ^ (prev[j] as number));
    prev = sha256(new Uint8Array([...mixed, i, ...dstPrime]));
    out.push(...prev);
  }
  return new Uint8Array(out.slice(0, length));
}

/** c = H2(R || PK || msg) mod n, the challenge each chain recomputes. */
export function frostChallenge(R: Uint8Array, groupKey: Uint8Array, message: Uint8Array): bigint {
  const uniform = expandMessageXmd(
    new Uint8Array([...R, ...groupKey, ...message]),
    new TextEncoder().encode(CHALLENGE_DST),
    48,
  );
  return BigInt(bytesToHex(uniform)) % CURVE_ORDER;
}

export interface SignatureParts {
  /** Compressed commitment R, 33 bytes. */
  R: Uint8Array;
  rx: bigint;
  ry: bigint;
  z: bigint;
}

export function splitSignature(signature: Uint8Array): SignatureParts {
  if (signature.length !== SIGNATURE_LENGTH)
    throw new FrostError(`signature is ${signature.length} bytes, expected ${SIGNATURE_LENGTH}`);
  const R = signature.slice(0, 33);
  const point = secp256k1.Point.fromBytes(R);
  const { x, y } = point.toAffine();
  return { R, rx: x, ry: y, z: BigInt(bytesToHex(signature.slice(33))) };
}

/**
 * The EVM delivery form: the RFC 9591 signature followed by R's y coordinate (97 bytes). The contract
 * checks y against R (on the curve, parity of the prefix) instead of taking a modular square root.
 */
export function evmSignature(signature: Uint8Array | Hex): Hex {
  const sig = typeof signature === 'string' ? fixedBytes(signature, SIGNATURE_LENGTH, 'signature') : signature;
  const { ry } = splitSignature(sig);
  return `${toHex(sig)}${ry.toString(16).padStart(64, '0')}` as Hex;
}
