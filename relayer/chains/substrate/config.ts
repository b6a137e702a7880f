/** A Substrate chain in a node config: its node's WebSocket RPC and the GRANDPA verifier's trusted set. */
import type { FieldReader, Json } from '../../config/validate.js';
import { type GrandpaVerifierConfig, parseVerifierConfig } from '../../config/verifierConfig.js';
import type { ChainBase } from '../family.js';

export interface SubstrateChainConfig extends ChainBase {
  family: 'substrate';
  /** WebSocket RPC of a node (or chopsticks). */
  wsUrl: string;
  /** SS58 prefix of the chain's addresses (42 on the devnet). */
  ss58Prefix: number;
  maxBlockRange: number;
  verifier: GrandpaVerifierConfig;
}

export function parseSubstrateChain(r: FieldReader, c: Json, base: ChainBase, at: string): SubstrateChainConfig {
  return {
    ...base,
    family: 'substrate',
    wsUrl: r.string(c.wsUrl, `${at}.wsUrl`, /^wss?:\/\/\S+$/, 'must be a ws:// or wss:// URL'),
    ss58Prefix: r.optionalInt(c.ss58Prefix, `${at}.ss58Prefix`, 0, 16_383, 42),
    maxBlockRange: r.optionalInt(c.maxBlockRange, `${at}.maxBlockRange`, 1, 10_000, 50),
    verifier: parseVerifierConfig(r, c.verifier, `${at}.verifier`, 'substrate', ['grandpa']) as GrandpaVerifierConfig,
  };
}
