import type { Hex } from 'viem';
import { loadNodeConfig } from '../../config/nodeConfig.js';
import { operatorKeystore } from '../../node/secrets.js';
import { newIdentity } from '../../peer/identity.js';
import { UsageError } from '../errors.js';

/** Creates the operator keystore: a fresh ed25519 identity and the delivery wallet key of each chain. */
export async function keygen(configFile: string, wallets: string[]): Promise<number> {
  const config = loadNodeConfig(configFile);
  const keystore = operatorKeystore(config);
  if (keystore.exists()) throw new UsageError(`keystore ${config.keystore.path} exists already; not overwriting it`);
  const parsed: Record<string, Hex> = {};
  for (const w of wallets) {
    const [chain, key] = w.split('=');
    if (!chain || !key || !/^0x[0-9a-fA-F]{64}$/.test(key))
      throw new UsageError(`--wallet ${w}: expected <chain>=<32-byte hex key>`);
    if (!config.chains.some((c) => c.name === chain))
      throw new UsageError(`--wallet ${w}: no chain named ${chain} in the config`);
    parsed[chain] = key as Hex;
  }
  const identity = newIdentity();
  keystore.write({ identity, wallets: parsed, shares: {} });
  console.log(JSON.stringify({ operatorId: config.operatorId, identityKey: identity.publicKey }));
  return 0;
}
