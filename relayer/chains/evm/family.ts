/** The EVM family: chains with the Solidity Bridge (contracts/evm), proved by the Ethereum verifier. */
import type { ChainFamily } from '../family.js';
import { type EvmChainConfig, parseEvmChain } from './config.js';

export const evmFamily: ChainFamily<EvmChainConfig> = {
  name: 'evm',
  finalityTags: ['finalized', 'safe'],
  parseChain: parseEvmChain,
  // the adapter and the verifier load when a node connects, not when a config is read
  async connect(chain, walletKey) {
    const { EvmChainAdapter } = await import('./adapter.js');
    return new EvmChainAdapter(chain, walletKey);
  },
  async prover(chain) {
    const { EthereumSourceVerifier } = await import('../../../verifier/ethereum/sourceVerifier.js');
    const common = { protocolChainId: chain.protocolChainId, rpc: chain.rpcUrl, bridge: chain.bridge };
    const v = chain.verifier;
    return v.mode === 'confirmations'
      ? new EthereumSourceVerifier({ ...common, mode: 'confirmations', confirmations: v.confirmations })
      : new EthereumSourceVerifier({
          ...common,
          mode: 'sync-committee',
          beacon: v.beaconUrl,
          checkpoint: v.checkpoint,
          // the network's fork schedule, genesis and slot length: signatures of another chain never verify
          chain: v.chain,
        });
  },
};
