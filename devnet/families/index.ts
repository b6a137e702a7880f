/** The devnet's launcher of each chain family: the one devnet module that maps a family name to its code. */
import type { DevnetChain, FamilyName } from '../../relayer/chains/registry.js';
import { cosmwasmDevnet } from './cosmwasm.js';
import { evmDevnet } from './evm.js';
import type { DevnetFamily } from './launcher.js';
import { substrateDevnet } from './substrate.js';

export const DEVNET_FAMILIES = {
  evm: evmDevnet,
  cosmwasm: cosmwasmDevnet,
  substrate: substrateDevnet,
} satisfies { [F in FamilyName]: DevnetFamily<F> };

/** A chain's family launcher, typed for any chain of the devnet config. */
export function devnetFamily(chain: DevnetChain): DevnetFamily<FamilyName> {
  return DEVNET_FAMILIES[chain.family] as unknown as DevnetFamily<FamilyName>;
}
