import { FieldReader, readJsonFile } from './validate.js';

export interface DevnetEvmChain {
  name: string;
  family: 'evm';
  protocolChainId: number;
  evmChainId: number;
  port: number;
  /** SAH (the ERC-20) is deployed on this chain: its home. */
  sahHome: boolean;
}

/** A single-node wasmd chain (CosmWasm) run by the devnet. */
export interface DevnetCosmwasmChain {
  name: string;
  family: 'cosmwasm';
  protocolChainId: number;
  /** The Cosmos chain id, e.g. `sah-devnet-1`. */
  cosmosChainId: string;
  /** CometBFT RPC port; 0 picks a free one. */
  port: number;
}

/** The dev runtime (contracts/substrate) under chopsticks. */
export interface DevnetSubstrateChain {
  name: string;
  family: 'substrate';
  protocolChainId: number;
  /** WebSocket RPC port; 0 picks a free one. */
  port: number;
}

export type DevnetChain = DevnetEvmChain | DevnetCosmwasmChain | DevnetSubstrateChain;

export interface DevnetConfig {
  relayers: { threshold: number; signers: number; basePort: number };
  redisPort: number;
  chains: DevnetChain[];
}

/** Validates a parsed devnet config; every problem is a ConfigError naming the field. */
export function parseDevnetConfig(raw: unknown, file = 'devnet config'): DevnetConfig {
  const r = new FieldReader(file);
  const root = r.object(raw, '$');
  const relayers = r.object(root.relayers, 'relayers');
  const signers = r.int(relayers.signers, 'relayers.signers', 1, 255);
  const threshold = r.int(relayers.threshold, 'relayers.threshold', 1, signers);
  const basePort = r.optionalInt(relayers.basePort, 'relayers.basePort', 0, 65_000, 7101);
  const redisPort = r.optionalInt(root.redisPort, 'redisPort', 0, 65_535, 6390);
  const seenIds = new Set<number>();
  const seenNames = new Set<string>();
  let homes = 0;
  const chains = r.array(root.chains, 'chains', 2).map((value, i): DevnetChain => {
    const at = `chains[${i}]`;
    const c = r.object(value, at);
    const name = r.string(c.name, `${at}.name`, /^[a-z0-9-]+$/, 'must be lowercase letters, digits and dashes');
    if (seenNames.has(name)) r.fail(`${at}.name`, `duplicate chain name ${name}`);
    seenNames.add(name);
    if (c.family !== 'evm' && c.family !== 'cosmwasm' && c.family !== 'substrate')
      r.fail(
        `${at}.family`,
        `unsupported chain family ${JSON.stringify(c.family)} (expected "evm", "cosmwasm" or "substrate")`,
      );
    const protocolChainId = r.int(c.protocolChainId, `${at}.protocolChainId`, 1, 2 ** 32 - 1);
    if (seenIds.has(protocolChainId)) r.fail(`${at}.protocolChainId`, `duplicate chain id ${protocolChainId}`);
    seenIds.add(protocolChainId);
    const port = r.int(c.port, `${at}.port`, 0, 65_535);
    if (c.family !== 'evm' && c.sahHome !== undefined)
      r.fail(`${at}.sahHome`, 'SAH is an ERC-20: its home is an EVM chain');
    if (c.family === 'substrate') return { name, family: 'substrate', protocolChainId, port };
    if (c.family === 'cosmwasm') {
      return {
        name,
        family: 'cosmwasm',
        protocolChainId,
        cosmosChainId: r.string(c.cosmosChainId, `${at}.cosmosChainId`, /^[a-zA-Z0-9_.-]{1,50}$/, 'is not a chain id'),
        port,
      };
    }
    const sahHome = r.boolean(c.sahHome, `${at}.sahHome`, false);
    if (sahHome) homes++;
    return {
      name,
      family: 'evm',
      protocolChainId,
      evmChainId: r.int(c.evmChainId, `${at}.evmChainId`, 1, 2 ** 53 - 1),
      port,
      sahHome,
    };
  });
  if (homes !== 1) r.fail('chains', `exactly one chain must be SAH's home (sahHome: true), found ${homes}`);
  return { relayers: { threshold, signers, basePort }, redisPort, chains };
}

export function loadDevnetConfig(file: string): DevnetConfig {
  return parseDevnetConfig(readJsonFile(file), file);
}

/** The same devnet with its EVM chains only (tests and benchmarks of the EVM path). */
export function evmOnly(config: DevnetConfig): DevnetConfig {
  return { ...config, chains: config.chains.filter((c) => c.family === 'evm') };
}
