/**
 * Starts a real FRAME runtime under chopsticks (@acala-network/chopsticks, from npm) on a loopback port,
 * from a raw genesis chain spec the project builds (contracts/substrate/runtime), and stops it by pid.
 * Blocks are built as transactions arrive (`Instant`); chain time advances 12 s per block (chopsticks'
 * default slot when the runtime has no Aura/Babe).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.js';
import { stopProcess } from './processes.js';

const CHOPSTICKS = fileURLToPath(new URL('../node_modules/.bin/chopsticks', import.meta.url));

export class ChopsticksStartError extends Error {
  override name = 'ChopsticksStartError';
  constructor(
    what: string,
    readonly logFile: string,
  ) {
    super(`chopsticks ${what}; see ${logFile}`);
  }
}

export interface ChopsticksNode {
  /** WebSocket endpoint (@polkadot/api connects here). */
  wsUrl: string;
  port: number;
  logFile: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

async function rpc(url: string, method: string): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: [] }),
    signal: AbortSignal.timeout(2_000),
  });
  if (!res.ok) throw new Error(`${res.status}`);
  return ((await res.json()) as { result?: unknown }).result;
}

export async function startChopsticks(opts: {
  /** Raw chain spec (`genesis.raw.top` with `:code`). */
  genesisFile: string;
  /** Where the log goes. */
  dir: string;
  /** 0, undefined or left out: a free port. */
  port?: number | undefined;
  startTimeoutMs?: number;
}): Promise<ChopsticksNode> {
  const port = opts.port || (await freePort());
  const logFile = join(opts.dir, 'chopsticks.log');
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      CHOPSTICKS,
      [`--genesis=${opts.genesisFile}`, '--host=127.0.0.1', `--port=${port}`, '--build-block-mode=Instant'],
      { stdio: ['ignore', fd, fd] },
    );
  } finally {
    closeSync(fd);
  }
  const httpUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  while (true) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new ChopsticksStartError(`exited (${child.exitCode ?? child.signalCode}) before serving RPC`, logFile);
    try {
      if (await rpc(httpUrl, 'chain_getBlockHash')) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new ChopsticksStartError(`served no RPC on ${httpUrl} in time`, logFile);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    logFile,
    process: child,
    stop: () => stopProcess(child),
  };
}
