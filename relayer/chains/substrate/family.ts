/** The Substrate family: chains with the sah-bridge pallet (contracts/substrate), proved by GRANDPA. */
import type { ChainFamily } from '../family.js';
import { parseSubstrateChain, type SubstrateChainConfig } from './config.js';

export const substrateFamily: ChainFamily<SubstrateChainConfig> = {
  name: 'substrate',
  // finality is the finalized head (less any confirmations); no tags
  finalityTags: [],
  parseChain: parseSubstrateChain,
  async connect(chain, walletKey) {
    const { SubstrateChainAdapter } = await import('./adapter.js');
    return SubstrateChainAdapter.connect(chain, walletKey);
  },
  async prover(chain) {
    const { GrandpaSourceVerifier } = await import('../../../verifier/grandpa/verifier.js');
    const v = chain.verifier;
    return new GrandpaSourceVerifier({
      rpcUrl: v.rpcUrl,
      authoritySet: { setId: v.setId, authorities: v.authorities },
      ...(v.fromBlock === undefined ? {} : { fromBlock: v.fromBlock }),
    });
  },
};
