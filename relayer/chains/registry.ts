/**
 * The chain families this node and the user side know, by the name a config gives in `family`: each
 * family's node side (ChainFamily) and user side (UserFamily, whose client loads on first use). The only
 * module outside the families' own folders that names them.
 */
import type { Hex } from 'viem';
import type { SourceVerifier } from '../../verifier/types.js';
import type { FieldReader } from '../config/validate.js';
import type { ChainAdapter } from './adapter.js';
import type { CosmwasmChainConfig } from './cosmwasm/config.js';
import { cosmwasmFamily } from './cosmwasm/family.js';
import {
  type CosmwasmDevAccounts,
  type CosmwasmSigner,
  cosmwasmUser,
  type DevnetCosmwasmChain,
  type DevnetCosmwasmChainInfo,
} from './cosmwasm/user.js';
import type { EvmChainConfig } from './evm/config.js';
import { evmFamily } from './evm/family.js';
import {
  type DevnetEvmChain,
  type DevnetEvmChainInfo,
  type EvmDevAccounts,
  type EvmSigner,
  evmUser,
} from './evm/user.js';
import type { ChainBase, ChainFamily, UserFamily } from './family.js';
import type { SubstrateChainConfig } from './substrate/config.js';
import { substrateFamily } from './substrate/family.js';
import {
  type DevnetSubstrateChain,
  type DevnetSubstrateChainInfo,
  type SubstrateDevAccounts,
  type SubstrateSigner,
  substrateUser,
} from './substrate/user.js';

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

/** A config's `family` field, or the reader's error naming the field and the families there are. */
export function readFamilyName(r: FieldReader, raw: unknown, at: string): FamilyName {
  if (!isFamilyName(raw))
    r.fail(
      at,
      `unsupported chain family ${JSON.stringify(raw)} (expected ${FAMILY_NAMES.map((f) => `"${f}"`).join(', ')})`,
    );
  return raw as FamilyName;
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

// ------------------------------------------------------------------------------------------------ the user side

/** A chain of a devnet config (config/devnet.json). */
export type DevnetChain = DevnetEvmChain | DevnetCosmwasmChain | DevnetSubstrateChain;
/** A chain of the devnet description (.devnet/devnet.json), which the user commands and the SDK read. */
export type DevnetChainInfo = DevnetEvmChainInfo | DevnetCosmwasmChainInfo | DevnetSubstrateChainInfo;
export type DevnetChainOf<F extends FamilyName> = Extract<DevnetChain, { family: F }>;
export type DevnetChainInfoOf<F extends FamilyName> = Extract<DevnetChainInfo, { family: F }>;
/** The devnet description's dev accounts: each family's field. */
export type DevnetAccounts = EvmDevAccounts & CosmwasmDevAccounts & SubstrateDevAccounts;
/** Who signs a user's calls: each family's field (an EVM key, a Cosmos mnemonic, a Substrate key URI). */
export type Signer = EvmSigner & CosmwasmSigner & SubstrateSigner;

const USER_FAMILIES = {
  evm: evmUser,
  cosmwasm: cosmwasmUser,
  substrate: substrateUser,
} satisfies { [F in FamilyName]: UserFamily<DevnetChainOf<F>, DevnetChainInfoOf<F>, object, object> };

/** The user side of a family (of a devnet chain, or a family name read from a devnet config). */
export function userFamily(name: FamilyName): UserFamily<DevnetChain, DevnetChainInfo, DevnetAccounts, Signer> {
  return USER_FAMILIES[name] as unknown as UserFamily<DevnetChain, DevnetChainInfo, DevnetAccounts, Signer>;
}
