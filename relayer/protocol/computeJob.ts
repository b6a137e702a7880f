import { ByteReader, type ByteWriter, type Hex, ZERO32 } from './bytes.js';
import { InvalidFieldError, PayloadLengthError, UnknownActionError, ZeroAmountError } from './errors.js';
import { MessageKind } from './kinds.js';

/**
 * Compute job payload, sent from the chain that escrows the payment (A) to the executor chain (B,
 * the message's destination). Post: 157 bytes. Cancel: 33 bytes.
 */
export type ComputeJob =
  | {
      action: 'Post';
      jobId: Hex;
      specHash: Hex;
      paymentOriginChain: number;
      paymentOriginToken: Hex;
      paymentAmount: bigint;
      /** Unix seconds; results after it are refused on B. */
      deadline: bigint;
      payer: Hex;
    }
  | { action: 'Cancel'; jobId: Hex };

export const ComputeJobAction = { Post: 1, Cancel: 2 } as const;
export const COMPUTE_JOB_POST_LENGTH = 157;
export const COMPUTE_JOB_CANCEL_LENGTH = 33;

export function encodeComputeJob(w: ByteWriter, p: ComputeJob): void {
  w.u8(ComputeJobAction[p.action], 'action').fixed(p.jobId, 32, 'jobId');
  if (p.action === 'Post') {
    w.fixed(p.specHash, 32, 'specHash')
      .u32(p.paymentOriginChain, 'paymentOriginChain')
      .fixed(p.paymentOriginToken, 32, 'paymentOriginToken')
      .u128(p.paymentAmount, 'paymentAmount')
      .u64(p.deadline, 'deadline')
      .fixed(p.payer, 32, 'payer');
  }
}

/**
 * Checks, in the order of docs/PROTOCOL.md §3.3: at least 1 byte, action, length, then post's non-zero
 * fields top to bottom (jobId, specHash, paymentOriginChain, paymentOriginToken, paymentAmount with
 * ZeroAmount, deadline, payer) or cancel's jobId.
 */
export function decodeComputeJob(payload: Uint8Array): ComputeJob {
  if (payload.length < 1) throw new PayloadLengthError(MessageKind.ComputeJob, 0, 'at least 1');
  const r = new ByteReader(payload);
  const code = r.u8();
  if (code === ComputeJobAction.Post) {
    if (payload.length !== COMPUTE_JOB_POST_LENGTH)
      throw new PayloadLengthError(MessageKind.ComputeJob, payload.length, `${COMPUTE_JOB_POST_LENGTH}`);
    const job: ComputeJob = {
      action: 'Post',
      jobId: r.hex(32),
      specHash: r.hex(32),
      paymentOriginChain: r.u32(),
      paymentOriginToken: r.hex(32),
      paymentAmount: r.u128(),
      deadline: r.u64(),
      payer: r.hex(32),
    };
    if (job.jobId === ZERO32) throw new InvalidFieldError('jobId', 'zero');
    if (job.specHash === ZERO32) throw new InvalidFieldError('specHash', 'zero');
    if (job.paymentOriginChain === 0) throw new InvalidFieldError('paymentOriginChain', 'zero');
    if (job.paymentOriginToken === ZERO32) throw new InvalidFieldError('paymentOriginToken', 'zero');
    if (job.paymentAmount === 0n) throw new ZeroAmountError();
    if (job.deadline === 0n) throw new InvalidFieldError('deadline', 'zero');
    if (job.payer === ZERO32) throw new InvalidFieldError('payer', 'zero');
    return job;
  }
  if (code === ComputeJobAction.Cancel) {
    if (payload.length !== COMPUTE_JOB_CANCEL_LENGTH)
      throw new PayloadLengthError(MessageKind.ComputeJob, payload.length, `${COMPUTE_JOB_CANCEL_LENGTH}`);
    const jobId = r.hex(32);
    if (jobId === ZERO32) throw new InvalidFieldError('jobId', 'zero');
    return { action: 'Cancel', jobId };
  }
  throw new UnknownActionError(MessageKind.ComputeJob, code);
}
