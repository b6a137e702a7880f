import { type Hex, pad, toHex } from 'viem';
import type { InstanceBinding } from '../../protocol/digest.js';
import { addressToBytes32 } from '../../protocol/strings.js';

/** What an EVM Bridge binds its digests to: block.chainid as u256 and its own (the proxy's) address. */
export function evmInstanceBinding(evmChainId: number | bigint, bridge: Hex): InstanceBinding {
  return { chainBinding: pad(toHex(evmChainId), { size: 32 }), bridge: addressToBytes32(bridge) };
}
