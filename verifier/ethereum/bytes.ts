/**
 * Byte helpers shared by the RLP (execution layer) and SSZ (consensus layer) code. Hex in, bytes out:
 * JSON-RPC and the beacon API both speak 0x-hex, the hash functions want bytes.
 */
import { bytesToHex, type Hex, hexToBytes, isHex } from 'viem';
import { ProofError } from '../types.js';

/** Parses 0x-hex (even length) or throws `malformed-input` naming the field. */
export function bytesOf(value: unknown, field: string, length?: number): Uint8Array {
  if (typeof value !== 'string' || !isHex(value, { strict: true }) || value.length % 2 !== 0)
    throw new ProofError('malformed-input', `${field} is not even-length 0x-hex`);
  const bytes = hexToBytes(value);
  if (length !== undefined && bytes.length !== length)
    throw new ProofError('malformed-input', `${field} has ${bytes.length} bytes, expected ${length}`);
  return bytes;
}

/** A JSON-RPC quantity (0x-hex, no leading zeros) or a beacon API decimal string, as a bigint. */
export function quantityOf(value: unknown, field: string): bigint {
  if (typeof value === 'string') {
    if (/^0x(0|[1-9a-f][0-9a-f]*)$/i.test(value)) return BigInt(value);
    if (/^(0|[1-9][0-9]*)$/.test(value)) return BigInt(value);
  }
  throw new ProofError('malformed-input', `${field} is not a canonical quantity`);
}

/** Minimal big-endian bytes of an unsigned integer (RLP's integer form: 0 is the empty string). */
export function uintBytes(n: bigint): Uint8Array {
  if (n < 0n) throw new ProofError('malformed-input', 'negative integer');
  if (n === 0n) return new Uint8Array(0);
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return hexToBytes(`0x${hex}`);
}

export const uintHex = (n: bigint): Hex => bytesToHex(uintBytes(n));
