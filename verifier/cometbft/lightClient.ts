/**
 * CometBFT light-client verification (the rules of cometbft/light/verifier.go): a new header is accepted
 * from a trusted one either adjacently (next height: its validators are the trusted header's next validators,
 * and more than 2/3 of them signed) or by skipping (any later height: more than the trust level of the trusted
 * next validators signed it, and more than 2/3 of its own set). Both need the trusted header to be within its
 * trusting period and the new header to be well formed, later, and not from the future.
 */
import { equalBytes } from '../bytes.js';
import { ProofError } from '../types.js';
import {
  CommitSignatures,
  checkTrustLevel,
  DEFAULT_TRUST_LEVEL,
  type TrustLevel,
  verifyCommitLight,
  verifyCommitLightTrusting,
} from './commit.js';
import { hashHeader } from './header.js';
import type { Header, LightBlock, SignedHeader, Timestamp, Validator } from './lightBlock.js';
import { checkValidatorSet, hashValidatorSet } from './validatorSet.js';

export interface VerifyOptions {
  /** The chain the headers must belong to (signatures are over it too). */
  chainId: string;
  /** How long a verified header may serve as a trust anchor (must stay below the unbonding period). */
  trustingPeriodSeconds: number;
  /** Allowed lead of a header's time over the local clock. */
  maxClockDriftSeconds: number;
  trustLevel?: TrustLevel;
  now: Date;
}

