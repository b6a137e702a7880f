/**
 * A strict RLP decoder (encoding uses viem's `toRlp`). Strict means canonical only: a single byte below
 * 0x80 must stand alone, lengths are minimal, nothing trails the item. Trie nodes are authenticated by
 * the hash of their exact bytes, so leniency would not let a forgery through, but a decoder that accepts
 * one form per value keeps "what was proved" unambiguous.
 */
import { ProofError } from '../types.js';

export type RlpItem = Uint8Array | RlpItem[];

const bad = (detail: string): never => {
  throw new ProofError('malformed-input', `RLP: ${detail}`);
};

export function decodeRlp(bytes: Uint8Array): RlpItem {
  const [item, end] = decodeAt(bytes, 0);
  if (end !== bytes.length) bad(`${bytes.length - end} trailing byte(s)`);
  return item;
}

function decodeAt(bytes: Uint8Array, at: number): [RlpItem, number] {
  const prefix = bytes[at];
  if (prefix === undefined) return bad('unexpected end');
  if (prefix < 0x80) return [bytes.subarray(at, at + 1), at + 1];
  const isList = prefix >= 0xc0;
  const base = isList ? 0xc0 : 0x80;
  let length: number;
  let start: number;
  if (prefix - base <= 55) {
    length = prefix - base;
    start = at + 1;
  } else {
    const lengthOfLength = prefix - base - 55;
    if (at + 1 + lengthOfLength > bytes.length) return bad('length runs past the end');
    if (bytes[at + 1] === 0) return bad('length with a leading zero');
    length = 0;
    for (let i = 0; i < lengthOfLength; i++) length = length * 256 + (bytes[at + 1 + i] as number);
    if (length <= 55) return bad('long form for a short length');
    start = at + 1 + lengthOfLength;
  }
  const end = start + length;
  if (end > bytes.length) return bad('item runs past the end');
  if (!isList) {
    if (length === 1 && (bytes[start] as number) < 0x80) return bad('single byte below 0x80 with a prefix');
    return [bytes.subarray(start, end), end];
  }
  const items: RlpItem[] = [];
  let cursor = start;
  while (cursor < end) {
    const [item, next] = decodeAt(bytes, cursor);
    if (next > end) return bad('list item runs past the list');
    items.push(item);
    cursor = next;
  }
  return [items, end];
}
