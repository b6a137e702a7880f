import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from 'viem';
import type { InstanceBinding } from '../../protocol/digest.js';
import { bech32ToBytes32 } from './account.js';

/** What a CosmWasm bridge binds its digests to: sha256 of the chain-id string and its canonical address. */
export function cosmwasmInstanceBinding(cosmosChainId: string, bridge: string, prefix: string): InstanceBinding {
  return {
    chainBinding: bytesToHex(sha256(new TextEncoder().encode(cosmosChainId))),
    bridge: bech32ToBytes32(bridge, prefix),
  };
}
