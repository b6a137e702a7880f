import { ByteReader, type ByteWriter, type Hex, ZERO32 } from './bytes.js';
import { InvalidFieldError, PayloadLengthError, UnknownActionError } from './errors.js';
import { MessageKind } from './kinds.js';

export const ComputeOutcome = { Completed: 1, Expired: 2, Cancelled: 3 } as const;
export type ComputeOutcomeName = keyof typeof ComputeOutcome;

/**
 * Compute result payload (105 bytes), sent from the executor chain back to the escrow chain.
 * Completed carries a result hash and the executor to pay; Expired and Cancelled carry zeros there.
 */
export interface ComputeResult {
  outcome: ComputeOutcomeName;
  jobId: Hex;
  resultHash: Hex;
  executor: Hex;
  /** Unix seconds on the executor chain when the outcome was recorded. */
  timestamp: bigint;
}

export const COMPUTE_RESULT_LENGTH = 105;

export function encodeComputeResult(w: ByteWriter, p: ComputeResult): void {
  w.u8(ComputeOutcome[p.outcome], 'outcome')
    .fixed(p.jobId, 32, 'jobId')
    .fixed(p.resultHash, 32, 'resultHash')
    .fixed(p.executor, 32, 'executor')
    .u64(p.timestamp, 'timestamp');
}

export function decodeComputeResult(payload: Uint8Array): ComputeResult {
  if (payload.length !== COMPUTE_RESULT_LENGTH)
    throw new PayloadLengthError(MessageKind.ComputeResult, payload.length, `${COMPUTE_RESULT_LENGTH}`);
  const r = new ByteReader(payload);
  const code = r.u8();
  const outcome = (Object.keys(ComputeOutcome) as ComputeOutcomeName[]).find((k) => ComputeOutcome[k] === code);
  if (!outcome) throw new UnknownActionError(MessageKind.ComputeResult, code);
  const p: ComputeResult = {
    outcome,
    jobId: r.hex(32),
    resultHash: r.hex(32),
    executor: r.hex(32),
    timestamp: r.u64(),
  };
  if (p.jobId === ZERO32) throw new InvalidFieldError('jobId', 'zero');
  if (outcome === 'Completed') {
    if (p.resultHash === ZERO32) throw new InvalidFieldError('resultHash', 'zero for a completed job');
    if (p.executor === ZERO32) throw new InvalidFieldError('executor', 'zero for a completed job');
  } else if (p.resultHash !== ZERO32 || p.executor !== ZERO32) {
    throw new InvalidFieldError('resultHash', `must be zero for outcome ${outcome}`);
  }
  return p;
}
