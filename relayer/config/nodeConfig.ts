/**
 * Configuration of one relayer node (one operator). `sah-bridge config validate <file>` runs this.
 */
import type { Address, Hex } from 'viem';
import { FieldReader, readJsonFile } from './validate.js';

export interface Finality {
  /** Blocks on top of the event's block; 0 = the block itself. Ignored when `tag` is set. */
  confirmations: number;
  /** Use the node's `finalized` (or `safe`) block instead of counting confirmations. */
  tag?: 'finalized' | 'safe';
}

export interface EvmChainConfig {
  name: string;
  family: 'evm';
  protocolChainId: number;
  evmChainId: number;
  rpcUrl: string;
  bridge: Address;
  finality: Finality;
  /** First block to scan when the node has no checkpoint yet. */
  startBlock: bigint;
  pollIntervalMs: number;
  /** Most blocks one eth_getLogs call covers. */
  maxBlockRange: number;
}

export type ChainConfig = EvmChainConfig;

export interface OperatorConfig {
  id: number;
  url: string;
  identityKey: Hex;
}

export interface NodeConfig {
  operatorId: number;
  listen: { host: string; port: number };
  redisUrl: string;
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
  const operators = r.array(root.operators, 'operators', 1).map((value, i): OperatorConfig => {
    const at = `operators[${i}]`;
    const o = r.object(value, at);
    const id = r.int(o.id, `${at}.id`, 1, 255);
    if (ids.has(id)) r.fail(`${at}.id`, `duplicate operator id ${id}`);
    ids.add(id);
    return { id, url: r.url(o.url, `${at}.url`), identityKey: r.hex(o.identityKey, `${at}.identityKey`, 32) };
  });
  if (!ids.has(operatorId)) r.fail('operatorId', `operator ${operatorId} is not in operators`);
  const threshold = r.int(root.threshold, 'threshold', 1, operators.length);
  const chainIds = new Set<number>();
  const chains = r.array(root.chains, 'chains', 2).map((value, i): ChainConfig => {
    const at = `chains[${i}]`;
    const c = r.object(value, at);
    if (c.family !== 'evm')
      r.fail(`${at}.family`, `unsupported chain family ${JSON.stringify(c.family)} (expected "evm")`);
    const protocolChainId = r.int(c.protocolChainId, `${at}.protocolChainId`, 1, 2 ** 32 - 1);
    if (chainIds.has(protocolChainId)) r.fail(`${at}.protocolChainId`, `duplicate chain id ${protocolChainId}`);
    chainIds.add(protocolChainId);
    const finality = r.object(c.finality ?? { confirmations: 0 }, `${at}.finality`);
    if (finality.tag !== undefined && finality.tag !== 'finalized' && finality.tag !== 'safe')
      r.fail(`${at}.finality.tag`, 'must be "finalized" or "safe"');
    return {
      name: r.string(c.name, `${at}.name`, /^[a-z0-9-]+$/, 'must be lowercase letters, digits and dashes'),
      family: 'evm',
      protocolChainId,
      evmChainId: r.int(c.evmChainId, `${at}.evmChainId`, 1, 2 ** 53 - 1),
      rpcUrl: r.url(c.rpcUrl, `${at}.rpcUrl`),
      bridge: r.hex(c.bridge, `${at}.bridge`, 20),
      finality: {
        confirmations: r.optionalInt(finality.confirmations, `${at}.finality.confirmations`, 0, 10_000, 0),
        tag: finality.tag as Finality['tag'],
      },
      startBlock: BigInt(r.optionalInt(c.startBlock, `${at}.startBlock`, 0, Number.MAX_SAFE_INTEGER, 0)),
      pollIntervalMs: r.optionalInt(c.pollIntervalMs, `${at}.pollIntervalMs`, 10, 60_000, 250),
      maxBlockRange: r.optionalInt(c.maxBlockRange, `${at}.maxBlockRange`, 1, 100_000, 2_000),
    };
  });
  const timeouts = r.object(root.timeouts ?? {}, 'timeouts');
  const batch = r.object(root.batch ?? {}, 'batch');
  const retry = r.object(root.retry ?? {}, 'retry');
  return {
    operatorId,
    listen: {
      host: r.string(listen.host ?? '127.0.0.1', 'listen.host'),
      port: r.int(listen.port, 'listen.port', 0, 65_535),
    },
    redisUrl: r.url(root.redisUrl, 'redisUrl'),
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

export function loadNodeConfig(file: string): NodeConfig {
  return parseNodeConfig(readJsonFile(file), file);
}
