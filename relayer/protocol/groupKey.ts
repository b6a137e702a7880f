import { secp256k1 } from '@noble/curves/secp256k1.js';
import { fixedBytes, type Hex, toHex } from './bytes.js';
import { InvalidGroupKeyError } from './errors.js';

export const CURVE_ORDER = secp256k1.Point.Fn.ORDER;
export const FIELD_PRIME = secp256k1.Point.Fp.ORDER;

/** A FROST group public key in the forms the chains use. */
export interface GroupKey {
  /** SEC1 compressed, 33 bytes: what the protocol carries. */
  compressed: Hex;
  x: bigint;
  y: bigint;
  yParity: 0 | 1;
}

/**
 * Parse and validate a compressed group key. The chains verify with an ECDSA-recovery trick that
 * passes the key's x as an ECDSA `r`, which must be < n, so a key with x >= n is rejected here and
 * a DKG that produces one is rerun.
 */
export function parseGroupKey(compressed: Hex | Uint8Array): GroupKey {
  const bytes = typeof compressed === 'string' ? fixedBytes(compressed, 33, 'groupKey') : compressed;
  if (bytes.length !== 33) throw new InvalidGroupKeyError(`expected 33 bytes, got ${bytes.length}`);
  const prefix = bytes[0];
  if (prefix !== 2 && prefix !== 3) throw new InvalidGroupKeyError(`prefix 0x${prefix?.toString(16)} is not 02 or 03`);
  let point: InstanceType<typeof secp256k1.Point>;
  try {
    point = secp256k1.Point.fromBytes(bytes);
    point.assertValidity();
  } catch {
    throw new InvalidGroupKeyError('not a point on secp256k1');
  }
  const { x, y } = point.toAffine();
  if (x >= CURVE_ORDER) throw new InvalidGroupKeyError('x >= curve order n');
  return { compressed: toHex(bytes), x, y, yParity: Number(y & 1n) as 0 | 1 };
}
