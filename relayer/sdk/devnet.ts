/**
 * A FlowClient for a devnet chain by name, from the devnet description: the only SDK module that names
 * every chain family (like relayer/chains/connect.ts for adapters).
 */
import type { Hex } from 'viem';
import { addressToBytes32 } from '../protocol/strings.js';
import { CosmwasmFlowClient } from './cosmwasm.js';
import { type DevnetInfo, devnetChain, evmChainsOf } from './devnetInfo.js';
import { EvmFlowClient } from './evm.js';
import { FlowCallError, type FlowClient } from './flows.js';
import { SubstrateFlowClient } from './substrate.js';

/** Each left out or undefined (a caller passing on an option it was not given) takes its default. */
export interface DevnetSigner {
  /** EVM private key; default: the first dev account. */
  key?: string | undefined;
  /** Cosmos mnemonic; default: the first Cosmos dev account. */
  mnemonic?: string | undefined;
  /** Substrate key URI; default `//Alice`. */
  uri?: string | undefined;
}

/** SAH's home id on the devnet: the ERC-20 on the EVM chain that holds it. */
export function devnetSah(info: DevnetInfo): { originChain: number; originToken: Hex } {
  const home = evmChainsOf(info).find((c) => c.sah);
  if (!home?.sah) throw new FlowCallError('NoSah', 'the devnet has no SAH home chain');
  return { originChain: home.protocolChainId, originToken: addressToBytes32(home.sah) };
}

export async function flowClientFor(
  info: DevnetInfo,
  chainName: string,
  signer: DevnetSigner = {},
): Promise<FlowClient> {
  const chain = devnetChain(info.chains, chainName);
  if (!chain) throw new FlowCallError('UnknownChain', `no devnet chain ${chainName}`);
  const sah = devnetSah(info);
  switch (chain.family) {
    case 'evm': {
      if (!chain.attestations || !chain.jobBoard)
        throw new FlowCallError('NoModules', `${chain.name} has no attestation registry or job board`);
      const key = (signer.key ?? info.devAccounts[0]?.key) as Hex;
      if (!/^0x[0-9a-fA-F]{64}$/.test(key ?? '')) throw new FlowCallError('BadKey', 'an EVM key is 32 bytes of hex');
      return new EvmFlowClient({
        protocolChainId: chain.protocolChainId,
        evmChainId: chain.evmChainId,
        rpcUrl: chain.rpcUrl,
        bridge: chain.bridge,
        attestations: chain.attestations,
        jobBoard: chain.jobBoard,
        key,
        sah,
      });
    }
    case 'cosmwasm': {
      const mnemonic = signer.mnemonic ?? info.cosmosDevAccounts[0]?.mnemonic;
      if (!mnemonic) throw new FlowCallError('BadMnemonic', 'a Cosmos mnemonic is needed');
      return CosmwasmFlowClient.connect({
        protocolChainId: chain.protocolChainId,
        rpcUrl: chain.rpcUrl,
        cosmosChainId: chain.cosmosChainId,
        bridge: chain.bridge,
        prefix: chain.prefix,
        gasPrice: chain.gasPrice,
        mnemonic,
        sah,
      });
    }
    case 'substrate':
      return SubstrateFlowClient.connect({
        protocolChainId: chain.protocolChainId,
        wsUrl: chain.wsUrl,
        ss58Prefix: chain.ss58Prefix,
        uri: signer.uri ?? '//Alice',
        sah,
      });
  }
}
