/**
 * Configuration of one relayer node (one operator). `sah-bridge config validate <file>` runs this.
 */
import type { Hex } from 'viem';
import type { ChainBase, Finality } from '../chains/family.js';
import { type ChainConfig, chainFamily, readFamilyName } from '../chains/registry.js';
import { checkIdentityKey, isLoopbackUrl } from './operatorChecks.js';
import { FieldReader, readJsonFile } from './validate.js';

export type { Finality } from '../chains/family.js';
export type { ChainConfig } from '../chains/registry.js';

export interface OperatorConfig {
  id: number;
  url: string;
  identityKey: Hex;
}

export interface NodeConfig {
  operatorId: number;
  /**
   * Public API on host:port; the peer API (operators only) on its own peerHost:peerPort; /metrics and
   * /v1/blame on internalHost:internalPort when given (else on the public listener).
   */
  listen: {
    host: string;
    port: number;
    peerHost: string;
    peerPort: number;
    internalHost: string;
    internalPort?: number;
  };
  /** Guards of the public API (api/server.ts defaults when omitted). */
  api: {
    rateLimit?: { max?: number; timeWindowMs?: number; allowList?: string[] };
    underPressure?: { maxEventLoopDelayMs?: number; maxHeapUsedBytes?: number; maxRssBytes?: number };
  };
  /** redis:// or rediss:// (TLS); never with a password in it (see redisAuth). */
  redisUrl: string;
  /** ACL user and password: the password from a mode-600 file or an environment variable, never the URL or argv. */
  redisAuth?: { username?: string; passwordFile?: string; passwordEnv?: string };
  keystore: { path: string; passwordEnv?: string; passwordFile?: string };
  /** Public group key file written by `sah-bridge dkg` (epoch, key, public shares). */
  groupFile: string;
  threshold: number;
  operators: OperatorConfig[];
  chains: ChainConfig[];
  timeouts: { coordinatorMs: number; deliveryTakeoverMs: number; peerRequestMs: number; signingMs: number };
  batch: { maxMessages: number };
  retry: { attempts: number; baseDelayMs: number };
}

