/**
 * The bridge's pure rules (docs/PROTOCOL.md §8), as every chain's bridge applies them: the token key, the
 * key for an epoch, the inbound rate limit, the attestation registry's decision (§7.2) and a compute job's
 * transitions on chain A and chain B (§7.3). The Rust chains call the same rules from
 * `contracts/rust-common/src/rules`; `test/vectors/flows.json` pins both, and the EVM contracts.
 * The relayer uses them to say what a chain does with a message it carries (e.g. a job's status).
 */
import { concat, type Hex, keccak256, numberToHex } from 'viem';
import { ChainId } from './chains.js';
import type { AttestationActionName } from './dataAttestation.js';

/** `keccak256(originChain u32 BE || originToken)`: the id of a token's wrapped form and rate limit. */
export function tokenKey(originChain: number, originToken: Hex): Hex {
  return keccak256(concat([numberToHex(originChain, { size: 4 }), originToken]));
}

// ------------------------------------------------------------------ key for an epoch

export type EpochKey = 'Current' | 'Previous';
export type EpochRefusal = 'UnknownEpoch' | 'EpochExpired';

/**
 * Which key verifies a signature made under `epoch` at `now`: the current key for the current epoch, the
 * previous key for the epoch before it until `previousKeyExpiry` (inclusive), then never again.
 * `previousKeyExpiry` is 0 when there is no previous key.
 */
export function keyForEpoch(
  epoch: number,
  currentEpoch: number,
  previousKeyExpiry: bigint,
  now: bigint,
): EpochKey | EpochRefusal {
  if (epoch === currentEpoch) return 'Current';
  if (previousKeyExpiry !== 0n && epoch + 1 === currentEpoch)
    return now > previousKeyExpiry ? 'EpochExpired' : 'Previous';
  return 'UnknownEpoch';
}

// ------------------------------------------------------------------ rate limit

export const RATE_LIMIT_WINDOW_SECONDS = 86_400n;

/** An inbound token bucket: `capacity` per 24 h refilled linearly, never above it; capacity 0: no limit. */
export interface RateLimitBucket {
  capacity: bigint;
  available: bigint;
  lastRefill: bigint;
}

export type RateLimitTake =
  | { result: 'Ok'; bucket: RateLimitBucket }
  | { result: 'NoLimit' }
  | { result: 'RateLimitExceeded'; available: bigint };

/** A bucket set at `now`: full. */
export function newRateLimitBucket(capacity: bigint, now: bigint): RateLimitBucket {
  return { capacity, available: capacity, lastRefill: now };
}

/** The bucket after `amount` arrives at `now` (refilled exactly: floor(elapsed * capacity / window)). */
export function rateLimitTake(bucket: RateLimitBucket, amount: bigint, now: bigint): RateLimitTake {
  if (bucket.capacity === 0n) return { result: 'NoLimit' };
  const elapsed = now > bucket.lastRefill ? now - bucket.lastRefill : 0n;
  const refilled = bucket.available + (elapsed * bucket.capacity) / RATE_LIMIT_WINDOW_SECONDS;
  const available = refilled < bucket.capacity ? refilled : bucket.capacity;
  if (amount > available) return { result: 'RateLimitExceeded', available };
  return { result: 'Ok', bucket: { capacity: bucket.capacity, available: available - amount, lastRefill: now } };
}

// ------------------------------------------------------------------ attestation registry (§7.2)

/** What the registry holds for a data hash, as far as the decision needs it. */
export interface RecordView {
  ownerDid: string;
  originChain: number;
  originNonce: bigint;
  revoked: boolean;
}

/** A register or revoke: a delivered message (its source chain and nonce) or a local one (this chain, 0). */
export interface RegistryEntry {
  ownerDid: string;
  originChain: number;
  originNonce: bigint;
  action: AttestationActionName;
}

export type RegistryDecision =
  | 'Create'
  | 'CreateRevoked'
  | 'Update'
  | 'Revoke'
  | 'Conflict'
  | 'IgnoredStale'
  | 'IgnoredRevoked';

/**
 * What an entry does to the registry, checked in this order: no record (created, revoked for a revoke);
 * stale (the owner's register from the record's origin with a lower nonce, revoked or not); another owner or a
 * register of a revoked record (conflict); a revoke of a revoked record (nothing); the owner's register
 * (update) or revoke. DIDs compare as UTF-8 bytes, i.e. as strings.
 */
export function registryDecision(record: RecordView | undefined, entry: RegistryEntry): RegistryDecision {
  const register = entry.action === 'Register';
  if (!record) return register ? 'Create' : 'CreateRevoked';
  const sameOwner = record.ownerDid === entry.ownerDid;
  if (sameOwner && register && entry.originChain === record.originChain && entry.originNonce < record.originNonce)
    return 'IgnoredStale';
  if (!sameOwner || (record.revoked && register)) return 'Conflict';
  if (record.revoked) return 'IgnoredRevoked';
  return register ? 'Update' : 'Revoke';
}

// ------------------------------------------------------------------ compute jobs (§7.3)

export type JobOutcome = 'Completed' | 'Expired' | 'Cancelled';

