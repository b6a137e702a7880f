/**
 * A JSON-RPC proxy in front of a real anvil that hides events: while it lies, every log of `address` is
 * dropped from eth_getLogs answers (the provider that answers an empty range where the chain has events).
 * Everything else, batches included, passes through untouched. Started honest, it is a second, distinct URL
 * of the same chain. Test use only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Address } from 'viem';

export interface OmittingProxy {
  url: string;
  /** Logs of `address` dropped so far. */
  dropped: () => number;
  /** eth_getLogs calls that named `address`, lying or not. */
  getLogsCalls: () => number;
  /** Starts or stops lying. */
  lie: (on: boolean) => void;
  close: () => Promise<void>;
}

interface JsonRpcRequest {
  id: unknown;
  method: string;
  params?: unknown[];
}

export async function startOmittingProxy(
  target: string,
  address: Address,
  opts: { lying?: boolean } = {},
): Promise<OmittingProxy> {
  let lying = opts.lying ?? true;
  let dropped = 0;
  let getLogsCalls = 0;
  const ours = (a: unknown) => typeof a === 'string' && a.toLowerCase() === address.toLowerCase();
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let upstream: Response;
    try {
      upstream = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    } catch (e) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end((e as Error).message);
      return;
    }
    const text = await upstream.text();
    let requests: unknown;
    let responses: unknown;
    try {
      requests = JSON.parse(body);
      responses = JSON.parse(text);
    } catch {
      res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(text);
      return;
    }
    const reqs = (Array.isArray(requests) ? requests : [requests]) as JsonRpcRequest[];
    const resps = (Array.isArray(responses) ? responses : [responses]) as { id: unknown; result?: unknown }[];
    for (const r of reqs) {
      if (r.method !== 'eth_getLogs') continue;
      const filter = (r.params?.[0] ?? {}) as { address?: unknown };
      const named = Array.isArray(filter.address) ? filter.address.some(ours) : ours(filter.address);
      if (!named) continue;
      getLogsCalls++;
      const answer = resps.find((x) => x.id === r.id);
      if (!lying || !answer || !Array.isArray(answer.result)) continue;
      const kept = (answer.result as { address?: unknown }[]).filter((log) => !ours(log.address));
      dropped += answer.result.length - kept.length;
      answer.result = kept;
    }
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify(Array.isArray(responses) ? resps : resps[0]));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    dropped: () => dropped,
    getLogsCalls: () => getLogsCalls,
    lie: (on) => {
      lying = on;
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
