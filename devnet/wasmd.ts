/**
 * Starts a real single-validator wasmd chain (CosmWasm, CometBFT 0.38) on loopback ports and stops it by pid.
 * The binary comes from scripts/wasmd.sh (built once from the Go module proxy, cached under ~/.cache).
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.js';
import { stopProcess } from './processes.js';

/** wasmd is built with `-X app.Bech32Prefix=wasm`: every account address starts with `wasm1`. */
export const WASMD_BECH32_PREFIX = 'wasm';
/** The SDK's default bond denom, kept as the only denom: staking, fees and dev balances are all in it. */
export const WASMD_DENOM = 'stake';
/**
 * The node's minimum gas price (app.toml). Not zero on purpose: the relayer's Cosmos client must pay fees on a
 * real chain, and a zero price would hide a missing fee. Clients use this as their `gasPrice`.
 */
export const WASMD_GAS_PRICE = `0.025${WASMD_DENOM}`;

export interface WasmdDevAccount {
  name: string;
  mnemonic: string;
  /** Derived from the mnemonic (cosmos HD path m/44'/118'/0'/0/0, prefix `wasm`); kept here for logs and tests. */
  address: string;
}

/**
 * Development keys, generated once at random for this repository. NOT secrets: they fund a throwaway local
 * chain only and must never hold anything on a real network.
 */
export const WASMD_VALIDATOR: WasmdDevAccount = {
  name: 'validator',
  mnemonic:
    'tissue emerge orient more february cattle cigar sheriff language typical topple armor already drive rare famous twin clarify suit width unknown rural loyal final',
  address: 'wasm1gs2ycs2utw02g4z9weyvyf3d0ema2uynkr8evt',
};

export const WASMD_DEV_ACCOUNTS: readonly WasmdDevAccount[] = [
  {
    name: 'dev0',
    mnemonic:
      'allow royal divorce capital transfer chase oval library swim layer pledge path essence combine destroy between junk evil violin law armor blame fault gold',
    address: 'wasm1ayrtf8wtgdr50rx9cwz4hg0wpvx96muzgafndw',
  },
  {
    name: 'dev1',
    mnemonic:
      'chapter way cargo magnet time slab salute visual match update tongue bachelor unknown drip exhaust ship august culture pioneer better avoid shield ceiling cool',
    address: 'wasm1hdftkwjx72rxeys5tr4dad5fuccw92ngm3d64g',
  },
  {
    name: 'dev2',
    mnemonic:
      'myth inherit until warrior hedgehog regret explain mansion muscle plunge chief same mechanic unit autumn shrimp air spray shock tragic kit keep diet behind',
    address: 'wasm1lm9sq9a2zgw3jpuszxwnmcvpqgkn964ztea8vy',
  },
];

/** What the validator account holds at genesis, and how much of it it bonds in its gentx. */
const VALIDATOR_COINS = `1000000000000${WASMD_DENOM}`;
const VALIDATOR_BOND = `100000000${WASMD_DENOM}`;
/** Default balance of each dev account when `accounts` is not given. */
export const WASMD_DEV_COINS = `1000000000000${WASMD_DENOM}`;

export interface WasmdAccountSpec {
  name: string;
  mnemonic: string;
  /** Genesis balance, in the SDK's coin syntax: `1000stake` or `1000stake,5ufoo`. */
  coins: string;
}

export interface WasmdOptions {
  /** Path of the wasmd binary (the last line `bash scripts/wasmd.sh` prints). */
  binary: string;
  /** The node's home. Initialised when it holds no chain yet; otherwise the chain there resumes. */
  dir: string;
  chainId: string;
  /** CometBFT RPC port on 127.0.0.1; 0, undefined or absent picks a free one. */
  rpcPort?: number | undefined;
  /** Funded genesis accounts; default: WASMD_DEV_ACCOUNTS with WASMD_DEV_COINS each. Used only at init. */
  accounts?: readonly WasmdAccountSpec[];
  /** More funded genesis accounts by address only (e.g. relayer operators' delivery accounts). */
  fundAddresses?: readonly { address: string; coins: string }[];
  /** Target block interval (CometBFT timeout_commit); default 300 ms. */
  blockTimeMs?: number;
  /** How long to wait for the first block; default 60 s. */
  startTimeoutMs?: number;
}

