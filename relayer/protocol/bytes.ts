import { bytesToHex, type Hex, hexToBytes, isHex } from 'viem';
import { EncodeError } from './errors.js';

export type { Hex };

/** Parse a 0x-prefixed hex string of an exact byte length. */
export function fixedBytes(value: Hex, length: number, field: string): Uint8Array {
  if (!isHex(value, { strict: true })) throw new EncodeError(field, 'not a 0x-prefixed hex string');
  const bytes = hexToBytes(value);
  if (bytes.length !== length) throw new EncodeError(field, `expected ${length} bytes, got ${bytes.length}`);
  return bytes;
}

export function toHex(bytes: Uint8Array): Hex {
  return bytesToHex(bytes);
}

export const ZERO32: Hex = `0x${'00'.repeat(32)}`;

/** Big-endian writer for the canonical encoding. */
export class ByteWriter {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  private push(chunk: Uint8Array): this {
    this.chunks.push(chunk);
    this.size += chunk.length;
    return this;
  }

  uint(value: bigint | number, bytes: number, field: string): this {
    const v = BigInt(value);
    if (v < 0n || v >= 1n << BigInt(bytes * 8)) throw new EncodeError(field, `${v} does not fit in ${bytes} bytes`);
    const out = new Uint8Array(bytes);
    let rest = v;
    for (let i = bytes - 1; i >= 0; i--) {
      out[i] = Number(rest & 0xffn);
      rest >>= 8n;
    }
    return this.push(out);
  }

  u8(v: number, field: string): this {
    return this.uint(v, 1, field);
  }
  u16(v: number, field: string): this {
    return this.uint(v, 2, field);
  }
  u32(v: number, field: string): this {
    return this.uint(v, 4, field);
  }
  u64(v: bigint, field: string): this {
    return this.uint(v, 8, field);
  }
  u128(v: bigint, field: string): this {
    return this.uint(v, 16, field);
  }

  fixed(value: Hex, length: number, field: string): this {
    return this.push(fixedBytes(value, length, field));
  }

  raw(bytes: Uint8Array): this {
    return this.push(bytes);
  }

  /** u16 length prefix, then the bytes. */
  lengthPrefixed(bytes: Uint8Array, maxLength: number, field: string): this {
    if (bytes.length > maxLength) throw new EncodeError(field, `${bytes.length} bytes, at most ${maxLength}`);
    return this.u16(bytes.length, field).push(bytes);
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }
}

/** Big-endian reader; callers check lengths before reading so every read is in range. */
export class ByteReader {
  offset = 0;
  constructor(readonly data: Uint8Array) {}

  get remaining(): number {
    return this.data.length - this.offset;
  }

  uint(bytes: number): bigint {
    let v = 0n;
    for (let i = 0; i < bytes; i++) v = (v << 8n) | BigInt(this.data[this.offset + i] ?? 0);
    this.offset += bytes;
    return v;
  }
  u8(): number {
    return Number(this.uint(1));
  }
  u16(): number {
    return Number(this.uint(2));
  }
  u32(): number {
    return Number(this.uint(4));
  }
  u64(): bigint {
    return this.uint(8);
  }
  u128(): bigint {
    return this.uint(16);
  }
  take(length: number): Uint8Array {
    const out = this.data.slice(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }
  hex(length: number): Hex {
    return toHex(this.take(length));
  }
}