/** The contracts' error names for a refused job step (nothing changes). */
export type JobRefusal =
  | 'UnknownJob'
  | 'JobAlreadyExists'
  | 'JobNotOpen'
  | 'NotClaimer'
  | 'DeadlinePassed'
  | 'DeadlineNotPassed'
  | 'NotPayer'
  | 'JobNotCancellable'
  | 'UnexpectedResult'
  | 'InvalidField'
  | 'InvalidExecutor';

export type Step<State, Effect> = { ok: true; state: State; effect: Effect } | { ok: false; refusal: JobRefusal };

const refuse = (refusal: JobRefusal) => ({ ok: false, refusal }) as const;

export type EscrowState = 'Posted' | 'CancelRequested' | 'Paid' | 'Refunded';
export type EscrowEvent =
  | { event: 'Post'; deadline: bigint }
  | { event: 'Cancel'; byPayer: boolean }
  | { event: 'Result'; outcome: JobOutcome; fromExecutorChain: boolean };
export type EscrowEffect = 'SendPost' | 'SendCancel' | 'Pay' | 'Refund';

/** A step of a job on its escrow chain A (`undefined`: no such job there). */
export function escrowStep(
  state: EscrowState | undefined,
  e: EscrowEvent,
  now: bigint,
): Step<EscrowState, EscrowEffect> {
  if (e.event === 'Post') {
    if (state !== undefined) return refuse('JobAlreadyExists');
    if (e.deadline <= now) return refuse('DeadlinePassed');
    return { ok: true, state: 'Posted', effect: 'SendPost' };
  }
  if (state === undefined) return refuse('UnknownJob');
  if (e.event === 'Cancel') {
    if (!e.byPayer) return refuse('NotPayer');
    if (state !== 'Posted') return refuse('JobNotCancellable');
    return { ok: true, state: 'CancelRequested', effect: 'SendCancel' };
  }
  if (!e.fromExecutorChain) return refuse('UnexpectedResult');
  const open = state === 'Posted' || state === 'CancelRequested';
  if (e.outcome === 'Completed' && open) return { ok: true, state: 'Paid', effect: 'Pay' };
  if ((e.outcome === 'Expired' && open) || (e.outcome === 'Cancelled' && state === 'CancelRequested'))
    return { ok: true, state: 'Refunded', effect: 'Refund' };
  return refuse('UnexpectedResult');
}

export type ExecutorState = 'Open' | 'Claimed' | 'Completed' | 'Expired' | 'Cancelled';
export type ExecutorEvent =
  | { event: 'Post' }
  | { event: 'Claim' }
  | { event: 'SubmitResult'; byClaimer: boolean; resultHash: Hex; payTo: Hex }
  | { event: 'Expire' }
  | { event: 'Cancel'; fromPayer: boolean };
/** `undefined`: only the new state is recorded. */
export type ExecutorEffect = 'SendCompleted' | 'SendExpired' | 'SendCancelled' | 'CancelIgnored' | undefined;

const EVM_CHAINS: readonly number[] = [ChainId.Ethereum, ChainId.DevEthereumA, ChainId.DevEthereumB];
const ZERO_BYTE = /^0*$/;

/** Whether chain A can pay `payTo` (32-byte form, non-zero; on an EVM chain A a left-padded address). */
export function payableOn(escrowChain: number, payTo: Hex): boolean {
  const digits = payTo.slice(2);
  if (digits.length !== 64 || ZERO_BYTE.test(digits)) return false;
  return !EVM_CHAINS.includes(escrowChain) || ZERO_BYTE.test(digits.slice(0, 24));
}

/** A step of a job on its executor chain B (`undefined`: no such job there); `deadline` is inclusive. */
export function executorStep(
  state: ExecutorState | undefined,
  terms: { deadline: bigint; escrowChain: number },
  e: ExecutorEvent,
  now: bigint,
): Step<ExecutorState, ExecutorEffect> {
  if (e.event === 'Post')
    return state === undefined ? { ok: true, state: 'Open', effect: undefined } : refuse('JobAlreadyExists');
  if (state === undefined) return refuse('UnknownJob');
  const onTime = now <= terms.deadline;
  const finished = state === 'Completed' || state === 'Expired' || state === 'Cancelled';
  switch (e.event) {
    case 'Claim':
      if (state !== 'Open') return refuse('JobNotOpen');
      if (!onTime) return refuse('DeadlinePassed');
      return { ok: true, state: 'Claimed', effect: undefined };
    case 'SubmitResult':
      if (state === 'Open') return refuse('NotClaimer');
      if (finished) return refuse('JobNotOpen');
      if (!e.byClaimer) return refuse('NotClaimer');
      if (!onTime) return refuse('DeadlinePassed');
      if (e.resultHash.length !== 66 || ZERO_BYTE.test(e.resultHash.slice(2))) return refuse('InvalidField');
      if (!payableOn(terms.escrowChain, e.payTo)) return refuse('InvalidExecutor');
      return { ok: true, state: 'Completed', effect: 'SendCompleted' };
    case 'Expire':
      if (finished) return refuse('JobNotOpen');
      if (onTime) return refuse('DeadlineNotPassed');
      return { ok: true, state: 'Expired', effect: 'SendExpired' };
    case 'Cancel':
      if (!e.fromPayer) return refuse('NotPayer');
      if (state !== 'Open') return { ok: true, state, effect: 'CancelIgnored' };
      return { ok: true, state: 'Cancelled', effect: 'SendCancelled' };
  }
}
