import { existsSync } from 'node:fs';
import { UsageError } from '../errors.js';

interface Record {
  id: string;
  stage: string;
  sourceChain: number;
  destinationChain: number;
  sourceTx: string;
  deliveryTx?: string;
  error?: string;
  observedAt?: number;
  verifiedAt?: number;
  signedAt?: number;
  submittedAt?: number;
  deliveredAt?: number;
}

const FINAL = new Set(['delivered', 'rejected', 'parked']);

async function lookup(api: string, idOrTx: string): Promise<Record[]> {
  const byId = await fetch(`${api}/v1/messages/${idOrTx}`);
  if (byId.ok) return [(await byId.json()) as Record];
  if (byId.status !== 404) throw new UsageError(`${api}: ${byId.status} ${await byId.text()}`);
  const byTx = await fetch(`${api}/v1/messages?sourceTx=${idOrTx}`);
  if (!byTx.ok) throw new UsageError(`${api}: ${byTx.status} ${await byTx.text()}`);
  return ((await byTx.json()) as { messages: Record[] }).messages;
}

/** Shows a message's stages on a node; with --follow, live until it is delivered (or fails). */
export async function statusCommand(
  asGiven: string,
  o: { api?: string | undefined; devnet: string; follow: boolean },
): Promise<number> {
  // a Cosmos transaction hash is usually written as 64 upper-case hex digits without 0x: take both forms
  const prefixed = /^[0-9a-fA-F]{64}$/.test(asGiven) ? `0x${asGiven}` : asGiven;
  if (!/^0x[0-9a-fA-F]{64}$/.test(prefixed))
    throw new UsageError('expected a message id or a source transaction hash (64 hex digits, 0x optional)');
  const idOrTx = prefixed.toLowerCase();
  // the devnet description is a development convenience: its reader is loaded only without --api, so an
  // operator's `status --api ...` never loads it
  const api =
    o.api ??
    (existsSync(o.devnet)
      ? (await import('../../sdk/devnetInfo.js')).readDevnetInfo(o.devnet).nodes[0]?.api
      : undefined);
  if (!api) throw new UsageError('--api <node url> is required outside the devnet');
  const started = Date.now();
  const shown = new Map<string, string>();
  while (true) {
    let records: Record[] = [];
    try {
      records = await lookup(api, idOrTx);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      if (!o.follow) throw new UsageError(`cannot reach ${api}: ${(e as Error).message}`);
    }
    for (const r of records) {
      if (shown.get(r.id) === r.stage) continue;
      shown.set(r.id, r.stage);
      const t = ((Date.now() - started) / 1000).toFixed(1);
      const extra =
        r.deliveryTx && (r.stage === 'delivered' || r.stage === 'submitted')
          ? ` tx ${r.deliveryTx}`
          : r.error
            ? ` (${r.error})`
            : '';
      console.log(`[${t}s] ${r.id.slice(0, 10)}… ${r.sourceChain} -> ${r.destinationChain}: ${r.stage}${extra}`);
    }
    const done = records.length > 0 && records.every((r) => FINAL.has(r.stage));
    if (!o.follow || done) {
      if (records.length === 0) console.log(`no message ${idOrTx} known to ${api} (yet)`);
      return records.some((r) => r.stage === 'rejected' || r.stage === 'parked') ? 1 : 0;
    }
    if (Date.now() - started > 300_000) {
      console.log('still not delivered after 5 minutes');
      return 1;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