export function parseNodeConfig(raw: unknown, file = 'node config'): NodeConfig {
  const r = new FieldReader(file);
  const root = r.object(raw, '$');
  const operatorId = r.int(root.operatorId, 'operatorId', 1, 255);
  const listen = r.object(root.listen, 'listen');
  const keystore = r.object(root.keystore, 'keystore');
  if (keystore.passwordEnv === undefined && keystore.passwordFile === undefined)
    r.fail('keystore', 'needs passwordEnv or passwordFile');
  const ids = new Set<number>();
  const seenKeys = new Map<string, number>();
  const operators = r.array(root.operators, 'operators', 1).map((value, i): OperatorConfig => {
    const at = `operators[${i}]`;
    const o = r.object(value, at);
    const id = r.int(o.id, `${at}.id`, 1, 255);
    if (ids.has(id)) r.fail(`${at}.id`, `duplicate operator id ${id}`);
    ids.add(id);
    const url = r.url(o.url, `${at}.url`);
    // the peer channel carries signing rounds: plain HTTP only where no network can see it
    if (!/^https?:$/.test(new URL(url).protocol))
      r.fail(`${at}.url`, 'must be an https:// URL (http:// only on loopback)');
    if (new URL(url).protocol === 'http:' && !isLoopbackUrl(url))
      r.fail(`${at}.url`, `plain http:// to a non-loopback host (${new URL(url).hostname}): use https://`);
    const identityKey = r.hex(o.identityKey, `${at}.identityKey`, 32);
    const keyProblem = checkIdentityKey(identityKey);
    if (keyProblem) r.fail(`${at}.identityKey`, keyProblem);
    const twin = seenKeys.get(identityKey.toLowerCase());
    if (twin !== undefined) r.fail(`${at}.identityKey`, `operator ${twin} has the same identity key`);
    seenKeys.set(identityKey.toLowerCase(), id);
    return { id, url, identityKey };
  });
  if (!ids.has(operatorId)) r.fail('operatorId', `operator ${operatorId} is not in operators`);
  // t = 1 lets any single operator sign anything; t > n can never sign
  if (operators.length < 2) r.fail('operators', 'a relayer set needs at least 2 operators (threshold >= 2)');
  const threshold = r.int(root.threshold, 'threshold', 2, operators.length);
  const chainIds = new Set<number>();
  const chains = r.array(root.chains, 'chains', 2).map((value, i): ChainConfig => {
    const at = `chains[${i}]`;
    const c = r.object(value, at);
    const familyName = readFamilyName(r, c.family, `${at}.family`);
    const family = chainFamily(familyName);
    const protocolChainId = r.int(c.protocolChainId, `${at}.protocolChainId`, 1, 2 ** 32 - 1);
    if (chainIds.has(protocolChainId)) r.fail(`${at}.protocolChainId`, `duplicate chain id ${protocolChainId}`);
    chainIds.add(protocolChainId);
    const finality = r.object(c.finality ?? { confirmations: 0 }, `${at}.finality`);
    if (finality.tag !== undefined && !(family.finalityTags as readonly unknown[]).includes(finality.tag))
      r.fail(
        `${at}.finality.tag`,
        family.finalityTags.length
          ? `must be ${family.finalityTags.map((t) => `"${t}"`).join(' or ')}`
          : `a ${family.name} chain has no finality tags (confirmations only)`,
      );
    const base: ChainBase = {
      devnet: r.boolean(c.devnet, `${at}.devnet`, false),
      unsafeConfirmationsFinality: r.boolean(c.unsafeConfirmationsFinality, `${at}.unsafeConfirmationsFinality`, false),
      name: r.string(c.name, `${at}.name`, /^[a-z0-9-]+$/, 'must be lowercase letters, digits and dashes'),
      protocolChainId,
      finality: {
        confirmations: r.optionalInt(finality.confirmations, `${at}.finality.confirmations`, 0, 10_000, 0),
        ...(finality.tag === undefined ? {} : { tag: finality.tag as NonNullable<Finality['tag']> }),
      },
      startBlock: BigInt(r.optionalInt(c.startBlock, `${at}.startBlock`, 0, Number.MAX_SAFE_INTEGER, 0)),
      pollIntervalMs: r.optionalInt(c.pollIntervalMs, `${at}.pollIntervalMs`, 10, 60_000, 250),
    };
    return family.parseChain(r, c, base, at);
  });
  const timeouts = r.object(root.timeouts ?? {}, 'timeouts');
  const batch = r.object(root.batch ?? {}, 'batch');
  const retry = r.object(root.retry ?? {}, 'retry');
  return {
    operatorId,
    listen: parseListen(r, listen),
    api: parseApiGuards(r, root.api),
    redisUrl: parseRedisUrl(r, root.redisUrl),
    ...(root.redisAuth === undefined ? {} : { redisAuth: parseRedisAuth(r, root.redisAuth) }),
    keystore: {
      path: r.string(keystore.path, 'keystore.path'),
      ...(keystore.passwordEnv === undefined
        ? {}
        : { passwordEnv: r.string(keystore.passwordEnv, 'keystore.passwordEnv') }),
      ...(keystore.passwordFile === undefined
        ? {}
        : { passwordFile: r.string(keystore.passwordFile, 'keystore.passwordFile') }),
    },
    groupFile: r.string(root.groupFile, 'groupFile'),
    threshold,
    operators,
    chains,
    timeouts: {
      coordinatorMs: r.optionalInt(timeouts.coordinatorMs, 'timeouts.coordinatorMs', 100, 600_000, 4_000),
      deliveryTakeoverMs: r.optionalInt(
        timeouts.deliveryTakeoverMs,
        'timeouts.deliveryTakeoverMs',
        100,
        600_000,
        6_000,
      ),
      peerRequestMs: r.optionalInt(timeouts.peerRequestMs, 'timeouts.peerRequestMs', 50, 60_000, 2_000),
      signingMs: r.optionalInt(timeouts.signingMs, 'timeouts.signingMs', 100, 600_000, 3_000),
    },
    batch: { maxMessages: r.optionalInt(batch.maxMessages, 'batch.maxMessages', 1, 1024, 64) },
    retry: {
      attempts: r.optionalInt(retry.attempts, 'retry.attempts', 1, 1000, 12),
      baseDelayMs: r.optionalInt(retry.baseDelayMs, 'retry.baseDelayMs', 10, 60_000, 250),
    },
  };
}

/** What validates but an operator should hear about. */
export function configWarnings(c: NodeConfig): string[] {
  const out: string[] = [];
  if (c.threshold <= c.operators.length / 2)
    out.push(
      `threshold ${c.threshold} of ${c.operators.length} is at most half: two disjoint groups of operators could each sign`,
    );
  for (const chain of c.chains) {
    // only chains that take several RPC URLs have a quorum to warn about
    const urls = 'rpcUrls' in chain ? (chain.rpcUrls?.length ?? 1) : 1;
    const quorum = 'rpcQuorum' in chain ? (chain.rpcQuorum ?? urls) : 1;
    if (urls > 1 && quorum <= urls / 2)
      out.push(
        `${chain.name}: rpcQuorum ${quorum} of ${urls} RPC URLs is at most half: two disjoint groups of URLs could each make a quorum, so the node waits for more answers and stops when they split`,
      );
    if (chain.unsafeConfirmationsFinality)
      out.push(`${chain.name}: UNSAFE confirmations finality: events are signed on the RPC's word, not proved final`);
  }
  return out;
}