export interface WasmdNode {
  /** CometBFT RPC, what @cosmjs clients connect to. */
  rpcUrl: string;
  /** The SDK's REST (gRPC-gateway) API. */
  restUrl: string;
  /** gRPC on 127.0.0.1. */
  grpcPort: number;
  rpcPort: number;
  chainId: string;
  denom: string;
  prefix: string;
  home: string;
  /** The node's stdout and stderr. */
  logFile: string;
  process: ChildProcess;
  /** SIGTERM, then SIGKILL if it has not exited within 10 s; resolves once the process is gone. */
  stop(): Promise<void>;
}

/** The binary is missing or does not run: the message says how to build it. */
export class WasmdBinaryError extends Error {
  override name = 'WasmdBinaryError';
  constructor(binary: string, cause: unknown) {
    super(`wasmd binary ${binary} does not run (${String(cause)}): build it with \`bash scripts/wasmd.sh\``, { cause });
  }
}

/** A `wasmd` subcommand (init, keys, genesis) failed; carries its output. */
export class WasmdCommandError extends Error {
  override name = 'WasmdCommandError';
  constructor(
    readonly args: readonly string[],
    readonly output: string,
  ) {
    super(`wasmd ${args.join(' ')} failed:\n${output.trim()}`);
  }
}

/** The node exited or produced no block in time; names the log file and shows its tail. */
export class WasmdStartError extends Error {
  override name = 'WasmdStartError';
  constructor(
    reason: string,
    readonly logFile: string,
  ) {
    super(`wasmd ${reason}; log: ${logFile}\n${logTail(logFile)}`);
  }
}

function logTail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log written)';
  }
}

function run(binary: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(binary, args, { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EACCES') {
        return reject(new WasmdBinaryError(binary, err));
      }
      reject(new WasmdCommandError(args, `${stdout}${stderr}`));
    });
    child.stdin?.end(input ?? '');
  });
}

/**
 * Sets `key = value` inside `[section]` (or before the first section when section is ''). Throws when the key is
 * not there, so a config layout that changes with a wasmd upgrade fails loudly instead of being half-applied.
 */
export function setTomlKey(text: string, section: string, key: string, value: string | number | boolean): string {
  const lines = text.split('\n');
  let current = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      current = header[1] ?? '';
      continue;
    }
    if (current === section && new RegExp(`^\\s*${key.replace(/[.-]/g, '\\$&')}\\s*=`).test(line)) {
      lines[i] = `${key} = ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`;
      return lines.join('\n');
    }
  }
  throw new Error(`no key "${key}" in section [${section}]`);
}

function editFile(path: string, edit: (text: string) => string): void {
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
}

interface Ports {
  rpc: number;
  p2p: number;
  grpc: number;
  api: number;
  /** ABCI socket address; unused while the app runs in-process, but it must not default to a shared port. */
  abci: number;
  prometheus: number;
}

/** Distinct free loopback ports (freePort alone may hand out the same port twice in a row). */
async function pickPorts(rpcPort: number | undefined): Promise<Ports> {
  const taken: number[] = rpcPort ? [rpcPort] : [];
  const next = async (): Promise<number> => {
    for (;;) {
      const p = await freePort();
      if (!taken.includes(p)) {
        taken.push(p);
        return p;
      }
    }
  };
  return {
    rpc: rpcPort || (await next()),
    p2p: await next(),
    grpc: await next(),
    api: await next(),
    abci: await next(),
    prometheus: await next(),
  };
}

