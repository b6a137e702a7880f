/**
 * A JSON-RPC proxy on loopback in front of a real node: every request (single or batch) is forwarded
 * upstream, and `rewrite` may change the parsed answers before they go back (the lying providers of the
 * tests are built on it). Test use only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface JsonRpcRequest {
  id: unknown;
  method: string;
  params?: unknown[];
}

export interface JsonRpcResponse {
  id: unknown;
  result?: unknown;
}

export async function startRpcProxy(
  target: string,
  rewrite: (requests: JsonRpcRequest[], responses: JsonRpcResponse[]) => void,
): Promise<{ url: string; close: () => Promise<void> }> {
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
    const resps = (Array.isArray(responses) ? responses : [responses]) as JsonRpcResponse[];
    rewrite((Array.isArray(requests) ? requests : [requests]) as JsonRpcRequest[], resps);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify(Array.isArray(responses) ? resps : resps[0]));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
