/** Hex-prefix (compact) path encoding of the Merkle-Patricia trie (yellow paper, appendix C). */
import { ProofError } from '../types.js';

export function toNibbles(key: Uint8Array): number[] {
  const out: number[] = [];
  for (const byte of key) out.push(byte >> 4, byte & 15);
  return out;
}

/** Decodes a compact path: the first nibble's bit 1 marks a leaf, bit 0 an odd length. */
export function decodeCompact(encoded: Uint8Array): { leaf: boolean; path: number[] } {
  const first = encoded[0];
  if (first === undefined) throw new ProofError('bad-state-proof', 'empty compact path');
  const flag = first >> 4;
  if (flag > 3) throw new ProofError('bad-state-proof', `bad compact path flag ${flag}`);
  const nibbles = toNibbles(encoded);
  // even paths carry a zero padding nibble after the flag
  if (!(flag & 1) && nibbles[1] !== 0) throw new ProofError('bad-state-proof', 'non-zero compact padding');
  return { leaf: (flag & 2) !== 0, path: nibbles.slice(flag & 1 ? 1 : 2) };
}

export function encodeCompact(path: number[], leaf: boolean): Uint8Array {
  const odd = path.length % 2;
  const flag = (leaf ? 2 : 0) + odd;
  const nibbles = odd ? [flag, ...path] : [flag, 0, ...path];
  const out = new Uint8Array(nibbles.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = ((nibbles[2 * i] as number) << 4) | (nibbles[2 * i + 1] as number);
  return out;
}
