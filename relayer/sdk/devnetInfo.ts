/**
 * `.devnet/devnet.json`: what a user or a test needs to use a running devnet. The devnet (devnet/, not in the
 * production build) writes it; the format lives here in production code because the shipped CLI's user
 * commands (transfer, attest, job, and status without --api) and the SDK read it, and production code may not
 * import the devnet. The common fields are here; each chain's fields and each family's dev accounts are the
 * family's (`chains/<family>/user.ts`), through the registry.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Hex } from 'viem';
import {
  type DevnetAccounts,
  type DevnetChainInfo,
  type DevnetChainInfoOf,
  FAMILY_NAMES,
  type FamilyName,
  readFamilyName,
  userFamily,
} from '../chains/registry.js';
import { FieldReader } from '../config/validate.js';

export type { DevnetAccounts, DevnetChainInfo, DevnetChainInfoOf, FamilyName };

export interface DevnetNodeInfo {
  id: number;
  /** The node's public API (`followMessages`, `sah-bridge status`). */
  api: string;
  config: string;
  log: string;
}

/** The description's common fields; `DevnetInfo` adds each family's dev accounts. */
export interface DevnetInfoBase {
  groupKey: Hex;
  epoch: number;
  threshold: number;
  chains: DevnetChainInfo[];
  nodes: DevnetNodeInfo[];
  redis: string;
}

export type DevnetInfo = DevnetInfoBase & DevnetAccounts;

/** The chains of one family, typed as that family's. */
export function chainsOf<F extends FamilyName>(
  info: { chains: readonly DevnetChainInfo[] },
  family: F,
): DevnetChainInfoOf<F>[] {
  return info.chains.filter((c): c is DevnetChainInfoOf<F> => c.family === family);
}

export function writeDevnetInfo(file: string, info: DevnetInfo): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`);
}

/** The devnet description file is missing or unreadable: the devnet is probably not running. */
export class DevnetInfoError extends Error {
  override name = 'DevnetInfoError';
}

/**
 * A devnet description, checked: every problem is a ConfigError naming the field (`chains[2].rpcUrl: ...`).
 * Each chain's own fields and each family's dev accounts are checked by the family.
 */
export function parseDevnetInfo(raw: unknown, file = 'devnet description'): DevnetInfo {
  const r = new FieldReader(file);
  const root = r.object(raw, '$');
  const names = new Set<string>();
  const chains = r.array(root.chains, 'chains').map((value, i): DevnetChainInfo => {
    const at = `chains[${i}]`;
    const c = r.object(value, at);
    const familyName = readFamilyName(r, c.family, `${at}.family`);
    const name = r.string(c.name, `${at}.name`);
    if (names.has(name)) r.fail(`${at}.name`, `duplicate chain name ${name}`);
    names.add(name);
    const base = { name, protocolChainId: r.int(c.protocolChainId, `${at}.protocolChainId`, 1, 2 ** 32 - 1) };
    return userFamily(familyName).parseDevnetChainInfo(r, c, base, at);
  });
  const nodes = r.array(root.nodes ?? [], 'nodes').map((value, i): DevnetNodeInfo => {
    const n = r.object(value, `nodes[${i}]`);
    return {
      id: r.int(n.id, `nodes[${i}].id`, 1, 255),
      api: r.url(n.api, `nodes[${i}].api`),
      config: typeof n.config === 'string' ? n.config : '',
      log: typeof n.log === 'string' ? n.log : '',
    };
  });
  let accounts = {} as DevnetAccounts;
  for (const f of FAMILY_NAMES) accounts = { ...accounts, ...userFamily(f).parseDevnetAccounts(r, root) };
  // what only the devnet itself reads (the group key, Redis) is carried as written
  return {
    groupKey: root.groupKey as Hex,
    epoch: root.epoch as number,
    threshold: root.threshold as number,
    redis: root.redis as string,
    chains,
    nodes,
    ...accounts,
  };
}

export function readDevnetInfo(file: string): DevnetInfo {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DevnetInfoError(`cannot read ${file}: ${(e as Error).message} (is \`npm run devnet\` running?)`);
  }
  return parseDevnetInfo(raw, file);
}

/** A devnet chain by its name or protocol chain id (as the CLI and the SDK take one). */
export function devnetChain(chains: readonly DevnetChainInfo[], nameOrId: string): DevnetChainInfo | undefined {
  return chains.find((c) => c.name === nameOrId || String(c.protocolChainId) === nameOrId);
}