/** A header already verified, with the validator set of the next height (which signs the next block). */
export interface TrustedBlock {
  signedHeader: SignedHeader;
  nextValidators: Validator[];
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const nanos = (t: Timestamp) => t.seconds * 1_000_000_000n + BigInt(t.nanos);
const dateNanos = (d: Date) => BigInt(d.getTime()) * 1_000_000n;
const iso = (t: Timestamp) => new Date(Number(nanos(t) / 1_000_000n)).toISOString();

/** The trusted header is still within its trusting period at `now`. */
export function checkNotExpired(trusted: Header, opts: VerifyOptions): void {
  const expires = nanos(trusted.time) + BigInt(opts.trustingPeriodSeconds) * 1_000_000_000n;
  if (expires <= dateNanos(opts.now))
    throw new ProofError(
      'trusted-state-expired',
      `trusted header ${trusted.height} (${iso(trusted.time)}) is older than the trusting period of ${opts.trustingPeriodSeconds} s at ${opts.now.toISOString()}`,
    );
}

/**
 * The light block is internally consistent: right chain, commit for this header's hash, validators hashing to
 * validators_hash. Says nothing about who signed; verifyCommitLight does.
 */
export function checkLightBlock(block: LightBlock, chainId: string): CommitSignatures {
  const { header, commit } = block.signedHeader;
  if (header.chainId !== chainId)
    throw new ProofError('wrong-chain', `header ${header.height} is from chain "${header.chainId}", not "${chainId}"`);
  if (header.height < 1n) throw new ProofError('bad-header', `header height ${header.height}`);
  if (commit.height !== header.height)
    throw new ProofError('bad-commit', `commit for height ${commit.height} given with header ${header.height}`);
  const hash = hashHeader(header);
  if (!equalBytes(commit.blockId.hash, hash))
    throw new ProofError(
      'bad-commit',
      `commit signs block ${hex(commit.blockId.hash)} but header ${header.height} hashes to ${hex(hash)}`,
    );
  checkValidatorSet(block.validators, `validators of ${header.height}`);
  const valsHash = hashValidatorSet(block.validators);
  if (!equalBytes(valsHash, header.validatorsHash))
    throw new ProofError(
      'bad-header',
      `validator set given hashes to ${hex(valsHash)}, header ${header.height} has validators_hash ${hex(header.validatorsHash)}`,
    );
  return new CommitSignatures(chainId, commit);
}

/** A first trust anchor (checkpoint): consistent and signed by more than 2/3 of its own set. */
export function verifyCheckpoint(block: LightBlock, nextValidators: Validator[], opts: VerifyOptions): TrustedBlock {
  const sigs = checkLightBlock(block, opts.chainId);
  const { header, commit } = block.signedHeader;
  checkNotExpired(header, opts);
  checkNextValidators(header, nextValidators);
  verifyCommitLight(sigs, block.validators, commit.blockId, header.height);
  return { signedHeader: block.signedHeader, nextValidators };
}

function checkNextValidators(header: Header, nextValidators: Validator[]): void {
  checkValidatorSet(nextValidators, `next validators of ${header.height}`);
  const h = hashValidatorSet(nextValidators);
  if (!equalBytes(h, header.nextValidatorsHash))
    throw new ProofError(
      'bad-header',
      `next validator set given hashes to ${hex(h)}, header ${header.height} has next_validators_hash ${hex(header.nextValidatorsHash)}`,
    );
}

/** Checks common to both kinds of step (light/verifier.go verifyNewHeaderAndVals). */
function checkStep(trusted: TrustedBlock, untrusted: LightBlock, opts: VerifyOptions): CommitSignatures {
  const t = trusted.signedHeader.header;
  const u = untrusted.signedHeader.header;
  if (t.chainId !== opts.chainId)
    throw new ProofError('wrong-chain', `trusted header is from chain "${t.chainId}", not "${opts.chainId}"`);
  checkNotExpired(t, opts);
  const sigs = checkLightBlock(untrusted, opts.chainId);
  if (u.height <= t.height)
    throw new ProofError('bad-header', `header ${u.height} is not above the trusted height ${t.height}`);
  if (nanos(u.time) <= nanos(t.time))
    throw new ProofError('bad-header', `header ${u.height} time ${iso(u.time)} is not after trusted ${iso(t.time)}`);
  if (nanos(u.time) >= dateNanos(opts.now) + BigInt(opts.maxClockDriftSeconds) * 1_000_000_000n)
    throw new ProofError(
      'bad-header',
      `header ${u.height} time ${iso(u.time)} is ahead of the local clock ${opts.now.toISOString()} by more than ${opts.maxClockDriftSeconds} s`,
    );
  return sigs;
}

/** untrusted is at trusted height + 1 and signed by > 2/3 of the trusted header's next validators. */
export function verifyAdjacent(trusted: TrustedBlock, untrusted: LightBlock, opts: VerifyOptions): void {
  const sigs = checkStep(trusted, untrusted, opts);
  const t = trusted.signedHeader.header;
  const u = untrusted.signedHeader.header;
  if (u.height !== t.height + 1n)
    throw new ProofError('bad-header', `header ${u.height} is not adjacent to trusted ${t.height}`);
  if (!equalBytes(u.validatorsHash, t.nextValidatorsHash))
    throw new ProofError(
      'bad-header',
      `header ${u.height} validators_hash ${hex(u.validatorsHash)} is not the trusted next_validators_hash ${hex(t.nextValidatorsHash)}`,
    );
  verifyCommitLight(sigs, untrusted.validators, untrusted.signedHeader.commit.blockId, u.height);
}

/** untrusted is above trusted height + 1: > trust level of the trusted next set and > 2/3 of its own set signed. */
export function verifySkipping(trusted: TrustedBlock, untrusted: LightBlock, opts: VerifyOptions): void {
  const sigs = checkStep(trusted, untrusted, opts);
  const t = trusted.signedHeader.header;
  const u = untrusted.signedHeader.header;
  if (u.height === t.height + 1n)
    throw new ProofError('bad-header', `header ${u.height} is adjacent to ${t.height}: use adjacent verification`);
  const level = opts.trustLevel ?? DEFAULT_TRUST_LEVEL;
  checkTrustLevel(level);
  checkNextValidators(t, trusted.nextValidators);
  verifyCommitLightTrusting(sigs, trusted.nextValidators, level);
  verifyCommitLight(sigs, untrusted.validators, untrusted.signedHeader.commit.blockId, u.height);
}

/**
 * Verifies `untrusted` from `trusted` (adjacent or skipping by height) and returns it as a trusted block,
 * given its next validator set (checked against its next_validators_hash).
 */
export function verifyLightBlock(
  trusted: TrustedBlock,
  untrusted: LightBlock,
  nextValidators: Validator[],
  opts: VerifyOptions,
): TrustedBlock {
  const adjacent = untrusted.signedHeader.header.height === trusted.signedHeader.header.height + 1n;
  (adjacent ? verifyAdjacent : verifySkipping)(trusted, untrusted, opts);
  checkNextValidators(untrusted.signedHeader.header, nextValidators);
  return { signedHeader: untrusted.signedHeader, nextValidators };
}
