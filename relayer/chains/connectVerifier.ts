/**
 * Builds a chain's source verifier (verifier/) from its node config. Like connect.ts, the only place
 * that names every family; each verifier knows one.
 */
import { CometbftSourceVerifier } from '../../verifier/cometbft/sourceVerifier.js';
import { EthereumSourceVerifier } from '../../verifier/ethereum/sourceVerifier.js';
import { GrandpaSourceVerifier } from '../../verifier/grandpa/verifier.js';
import type { SourceVerifier } from '../../verifier/types.js';
import type { ChainConfig } from '../config/nodeConfig.js';

export async function connectVerifier(chain: ChainConfig): Promise<SourceVerifier> {
  switch (chain.family) {
    case 'evm': {
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
    }
    case 'cosmwasm': {
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
    }
    case 'substrate': {
      const v = chain.verifier;
      return new GrandpaSourceVerifier({
        rpcUrl: v.rpcUrl,
        authoritySet: { setId: v.setId, authorities: v.authorities },
        fromBlock: v.fromBlock,
      });
    }
  }
}
