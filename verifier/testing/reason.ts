/**
 * How a verifier call failed, for the tests: the ProofError's reason, `'passed'` when nothing was thrown.
 * Anything thrown that is not a ProofError is rethrown (a crash is never mistaken for a refusal).
 */
import { ProofError, type ProofFailureReason } from '../types.js';

export type Outcome = ProofFailureReason | 'passed';

/** The ProofError `f` throws, or undefined when it returns. */
export function proofError(f: () => unknown): ProofError | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof ProofError) return e;
    throw e;
  }
  return undefined;
}

export const reasonOf = (f: () => unknown): Outcome => proofError(f)?.reason ?? 'passed';

/** `reasonOf` for a promise (a verifier's proveOutbound). */
export async function reasonOfAsync(p: Promise<unknown>): Promise<Outcome> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ProofError) return e.reason;
    throw e;
  }
  return 'passed';
}
