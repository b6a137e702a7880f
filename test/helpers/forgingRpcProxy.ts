/**
 * A JSON-RPC proxy in front of a real anvil that lies: it adds a forged bridge event to the first
 * eth_getLogs answer that covers `block`. Everything else passes through untouched. Test use only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Address, Hex } from 'viem';

export interface ForgedLog {
  address: Address;
  topics: Hex[];
  data: Hex;
  block: bigint;
  transactionHash: Hex;
}

export async function startForgingProxy(
  target: string,
  forged: ForgedLog,
): Promise<{ url: string; injected: () => number; close: () => Promise<void> }> {
  let injected = 0;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const upstream = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
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
    const reqs = (Array.isArray(requests) ? requests : [requests]) as {
      id: unknown;
      method: string;
      params: [{ address?: string; fromBlock?: string; toBlock?: string }];
    }[];
    const resps = (Array.isArray(responses) ? responses : [responses]) as { id: unknown; result?: unknown[] }[];
    for (const r of reqs) {
      if (r.method !== 'eth_getLogs' || injected > 0) continue;
      const filter = r.params[0] ?? {};
      if (filter.address?.toLowerCase() !== forged.address.toLowerCase()) continue;
      const from = BigInt(filter.fromBlock ?? '0x0');
      const to = BigInt(filter.toBlock ?? '0x0');
      if (forged.block < from || forged.block > to) continue;
      const answer = resps.find((x) => x.id === r.id);
      if (!Array.isArray(answer?.result)) continue;
      answer.result.push({
        address: forged.address,
        topics: forged.topics,
        data: forged.data,
        blockNumber: `0x${forged.block.toString(16)}`,
        transactionHash: forged.transactionHash,
        transactionIndex: '0x0',
        blockHash: `0x${'00'.repeat(32)}`,
        logIndex: '0x63',
        removed: false,
      });
      injected++;
    }
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify(Array.isArray(responses) ? resps : resps[0]));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    injected: () => injected,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
