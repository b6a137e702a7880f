import { readFileSync } from 'node:fs';
import type { Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import type { AttestationActionName } from './dataAttestation.js';
import {
  type EscrowEvent,
  type EscrowState,
  type ExecutorEvent,
  type ExecutorState,
  escrowStep,
  executorStep,
  type JobOutcome,
  keyForEpoch,
  newRateLimitBucket,
  RATE_LIMIT_WINDOW_SECONDS,
  type RecordView,
  rateLimitTake,
  registryDecision,
  tokenKey,
} from './rules.js';

interface Named {
  name: string;
}
interface Sequence<S> extends Named {
  steps: S[];
}
interface RegistryStep {
  action: AttestationActionName;
  ownerDid: string;
  originChain: number;
  nonce: number;
  expect: string;
  record: { ownerDid: string; originChain: number; originNonce: number; revoked: boolean };
}
interface EscrowStep {
  event: 'Post' | 'Cancel' | 'Result';
  now?: number;
  deadline?: number;
  byPayer?: boolean;
  outcome?: JobOutcome;
  fromExecutorChain?: boolean;
  expect: string;
  effect?: string;
}
interface ExecutorStep {
  event: 'Post' | 'Claim' | 'SubmitResult' | 'Expire' | 'Cancel';
  by?: string;
  now?: number;
  resultHash?: Hex;
  payTo?: Hex;
  fromPayer?: boolean;
  expect: string;
  effect?: string;
}
const vectors = JSON.parse(readFileSync(new URL('../../test/vectors/flows.json', import.meta.url), 'utf8')) as {
  rateLimitWindowSeconds: number;
  tokenKeys: (Named & { originChain: number; originToken: Hex; tokenKey: Hex })[];
  epochKeys: (Named & {
    currentEpoch: number;
    previousKeyExpiry: number;
    epoch: number;
    now: number;
    expect: string;
  })[];
  rateLimits: (Sequence<{ now: number; amount: string; expect: string; available?: string }> & {
    capacity: string;
    setAt: number;
  })[];
  registry: Sequence<RegistryStep>[];
  escrowJobs: Sequence<EscrowStep>[];
  executorJobs: (Sequence<ExecutorStep> & { escrowChain: number; deadline: number })[];
};

describe('the rules against test/vectors/flows.json', () => {
  it('has the window every chain uses', () => {
    expect(BigInt(vectors.rateLimitWindowSeconds)).toBe(RATE_LIMIT_WINDOW_SECONDS);
  });

  it.each(vectors.tokenKeys)('token key: $name', (v) => {
    expect(tokenKey(v.originChain, v.originToken)).toBe(v.tokenKey);
  });

  it.each(vectors.epochKeys)('key for an epoch: $name', (v) => {
    expect(keyForEpoch(v.epoch, v.currentEpoch, BigInt(v.previousKeyExpiry), BigInt(v.now))).toBe(v.expect);
  });

  it.each(vectors.rateLimits)('rate limit: $name', (seq) => {
    let bucket = newRateLimitBucket(BigInt(seq.capacity), BigInt(seq.setAt));
    seq.steps.forEach((step, i) => {
      const got = rateLimitTake(bucket, BigInt(step.amount), BigInt(step.now));
      expect(got.result, `step ${i}`).toBe(step.expect);
      if (got.result === 'Ok') {
        expect(got.bucket.available, `step ${i}`).toBe(BigInt(step.available ?? -1));
        bucket = got.bucket;
      } else if (got.result === 'RateLimitExceeded') {
        expect(got.available, `step ${i}`).toBe(BigInt(step.available ?? -1));
      }
    });
  });

  it.each(vectors.registry)('registry: $name', (seq) => {
    let record: RecordView | undefined;
    seq.steps.forEach((step, i) => {
      const entry = {
        ownerDid: step.ownerDid,
        originChain: step.originChain,
        originNonce: BigInt(step.nonce),
        action: step.action,
      };
      const decision = registryDecision(record, entry);
      expect(decision, `step ${i}`).toBe(step.expect);
      // what a contract stores for each decision
      if (decision === 'Create' || decision === 'CreateRevoked')
        record = {
          ownerDid: entry.ownerDid,
          originChain: entry.originChain,
          originNonce: entry.originNonce,
          revoked: decision === 'CreateRevoked',
        };
      else if (decision === 'Update' && record)
        record = { ...record, originChain: entry.originChain, originNonce: entry.originNonce };
      else if (decision === 'Revoke' && record) record = { ...record, revoked: true };
      expect(record, `step ${i}`).toEqual({ ...step.record, originNonce: BigInt(step.record.originNonce) });
    });
  });

  it.each(vectors.escrowJobs)('job on chain A: $name', (seq) => {
    let state: EscrowState | undefined;
    let now = 0n;
    seq.steps.forEach((step, i) => {
      let event: EscrowEvent;
      if (step.event === 'Post') {
        now = BigInt(step.now ?? 0);
        event = { event: 'Post', deadline: BigInt(step.deadline ?? 0) };
      } else if (step.event === 'Cancel') event = { event: 'Cancel', byPayer: step.byPayer === true };
      else
        event = {
          event: 'Result',
          outcome: step.outcome ?? 'Completed',
          fromExecutorChain: step.fromExecutorChain === true,
        };
      const got = escrowStep(state, event, now);
      if (got.ok) {
        expect([got.state, got.effect], `step ${i}`).toEqual([step.expect, step.effect]);
        state = got.state;
      } else expect([got.refusal, undefined], `step ${i}`).toEqual([step.expect, step.effect]);
    });
  });

  it.each(vectors.executorJobs)('job on chain B: $name', (seq) => {
    const terms = { deadline: BigInt(seq.deadline), escrowChain: seq.escrowChain };
    let state: ExecutorState | undefined;
    let claimer: string | undefined;
    seq.steps.forEach((step, i) => {
      const event: ExecutorEvent =
        step.event === 'SubmitResult'
          ? {
              event: 'SubmitResult',
              byClaimer: claimer !== undefined && claimer === step.by,
              resultHash: step.resultHash ?? '0x',
              payTo: step.payTo ?? '0x',
            }
          : step.event === 'Cancel'
            ? { event: 'Cancel', fromPayer: step.fromPayer === true }
            : { event: step.event };
      const got = executorStep(state, terms, event, BigInt(step.now ?? 0));
      if (got.ok) {
        expect([got.state, got.effect], `step ${i}`).toEqual([step.expect, step.effect]);
        if (step.event === 'Claim') claimer = step.by;
        state = got.state;
      } else expect([got.refusal, undefined], `step ${i}`).toEqual([step.expect, step.effect]);
    });
  });
});
