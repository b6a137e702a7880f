/**
 * Commit verification, the two checks of CometBFT's light client (types/validation.go):
 * - verifyCommitLight: the commit's signatures, matched by index to the set that signed the block, carry more
 *   than 2/3 of that set's power;
 * - verifyCommitLightTrusting: signatures from a set we already trust, matched by address, carry more than the
 *   trust level of the trusted set's power (skipping verification).
 * Only commit-flag signatures count (absent and nil votes say nothing about this block). Every counted
 * signature is checked, not only enough to pass the threshold: one bad signature rejects the commit, which
 * costs little more (a commit barely above 2/3 needs nearly all of them anyway) and keeps the verdict
 * independent of signature order.
 */

import { equalBytes } from '../bytes.js';
import { verifyEd25519 } from '../ed25519.js';
import { ProofError } from '../types.js';
import { type BlockId, BlockIdFlag, type Commit, type CommitSig, type Validator } from './lightBlock.js';
import { totalVotingPower } from './validatorSet.js';
import { SignedMsgType, voteSignBytes } from './voteSignBytes.js';

/** A fraction of voting power; CometBFT accepts trust levels in [1/3, 1]. */
export interface TrustLevel {
  numerator: bigint;
  denominator: bigint;
}

export const DEFAULT_TRUST_LEVEL: TrustLevel = { numerator: 1n, denominator: 3n };

/**
 * Too little of the trusted set signed a far header. Not a verdict on the header: a light client bisects
 * (verifies a header in between first) when it sees this.
 */
export class InsufficientTrustError extends ProofError {
  override name = 'InsufficientTrustError';
  constructor(detail: string) {
    super('insufficient-signatures', detail);
  }
}

export function checkTrustLevel(level: TrustLevel): void {
  const { numerator: n, denominator: d } = level;
  if (d <= 0n || n * 3n < d || n > d)
    throw new ProofError('malformed-input', `trust level ${n}/${d} is outside [1/3, 1]`);
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const ZERO_TIME = -62135596800n; // Go's zero time, what an absent vote carries

/**
 * Signature checks of one commit, remembered: skipping verification checks the same signatures against
 * the trusted set and then the new set, and each is verified once.
 */
export class CommitSignatures {
  private readonly verified = new Map<number, Uint8Array>();

  constructor(
    readonly chainId: string,
    readonly commit: Commit,
  ) {
    checkCommitBasic(commit);
  }

  /** Throws bad-commit unless signature `index` is `validator`'s signature of this commit's block. */
  check(index: number, validator: Validator): void {
    const done = this.verified.get(index);
    if (done && equalBytes(done, validator.pubKey)) return;
    const sig = this.commit.signatures[index] as CommitSig;
    const signBytes = voteSignBytes({
      type: SignedMsgType.Precommit,
      height: this.commit.height,
      round: BigInt(this.commit.round),
      blockId: this.commit.blockId,
      timestamp: sig.timestamp,
      chainId: this.chainId,
    });
    if (!verifyEd25519(sig.signature, signBytes, validator.pubKey))
      throw new ProofError(
        'bad-commit',
        `signature ${index} (validator ${hex(validator.address)}) on block ${hex(this.commit.blockId.hash)} at height ${this.commit.height} is invalid under chain id "${this.chainId}"`,
      );
    this.verified.set(index, validator.pubKey);
  }
}

/** types.Commit.ValidateBasic: shapes of the signatures, independent of any validator set. */
export function checkCommitBasic(commit: Commit): void {
  if (commit.height < 1n) throw new ProofError('bad-commit', `commit height ${commit.height}`);
  if (commit.blockId.hash.length !== 32)
    throw new ProofError('bad-commit', 'commit is not for a block (empty block id)');
  if (commit.signatures.length === 0) throw new ProofError('bad-commit', 'commit has no signatures');
  commit.signatures.forEach((s, i) => {
    if (s.blockIdFlag === BlockIdFlag.Absent) {
      if (s.validatorAddress.length || s.signature.length || s.timestamp.seconds !== ZERO_TIME || s.timestamp.nanos)
        throw new ProofError('bad-commit', `absent signature ${i} carries an address, time or signature`);
      return;
    }
    if (s.validatorAddress.length !== 20)
      throw new ProofError('bad-commit', `signature ${i}: validator address of ${s.validatorAddress.length} bytes`);
    if (s.signature.length === 0 || s.signature.length > 64)
      throw new ProofError('bad-commit', `signature ${i}: ${s.signature.length} signature bytes`);
  });
}

function sameBlockId(a: BlockId, b: BlockId): boolean {
  return (
    equalBytes(a.hash, b.hash) &&
    a.partSetHeader.total === b.partSetHeader.total &&
    equalBytes(a.partSetHeader.hash, b.partSetHeader.hash)
  );
}

/**
 * More than 2/3 of `validators`' power signed `blockId` at `height` (validators matched by index: the commit
 * lists one entry per member of the set that produced it).
 */
export function verifyCommitLight(
  sigs: CommitSignatures,
  validators: readonly Validator[],
  blockId: BlockId,
  height: bigint,
): void {
  const { commit } = sigs;
  if (commit.height !== height)
    throw new ProofError('bad-commit', `commit is for height ${commit.height}, expected ${height}`);
  if (!sameBlockId(commit.blockId, blockId))
    throw new ProofError('bad-commit', `commit signs block ${hex(commit.blockId.hash)}, expected ${hex(blockId.hash)}`);
  if (commit.signatures.length !== validators.length)
    throw new ProofError(
      'bad-commit',
      `commit has ${commit.signatures.length} signatures for a set of ${validators.length} validators`,
    );
  let tallied = 0n;
  commit.signatures.forEach((sig, i) => {
    if (sig.blockIdFlag !== BlockIdFlag.Commit) return;
    const validator = validators[i] as Validator;
    if (!equalBytes(sig.validatorAddress, validator.address))
      throw new ProofError(
        'bad-commit',
        `signature ${i} names validator ${hex(sig.validatorAddress)}, the set has ${hex(validator.address)} there`,
      );
    sigs.check(i, validator);
    tallied += validator.votingPower;
  });
  const total = totalVotingPower(validators);
  if (tallied * 3n <= total * 2n)
    throw new ProofError(
      'insufficient-signatures',
      `block ${hex(blockId.hash)} at height ${height} is signed by ${tallied} of ${total} voting power, not more than 2/3`,
    );
}

/**
 * More than `trustLevel` of the trusted set's power signed this commit (validators matched by address; signers
 * the trusted set does not know are skipped here, the new set's check covers them).
 */
export function verifyCommitLightTrusting(
  sigs: CommitSignatures,
  trusted: readonly Validator[],
  trustLevel: TrustLevel,
): void {
  const byAddress = new Map(trusted.map((v) => [hex(v.address), v]));
  const seen = new Set<string>();
  let tallied = 0n;
  sigs.commit.signatures.forEach((sig, i) => {
    if (sig.blockIdFlag !== BlockIdFlag.Commit) return;
    const address = hex(sig.validatorAddress);
    const validator = byAddress.get(address);
    if (!validator) return;
    if (seen.has(address)) throw new ProofError('bad-commit', `validator ${address} signed the commit twice`);
    seen.add(address);
    sigs.check(i, validator);
    tallied += validator.votingPower;
  });
  const total = totalVotingPower(trusted);
  if (tallied * trustLevel.denominator <= total * trustLevel.numerator)
    throw new InsufficientTrustError(
      `the trusted validators that signed hold ${tallied} of ${total} voting power, not more than ${trustLevel.numerator}/${trustLevel.denominator}`,
    );
}
