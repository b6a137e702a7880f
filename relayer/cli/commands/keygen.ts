import { readFileSync } from 'node:fs';
import type { Hex } from 'viem';
import { loadNodeConfig } from '../../config/nodeConfig.js';
import { refuseSharedFile } from '../../keystore/keystore.js';
import { operatorKeystore } from '../../node/secrets.js';
import { newIdentity } from '../../peer/identity.js';
import { UsageError } from '../errors.js';

/**
 * A delivery wallet key from a mode-600 file, or `-` for one line of standard input. Never from the
 * command line itself: argv is visible to every account on the machine (ps, /proc/<pid>/cmdline) and
 * lands in shell history.
 */
function readWalletKey(chain: string, source: string, stdin: () => string): Hex {
  if (/^(0x)?[0-9a-fA-F]{64}$/.test(source))
    throw new UsageError(
      `--wallet ${chain}=<key>: a key on the command line is refused (ps and shell history show it); give a file (mode 600) or - for stdin`,
    );
  let text: string;
  if (source === '-') text = stdin();
  else {
    refuseSharedFile(source, `wallet key file for ${chain}`);
    try {
      text = readFileSync(source, 'utf8');
    } catch (e) {
      throw new UsageError(`--wallet ${chain}=${source}: cannot read: ${(e as Error).message}`);
    }
  }
  const key = text.trim();
  if (!/^0x[0-9a-fA-F]{64}$/.test(key))
    throw new UsageError(`--wallet ${chain}=${source}: expected one 32-byte hex key (0x + 64 hex digits)`);
  return key as Hex;
}

/** Creates the operator keystore: a fresh ed25519 identity and the delivery wallet key of each chain. */
export async function keygen(configFile: string, wallets: string[]): Promise<number> {
  const config = loadNodeConfig(configFile);
  const keystore = operatorKeystore(config);
  if (keystore.exists()) throw new UsageError(`keystore ${config.keystore.path} exists already; not overwriting it`);
  // standard input is read once, one key per line, in the order the --wallet flags name `-`
  let stdinLines: string[] | undefined;
  const stdin = () => {
    stdinLines ??= readFileSync(0, 'utf8')
      .split('\n')
      .filter((l) => l.trim());
    const line = stdinLines.shift();
    if (line === undefined) throw new UsageError('standard input has fewer keys than --wallet <chain>=- flags');
    return line;
  };
  const parsed: Record<string, Hex> = {};
  for (const w of wallets) {
    const at = w.indexOf('=');
    const chain = at > 0 ? w.slice(0, at) : '';
    const source = at > 0 ? w.slice(at + 1) : '';
    if (!chain || !source) throw new UsageError(`--wallet ${w}: expected <chain>=<key file> or <chain>=-`);
    if (!config.chains.some((c) => c.name === chain))
      throw new UsageError(`--wallet ${chain}: no chain named ${chain} in the config`);
    parsed[chain] = readWalletKey(chain, source, stdin);
  }
  const identity = newIdentity();
  keystore.write({ identity, wallets: parsed, shares: {} });
  console.log(JSON.stringify({ operatorId: config.operatorId, identityKey: identity.publicKey }));
  return 0;
}
