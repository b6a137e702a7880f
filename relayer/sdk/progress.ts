/**
 * Progress of a message through the relayer stages, as seen by one node's API: the SDK's way to follow an
 * attestation, a job post or a job result from its source transaction to its delivery.
 */
import type { Hex } from 'viem';

export type MessageStage = 'observed' | 'verified' | 'signed' | 'submitted' | 'delivered' | 'rejected' | 'parked';

export interface ProgressEvent {
  messageId: Hex;
  stage: MessageStage;
  sourceChain: number;
  destinationChain: number;
  deliveryTx?: Hex;
  error?: string;
  /** Seconds since following started. */
  elapsed: number;
}

const FINAL: ReadonlySet<MessageStage> = new Set(['delivered', 'rejected', 'parked']);

/** A message ended rejected or parked, or did not finish in time. */
export class MessageNotDeliveredError extends Error {
  override name = 'MessageNotDeliveredError';
  constructor(
    readonly messageId: Hex,
    readonly stage: MessageStage | 'unknown',
    detail: string,
  ) {
    super(`message ${messageId} ${detail}`);
  }
}

interface NodeRecord {
  id: Hex;
  stage: MessageStage;
  sourceChain: number;
  destinationChain: number;
  deliveryTx?: Hex;
  error?: string;
}

/**
 * Polls `GET /v1/messages/:id` on `api` and calls `onProgress` once per stage reached, until every
 * message is delivered. Throws MessageNotDeliveredError if one is rejected or parked, or on timeout.
 */
export async function followMessages(
  api: string,
  ids: readonly Hex[],
  onProgress: (e: ProgressEvent) => void = () => {},
  opts: { timeoutMs?: number; pollMs?: number } = {},
): Promise<ProgressEvent[]> {
  const started = Date.now();
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const last = new Map<Hex, ProgressEvent>();
  while (true) {
    for (const id of ids) {
      if (last.has(id) && FINAL.has((last.get(id) as ProgressEvent).stage)) continue;
      const res = await fetch(`${api}/v1/messages/${id}`).catch(() => undefined);
      if (!res?.ok) continue; // not observed yet (404) or the node is restarting
      const r = (await res.json()) as NodeRecord;
      if (last.get(id)?.stage === r.stage) continue;
      const event: ProgressEvent = {
        messageId: id,
        stage: r.stage,
        sourceChain: r.sourceChain,
        destinationChain: r.destinationChain,
        ...(r.deliveryTx ? { deliveryTx: r.deliveryTx } : {}),
        ...(r.error ? { error: r.error } : {}),
        elapsed: (Date.now() - started) / 1000,
      };
      last.set(id, event);
      onProgress(event);
      if (r.stage === 'rejected' || r.stage === 'parked')
        throw new MessageNotDeliveredError(id, r.stage, `was ${r.stage}${r.error ? `: ${r.error}` : ''}`);
    }
    if (ids.every((id) => last.get(id)?.stage === 'delivered')) return ids.map((id) => last.get(id) as ProgressEvent);
    if (Date.now() - started > timeoutMs) {
      const stuck = ids.find((id) => last.get(id)?.stage !== 'delivered') as Hex;
      throw new MessageNotDeliveredError(
        stuck,
        last.get(stuck)?.stage ?? 'unknown',
        `not delivered within ${timeoutMs} ms (last stage: ${last.get(stuck)?.stage ?? 'not seen'})`,
      );
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 200));
  }
}
