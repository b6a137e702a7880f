/** A Redis server of the project's own (Debian's redis-server) on a loopback port, AOF on, stopped by pid. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { Redis } from 'ioredis';
import { freePort } from './anvil.js';

export interface RedisServer {
  port: number;
  url(db: number): string;
  stop(): Promise<void>;
  /** Stops and starts it again on the same port and data directory (AOF replays what was written). */
  restart(): Promise<void>;
}

export class RedisNotInstalledError extends Error {
  override name = 'RedisNotInstalledError';
  constructor() {
    super('redis-server is not installed: run `npm run setup` (it installs Debian redis-server)');
  }
}

async function waitReady(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    const client = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => {});
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') {
        client.disconnect();
        return;
      }
    } catch {
      // not up yet
    }
    client.disconnect();
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`redis-server on port ${port} did not answer`);
}

export async function startRedis(opts: { dir: string; port?: number }): Promise<RedisServer> {
  const port = opts.port || (await freePort());
  mkdirSync(opts.dir, { recursive: true });
  let child: ChildProcess;
  const launch = async () => {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--dir',
        opts.dir,
        '--databases',
        '64',
      ],
      { stdio: 'ignore' },
    );
    const failed = new Promise<never>((_, reject) =>
      child.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? new RedisNotInstalledError() : e)),
    );
    await Promise.race([waitReady(port, child), failed]);
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  await launch();
  return {
    port,
    url: (db) => `redis://127.0.0.1:${port}/${db}`,
    stop,
    restart: async () => {
      await stop();
      await launch();
    },
  };
}
