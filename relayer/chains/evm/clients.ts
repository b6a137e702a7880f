import {
  type Account,
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  fallback,
  type Hex,
  http,
  type PublicClient,
  type Transport,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { EvmWallet } from './bridgeContract.js';
import type { RpcEndpoint } from './quorum.js';

function evmChain(rpcUrls: string[], evmChainId: number) {
  return defineChain({
    id: evmChainId,
    name: `evm-${evmChainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: rpcUrls } },
  });
}

// concurrent calls (many verifications at once) go out as one JSON-RPC batch
const rpcTransport = (url: string) => http(url, { batch: { wait: 2, batchSize: 100 } });

/** viem clients for one EVM chain: reads, and a wallet per key (typed here: the SDK's .d.ts names them). */
export interface EvmClients {
  chain: Chain;
  publicClient: PublicClient;
  wallet: (key: Hex | Account) => EvmWallet;
}

function clientsOver(chain: Chain, transport: Transport): EvmClients {
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 50 }) as PublicClient;
  const wallet = (key: Hex | Account): EvmWallet =>
    createWalletClient({ chain, transport, account: typeof key === 'string' ? privateKeyToAccount(key) : key });
  return { chain, publicClient, wallet };
}

/** viem clients for one EVM chain reached over JSON-RPC. */
export function evmClients(rpcUrl: string, evmChainId: number): EvmClients {
  return clientsOver(evmChain([rpcUrl], evmChainId), rpcTransport(rpcUrl));
}

/**
 * viem clients for one EVM chain reached over several JSON-RPC endpoints: a client per endpoint, for the reads
 * a quorum of them must agree on (quorum.ts), and a client over all of them in order (viem's fallback
 * transport: the first that answers) for the rest, deliveries included. With one URL both are the same client.
 */
export function evmQuorumClients(rpcUrls: string[], evmChainId: number): EvmClients & { endpoints: RpcEndpoint[] } {
  const chain = evmChain(rpcUrls, evmChainId);
  const transports = rpcUrls.map(rpcTransport);
  const [first] = transports;
  if (!first) throw new RangeError('an EVM chain needs at least one RPC URL');
  const primary = clientsOver(chain, transports.length === 1 ? first : fallback(transports));
  const endpoints: RpcEndpoint[] = rpcUrls.map((url, i) => ({
    label: `rpcUrls[${i}] ${new URL(url).host}`,
    client:
      transports.length === 1
        ? primary.publicClient
        : (createPublicClient({ chain, transport: transports[i] as Transport, pollingInterval: 50 }) as PublicClient),
  }));
  return { ...primary, endpoints };
}
