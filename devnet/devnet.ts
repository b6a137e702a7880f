/**
 * The whole bridge locally: each configured chain started by its family's launcher (devnet/families/: anvil,
 * wasmd, the dev runtime under chopsticks), one Redis (a database per operator), n operator keystores, a
 * networked FROST DKG among n `sah-bridge dkg` processes, the bridge deployed on every chain under the
 * resulting group key (SAH on its home chain), then n `sah-bridge node start` processes. Names no family.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Hex } from 'viem';
import { type DevnetAccounts, type DevnetChain, FAMILY_NAMES, type FamilyName } from '../relayer/chains/registry.js';
import type { DevnetConfig } from '../relayer/config/devnetConfig.js';
import type { NodeConfig, OperatorConfig } from '../relayer/config/nodeConfig.js';
import { Keystore } from '../relayer/keystore/keystore.js';
import { type OperatorSecrets, readGroupFile } from '../relayer/node/secrets.js';
import { newIdentity } from '../relayer/peer/identity.js';
import { parseGroupKey } from '../relayer/protocol/groupKey.js';
import { type DevnetInfo, writeDevnetInfo } from '../relayer/sdk/devnetInfo.js';
import { ANVIL_KEYS } from './anvil.js';
import { OPERATOR_WALLET_OFFSET } from './families/evm.js';
import { DEVNET_FAMILIES, devnetFamily } from './families/index.js';
import type { DeployContext, DevnetFamily, LaunchContext, LaunchedChain } from './families/launcher.js';
import { freePort } from './ports.js';
import { exited, spawnCli, stopProcess } from './processes.js';
import { type RedisServer, startRedis } from './redis.js';

export const DEVNET_PASSWORD_ENV = 'SAH_KEYSTORE_PASSWORD';
const DEVNET_PASSWORD = 'devnet-keystore-password';

export interface DevnetNode {
  id: number;
  api: string;
  configPath: string;
  log: string;
  process?: ChildProcess;
}

export interface Devnet {
  info: DevnetInfo;
  nodes: DevnetNode[];
  /** Each chain and where it is (its RPC, bridge), for the devnet's summary. */
  chains: { name: string; where: string }[];
  redis: RedisServer;
  startNode(id: number): Promise<void>;
  stopNode(id: number, signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

export interface DevnetOptions {
  /** Where configs, keystores, logs and Redis data go (wiped at start). */
  dir: string;
  /** Pick free ports instead of the configured ones (tests). */
  freePorts?: boolean;
  /** Overrides of every node's timeouts. */
  timeouts?: Partial<NodeConfig['timeouts']>;
  log?: (line: string) => void;
}

async function waitHealthy(api: string, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`node exited with code ${child.exitCode}; see ${log}`);
    try {
      const res = await fetch(`${api}/v1/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`node at ${api} not healthy after 60 s; see ${log}`);
}

export async function startDevnet(config: DevnetConfig, opts: DevnetOptions): Promise<Devnet> {
  const say = opts.log ?? (() => {});
  const dir = resolve(opts.dir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const env = { [DEVNET_PASSWORD_ENV]: DEVNET_PASSWORD };
  process.env[DEVNET_PASSWORD_ENV] ??= DEVNET_PASSWORD;
  const chains: LaunchedChain<FamilyName>[] = [];
  let redis: RedisServer | undefined;
  const nodes: DevnetNode[] = [];
  const stopAll = async () => {
    await Promise.all(nodes.map((n) => stopProcess(n.process)));
    await redis?.stop();
    await Promise.all(chains.map((c) => c.stop()));
  };
  const n = config.relayers.signers;
  const ctx: LaunchContext = {
    dir,
    freePorts: !!opts.freePorts,
    operators: n,
    operatorWallet: (id) => {
      const key = ANVIL_KEYS[OPERATOR_WALLET_OFFSET + id - 1];
      if (!key) throw new Error(`no anvil dev account left for operator ${id}`);
      return key as Hex;
    },
    say,
  };
  // one launcher per family present, so a family's chains share what it builds once
  const launchers = new Map<FamilyName, ReturnType<DevnetFamily<FamilyName>['launcher']>>();
  const launcherOf = (c: DevnetChain) => {
    const known = launchers.get(c.family);
    if (known) return known;
    const made = devnetFamily(c).launcher(ctx);
    launchers.set(c.family, made);
    return made;
  };
  try {
    const later = config.chains.filter((c) => devnetFamily(c).startsAfterDkg).map((c) => c.name);
    say(
      `[1/6] starting ${config.chains.length - later.length} chain(s)` +
        (later.length ? ` (${later.join(', ')} start after the DKG: their genesis holds the group key)` : ''),
    );
    for (const c of config.chains) chains.push(await launcherOf(c).start(c));
    say('[2/6] starting Redis (one database per operator, AOF on, a password)');
    // a fresh password per devnet, in a mode-600 file the node configs name (never in a URL or argv)
    const redisPasswordFile = join(dir, 'redis.password');
    // the default user with a password (requirepass): with a named ACL user and `default off`, BullMQ's
    // workers did not resume after a Redis restart here (docs/SECURITY.md, open work)
    const redisAuth = { username: 'default', password: randomBytes(18).toString('base64url') };
    writeFileSync(redisPasswordFile, `${redisAuth.password}\n`, { mode: 0o600 });
    redis = await startRedis({
      dir: join(dir, 'redis'),
      port: opts.freePorts ? undefined : config.redisPort || undefined,
      auth: redisAuth,
    });

    say(`[3/6] creating ${n} operator keystores`);
    const ports: number[] = [];
    const peerPorts: number[] = [];
    // public APIs on basePort + i, the operators-only peer APIs on basePort + 100 + i
    for (let i = 0; i < n; i++) {
      ports.push(opts.freePorts || !config.relayers.basePort ? await freePort() : config.relayers.basePort + i);
      peerPorts.push(
        opts.freePorts || !config.relayers.basePort ? await freePort() : config.relayers.basePort + 100 + i,
      );
    }
    const operators: OperatorConfig[] = [];
    for (let id = 1; id <= n; id++) {
      const identity = newIdentity();
      const wallets: Record<string, Hex> = {};
      // one secp256k1 delivery key per operator: an EVM account and a Cosmos account at once
      for (const c of config.chains) wallets[c.name] = ctx.operatorWallet(id);
      new Keystore<OperatorSecrets>(join(dir, `node-${id}`, 'keystore.json'), DEVNET_PASSWORD).write({
        identity,
        wallets,
        shares: {},
      });
      // the peer channel is mutual TLS bound to the identity keys, as in production
      operators.push({ id, url: `https://127.0.0.1:${peerPorts[id - 1]}`, identityKey: identity.publicKey });
    }
    const writeConfigs = (startBlocks: bigint[]) => {
      for (let id = 1; id <= n; id++) {
        const nodeConfig = {
          operatorId: id,
          listen: { host: '127.0.0.1', port: ports[id - 1], peerPort: peerPorts[id - 1] },
          // tests and the CLI poll the local APIs hard; a 2-core machine under a full e2e load stalls for seconds
          api: { rateLimit: { max: 100_000 }, underPressure: { maxEventLoopDelayMs: 10_000 } },
          redisUrl: (redis as RedisServer).url(id),
          redisAuth: { passwordFile: redisPasswordFile },
          keystore: { path: join(dir, `node-${id}`, 'keystore.json'), passwordEnv: DEVNET_PASSWORD_ENV },
          groupFile: join(dir, `node-${id}`, 'group.json'),
          threshold: config.relayers.threshold,
          operators,
          chains: chains.map((c, i) => c.nodeChain(startBlocks[i] ?? 0n)),
          timeouts: {
            coordinatorMs: 2_000,
            deliveryTakeoverMs: 3_000,
            peerRequestMs: 1_500,
            signingMs: 3_000,
            ...opts.timeouts,
          },
          batch: { maxMessages: 64 },
          retry: { attempts: 12, baseDelayMs: 200 },
        };
        writeFileSync(join(dir, `node-${id}.json`), `${JSON.stringify(nodeConfig, null, 2)}\n`);
      }
    };
    writeConfigs([]);

    say(`[4/6] FROST DKG among ${n} operator processes (t = ${config.relayers.threshold}), over their peer channel`);
    const dkg = Array.from({ length: n }, (_, i) =>
      spawnCli(['dkg', '--config', join(dir, `node-${i + 1}.json`), '--epoch', '1', '--timeout', '90'], {
        env,
        log: join(dir, `node-${i + 1}`, 'dkg.log'),
      }),
    );
    const codes = await Promise.all(dkg.map((p, i) => exited(p, 120_000, `dkg of operator ${i + 1}`)));
    if (codes.some((c) => c !== 0))
      throw new Error(`DKG failed (exit codes ${codes.join(', ')}); see ${dir}/node-*/dkg.log`);
    const group = readGroupFile(join(dir, 'node-1', 'group.json'));
    say(`      group key ${group.groupKey}`);

    say('[5/6] deploying the bridge on every chain under the group key, SAH on its home');
    const deploy: DeployContext = { ...ctx, groupKey: parseGroupKey(group.groupKey), groupKeyHex: group.groupKey };
    const startBlocks: bigint[] = [];
    for (const c of chains) startBlocks.push(await c.deploy(deploy));
    writeConfigs(startBlocks);

    say(`[6/6] starting ${n} relayer nodes`);
    for (let id = 1; id <= n; id++)
      nodes.push({
        id,
        api: `http://127.0.0.1:${ports[id - 1]}`,
        configPath: join(dir, `node-${id}.json`),
        log: join(dir, `node-${id}`, 'node.log'),
      });
    const startNode = async (id: number) => {
      const node = nodes[id - 1];
      if (!node) throw new Error(`no node ${id}`);
      if (node.process && node.process.exitCode === null && node.process.signalCode === null) return;
      node.process = spawnCli(['node', 'start', '--config', node.configPath], { env, log: node.log });
      await waitHealthy(node.api, node.process, node.log);
    };
    await Promise.all(nodes.map((nd) => startNode(nd.id)));

    const present = new Set(config.chains.map((c) => c.family));
    const accounts = Object.assign(
      {},
      ...FAMILY_NAMES.map((f) => DEVNET_FAMILIES[f].devAccounts(present.has(f))),
    ) as DevnetAccounts;
    const info: DevnetInfo = {
      groupKey: group.groupKey,
      epoch: group.epoch,
      threshold: config.relayers.threshold,
      chains: chains.map((c) => c.info),
      nodes: nodes.map((nd) => ({ id: nd.id, api: nd.api, config: nd.configPath, log: nd.log })),
      redis: redis.url(0),
      ...accounts,
    };
    writeDevnetInfo(join(dir, 'devnet.json'), info);
    return {
      info,
      nodes,
      chains: chains.map((c) => ({ name: c.info.name, where: c.describe() })),
      redis,
      startNode,
      stopNode: async (id, signal = 'SIGTERM') => stopProcess(nodes[id - 1]?.process, signal),
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
