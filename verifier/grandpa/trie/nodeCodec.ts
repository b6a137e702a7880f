/**
 * Substrate's trie node codec (sp_trie NodeCodec over a radix-16 Patricia trie). A node starts with a
 * header naming its kind and the number of nibbles in its partial key:
 *
 *   01xxxxxx leaf                      10xxxxxx branch without value   11xxxxxx branch with value
 *   001xxxxx leaf, value by hash (V1)  0001xxxx branch, value by hash (V1)       00000000 empty trie
 *
 * When the count does not fit the low bits, they are all ones and the count continues in the next
 * bytes (each added; a byte below 255 ends it). The partial key follows, nibbles packed high first and
 * left-padded with a zero nibble when odd. A leaf then holds its value; a branch a u16 LE bitmap of its
 * children, its value if any, then each child as a compact-length-prefixed reference: 32 bytes is a
 * hash, anything shorter is the child node itself, inline. Values are `Vec<u8>` inline, or (trie V1,
 * values of 33 bytes or more) the 32-byte blake2-256 of the value, which lives in its own proof item.
 */
import { concatBytes } from '../../bytes.js';
import { ProofError } from '../../types.js';
import { encodeBytesVec, encodeCompact, ScaleReader } from '../scale.js';

export type NodeValue = { inline: Uint8Array } | { hash: Uint8Array };
export type ChildRef = { inline: Uint8Array } | { hash: Uint8Array };

export type TrieNode =
  | { type: 'empty' }
  | { type: 'leaf'; partial: Uint8Array; value: NodeValue }
  | { type: 'branch'; partial: Uint8Array; value?: NodeValue; children: (ChildRef | undefined)[] };

const HASH_LENGTH = 32;
/** trie-db's bound on a partial key's nibbles. */
const MAX_NIBBLES = 65_535;

type Kind = 'leaf' | 'branch' | 'branchValue' | 'hashedLeaf' | 'hashedBranch';
/** Prefix bits and how many low bits hold the nibble count. */
const KINDS: Record<Kind, { prefix: number; bits: number }> = {
  leaf: { prefix: 0b01 << 6, bits: 6 },
  branch: { prefix: 0b10 << 6, bits: 6 },
  branchValue: { prefix: 0b11 << 6, bits: 6 },
  hashedLeaf: { prefix: 0b001 << 5, bits: 5 },
  hashedBranch: { prefix: 0b0001 << 4, bits: 4 },
};

function kindOf(first: number): Kind | undefined {
  if (first & 0x80) return first & 0x40 ? 'branchValue' : 'branch';
  if (first & 0x40) return 'leaf';
  if (first & 0x20) return 'hashedLeaf';
  if (first & 0x10) return 'hashedBranch';
  return undefined;
}

export function decodeNode(bytes: Uint8Array): TrieNode {
  const r = new ScaleReader(bytes, 'trie node');
  const fail = (detail: string): never => {
    throw new ProofError('bad-state-proof', `trie node: ${detail}`);
  };
  const first = r.u8();
  if (first === 0) {
    if (bytes.length !== 1) fail('empty node with trailing bytes');
    return { type: 'empty' };
  }
  const kind = kindOf(first) ?? fail(`unknown node header 0x${first.toString(16).padStart(2, '0')}`);
  const mask = (1 << KINDS[kind].bits) - 1;
  let count = first & mask;
  if (count === mask) {
    for (;;) {
      const n = r.u8();
      count += n;
      if (count > MAX_NIBBLES) fail('partial key too long');
      if (n < 255) break;
    }
  }
  const packed = r.take((count + 1) >> 1);
  if (count % 2 === 1 && (packed[0] as number) >> 4 !== 0) fail('non-zero padding nibble');
  const partial = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const j = i + (count % 2); // position in the padded nibble string
    const b = packed[j >> 1] as number;
    partial[i] = j % 2 === 0 ? b >> 4 : b & 0x0f;
  }
  const hashed = kind === 'hashedLeaf' || kind === 'hashedBranch';
  const readValue = (): NodeValue =>
    hashed ? { hash: r.take(HASH_LENGTH).slice() } : { inline: r.bytesVec().slice() };
  if (kind === 'leaf' || kind === 'hashedLeaf') {
    const value = readValue();
    if (r.remaining) fail(`${r.remaining} trailing bytes`);
    return { type: 'leaf', partial, value };
  }
  const bitmap = r.u16();
  if (bitmap === 0) fail('branch without children');
  const value = kind === 'branch' ? undefined : readValue();
  const children: (ChildRef | undefined)[] = new Array(16).fill(undefined);
  for (let i = 0; i < 16; i++) {
    if (!(bitmap & (1 << i))) continue;
    const len = r.length();
    const data = r.take(len).slice();
    if (len === HASH_LENGTH) children[i] = { hash: data };
    else if (len < HASH_LENGTH) children[i] = { inline: data };
    else fail(`child reference of ${len} bytes`);
  }
  if (r.remaining) fail(`${r.remaining} trailing bytes`);
  return value ? { type: 'branch', partial, value, children } : { type: 'branch', partial, children };
}

function encodeHeader(kind: Kind, count: number): Uint8Array {
  const { prefix, bits } = KINDS[kind];
  const mask = (1 << bits) - 1;
  if (count < mask) return Uint8Array.of(prefix | count);
  const out = [prefix | mask];
  let rem = count - mask;
  while (rem >= 255) {
    out.push(255);
    rem -= 255;
  }
  out.push(rem);
  return Uint8Array.from(out);
}

function packNibbles(nibbles: Uint8Array): Uint8Array {
  const odd = nibbles.length % 2;
  const out = new Uint8Array((nibbles.length + 1) >> 1);
  for (let i = 0; i < nibbles.length; i++) {
    const j = i + odd;
    out[j >> 1] = (out[j >> 1] as number) | (j % 2 === 0 ? (nibbles[i] as number) << 4 : (nibbles[i] as number));
  }
  return out;
}

export function encodeNode(node: TrieNode): Uint8Array {
  if (node.type === 'empty') return Uint8Array.of(0);
  const hashed = node.value !== undefined && 'hash' in node.value;
  const value = (v: NodeValue) => ('hash' in v ? v.hash : encodeBytesVec(v.inline));
  if (node.type === 'leaf')
    return concatBytes(
      encodeHeader(hashed ? 'hashedLeaf' : 'leaf', node.partial.length),
      packNibbles(node.partial),
      value(node.value),
    );
  const kind: Kind = node.value === undefined ? 'branch' : hashed ? 'hashedBranch' : 'branchValue';
  let bitmap = 0;
  const children: Uint8Array[] = [];
  node.children.forEach((c, i) => {
    if (!c) return;
    bitmap |= 1 << i;
    const data = 'hash' in c ? c.hash : c.inline;
    children.push(encodeCompact(data.length), data);
  });
  return concatBytes(
    encodeHeader(kind, node.partial.length),
    packNibbles(node.partial),
    Uint8Array.of(bitmap & 0xff, bitmap >> 8),
    ...(node.value ? [value(node.value)] : []),
    ...children,
  );
}

/** Bytes to nibbles, high nibble first. */
export function toNibbles(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length * 2);
  for (let i = 0; i < key.length; i++) {
    out[2 * i] = (key[i] as number) >> 4;
    out[2 * i + 1] = (key[i] as number) & 0x0f;
  }
  return out;
}
