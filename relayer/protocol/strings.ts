import { type Hex, toHex } from './bytes.js';
import { EncodeError } from './errors.js';

const encoder = new TextEncoder();
// ignoreBOM: a leading U+FEFF is content, kept as it is (the default would strip it, so decode then
// encode would not give the same bytes, and a DID that is only a BOM would read as empty)
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Pack a short UTF-8 string into 32 bytes, right-padded with zeros (token symbol and name). */
export function packBytes32(text: string, field = 'string'): Hex {
  const bytes = encoder.encode(text);
  if (bytes.length > 32) throw new EncodeError(field, `${bytes.length} UTF-8 bytes, at most 32`);
  const out = new Uint8Array(32);
  out.set(bytes);
  return toHex(out);
}

/** Inverse of packBytes32 for display: trailing zeros dropped, invalid UTF-8 replaced. */
export function unpackBytes32(value: Hex): string {
  const hex = value.slice(2).replace(/(00)+$/, '');
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return lenientDecoder.decode(bytes);
}

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Strict UTF-8 decode; returns undefined on invalid input so callers raise their own named error. */
export function utf8DecodeStrict(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** 32-byte form of an EVM address (left-padded with zeros), as used for sender, recipient and tokens. */
export function addressToBytes32(address: Hex): Hex {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) throw new EncodeError('address', `${address} is not a 20-byte address`);
  return `0x${'00'.repeat(12)}${address.slice(2).toLowerCase()}` as Hex;
}
