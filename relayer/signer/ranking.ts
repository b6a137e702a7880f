/**
 * Deterministic roles: every node computes the same order of operators for a batch (who coordinates
 * signing, then who takes over) and for a signed batch (who delivers, then who takes over), from public
 * data alone. No election, no extra messages.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from 'viem';

/** Messages with consecutive nonces from one source to one destination share a batch key, hence a coordinator. */
export const BATCH_SPAN = 64n;

export function batchKey(m: { sourceChain: number; destinationChain: number; nonce: bigint | string }): string {
  return `${m.sourceChain}-${m.destinationChain}-${BigInt(m.nonce) / BATCH_SPAN}`;
}

export function ranking(subject: string, operators: number[]): number[] {
  const score = (id: number) => bytesToHex(sha256(new TextEncoder().encode(`${subject}/${id}`)));
  return [...operators].sort((a, b) => (score(a) < score(b) ? -1 : 1));
}

/** Whose turn it is `elapsedMs` after the work became possible, moving on every `slotMs`. */
export function turn(subject: string, operators: number[], elapsedMs: number, slotMs: number): number {
  const order = ranking(subject, operators);
  return order[Math.floor(Math.max(0, elapsedMs) / slotMs) % order.length] as number;
}
