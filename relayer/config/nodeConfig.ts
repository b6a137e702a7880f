/**
 * Configuration of one relayer node (one operator). `sah-bridge config validate <file>` runs this.
 */
import type { Address, Hex } from 'viem';
import { checkIdentityKey, isLoopbackUrl } from './operatorChecks.js';
import { FieldReader, readJsonFile } from './validate.js';
import {
  type CometbftVerifierConfig,
  type EvmVerifierConfig,
  type GrandpaVerifierConfig,
  parseVerifierConfig,
} from './verifierConfig.js';

export interface Finality {
  /** Blocks on top of the event's block; 0 = the block itself. Ignored when `tag` is set. */
  confirmations: number;
  /** Use the node's `finalized` (or `safe`) block instead of counting confirmations. */
  tag?: 'finalized' | 'safe';
}

/** Shared by every chain family. */
interface ChainSafety {
  /**
   * A local test chain (the devnet's anvil, wasmd, chopsticks): only there may finality be taken on an
   * RPC's word (`confirmations` verifier mode, 0 confirmations).
   */
  devnet: boolean;
  /**
   * Explicit, loudly named opt-in to `confirmations` finality on a chain that is not a devnet and has no
   * light client here. Never allowed on Ethereum networks with a beacon chain.
   */
  unsafeConfirmationsFinality: boolean;
}

export interface EvmChainConfig extends ChainSafety {
  name: string;
  family: 'evm';
  protocolChainId: number;
  evmChainId: number;
  /** The first of rpcUrls: the chain's verifier and tools that talk to one endpoint use it. */
  rpcUrl: string;
  /**
   * Every JSON-RPC endpoint of the chain (distinct providers, ideally). The parser always fills it (from
   * `rpcUrl` alone, a list of one); a config built in code may leave it out for `[rpcUrl]`.
   */
  rpcUrls?: string[];
  /**
   * How many of rpcUrls must give the same answer before the node acts on a read that decides what it signs
   * or skips (1..rpcUrls.length; the parser's default: a majority). Left out in code: a majority.
   */
  rpcQuorum?: number;
  bridge: Address;
  finality: Finality;
  /** First block to scan when the node has no checkpoint yet. */
  startBlock: bigint;
  pollIntervalMs: number;
  /** Most blocks one eth_getLogs call covers. */
  maxBlockRange: number;
  /** How the node proves an event final before signing it. */
  verifier: EvmVerifierConfig;
}

export interface CosmwasmChainConfig extends ChainSafety {
  name: string;
  family: 'cosmwasm';
  protocolChainId: number;
  /** The Cosmos chain id (e.g. `sah-devnet-1`), checked against the node at start. */
  cosmosChainId: string;
  /** CometBFT RPC. */
  rpcUrl: string;
  /** Bech32 address of the bridge contract. */
  bridge: string;
  /** Bech32 prefix of the chain's accounts. */
  prefix: string;
  /** Fee price for delivery transactions, e.g. `0.025stake`. */
  gasPrice: string;
  /** CometBFT commits are final; confirmations > 0 only add margin. */
  finality: Finality;
  startBlock: bigint;
  pollIntervalMs: number;
  /** Most blocks scanned in one range. */
  maxBlockRange: number;
  verifier: CometbftVerifierConfig;
}

export interface SubstrateChainConfig extends ChainSafety {
  name: string;
  family: 'substrate';
  protocolChainId: number;
  /** WebSocket RPC of a node (or chopsticks). */
  wsUrl: string;
  /** SS58 prefix of the chain's addresses (42 on the devnet). */
  ss58Prefix: number;
  /** Blocks below the finalized head (0: the finalized head itself). */
  finality: Finality;
  startBlock: bigint;
  pollIntervalMs: number;
  maxBlockRange: number;
  verifier: GrandpaVerifierConfig;
}

