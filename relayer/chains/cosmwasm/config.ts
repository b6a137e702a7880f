/** A CosmWasm chain in a node config: its CometBFT RPC, the bridge contract, and the light client's trust. */
import type { FieldReader, Json } from '../../config/validate.js';
import { type CometbftVerifierConfig, parseVerifierConfig } from '../../config/verifierConfig.js';
import type { ChainBase } from '../family.js';

export interface CosmwasmChainConfig extends ChainBase {
  family: 'cosmwasm';
  /** The Cosmos chain id (e.g. `sah-devnet-1`), checked against the node at start. */
  cosmosChainId: string;
  /** CometBFT RPC. */
  rpcUrl: string;
  /** Bech32 address of the bridge contract. */
  bridge: string;
  /** Bech32 prefix of the chain's accounts. */
  prefix: string;
  /** Fee price for delivery transactions, e.g. `0.025stake`. */
  gasPrice: string;
  /** Most blocks scanned in one range. */
  maxBlockRange: number;
  verifier: CometbftVerifierConfig;
}

export function parseCosmwasmChain(r: FieldReader, c: Json, base: ChainBase, at: string): CosmwasmChainConfig {
  const rpcUrl = r.url(c.rpcUrl, `${at}.rpcUrl`);
  const prefix = r.string(c.prefix, `${at}.prefix`, /^[a-z]{1,20}$/, 'must be a lowercase bech32 prefix');
  return {
    ...base,
    rpcUrl,
    family: 'cosmwasm',
    cosmosChainId: r.string(c.cosmosChainId, `${at}.cosmosChainId`, /^[a-zA-Z0-9_.-]{1,50}$/, 'is not a chain id'),
    bridge: r.string(
      c.bridge,
      `${at}.bridge`,
      new RegExp(`^${prefix}1[02-9ac-hj-np-z]{38,90}$`),
      `must be a bech32 address with prefix ${prefix}`,
    ),
    prefix,
    gasPrice: r.string(
      c.gasPrice,
      `${at}.gasPrice`,
      /^\d+(\.\d+)?[a-zA-Z][a-zA-Z0-9/:._-]{1,127}$/,
      'must be like 0.025stake',
    ),
    maxBlockRange: r.optionalInt(c.maxBlockRange, `${at}.maxBlockRange`, 1, 10_000, 100),
    verifier: parseVerifierConfig(r, c.verifier, `${at}.verifier`, 'cosmwasm', [
      'cometbft-light-client',
    ]) as CometbftVerifierConfig,
  };
}
