/**
 * Test signatures of a freshly generated key: before anyone rotates a bridge to it, the key must have
 * produced valid FROST signatures from signer subsets that together cover every operator (the DKG's
 * last rounds make them; the group file carries them; `governance rotate` and each node's approval
 * check them). A key some operator cannot sign under is caught here, not after the grace period.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, type Hex, hexToBytes } from 'viem';
import { verifyFrost } from '../protocol/frost.js';

export interface TestSignature {
  signers: number[];
  message: Hex;
  signature: Hex;
}

export class UntestedKeyError extends Error {
  override name = 'UntestedKeyError';
}

/**
 * Subsets of t operators that together cover all n: windows of t over the sorted ids, wrapping
 * (5 operators, t = 3: {1,2,3} and {4,5,1}). Disjoint as far as n allows.
 */
export function testSubsets(operators: number[], threshold: number): number[][] {
  const ids = [...operators].sort((a, b) => a - b);
  const count = Math.ceil(ids.length / threshold);
  return Array.from({ length: count }, (_, k) =>
    Array.from({ length: threshold }, (_, j) => ids[(k * threshold + j) % ids.length] as number),
  );
}

/** What subset `signers` signs for the key of `epoch`: bound to the key, the epoch and the subset. */
export function testMessage(epoch: number, groupKey: Hex, signers: number[]): Hex {
  return bytesToHex(
    sha256(new TextEncoder().encode(`SAH-DKG-TESTSIGN-V1\n${epoch}\n${groupKey.toLowerCase()}\n${signers.join(',')}`)),
  );
}

/**
 * Throws UntestedKeyError unless `signatures` hold test signatures of `groupKey` for `epoch`, each
 * valid, from t distinct operators each, that together cover every operator.
 */
export function checkTestSignatures(
  g: { epoch: number; groupKey: Hex; threshold: number; operators: number[] },
  signatures: TestSignature[] | undefined,
): void {
  if (!signatures?.length)
    throw new UntestedKeyError(`the group key of epoch ${g.epoch} carries no test signatures: rerun the DKG`);
  const covered = new Set<number>();
  for (const s of signatures) {
    if (new Set(s.signers).size !== g.threshold || s.signers.some((o) => !g.operators.includes(o)))
      throw new UntestedKeyError(
        `test signature by ${s.signers.join(',')} is not by ${g.threshold} distinct operators`,
      );
    if (s.message.toLowerCase() !== testMessage(g.epoch, g.groupKey, s.signers))
      throw new UntestedKeyError(`test signature by ${s.signers.join(',')} is over another message`);
    if (!verifyFrost(hexToBytes(s.signature), hexToBytes(s.message), g.groupKey))
      throw new UntestedKeyError(
        `test signature by operators ${s.signers.join(',')} does not verify under ${g.groupKey}: this key cannot be used`,
      );
    for (const o of s.signers) covered.add(o);
  }
  const missing = g.operators.filter((o) => !covered.has(o));
  if (missing.length)
    throw new UntestedKeyError(`no test signature covers operator(s) ${missing.join(', ')} of epoch ${g.epoch}`);
}
