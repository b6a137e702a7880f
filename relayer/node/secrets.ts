/** What an operator keeps in its encrypted keystore, and the public group file the DKG writes. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Hex } from 'viem';
import type { NodeConfig } from '../config/nodeConfig.js';
import { Keystore, keystorePassword } from '../keystore/keystore.js';
import type { Identity } from '../peer/identity.js';
import type { SerializedKey } from '../signer/keys.js';

export interface OperatorSecrets {
  identity: Identity;
  /** Delivery account key per chain name. */
  wallets: Record<string, Hex>;
  /** FROST key share per key epoch. */
  shares: Record<string, SerializedKey>;
}

export interface GroupFile {
  epoch: number;
  groupKey: Hex;
  threshold: number;
  operators: number[];
}

export function operatorKeystore(config: Pick<NodeConfig, 'keystore'>): Keystore<OperatorSecrets> {
  return new Keystore<OperatorSecrets>(config.keystore.path, keystorePassword(config.keystore));
}

export function readGroupFile(path: string): GroupFile {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as GroupFile;
  } catch (e) {
    throw new Error(`cannot read group file ${path}: ${(e as Error).message} (run \`sah-bridge dkg\` first)`);
  }
}

export function writeGroupFile(path: string, group: GroupFile): void {
  writeFileSync(path, `${JSON.stringify(group, null, 2)}\n`);
}
