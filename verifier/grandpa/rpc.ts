/**
 * The node methods the verifier calls, over HTTP JSON-RPC. The devnet's finality sidecar serves the
 * same methods with a node's semantics. Every failure (network, HTTP status, JSON-RPC error, timeout)
 * is `rpc-unavailable`: transient, retried by the relayer. What comes back is checked by the caller.
 */
import { ProofError } from '../types.js';

export interface GrandpaRpc {
  call(method: string, params: unknown[]): Promise<unknown>;
}

export function httpJsonRpc(url: string, options: { timeoutMs?: number | undefined } = {}): GrandpaRpc {
  let id = 0;
  return {
    async call(method, params) {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
      } catch (e) {
        throw new ProofError('rpc-unavailable', `${method} at ${url}: ${(e as Error).message}`);
      }
      if (!res.ok) throw new ProofError('rpc-unavailable', `${method} at ${url}: HTTP ${res.status}`);
      let body: { result?: unknown; error?: { code?: number; message?: string } };
      try {
        body = (await res.json()) as typeof body;
      } catch (e) {
        throw new ProofError('rpc-unavailable', `${method} at ${url}: unreadable response (${(e as Error).message})`);
      }
      if (body.error)
        throw new ProofError(
          'rpc-unavailable',
          `${method} at ${url}: ${body.error.message ?? 'error'} (${body.error.code})`,
        );
      return body.result;
    },
  };
}