/** Every listener on 127.0.0.1, pprof off, block interval as asked. */
function configure(home: string, ports: Ports, blockTimeMs: number, chainId: string): void {
  const local = (p: number) => `tcp://127.0.0.1:${p}`;
  editFile(join(home, 'config', 'config.toml'), (t) => {
    t = setTomlKey(t, '', 'proxy_app', local(ports.abci));
    t = setTomlKey(t, 'rpc', 'laddr', local(ports.rpc));
    t = setTomlKey(t, 'rpc', 'pprof_laddr', '');
    t = setTomlKey(t, 'p2p', 'laddr', local(ports.p2p));
    t = setTomlKey(t, 'p2p', 'external_address', '');
    // A lone validator needs no peers; without this it keeps dialling address-book entries.
    t = setTomlKey(t, 'p2p', 'pex', false);
    t = setTomlKey(t, 'p2p', 'addr_book_strict', false);
    t = setTomlKey(t, 'p2p', 'allow_duplicate_ip', true);
    // With one validator the proposer is always ready: the interval is timeout_commit plus execution time.
    t = setTomlKey(t, 'consensus', 'timeout_commit', `${blockTimeMs}ms`);
    t = setTomlKey(t, 'consensus', 'timeout_propose', `${Math.max(blockTimeMs, 500)}ms`);
    t = setTomlKey(t, 'instrumentation', 'prometheus', false);
    t = setTomlKey(t, 'instrumentation', 'prometheus_listen_addr', `127.0.0.1:${ports.prometheus}`);
    return t;
  });
  editFile(join(home, 'config', 'app.toml'), (t) => {
    t = setTomlKey(t, '', 'minimum-gas-prices', WASMD_GAS_PRICE);
    t = setTomlKey(t, 'api', 'enable', true);
    t = setTomlKey(t, 'api', 'address', local(ports.api));
    t = setTomlKey(t, 'grpc', 'enable', true);
    t = setTomlKey(t, 'grpc', 'address', `127.0.0.1:${ports.grpc}`);
    return t;
  });
  // So that `wasmd query ... --home <dir>` by hand talks to this node.
  editFile(join(home, 'config', 'client.toml'), (t) => {
    t = setTomlKey(t, '', 'chain-id', chainId);
    t = setTomlKey(t, '', 'keyring-backend', 'test');
    t = setTomlKey(t, '', 'node', local(ports.rpc));
    return t;
  });
}

interface Genesis {
  chain_id: string;
  app_state: {
    wasm: {
      params: {
        code_upload_access: { permission: string; addresses: string[] };
        instantiate_default_permission: string;
      };
    };
  };
}

async function initChain(
  binary: string,
  home: string,
  chainId: string,
  accounts: readonly WasmdAccountSpec[],
  fundAddresses: readonly { address: string; coins: string }[],
) {
  const names = new Set([WASMD_VALIDATOR.name]);
  for (const a of accounts) {
    if (names.has(a.name)) throw new Error(`duplicate wasmd account name "${a.name}"`);
    names.add(a.name);
  }
  const h = ['--home', home];
  const kb = ['--keyring-backend', 'test'];
  await run(binary, ['init', 'sah-devnet', '--chain-id', chainId, ...h]);

  // wasmd's default already lets everybody upload and instantiate; set it anyway so the devnet does not
  // depend on that default (the bridge's deploy step uploads code from a dev account).
  const genesisFile = join(home, 'config', 'genesis.json');
  const genesis = JSON.parse(readFileSync(genesisFile, 'utf8')) as Genesis;
  genesis.app_state.wasm.params.code_upload_access = { permission: 'Everybody', addresses: [] };
  genesis.app_state.wasm.params.instantiate_default_permission = 'Everybody';
  writeFileSync(genesisFile, JSON.stringify(genesis, null, 2));

  for (const a of [{ ...WASMD_VALIDATOR, coins: VALIDATOR_COINS }, ...accounts]) {
    await run(binary, ['keys', 'add', a.name, '--recover', ...kb, ...h], `${a.mnemonic}\n`);
    await run(binary, ['genesis', 'add-genesis-account', a.name, a.coins, ...kb, ...h]);
  }
  for (const a of fundAddresses) await run(binary, ['genesis', 'add-genesis-account', a.address, a.coins, ...h]);
  await run(binary, ['genesis', 'gentx', WASMD_VALIDATOR.name, VALIDATOR_BOND, '--chain-id', chainId, ...kb, ...h]);
  await run(binary, ['genesis', 'collect-gentxs', ...h]);
  await run(binary, ['genesis', 'validate-genesis', ...h]);
}

