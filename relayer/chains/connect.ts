/**
 * Picks a chain's adapter by its family. The only place that names every family; each adapter knows
 * one chain family and nothing else.
 */
import type { Hex } from 'viem';
import type { ChainConfig } from '../config/nodeConfig.js';
import type { ChainAdapter } from './adapter.js';
import { CosmwasmChainAdapter } from './cosmwasm/adapter.js';
import { EvmChainAdapter } from './evm/adapter.js';
import { SubstrateChainAdapter } from './substrate/adapter.js';

export async function connectChain(chain: ChainConfig, walletKey: Hex): Promise<ChainAdapter> {
  switch (chain.family) {
    case 'evm':
      return new EvmChainAdapter(chain, walletKey);
    case 'cosmwasm':
      return CosmwasmChainAdapter.connect(chain, walletKey);
    case 'substrate':
      return SubstrateChainAdapter.connect(chain, walletKey);
  }
}
