/** `.devnet/devnet.json`: what a user or a test needs to use a running devnet. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Address, Hex } from 'viem';

export interface DevnetChainInfo {
  name: string;
  protocolChainId: number;
  evmChainId: number;
  rpcUrl: string;
  bridge: Address;
  /** SAH's address, on its home chain only. */
  sah?: Address;
}

export interface DevnetInfo {
  groupKey: Hex;
  epoch: number;
  threshold: number;
  chains: DevnetChainInfo[];
  nodes: { id: number; api: string; config: string; log: string }[];
  redis: string;
  devAccounts: { name: string; address: Address; key: Hex }[];
}

export function writeDevnetInfo(file: string, info: DevnetInfo): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`);
}

export function readDevnetInfo(file: string): DevnetInfo {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DevnetInfo;
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as Error).message} (is \`npm run devnet\` running?)`);
  }
}
