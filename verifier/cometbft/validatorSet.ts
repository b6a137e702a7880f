/**
 * Validator-set hashing (types.ValidatorSet.Hash): Merkle root over each validator's SimpleValidator
 * {1: pub_key (crypto.PublicKey, ed25519 = field 1), 2: voting_power}, in the set's order. A header commits
 * to its signers through validators_hash and to the next block's through next_validators_hash.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { equalBytes } from '../bytes.js';
import { ProofError } from '../types.js';
import type { Validator } from './lightBlock.js';
import { merkleRoot } from './merkle.js';
import { ProtoWriter } from './protobuf.js';

/** CometBFT's MaxTotalVotingPower (int64 max / 8): larger totals are invalid sets. */
const MAX_TOTAL_VOTING_POWER = (1n << 63n) / 8n;

export function encodeSimpleValidator(v: Validator): Uint8Array {
  const pubKey = new ProtoWriter().bytes(1, v.pubKey).finish();
  return new ProtoWriter().message(1, pubKey).varint(2, v.votingPower).finish();
}

export function hashValidatorSet(validators: readonly Validator[]): Uint8Array {
  return merkleRoot(validators.map(encodeSimpleValidator));
}

/** An address is the first 20 bytes of sha256(ed25519 public key). */
export function validatorAddress(pubKey: Uint8Array): Uint8Array {
  return sha256(pubKey).subarray(0, 20);
}

export function totalVotingPower(validators: readonly Validator[]): bigint {
  let total = 0n;
  for (const v of validators) total += v.votingPower;
  return total;
}

/**
 * The set is well formed: not empty, positive powers within CometBFT's bound, no duplicate, and every address
 * derived from its key (a node could otherwise pair one validator's address with another's key).
 */
export function checkValidatorSet(validators: readonly Validator[], what: string): void {
  if (validators.length === 0) throw new ProofError('bad-header', `${what}: empty validator set`);
  const seen = new Set<string>();
  for (const v of validators) {
    const address = Buffer.from(v.address).toString('hex');
    if (v.votingPower <= 0n)
      throw new ProofError('bad-header', `${what}: validator ${address} has power ${v.votingPower}`);
    if (!equalBytes(v.address, validatorAddress(v.pubKey)))
      throw new ProofError('bad-header', `${what}: validator address ${address} is not derived from its public key`);
    if (seen.has(address)) throw new ProofError('bad-header', `${what}: validator ${address} appears twice`);
    seen.add(address);
  }
  if (totalVotingPower(validators) > MAX_TOTAL_VOTING_POWER)
    throw new ProofError('bad-header', `${what}: total voting power exceeds CometBFT's maximum`);
}
