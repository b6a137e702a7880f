/** The CosmWasm family: chains with the bridge contract (contracts/cosmwasm), proved by the CometBFT light client. */
import type { ChainFamily } from '../family.js';
import { type CosmwasmChainConfig, parseCosmwasmChain } from './config.js';

export const cosmwasmFamily: ChainFamily<CosmwasmChainConfig> = {
  name: 'cosmwasm',
  // CometBFT commits are final: confirmations > 0 only add margin
  finalityTags: [],
  parseChain: parseCosmwasmChain,
  async connect(chain, walletKey) {
    const { CosmwasmChainAdapter } = await import('./adapter.js');
    return CosmwasmChainAdapter.connect(chain, walletKey);
  },
  async prover(chain) {
    const { CometbftSourceVerifier } = await import('../../../verifier/cometbft/sourceVerifier.js');
    const v = chain.verifier;
    return new CometbftSourceVerifier({
      rpcUrl: chain.rpcUrl,
      chainId: chain.cosmosChainId,
      contract: chain.bridge,
      trusted: { height: v.trustedHeight, hash: v.trustedHash },
      trustingPeriodSeconds: v.trustingPeriodSeconds,
      maxClockDriftSeconds: v.maxClockDriftSeconds,
      protocolChainId: chain.protocolChainId,
    });
  },
};
