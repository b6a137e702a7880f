/**
 * What a chain family (EVM, CosmWasm, Substrate, ...) gives the node (ChainFamily: the fields of its chains in a
 * node config, the adapter that watches and delivers, and the prover that proves its events final, verifier/)
 * and a user (UserFamily: its devnet chains, assets and signer, and the client that transfers, attests and
 * posts jobs). Each family lives in its own folder (`chains/<family>/`); `registry.ts` maps names to families,
 * and no other module names one. A fourth family is a folder and a line per side in the registry.
 */
import type { Hex } from 'viem';
import type { SourceVerifier } from '../../verifier/types.js';
import type { FieldReader, Json } from '../config/validate.js';
import type { FlowClient } from '../sdk/flows.js';
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

// ------------------------------------------------------------------------------------------------ the user side

/**
 * What a family gives a user (the CLI's user commands and the SDK, `relayer/sdk/`): its chains in a devnet config
 * (config/devnet.json) and in the devnet description (.devnet/devnet.json), its assets and dev accounts there,
 * its signer, and (loaded when first used: viem, @cosmjs, @polkadot/api) its client. `chains/<family>/user.ts`
 * implements it, `chains/<family>/client.ts` the client; `registry.ts` maps family names to them.
 */
export interface UserFamily<
  /** Its chains in a devnet config. */
  D extends DevnetChainBase & { family: string },
  /** Its chains in the devnet description. */
  I extends DevnetChainInfoBase & { family: string },
  /** Its dev accounts in the devnet description: a top-level field of its own. */
  A extends object,
  /** Its field of a user's signer (an EVM key, a Cosmos mnemonic, a Substrate key URI). */
  S extends object,
> {
  readonly name: D['family'];
  /** The family's own fields of a devnet config chain, each checked with its path (`at`); `base` is already read. */
  parseDevnetChain(r: FieldReader, raw: Json, base: DevnetChainBase, at: string): D;
  /** Whether a devnet config chain is SAH's home. Only families whose chains can hold SAH (an ERC-20) have it. */
  readonly isSahHome?: (chain: D) => boolean;
  /** The family's own fields of a chain in the devnet description. */
  parseDevnetChainInfo(r: FieldReader, raw: Json, base: DevnetChainInfoBase, at: string): I;
  /** Its dev accounts in the devnet description (none when the devnet has no chain of the family). */
  parseDevnetAccounts(r: FieldReader, root: Json): A;
  /** The assets whose home is one of these chains, as a user names them (`sah`, `unit`, a native denom). */
  assets(chains: readonly I[]): Asset[];
  /** Who receives on a chain of the family when a transfer names no recipient: the devnet's dev account there. */
  devRecipient(accounts: A): string | undefined;
  /**
   * What signs on a chain of the family: the signer's own field, else the devnet's dev account; checked here
   * (an InvalidRequestError names the signer's field), before any chain is asked anything.
   */
  secret(signer: S, accounts: A): string;
  /** The rest, loaded on first use. */
  client(): Promise<UserClients<I>>;
}

/** The part of a user family that loads the chain's SDK (viem, @cosmjs, @polkadot/api): `chains/<family>/client.ts`. */
export interface UserClients<I extends DevnetChainInfoBase> {
  /**
   * An address as people write it on `chain` (0x.. on EVM, bech32 with the chain's prefix on CosmWasm, SS58 on
   * Substrate) in the protocol's 32-byte form (docs/PROTOCOL.md §2). Throws an Error saying what is wrong.
   */
  toBytes32(address: string, chain: I): Hex;
  /** A 32-byte account form written as an address of `chain`. */
  fromBytes32(form: Hex, chain: I): string;
  /** A client on `chain` signing with `secret` (from `UserFamily.secret`); `sah` is SAH's id, if the devnet has it. */
  connect(chain: I, secret: string, sah: AssetId | undefined): Promise<FlowClient>;
}

/** The fields every chain of a devnet config has, whatever its family. */
export interface DevnetChainBase {
  name: string;
  protocolChainId: number;
  /** RPC port; 0 picks a free one. */
  port: number;
}

/** The fields every chain of the devnet description has, whatever its family. */
export interface DevnetChainInfoBase {
  name: string;
  protocolChainId: number;
}

/** An asset's id (docs/PROTOCOL.md §3.1): its home chain and its token id there. */
export interface AssetId {
  originChain: number;
  originToken: Hex;
}

/** An asset a user names (`sah`, `unit`, a native denom). */
export interface Asset extends AssetId {
  symbol: string;
  /**
   * What it is on its home chain, in that family's terms: an ERC-20's address (EVM), a native denom
   * (CosmWasm), `native` (a Substrate chain's own currency). Only its home chain's client reads it.
   */
  home: string;
}
