/**
 * A JSON-RPC proxy in front of a real anvil that hides events: while it lies, every log of `address` is
 * dropped from eth_getLogs answers (the provider that answers an empty range where the chain has events).
 * Everything else, batches included, passes through untouched. Started honest, it is a second, distinct URL
 * of the same chain. Test use only.
 */
import type { Address } from 'viem';
import { startRpcProxy } from './rpcProxy.js';

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

export async function startOmittingProxy(
  target: string,
  address: Address,
  opts: { lying?: boolean } = {},
): Promise<OmittingProxy> {
  let lying = opts.lying ?? true;
  let dropped = 0;
  let getLogsCalls = 0;
  const ours = (a: unknown) => typeof a === 'string' && a.toLowerCase() === address.toLowerCase();
  const proxy = await startRpcProxy(target, (reqs, resps) => {
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
  });
  return {
    url: proxy.url,
    dropped: () => dropped,
    getLogsCalls: () => getLogsCalls,
    lie: (on) => {
      lying = on;
    },
    close: proxy.close,
  };
}