function parseListen(r: FieldReader, listen: Record<string, unknown>): NodeConfig['listen'] {
  const host = r.string(listen.host ?? '127.0.0.1', 'listen.host');
  const port = r.int(listen.port, 'listen.port', 0, 65_535);
  const peerPort = r.int(listen.peerPort, 'listen.peerPort', 0, 65_535);
  if (peerPort === port && port !== 0)
    r.fail('listen.peerPort', 'the peer API needs a port of its own (not the public API’s)');
  const internalPort =
    listen.internalPort === undefined ? undefined : r.int(listen.internalPort, 'listen.internalPort', 0, 65_535);
  if (internalPort !== undefined && internalPort !== 0 && (internalPort === port || internalPort === peerPort))
    r.fail('listen.internalPort', 'needs a port of its own');
  return {
    host,
    port,
    peerHost: r.string(listen.peerHost ?? host, 'listen.peerHost'),
    peerPort,
    // internal routes default to loopback: metrics and blame are for the operator, not the world
    internalHost: r.string(listen.internalHost ?? '127.0.0.1', 'listen.internalHost'),
    ...(internalPort === undefined ? {} : { internalPort }),
  };
}

function parseRedisUrl(r: FieldReader, raw: unknown): string {
  const url = r.url(raw, 'redisUrl');
  const u = new URL(url);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') r.fail('redisUrl', 'must be a redis:// or rediss:// URL');
  // a config file is read by more people and tools than a secret file: no password in it
  if (u.password) r.fail('redisUrl', 'holds a password: put it in a mode-600 file named by redisAuth.passwordFile');
  if (u.protocol === 'redis:' && !isLoopbackUrl(url))
    r.fail('redisUrl', `plain redis:// to a non-loopback host (${u.hostname}): use rediss:// (TLS)`);
  return url;
}

function parseRedisAuth(r: FieldReader, raw: unknown): NonNullable<NodeConfig['redisAuth']> {
  const a = r.object(raw, 'redisAuth');
  if (a.passwordFile === undefined && a.passwordEnv === undefined)
    r.fail('redisAuth', 'needs passwordFile or passwordEnv');
  return {
    ...(a.username === undefined
      ? {}
      : { username: r.string(a.username, 'redisAuth.username', /^[A-Za-z0-9_.-]{1,64}$/) }),
    ...(a.passwordFile === undefined ? {} : { passwordFile: r.string(a.passwordFile, 'redisAuth.passwordFile') }),
    ...(a.passwordEnv === undefined ? {} : { passwordEnv: r.string(a.passwordEnv, 'redisAuth.passwordEnv') }),
  };
}

function parseApiGuards(r: FieldReader, raw: unknown): NodeConfig['api'] {
  const api = r.object(raw ?? {}, 'api');
  const out: NodeConfig['api'] = {};
  if (api.rateLimit !== undefined) {
    const rl = r.object(api.rateLimit, 'api.rateLimit');
    const rateLimit: NonNullable<NodeConfig['api']['rateLimit']> = {};
    if (rl.max !== undefined) rateLimit.max = r.int(rl.max, 'api.rateLimit.max', 1, 10_000_000);
    if (rl.timeWindowMs !== undefined)
      rateLimit.timeWindowMs = r.int(rl.timeWindowMs, 'api.rateLimit.timeWindowMs', 100, 86_400_000);
    if (rl.allowList !== undefined)
      rateLimit.allowList = r
        .array(rl.allowList, 'api.rateLimit.allowList')
        .map((a, i) => r.string(a, `api.rateLimit.allowList[${i}]`));
    out.rateLimit = rateLimit;
  }
  if (api.underPressure !== undefined) {
    const up = r.object(api.underPressure, 'api.underPressure');
    const limits = [
      ['maxEventLoopDelayMs', 600_000],
      ['maxHeapUsedBytes', Number.MAX_SAFE_INTEGER],
      ['maxRssBytes', Number.MAX_SAFE_INTEGER],
    ] as const;
    const pressure: NonNullable<NodeConfig['api']['underPressure']> = {};
    for (const [k, max] of limits)
      if (up[k] !== undefined) pressure[k] = r.int(up[k], `api.underPressure.${k}`, 0, max);
    out.underPressure = pressure;
  }
  return out;
}

export function loadNodeConfig(file: string): NodeConfig {
  return parseNodeConfig(readJsonFile(file), file);
}
