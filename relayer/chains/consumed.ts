/**
 * A destination's replay protection (docs/PROTOCOL.md §2, consumed bitmaps): each message is one bit, keyed by
 * (source chain, nonce), 256 to a word. A node asks for whole words, one read per 256 nonces of a source.
 */
import { type Hex, hexToBytes } from 'viem';
import { decodeMessage } from '../protocol/message.js';

/** A message as a destination's replay protection knows it. */
export interface MessageRef {
  id: Hex;
  sourceChain: number;
  nonce: bigint;
}

/** The reference of an encoded message (its header names source and nonce). */
export function messageRef(id: Hex, encoding: Hex): MessageRef {
  const m = decodeMessage(hexToBytes(encoding));
  return { id, sourceChain: m.sourceChain, nonce: m.nonce };
}

/** The references of a batch's messages, in its order. */
export function batchRefs(batch: { ids: Hex[]; messages: Hex[] }): MessageRef[] {
  return batch.ids.map((id, i) => messageRef(id, batch.messages[i] as Hex));
}

export const wordIndexOf = (nonce: bigint): bigint => nonce >> 8n;

/** Whether `nonce`'s bit is set in its word (bit i is (word >> i) & 1). */
export const bitIsSet = (word: bigint, nonce: bigint): boolean => ((word >> (nonce & 0xffn)) & 1n) === 1n;

/**
 * For each reference, whether its bit is set, reading each distinct (source, word index) once through
 * `readWords` (which answers in the order asked: one call, so a family can batch or pin it to one block).
 */
export async function consumedByWords(
  refs: MessageRef[],
  readWords: (words: { sourceChain: number; wordIndex: bigint }[]) => Promise<bigint[]>,
): Promise<boolean[]> {
  if (refs.length === 0) return [];
  const keyOf = (sourceChain: number, wordIndex: bigint) => `${sourceChain}/${wordIndex}`;
  const wanted = new Map<string, { sourceChain: number; wordIndex: bigint }>();
  for (const r of refs) {
    const wordIndex = wordIndexOf(r.nonce);
    wanted.set(keyOf(r.sourceChain, wordIndex), { sourceChain: r.sourceChain, wordIndex });
  }
  const asked = [...wanted.values()];
  const words = await readWords(asked);
  const byKey = new Map(asked.map((w, i) => [keyOf(w.sourceChain, w.wordIndex), words[i] ?? 0n]));
  return refs.map((r) => bitIsSet(byKey.get(keyOf(r.sourceChain, wordIndexOf(r.nonce))) ?? 0n, r.nonce));
}
