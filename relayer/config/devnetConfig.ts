/**
 * config/devnet.json: the chains `npm run devnet` starts and its relayers. The common fields are read here;
 * each chain's own fields are its family's (`chains/<family>/user.ts`), through the registry.
 */
import {
  type DevnetChain,
  type DevnetChainOf,
  type FamilyName,
  readFamilyName,
  userFamily,
} from '../chains/registry.js';
import { FieldReader, readJsonFile } from './validate.js';

export type { DevnetChain, DevnetChainOf };

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
    const familyName = readFamilyName(r, c.family, `${at}.family`);
    const family = userFamily(familyName);
    const protocolChainId = r.int(c.protocolChainId, `${at}.protocolChainId`, 1, 2 ** 32 - 1);
    if (seenIds.has(protocolChainId)) r.fail(`${at}.protocolChainId`, `duplicate chain id ${protocolChainId}`);
    seenIds.add(protocolChainId);
    const port = r.int(c.port, `${at}.port`, 0, 65_535);
    if (!family.isSahHome && c.sahHome !== undefined)
      r.fail(`${at}.sahHome`, `SAH is an ERC-20: its home cannot be a ${family.name} chain`);
    const chain = family.parseDevnetChain(r, c, { name, protocolChainId, port }, at);
    if (family.isSahHome?.(chain)) homes++;
    return chain;
  });
  if (homes !== 1) r.fail('chains', `exactly one chain must be SAH's home (sahHome: true), found ${homes}`);
  return { relayers: { threshold, signers, basePort }, redisPort, chains };
}

export function loadDevnetConfig(file: string): DevnetConfig {
  return parseDevnetConfig(readJsonFile(file), file);
}

/** The same devnet with the chains of some families only (tests and benchmarks of one family's path). */
export function onlyFamilies(config: DevnetConfig, ...families: FamilyName[]): DevnetConfig {
  return { ...config, chains: config.chains.filter((c) => families.includes(c.family)) };
}
