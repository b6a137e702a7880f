import { readFileSync } from 'node:fs';
import { ConfigError } from './errors.js';

export interface DevnetChain {
  name: string;
  family: 'evm';
  protocolChainId: number;
  evmChainId: number;
  port: number;
  /** SAH (the ERC-20) is deployed on this chain: its home. */
  sahHome: boolean;
}

export interface DevnetConfig {
  relayers: { threshold: number; signers: number };
  chains: DevnetChain[];
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates a parsed devnet config; every problem is a ConfigError naming the field. */
export function parseDevnetConfig(raw: unknown, file = 'devnet config'): DevnetConfig {
  const fail = (path: string, reason: string): never => {
    throw new ConfigError(file, path, reason);
  };
  const int = (v: unknown, path: string, min: number, max: number): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      return fail(path, `must be an integer in ${min}..${max}, got ${JSON.stringify(v)}`);
    return v;
  };
  if (!isObject(raw)) return fail('$', 'must be a JSON object');
  const relayers = raw.relayers;
  if (!isObject(relayers)) return fail('relayers', 'must be an object { threshold, signers }');
  const signers = int(relayers.signers, 'relayers.signers', 1, 255);
  const threshold = int(relayers.threshold, 'relayers.threshold', 1, signers);
  if (!Array.isArray(raw.chains) || raw.chains.length < 2) return fail('chains', 'must list at least two chains');
  const seenIds = new Set<number>();
  const seenNames = new Set<string>();
  let homes = 0;
  const chains = raw.chains.map((c: unknown, i: number): DevnetChain => {
    const at = `chains[${i}]`;
    if (!isObject(c)) return fail(at, 'must be an object');
    if (typeof c.name !== 'string' || !/^[a-z0-9-]+$/.test(c.name))
      return fail(`${at}.name`, 'must be lowercase letters, digits and dashes');
    if (seenNames.has(c.name)) return fail(`${at}.name`, `duplicate chain name ${c.name}`);
    seenNames.add(c.name);
    if (c.family !== 'evm')
      return fail(`${at}.family`, `unsupported chain family ${JSON.stringify(c.family)} (expected "evm")`);
    const protocolChainId = int(c.protocolChainId, `${at}.protocolChainId`, 1, 2 ** 32 - 1);
    if (seenIds.has(protocolChainId)) return fail(`${at}.protocolChainId`, `duplicate chain id ${protocolChainId}`);
    seenIds.add(protocolChainId);
    const sahHome = c.sahHome === undefined ? false : c.sahHome;
    if (typeof sahHome !== 'boolean') return fail(`${at}.sahHome`, 'must be true or false');
    if (sahHome) homes++;
    return {
      name: c.name,
      family: 'evm',
      protocolChainId,
      evmChainId: int(c.evmChainId, `${at}.evmChainId`, 1, 2 ** 53 - 1),
      port: int(c.port, `${at}.port`, 0, 65_535),
      sahHome,
    };
  });
  if (homes !== 1) fail('chains', `exactly one chain must be SAH's home (sahHome: true), found ${homes}`);
  return { relayers: { threshold, signers }, chains };
}

export function loadDevnetConfig(file: string): DevnetConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, '$', `cannot read: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(file, '$', `not valid JSON: ${(e as Error).message}`);
  }
  return parseDevnetConfig(raw, file);
}
