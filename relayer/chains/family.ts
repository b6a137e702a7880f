/**
 * What a chain family (EVM, CosmWasm, Substrate, ...) gives the node: the fields of its chains in a node
 * config, the adapter that watches and delivers, and the prover that proves its events final (verifier/).
 * Each family lives in its own folder (`chains/<family>/`); `registry.ts` maps names to families, and no
 * other module names one. A fourth family is a folder and a line in the registry.
 */
import type { Hex } from 'viem';
import type { SourceVerifier } from '../../verifier/types.js';
import type { FieldReader, Json } from '../config/validate.js';
import type { ChainAdapter } from './adapter.js';

export interface Finality {
  /** Blocks on top of the event's block; 0 = the block itself. Ignored when `tag` is set. */
  confirmations: number;
  /** Use the node's `finalized` (or `safe`) block instead of counting confirmations (families with tags). */
  tag?: 'finalized' | 'safe';
}

/** The fields every chain entry has, whatever its family; read before the family's own. */
export interface ChainBase {
  name: string;
  protocolChainId: number;
  /**
   * A local test chain (the devnet's anvil, wasmd, chopsticks): only there may finality be taken on an
   * RPC's word (`confirmations` verifier mode, 0 confirmations).
   */
  devnet: boolean;
  /**
   * Explicit, loudly named opt-in to `confirmations` finality on a chain that is not a devnet and has no
   * light client here. Never allowed on Ethereum networks with a beacon chain.
   */
  unsafeConfirmationsFinality: boolean;
  finality: Finality;
  /** First block to scan when the node has no checkpoint yet. */
  startBlock: bigint;
  pollIntervalMs: number;
}

export interface ChainFamily<C extends ChainBase & { family: string }> {
  readonly name: C['family'];
  /** Finality tags its chains may name (`finality.tag`); none: confirmations only. */
  readonly finalityTags: readonly NonNullable<Finality['tag']>[];
  /** The family's own fields of a chain entry, each checked with its path (`at`); `base` is already read. */
  parseChain(r: FieldReader, raw: Json, base: ChainBase, at: string): C;
  /** The chain's adapter, with the operator's delivery key for it. */
  connect(chain: C, walletKey: Hex): Promise<ChainAdapter>;
  /** The chain's prover: proves its bridge's events final and stored under their nonces. */
  prover(chain: C): Promise<SourceVerifier>;
}
