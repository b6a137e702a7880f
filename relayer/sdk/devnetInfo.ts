/**
 * `.devnet/devnet.json`: what a user or a test needs to use a running devnet. The devnet (devnet/, not in the
 * production build) writes it; the format lives here in production code because the shipped CLI's user
 * commands (transfer, attest, job, and status without --api) read it, and production code may not import
 * the devnet.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Address, Hex } from 'viem';

export interface DevnetEvmChainInfo {
  family: 'evm';
  name: string;
  protocolChainId: number;
  evmChainId: number;
  rpcUrl: string;
  bridge: Address;
  /** SAH's address, on its home chain only. */
  sah?: Address;
  /** The bridge's AttestationRegistry (kind 2). */
  attestations?: Address;
  /** The bridge's JobBoard (kinds 3 and 4). */
  jobBoard?: Address;
}

export interface DevnetCosmwasmChainInfo {
  family: 'cosmwasm';
  name: string;
  protocolChainId: number;
  cosmosChainId: string;
  /** CometBFT RPC. */
  rpcUrl: string;
  restUrl: string;
  /** Bech32 address of the bridge contract. */
  bridge: string;
  prefix: string;
  /** The chain's native (fee and staking) denom, lockable on the bridge. */
  denom: string;
  gasPrice: string;
  /** Code id of the wrapped-token (cw20) contract. */
  cw20CodeId: number;
  bridgeCodeId: number;
  /** The relayers' light-client checkpoint: a header taken from the node at start (trust on first use). */
  trustedCheckpoint: { height: number; hash: Hex };
}

export interface DevnetSubstrateChainInfo {
  family: 'substrate';
  name: string;
  protocolChainId: number;
  wsUrl: string;
  ss58Prefix: number;
  /** The devnet GRANDPA voter's JSON-RPC (justifications, shadow headers, read proofs). */
  finalityRpcUrl: string;
  /** Its genesis voter set (set id 0), the relayers' trusted checkpoint. */
  grandpaAuthorities: Hex[];
  /** Block the relayers' verifiers start from. */
  finalityFromBlock: number;
}

export type DevnetChainInfo = DevnetEvmChainInfo | DevnetCosmwasmChainInfo | DevnetSubstrateChainInfo;

export interface DevnetInfo {
  groupKey: Hex;
  epoch: number;
  threshold: number;
  chains: DevnetChainInfo[];
  nodes: { id: number; api: string; config: string; log: string }[];
  redis: string;
  devAccounts: { name: string; address: Address; key: Hex }[];
  /** Funded accounts on the Cosmos chain (devnet-only mnemonics). */
  cosmosDevAccounts: { name: string; address: string; mnemonic: string }[];
  /** Funded accounts on the Polkadot chain (well-known dev keys: //Alice ...). */
  substrateDevAccounts: { name: string; uri: string }[];
}

export function evmChainsOf(info: DevnetInfo): DevnetEvmChainInfo[] {
  return info.chains.filter((c): c is DevnetEvmChainInfo => c.family === 'evm');
}

export function cosmwasmChainsOf(info: DevnetInfo): DevnetCosmwasmChainInfo[] {
  return info.chains.filter((c): c is DevnetCosmwasmChainInfo => c.family === 'cosmwasm');
}

export function writeDevnetInfo(file: string, info: DevnetInfo): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`);
}

/** The devnet description file is missing or unreadable: the devnet is probably not running. */
export class DevnetInfoError extends Error {
  override name = 'DevnetInfoError';
}

export function readDevnetInfo(file: string): DevnetInfo {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DevnetInfo;
  } catch (e) {
    throw new DevnetInfoError(`cannot read ${file}: ${(e as Error).message} (is \`npm run devnet\` running?)`);
  }
}

/** A devnet chain by its name or protocol chain id (as the CLI and the SDK take one). */
export function devnetChain(chains: readonly DevnetChainInfo[], nameOrId: string): DevnetChainInfo | undefined {
  return chains.find((c) => c.name === nameOrId || String(c.protocolChainId) === nameOrId);
}

export function substrateChainsOf(info: DevnetInfo): DevnetSubstrateChainInfo[] {
  return info.chains.filter((c): c is DevnetSubstrateChainInfo => c.family === 'substrate');
}
