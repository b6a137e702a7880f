/**
 * A small loopback JSON-RPC 2.0 server over HTTP POST (single calls and batches). Every failure a client can
 * cause comes back as a JSON-RPC error object with HTTP 200, the way Substrate nodes answer; handler bugs
 * become "internal error" replies, never a crash.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;

/** Thrown by handlers to answer with a specific JSON-RPC error. */
export class RpcError extends Error {
  override name = 'RpcError';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export function invalidParams(message: string): RpcError {
  return new RpcError(INVALID_PARAMS, message);
}

export type RpcHandler = (params: unknown[]) => unknown;

interface Reply {
  jsonrpc: '2.0';
  id: string | number | null;
  result?: unknown;
  error?: { code: number; message: string };
}

const MAX_BODY = 4 * 1024 * 1024;
const MAX_BATCH = 256;

export interface JsonRpcServer {
  url: string;
  close(): Promise<void>;
}

async function answer(methods: ReadonlyMap<string, RpcHandler>, request: unknown): Promise<Reply> {
  const req = request as { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown } | null;
  const id = typeof req?.id === 'string' || typeof req?.id === 'number' ? req.id : null;
  const fail = (code: number, message: string): Reply => ({ jsonrpc: '2.0', id, error: { code, message } });
  if (
    typeof req !== 'object' ||
    req === null ||
    Array.isArray(req) ||
    req.jsonrpc !== '2.0' ||
    typeof req.method !== 'string'
  )
    return fail(INVALID_REQUEST, 'invalid request');
  const handler = methods.get(req.method);
  if (!handler) return fail(METHOD_NOT_FOUND, `method not found: ${req.method}`);
  if (req.params !== undefined && !Array.isArray(req.params))
    return fail(INVALID_PARAMS, 'params must be an array (positional)');
  try {
    const result = await handler((req.params as unknown[] | undefined) ?? []);
    return { jsonrpc: '2.0', id, result: result === undefined ? null : result };
  } catch (e) {
    if (e instanceof RpcError) return fail(e.code, e.message);
    return fail(INTERNAL_ERROR, `internal error: ${(e as Error)?.message ?? String(e)}`);
  }
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function handle(methods: ReadonlyMap<string, RpcHandler>, req: IncomingMessage, res: ServerResponse) {
  const error = (code: number, message: string) => ({ jsonrpc: '2.0', id: null, error: { code, message } });
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    return send(res, 405, error(INVALID_REQUEST, 'JSON-RPC over HTTP POST only'));
  }
  const text = await readBody(req);
  if (text === undefined) return send(res, 413, error(INVALID_REQUEST, `body over ${MAX_BODY} bytes`));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return send(res, 200, error(PARSE_ERROR, 'parse error'));
  }
  if (!Array.isArray(parsed)) return send(res, 200, await answer(methods, parsed));
  if (parsed.length === 0) return send(res, 200, error(INVALID_REQUEST, 'empty batch'));
  if (parsed.length > MAX_BATCH) return send(res, 200, error(INVALID_REQUEST, `batch over ${MAX_BATCH} calls`));
  const replies: Reply[] = [];
  // in order: the handlers share state, and a batch reads as a sequence
  for (const r of parsed) replies.push(await answer(methods, r));
  send(res, 200, replies);
}

export async function serveJsonRpc(opts: {
  host: string;
  /** Undefined or left out: a free port. */
  port?: number | undefined;
  methods: Record<string, RpcHandler>;
}): Promise<JsonRpcServer> {
  const methods = new Map(Object.entries(opts.methods));
  const server = createServer((req, res) => {
    handle(methods, req, res).catch((e) =>
      send(res, 400, { jsonrpc: '2.0', id: null, error: { code: INVALID_REQUEST, message: String(e) } }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
