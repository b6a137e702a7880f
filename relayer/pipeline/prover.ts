/**
 * One verdict per observed message: proved, not yet, or refused. The message's bytes are checked here
 * (they hash to its id and say the source, destination and nonce it was observed with); everything about
 * the chain (the bridge stored that id under that nonce, in a block final under the chain's consensus) is
 * the source chain's verifier's proof (verifier/). Nothing else is asked of the chain: the proof covers the
 * RPC re-read of the event and the stored id that each chain adapter used to do on top of it.
 */
import { hexToBytes } from 'viem';
import { type OutboundProof, ProofError, type ProofFailureReason, type SourceVerifier } from '../../verifier/types.js';
import type { ObservedMessage } from '../chains/adapter.js';
import { messageId } from '../protocol/digest.js';
import { decodeMessage } from '../protocol/message.js';
import { withTimeout } from './timeout.js';

export type Verdict =
  /** The message is final and in the source bridge's committed state: this node may sign it. */
  | { kind: 'proved'; proof: OutboundProof }
  /** Not final yet, or the chain could not be asked: ask again later. */
  | { kind: 'not-yet'; reason: ProofFailureReason; detail: string }
  /** The claim does not hold (forged, altered, of another chain): this node never signs it. */
  | { kind: 'refused'; reason: ProofFailureReason; detail: string };

const refused = (reason: ProofFailureReason, detail: string): Verdict => ({ kind: 'refused', reason, detail });

/** What the message's own bytes say, against what it was observed as; undefined when they agree. */
function bytesDisagree(m: ObservedMessage): Verdict | undefined {
  let bytes: Uint8Array;
  try {
    bytes = hexToBytes(m.message);
  } catch {
    return refused('malformed-input', 'message is not hex');
  }
  if (messageId(bytes) !== m.messageId.toLowerCase())
    return refused('malformed-input', 'message id does not match its bytes');
  let header: { sourceChain: number; destinationChain: number; nonce: bigint };
  try {
    header = decodeMessage(bytes);
  } catch (e) {
    return refused('malformed-input', `message does not decode: ${(e as Error).message}`);
  }
  if (
    header.sourceChain !== m.sourceChain ||
    header.destinationChain !== m.destinationChain ||
    header.nonce !== m.nonce
  )
    return refused(
      'malformed-input',
      `message says ${header.sourceChain} -> ${header.destinationChain} nonce ${header.nonce}, observed as ${m.sourceChain} -> ${m.destinationChain} nonce ${m.nonce}`,
    );
  return undefined;
}

/**
 * The verdict on `m` by the verifier of its source chain (undefined: this node has none, so it refuses).
 * Never throws: a verifier's error that is not a ProofError (a timeout, a dropped connection) is `not-yet`.
 */
export async function judgeOutbound(
  verifier: SourceVerifier | undefined,
  m: ObservedMessage,
  timeoutMs: number,
): Promise<Verdict> {
  if (!verifier) return refused('wrong-chain', `no verifier for source chain ${m.sourceChain}`);
  const disagreement = bytesDisagree(m);
  if (disagreement) return disagreement;
  try {
    const proof = await withTimeout(
      verifier.proveOutbound({
        sourceChain: m.sourceChain,
        nonce: m.nonce,
        messageId: m.messageId,
        sourceBlock: m.sourceBlock,
      }),
      timeoutMs,
      `proof of ${m.messageId} from chain ${m.sourceChain}`,
    );
    return { kind: 'proved', proof };
  } catch (e) {
    if (e instanceof ProofError) {
      const prefix = `${e.reason}: `;
      const detail = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
      return { kind: e.transient ? 'not-yet' : 'refused', reason: e.reason, detail };
    }
    return { kind: 'not-yet', reason: 'rpc-unavailable', detail: (e as Error).message };
  }
}

/** How a verdict that is not `proved` reads in records, logs and errors. */
export function describeVerdict(v: Exclude<Verdict, { kind: 'proved' }>): string {
  return `${v.reason}: ${v.detail}`;
}

/** A verify job's messages that are not proved yet: BullMQ retries the job (only those are redone). */
export class NotYetProvedError extends Error {
  override name = 'NotYetProvedError';
  constructor(readonly verdicts: Extract<Verdict, { kind: 'not-yet' }>[]) {
    const first = verdicts[0];
    super(`${verdicts.length} message(s) not proved yet${first ? ` (${describeVerdict(first)})` : ''}`);
  }
}