async function latestHeight(rpcUrl: string): Promise<number | undefined> {
  try {
    const res = await fetch(`${rpcUrl}/status`, { signal: AbortSignal.timeout(2_000) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { result?: { sync_info?: { latest_block_height?: string } } };
    const h = Number(body.result?.sync_info?.latest_block_height);
    return Number.isFinite(h) ? h : undefined;
  } catch {
    return undefined; // not listening yet
  }
}

async function waitForFirstBlock(rpcUrl: string, child: ChildProcess, logFile: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new WasmdStartError(`exited (${child.exitCode ?? child.signalCode}) before its first block`, logFile);
    }
    if (((await latestHeight(rpcUrl)) ?? 0) >= 1) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new WasmdStartError(`at ${rpcUrl} produced no block within ${timeoutMs} ms`, logFile);
}

/** A child that never started (no pid) emits no 'exit': stopProcess would wait for it forever. */
function stop(child: ChildProcess, signal?: NodeJS.Signals): Promise<void> {
  return child.pid === undefined ? Promise.resolve() : stopProcess(child, signal);
}

/**
 * The wasmd binary from scripts/wasmd.sh (built on first use, cached after). The script prints progress on
 * stderr (shown while a cold build runs) and the path as its last stdout line.
 */
export function wasmdBinary(timeoutMs?: number): string {
  const out = execFileSync('bash', ['scripts/wasmd.sh'], {
    cwd: fileURLToPath(new URL('../', import.meta.url)),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: timeoutMs,
  });
  return out.trim().split('\n').at(-1) ?? '';
}

export async function startWasmd(opts: WasmdOptions): Promise<WasmdNode> {
  const home = opts.dir;
  const blockTimeMs = opts.blockTimeMs ?? 300;
  const genesisFile = join(home, 'config', 'genesis.json');
  await mkdir(home, { recursive: true });
  if (existsSync(genesisFile)) {
    const { chain_id } = JSON.parse(readFileSync(genesisFile, 'utf8')) as Genesis;
    if (chain_id !== opts.chainId) {
      throw new Error(`${home} holds chain "${chain_id}", not "${opts.chainId}": use another dir`);
    }
  } else {
    const accounts = opts.accounts ?? WASMD_DEV_ACCOUNTS.map((a) => ({ ...a, coins: WASMD_DEV_COINS }));
    await initChain(opts.binary, home, opts.chainId, accounts, opts.fundAddresses ?? []);
  }

  const ports = await pickPorts(opts.rpcPort);
  configure(home, ports, blockTimeMs, opts.chainId);

  const logFile = join(home, 'wasmd.log');
  // The child writes to the file itself: no pipe that a busy test process would have to drain.
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(opts.binary, ['start', '--home', home, '--log_no_color'], { stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (e) => reject(new WasmdBinaryError(opts.binary, e))),
  );
  const rpcUrl = `http://127.0.0.1:${ports.rpc}`;
  try {
    await Promise.race([waitForFirstBlock(rpcUrl, child, logFile, opts.startTimeoutMs ?? 60_000), spawnError]);
  } catch (e) {
    await stop(child, 'SIGKILL');
    throw e;
  }
  return {
    rpcUrl,
    restUrl: `http://127.0.0.1:${ports.api}`,
    grpcPort: ports.grpc,
    rpcPort: ports.rpc,
    chainId: opts.chainId,
    denom: WASMD_DENOM,
    prefix: WASMD_BECH32_PREFIX,
    home,
    logFile,
    process: child,
    stop: () => stop(child),
  };
}
