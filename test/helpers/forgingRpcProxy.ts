/**
 * A JSON-RPC proxy in front of a real anvil that lies: it adds a forged bridge event to the first
 * eth_getLogs answer that covers `block`. Everything else passes through untouched. Test use only.
 */
import type { Address, Hex } from 'viem';
import { startRpcProxy } from './rpcProxy.js';

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
  const proxy = await startRpcProxy(target, (reqs, resps) => {
    for (const r of reqs) {
      if (r.method !== 'eth_getLogs' || injected > 0) continue;
      const filter = (r.params?.[0] ?? {}) as { address?: string; fromBlock?: string; toBlock?: string };
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
  });
  return { ...proxy, injected: () => injected };
}
