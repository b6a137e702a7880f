import {
  type Account,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  type PublicClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { EvmWallet } from './bridgeContract.js';

/** viem clients for one EVM chain reached over JSON-RPC. */
export function evmClients(rpcUrl: string, evmChainId: number) {
  const chain = defineChain({
    id: evmChainId,
    name: `evm-${evmChainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  // concurrent calls (many verifications at once) go out as one JSON-RPC batch
  const transport = http(rpcUrl, { batch: { wait: 2, batchSize: 100 } });
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 50 }) as PublicClient;
  const wallet = (key: Hex | Account): EvmWallet =>
    createWalletClient({ chain, transport, account: typeof key === 'string' ? privateKeyToAccount(key) : key });
  return { chain, publicClient, wallet };
}
