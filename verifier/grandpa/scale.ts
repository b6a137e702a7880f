/**
 * The small part of SCALE the GRANDPA verifier reads and writes: fixed-width little-endian integers,
 * compact integers, length-prefixed byte strings and fixed arrays. Hand-written rather than through
 * @polkadot/types' registry because every input here is untrusted and we want exact control over
 * bounds (a short buffer or a trailing byte is `malformed-input`, never a silently padded value).
 */
import { bytesToHex, type Hex, hexToBytes, isHex } from 'viem';
import { concatBytes } from '../bytes.js';
import { ProofError } from '../types.js';

/** A cursor over SCALE bytes; every read checks bounds and throws `malformed-input`. */
export class ScaleReader {
  offset = 0;
  constructor(
    readonly bytes: Uint8Array,
    /** What is being decoded, for error messages. */
    readonly what: string,
  ) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  fail(detail: string): never {
    throw new ProofError('malformed-input', `${this.what}: ${detail} (at byte ${this.offset})`);
  }

  take(n: number): Uint8Array {
    if (n < 0 || this.offset + n > this.bytes.length) this.fail(`needs ${n} more bytes, has ${this.remaining}`);
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  u8(): number {
    return this.take(1)[0] as number;
  }

  u16(): number {
    const b = this.take(2);
    return (b[0] as number) | ((b[1] as number) << 8);
  }

  u32(): number {
    const b = this.take(4);
    return ((b[0] as number) | ((b[1] as number) << 8) | ((b[2] as number) << 16)) + (b[3] as number) * 2 ** 24;
  }

  u64(): bigint {
    const lo = BigInt(this.u32());
    const hi = BigInt(this.u32());
    return (hi << 32n) | lo;
  }

  /**
   * SCALE compact integer. Non-canonical encodings (a value in a wider mode than it needs) are
   * rejected as parity-scale-codec does: the bytes we hash must be the only encoding of what we read.
   */
  compact(): bigint {
    const first = this.u8();
    let v: bigint;
    let min: bigint;
    switch (first & 3) {
      case 0:
        return BigInt(first >> 2);
      case 1:
        v = BigInt((first | (this.u8() << 8)) >> 2);
        min = 1n << 6n;
        break;
      case 2: {
        const b = this.take(3);
        v = BigInt(((first | ((b[0] as number) << 8) | ((b[1] as number) << 16)) >>> 2) + (b[2] as number) * 2 ** 22);
        min = 1n << 14n;
        break;
      }
      default: {
        const n = (first >> 2) + 4;
        const b = this.take(n);
        v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i] as number);
        min = n === 4 ? 1n << 30n : 1n << BigInt(8 * (n - 1));
        break;
      }
    }
    if (v < min) this.fail('non-canonical compact integer');
    return v;
  }

  /** A compact length, bounded by what is left so a forged length cannot make us allocate. */
  length(elementSize = 1): number {
    const n = this.compact();
    if (n * BigInt(elementSize) > BigInt(this.remaining)) this.fail(`length ${n} exceeds the remaining input`);
    return Number(n);
  }

  /** `Vec<u8>`. */
  bytesVec(): Uint8Array {
    return this.take(this.length());
  }

  /** Throws unless every byte was consumed. */
  end(): void {
    if (this.remaining !== 0) this.fail(`${this.remaining} trailing bytes`);
  }
}

export function encodeCompact(value: bigint | number): Uint8Array {
  const v = BigInt(value);
  if (v < 0n) throw new RangeError('compact: negative');
  if (v < 1n << 6n) return Uint8Array.of(Number(v) << 2);
  if (v < 1n << 14n) {
    const x = (Number(v) << 2) | 1;
    return Uint8Array.of(x & 0xff, x >> 8);
  }
  if (v < 1n << 30n) {
    const x = Number(v) * 4 + 2;
    return Uint8Array.of(x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, Math.floor(x / 2 ** 24) & 0xff);
  }
  const bytes: number[] = [];
  for (let x = v; x > 0n; x >>= 8n) bytes.push(Number(x & 0xffn));
  return Uint8Array.of(((bytes.length - 4) << 2) | 3, ...bytes);
}

export function encodeU32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, true);
  return out;
}

export function encodeU64(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value, true);
  return out;
}

/** `Vec<u8>`: compact length, then the bytes. */
export function encodeBytesVec(bytes: Uint8Array): Uint8Array {
  return concatBytes(encodeCompact(bytes.length), bytes);
}

/** Hex from an untrusted source (RPC, config) to bytes; `malformed-input` unless it is hex of `length` bytes. */
export function parseHex(value: unknown, what: string, length?: number): Uint8Array {
  if (typeof value !== 'string' || !isHex(value, { strict: true }) || value.length % 2 !== 0)
    throw new ProofError('malformed-input', `${what}: not a 0x-prefixed hex string`);
  const bytes = hexToBytes(value);
  if (length !== undefined && bytes.length !== length)
    throw new ProofError('malformed-input', `${what}: ${bytes.length} bytes, expected ${length}`);
  return bytes;
}

export const toHex = (bytes: Uint8Array): Hex => bytesToHex(bytes);
