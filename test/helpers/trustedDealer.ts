/**
 * A FROST key set split by a trusted dealer (RFC 9591 appendix C), for tests, golden vectors and
 * benchmarks only: a dealer knows the whole key, so operators never use one (they run the DKG). Kept
 * out of relayer/ so it cannot ship with the node.
 */

import { InvalidGroupKeyError } from '../../relayer/protocol/errors.js';
import { FrostError, type FrostKey, frost, type KeySet, type Rng } from '../../relayer/protocol/frost.js';
import { parseGroupKey } from '../../relayer/protocol/groupKey.js';

/** `secret` fixes the group secret (vectors). */
export function dealKeySet(threshold: number, signers: number, opts: { secret?: Uint8Array; rng?: Rng } = {}): KeySet {
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > signers)
    throw new FrostError(`threshold ${threshold} must be in 1..${signers}`);
  const ids = Array.from({ length: signers }, (_, i) => frost.Identifier.fromNumber(i + 1));
  for (let attempt = 0; attempt < 8; attempt++) {
    const deal = frost.trustedDealer({ min: threshold, max: signers }, ids, opts.secret, opts.rng);
    const keys = ids.map((id) => ({ public: deal.public, secret: deal.secretShares[id] })) as FrostKey[];
    try {
      return { threshold, signers, groupKey: parseGroupKey(deal.public.commitments[0] as Uint8Array), keys };
    } catch (e) {
      if (e instanceof InvalidGroupKeyError && !opts.secret) continue; // x >= n: deal again
      throw e;
    }
  }
  throw new FrostError('dealer kept producing group keys with x >= n');
}