export type ChainConfig = EvmChainConfig | CosmwasmChainConfig | SubstrateChainConfig;

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
    if (c.family !== 'evm' && c.family !== 'cosmwasm' && c.family !== 'substrate')
      r.fail(
        `${at}.family`,
        `unsupported chain family ${JSON.stringify(c.family)} (expected "evm", "cosmwasm" or "substrate")`,
      );
    const protocolChainId = r.int(c.protocolChainId, `${at}.protocolChainId`, 1, 2 ** 32 - 1);
    if (chainIds.has(protocolChainId)) r.fail(`${at}.protocolChainId`, `duplicate chain id ${protocolChainId}`);
    chainIds.add(protocolChainId);
    const finality = r.object(c.finality ?? { confirmations: 0 }, `${at}.finality`);
    if (finality.tag !== undefined && (c.family !== 'evm' || (finality.tag !== 'finalized' && finality.tag !== 'safe')))
      r.fail(`${at}.finality.tag`, c.family === 'evm' ? 'must be "finalized" or "safe"' : 'only EVM chains have tags');
    const base = {
      devnet: r.boolean(c.devnet, `${at}.devnet`, false),
      unsafeConfirmationsFinality: r.boolean(c.unsafeConfirmationsFinality, `${at}.unsafeConfirmationsFinality`, false),
      name: r.string(c.name, `${at}.name`, /^[a-z0-9-]+$/, 'must be lowercase letters, digits and dashes'),
      protocolChainId,
      finality: {
        confirmations: r.optionalInt(finality.confirmations, `${at}.finality.confirmations`, 0, 10_000, 0),
        tag: finality.tag as Finality['tag'],
      },
      startBlock: BigInt(r.optionalInt(c.startBlock, `${at}.startBlock`, 0, Number.MAX_SAFE_INTEGER, 0)),
      pollIntervalMs: r.optionalInt(c.pollIntervalMs, `${at}.pollIntervalMs`, 10, 60_000, 250),
    };
    if (c.family === 'substrate') {
      const wsUrl = r.string(c.wsUrl, `${at}.wsUrl`, /^wss?:\/\/\S+$/, 'must be a ws:// or wss:// URL');
      return {
        ...base,
        family: 'substrate',
        wsUrl,
        ss58Prefix: r.optionalInt(c.ss58Prefix, `${at}.ss58Prefix`, 0, 16_383, 42),
        maxBlockRange: r.optionalInt(c.maxBlockRange, `${at}.maxBlockRange`, 1, 10_000, 50),
        verifier: parseVerifierConfig(r, c.verifier, `${at}.verifier`, 'substrate') as GrandpaVerifierConfig,
      };
    }
    if (c.family === 'cosmwasm') {
      const common = { ...base, rpcUrl: r.url(c.rpcUrl, `${at}.rpcUrl`) };
      const prefix = r.string(c.prefix, `${at}.prefix`, /^[a-z]{1,20}$/, 'must be a lowercase bech32 prefix');
      return {
        ...common,
        family: 'cosmwasm',
        cosmosChainId: r.string(c.cosmosChainId, `${at}.cosmosChainId`, /^[a-zA-Z0-9_.-]{1,50}$/, 'is not a chain id'),
        bridge: r.string(
          c.bridge,
          `${at}.bridge`,
          new RegExp(`^${prefix}1[02-9ac-hj-np-z]{38,90}$`),
          `must be a bech32 address with prefix ${prefix}`,
        ),
        prefix,
        gasPrice: r.string(
          c.gasPrice,
          `${at}.gasPrice`,
          /^\d+(\.\d+)?[a-zA-Z][a-zA-Z0-9/:._-]{1,127}$/,
          'must be like 0.025stake',
        ),
        maxBlockRange: r.optionalInt(c.maxBlockRange, `${at}.maxBlockRange`, 1, 10_000, 100),
        verifier: parseVerifierConfig(r, c.verifier, `${at}.verifier`, 'cosmwasm') as CometbftVerifierConfig,
      };
    }
    const chain: EvmChainConfig = {
      ...base,
      ...parseEvmRpc(r, c, at),
      family: 'evm',
      evmChainId: r.int(c.evmChainId, `${at}.evmChainId`, 1, 2 ** 53 - 1),
      bridge: r.hex(c.bridge, `${at}.bridge`, 20),
      maxBlockRange: r.optionalInt(c.maxBlockRange, `${at}.maxBlockRange`, 1, 100_000, 2_000),
      verifier: parseVerifierConfig(r, c.verifier, `${at}.verifier`, 'evm') as EvmVerifierConfig,
    };
    checkEvmFinality(r, chain, c, at);
    return chain;
  });
  const timeouts = r.object(root.timeouts ?? {}, 'timeouts');
  const batch = r.object(root.batch ?? {}, 'batch');
  const retry = r.object(root.retry ?? {}, 'retry');
  return {
    operatorId,
    listen: parseListen(r, listen),
    api: parseApiGuards(r, root.api),
    redisUrl: parseRedisUrl(r, root.redisUrl),
    redisAuth: parseRedisAuth(r, root.redisAuth),
    keystore: {
      path: r.string(keystore.path, 'keystore.path'),
      passwordEnv:
        keystore.passwordEnv === undefined ? undefined : r.string(keystore.passwordEnv, 'keystore.passwordEnv'),
      passwordFile:
        keystore.passwordFile === undefined ? undefined : r.string(keystore.passwordFile, 'keystore.passwordFile'),
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

/** Most RPC URLs one EVM chain may list: every quorum read goes to each of them. */
export const MAX_RPC_URLS = 16;

/**
 * An EVM chain's JSON-RPC endpoints: `rpcUrl` (one) or `rpcUrls` (several, distinct), and `rpcQuorum`, how
 * many of them must agree on a read the node acts on (default: a majority, so two disjoint groups of
 * endpoints can never both be believed).
 */
function parseEvmRpc(
  r: FieldReader,
  c: Record<string, unknown>,
  at: string,
): Pick<EvmChainConfig, 'rpcUrl' | 'rpcUrls' | 'rpcQuorum'> {
  if (c.rpcUrl !== undefined && c.rpcUrls !== undefined)
    r.fail(`${at}.rpcUrls`, 'give rpcUrl (one endpoint) or rpcUrls (several), not both');
  const listed = c.rpcUrls !== undefined;
  const raw = listed ? r.array(c.rpcUrls, `${at}.rpcUrls`, 1) : [c.rpcUrl];
  if (raw.length > MAX_RPC_URLS) r.fail(`${at}.rpcUrls`, `lists ${raw.length} URLs; at most ${MAX_RPC_URLS}`);
  const seen = new Map<string, number>();
  const rpcUrls = raw.map((value, i) => {
    const path = listed ? `${at}.rpcUrls[${i}]` : `${at}.rpcUrl`;
    const url = r.url(value, path);
    const parsed = new URL(url);
    // the EVM adapter speaks JSON-RPC over HTTP
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      r.fail(path, `must be an http:// or https:// URL, got ${parsed.protocol}//`);
    // the same endpoint twice would count one provider's answer twice towards the quorum
    const twin = seen.get(parsed.href);
    if (twin !== undefined) r.fail(path, `the same endpoint as rpcUrls[${twin}]`);
    seen.set(parsed.href, i);
    return url;
  });
  return {
    rpcUrl: rpcUrls[0] as string,
    rpcUrls,
    rpcQuorum: r.optionalInt(c.rpcQuorum, `${at}.rpcQuorum`, 1, rpcUrls.length, Math.floor(rpcUrls.length / 2) + 1),
  };
}

/** Ethereum networks with a beacon chain: mainnet, Sepolia, Holesky, Hoodi. Their finality is provable. */
export const BEACON_EVM_CHAIN_IDS: ReadonlySet<number> = new Set([1, 11_155_111, 17_000, 560_048]);
/** Fewest confirmations the unsafe opt-in accepts (counting, not proving: keep it deep). */
export const MIN_UNSAFE_CONFIRMATIONS = 64;

/**
 * Finality that cannot be configured away: outside a devnet, an EVM chain waits for its `finalized`
 * block and proves events with the sync-committee light client; `confirmations` mode needs the loudly
 * named opt-in, many confirmations, and is never allowed where a beacon chain exists.
 */
function checkEvmFinality(r: FieldReader, chain: EvmChainConfig, raw: Record<string, unknown>, at: string): void {
  const beacon = BEACON_EVM_CHAIN_IDS.has(chain.evmChainId);
  if (chain.devnet) {
    if (beacon) r.fail(`${at}.devnet`, `evmChainId ${chain.evmChainId} is a public Ethereum network, not a devnet`);
    return;
  }
  if (chain.verifier.mode === 'confirmations') {
    if (beacon)
      r.fail(
        `${at}.verifier.mode`,
        `"confirmations" on evmChainId ${chain.evmChainId} (a network with a beacon chain): use "sync-committee"`,
      );
    if (!chain.unsafeConfirmationsFinality)
      r.fail(
        `${at}.verifier.mode`,
        '"confirmations" takes finality on the RPC\'s word: only on a devnet chain ("devnet": true) or with "unsafeConfirmationsFinality": true',
      );
    const v = (raw.verifier ?? {}) as Record<string, unknown>;
    if (v.confirmations === undefined || chain.verifier.confirmations < MIN_UNSAFE_CONFIRMATIONS)
      r.fail(
        `${at}.verifier.confirmations`,
        `must be set explicitly and >= ${MIN_UNSAFE_CONFIRMATIONS} outside a devnet (got ${JSON.stringify(v.confirmations ?? 'nothing: 0')})`,
      );
  } else if (chain.unsafeConfirmationsFinality)
    r.fail(`${at}.unsafeConfirmationsFinality`, 'only means something with the "confirmations" verifier mode');
  // the watcher: the finalized block, or (with the opt-in) as many confirmations as the verifier
  const f = (raw.finality ?? {}) as Record<string, unknown>;
  if (chain.finality.tag === 'safe')
    r.fail(`${at}.finality.tag`, '"safe" is not final: use "finalized" outside a devnet');
  if (chain.finality.tag === undefined) {
    if (!chain.unsafeConfirmationsFinality || beacon)
      r.fail(
        `${at}.finality`,
        'outside a devnet an EVM chain must wait for the finalized block: { "tag": "finalized" }',
      );
    if (f.confirmations === undefined || chain.finality.confirmations < MIN_UNSAFE_CONFIRMATIONS)
      r.fail(
        `${at}.finality.confirmations`,
        `must be set explicitly and >= ${MIN_UNSAFE_CONFIRMATIONS} outside a devnet (got ${JSON.stringify(f.confirmations ?? 'nothing: 0')})`,
      );
  }
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
    internalPort,
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

function parseRedisAuth(r: FieldReader, raw: unknown): NodeConfig['redisAuth'] {
  if (raw === undefined) return undefined;
  const a = r.object(raw, 'redisAuth');
  if (a.passwordFile === undefined && a.passwordEnv === undefined)
    r.fail('redisAuth', 'needs passwordFile or passwordEnv');
  return {
    username:
      a.username === undefined ? undefined : r.string(a.username, 'redisAuth.username', /^[A-Za-z0-9_.-]{1,64}$/),
    passwordFile: a.passwordFile === undefined ? undefined : r.string(a.passwordFile, 'redisAuth.passwordFile'),
    passwordEnv: a.passwordEnv === undefined ? undefined : r.string(a.passwordEnv, 'redisAuth.passwordEnv'),
  };
}

function parseApiGuards(r: FieldReader, raw: unknown): NodeConfig['api'] {
  const api = r.object(raw ?? {}, 'api');
  const out: NodeConfig['api'] = {};
  if (api.rateLimit !== undefined) {
    const rl = r.object(api.rateLimit, 'api.rateLimit');
    out.rateLimit = {
      max: rl.max === undefined ? undefined : r.int(rl.max, 'api.rateLimit.max', 1, 10_000_000),
      timeWindowMs:
        rl.timeWindowMs === undefined
          ? undefined
          : r.int(rl.timeWindowMs, 'api.rateLimit.timeWindowMs', 100, 86_400_000),
      allowList:
        rl.allowList === undefined
          ? undefined
          : r
              .array(rl.allowList, 'api.rateLimit.allowList')
              .map((a, i) => r.string(a, `api.rateLimit.allowList[${i}]`)),
    };
  }
  if (api.underPressure !== undefined) {
    const up = r.object(api.underPressure, 'api.underPressure');
    const num = (k: string, max: number) =>
      up[k] === undefined ? undefined : r.int(up[k], `api.underPressure.${k}`, 0, max);
    out.underPressure = {
      maxEventLoopDelayMs: num('maxEventLoopDelayMs', 600_000),
      maxHeapUsedBytes: num('maxHeapUsedBytes', Number.MAX_SAFE_INTEGER),
      maxRssBytes: num('maxRssBytes', Number.MAX_SAFE_INTEGER),
    };
  }
  return out;
}

export function loadNodeConfig(file: string): NodeConfig {
  return parseNodeConfig(readJsonFile(file), file);
}
