/** A Redis server of the project's own (Debian's redis-server) on a loopback port, AOF on, stopped by pid. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './ports.js';

export interface RedisServer {
  port: number;
  /** The URL, never with a secret in it (clients pass `auth`). */
  url(db: number): string;
  /** The ACL user and password clients log in with (undefined: no authentication). */
  auth?: { username: string; password: string } | undefined;
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

async function waitReady(port: number, child: ChildProcess, auth?: RedisServer['auth']): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    const client = new Redis({
      port,
      host: '127.0.0.1',
      ...auth,
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

/**
 * @param opts.auth a password for the `default` user (requirepass), or an ACL user (with every right)
 * and its password with the `default` user off; either way a client without the password gets nothing
 * (NOAUTH).
 */
export async function startRedis(opts: {
  dir: string;
  /** 0, undefined or left out: a free port. */
  port?: number | undefined;
  auth?: { username: string; password: string };
}): Promise<RedisServer> {
  const port = opts.port || (await freePort());
  mkdirSync(opts.dir, { recursive: true });
  let child: ChildProcess;
  const launch = async () => {
    // the ACL lives in a mode-600 config file, not on redis-server's command line (ps would show it)
    const conf = join(opts.dir, 'acl.conf');
    writeFileSync(
      conf,
      !opts.auth
        ? ''
        : opts.auth.username === 'default'
          ? `requirepass ${opts.auth.password}\n`
          : `user default off\nuser ${opts.auth.username} on >${opts.auth.password} ~* &* +@all\n`,
      { mode: 0o600 },
    );
    child = spawn(
      'redis-server',
      [
        conf,
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
    await Promise.race([waitReady(port, child, opts.auth), failed]);
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
    auth: opts.auth,
    stop,
    restart: async () => {
      await stop();
      await launch();
    },
  };
}
