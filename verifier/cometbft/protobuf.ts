/**
 * The few proto3 encodings CometBFT hashes and signs (header fields, SimpleValidator, CanonicalVote).
 * Written by hand rather than through generated codecs: hashing needs byte-exact output, including the
 * gogoproto cases generated codecs get wrong (non-nullable sub-messages written even when empty).
 */
import { concatBytes } from '../bytes.js';

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;

/** Unsigned LEB128 of a non-negative integer (bigint for 64-bit values). */
export function uvarint(value: bigint | number): Uint8Array {
  let v = BigInt(value);
  if (v < 0n) throw new RangeError(`uvarint of a negative value ${v}`);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

/** Appends fields in order; proto3 defaults are skipped unless a method says otherwise. */
export class ProtoWriter {
  private readonly parts: Uint8Array[] = [];

  private tag(field: number, wire: number): void {
    this.parts.push(uvarint((field << 3) | wire));
  }

  /** int64/uint64/int32/enum as a varint; negative values are two's complement over 64 bits, as protobuf does. */
  varint(field: number, value: bigint | number): this {
    let v = BigInt(value);
    if (v === 0n) return this;
    if (v < 0n) v += 1n << 64n;
    this.tag(field, WIRE_VARINT);
    this.parts.push(uvarint(v));
    return this;
  }

  /** sfixed64: 8 bytes little-endian, two's complement. */
  sfixed64(field: number, value: bigint): this {
    if (value === 0n) return this;
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigInt64(0, value, true);
    this.tag(field, WIRE_FIXED64);
    this.parts.push(b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    if (value.length === 0) return this;
    return this.lengthDelimited(field, value);
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /**
   * A sub-message. `always` writes it even when it encodes to nothing: gogoproto's non-nullable fields
   * (BlockID.part_set_header, CanonicalVote.timestamp) are emitted unconditionally.
   */
  message(field: number, encoded: Uint8Array | undefined, always = false): this {
    if (encoded === undefined || (encoded.length === 0 && !always)) return this;
    return this.lengthDelimited(field, encoded);
  }

  private lengthDelimited(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_BYTES);
    this.parts.push(uvarint(value.length), value);
    return this;
  }

  finish(): Uint8Array {
    return concatBytes(...this.parts);
  }
}
