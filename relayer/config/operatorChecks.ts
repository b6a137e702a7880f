/** Checks on the relayer set's public parts: identity keys and peer URLs. */
import { ed25519 } from '@noble/curves/ed25519.js';
import { hexToBytes } from 'viem';

/**
 * Why an ed25519 identity key is unfit, or undefined. A small-order key lets one constant forged
 * signature verify for every message under a lax verifier; a non-canonical encoding or a key with a
 * torsion part has more than one meaning. All are refused.
 */
export function checkIdentityKey(key: `0x${string}`): string | undefined {
  const bytes = hexToBytes(key);
  let point: ReturnType<typeof ed25519.Point.fromBytes>;
  try {
    // zip215 = false: only the canonical encoding of a point on the curve
    point = ed25519.Point.fromBytes(bytes, false);
  } catch {
    return 'not a canonical encoding of an ed25519 point';
  }
  if (point.isSmallOrder()) return 'a small-order ed25519 point (forged signatures could verify under it)';
  if (!point.isTorsionFree()) return 'has a torsion component (not in the prime-order subgroup)';
  // re-encoding must give the same bytes (no alternative encodings of one point)
  const again = point.toBytes();
  if (again.length !== bytes.length || again.some((b, i) => b !== bytes[i]))
    return 'not a canonical encoding of an ed25519 point';
  return undefined;
}

/** A URL whose host is this machine only (127.0.0.0/8, ::1, localhost). */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
