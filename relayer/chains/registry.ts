/**
 * The chain families this node knows, by the name a config gives in `family`. The only module outside the
 * families' own folders that names them.
 */
import type { Hex } from 'viem';
import type { SourceVerifier } from '../../verifier/types.js';
import type { ChainAdapter } from './adapter.js';
import type { CosmwasmChainConfig } from './cosmwasm/config.js';
import { cosmwasmFamily } from './cosmwasm/family.js';
import type { EvmChainConfig } from './evm/config.js';
import { evmFamily } from './evm/family.js';
import type { ChainBase, ChainFamily } from './family.js';
import type { SubstrateChainConfig } from './substrate/config.js';
import { substrateFamily } from './substrate/family.js';

export type ChainConfig = EvmChainConfig | CosmwasmChainConfig | SubstrateChainConfig;
export type FamilyName = ChainConfig['family'];

const FAMILIES: { [F in FamilyName]: ChainFamily<Extract<ChainConfig, { family: F }>> } = {
  evm: evmFamily,
  cosmwasm: cosmwasmFamily,
  substrate: substrateFamily,
};

export const FAMILY_NAMES = Object.keys(FAMILIES) as FamilyName[];

export function isFamilyName(name: unknown): name is FamilyName {
  return typeof name === 'string' && Object.hasOwn(FAMILIES, name);
}

/** The family of a chain (or of a family name read from a config). */
export function chainFamily(name: FamilyName): ChainFamily<ChainConfig & ChainBase> {
  return FAMILIES[name] as unknown as ChainFamily<ChainConfig & ChainBase>;
}

/** The chain's adapter, with the operator's delivery key for it. */
export function connectChain(chain: ChainConfig, walletKey: Hex): Promise<ChainAdapter> {
  return chainFamily(chain.family).connect(chain, walletKey);
}

/** The chain's prover (its verifier/ light client), which the verify stage asks about every message. */
export function connectProver(chain: ChainConfig): Promise<SourceVerifier> {
  return chainFamily(chain.family).prover(chain);
}
