/**
 * The whole bridge locally: anvil chains and a wasmd chain, one Redis (a database per operator), n
 * operator keystores, a networked FROST DKG among n `sah-bridge dkg` processes, the bridge contracts
 * deployed under the resulting group key (SAH on its home chain), then n `sah-bridge node start` processes.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Address, type Hex, parseEther, toHex, zeroAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { DevnetChainOf, DevnetConfig } from '../relayer/config/devnetConfig.js';
import type { NodeConfig, OperatorConfig } from '../relayer/config/nodeConfig.js';
import { Keystore } from '../relayer/keystore/keystore.js';
import { type OperatorSecrets, readGroupFile } from '../relayer/node/secrets.js';
import { newIdentity } from '../relayer/peer/identity.js';
import { parseGroupKey } from '../relayer/protocol/groupKey.js';
import {
  type DevnetChainInfo,
  type DevnetChainInfoOf,
  type DevnetInfo,
  writeDevnetInfo,
} from '../relayer/sdk/devnetInfo.js';
import { fetchTrustedCheckpoint } from '../verifier/cometbft/sourceVerifier.js';
import { ANVIL_KEYS, type AnvilNode, startAnvil } from './anvil.js';
import type { ChopsticksNode } from './chopsticks.js';
import { buildCosmwasmArtifacts, cosmosAddressOf, deployCosmwasmBridge } from './deployCosmwasm.js';
import { deployEvmBridge } from './deployEvm.js';
import { voterKeys } from './grandpa/keys.js';
import type { GrandpaVoter } from './grandpaVoter.js';
import { freePort } from './ports.js';
import { exited, spawnCli, stopProcess } from './processes.js';
import { type RedisServer, startRedis } from './redis.js';
import { SUBSTRATE_DEV_ACCOUNTS, SUBSTRATE_SS58_PREFIX, startSubstrateChain } from './substrateDevnet.js';
import {
  startWasmd,
  WASMD_BECH32_PREFIX,
  WASMD_DENOM,
  WASMD_DEV_ACCOUNTS,
  WASMD_DEV_COINS,
  WASMD_GAS_PRICE,
  type WasmdNode,
  wasmdBinary,
} from './wasmd.js';

export const DEVNET_PASSWORD_ENV = 'SAH_KEYSTORE_PASSWORD';
const DEVNET_PASSWORD = 'devnet-keystore-password';
/** Anvil accounts: 0 deploys, 1 and 2 are dev users (1 holds the SAH supply), 3.. deliver for the operators. */
const DEPLOYER = ANVIL_KEYS[0];
const OPERATOR_WALLET_OFFSET = 3;
/** Written in the node configs before the Cosmos bridge exists (the nodes start after it does). */
const UNDEPLOYED_COSMWASM_BRIDGE = 'wasm1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqtwu3vy';
const UNSTARTED_SUBSTRATE_WS = 'ws://127.0.0.1:9';
const UNSTARTED_FINALITY_RPC = 'http://127.0.0.1:9';
/** What each operator's delivery account holds on the Cosmos chain, for fees. */
const OPERATOR_COSMOS_COINS = `100000000000${WASMD_DENOM}`;

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
  anvils: AnvilNode[];
  wasmd: WasmdNode[];
  substrate: ChopsticksNode[];
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
  const anvils: AnvilNode[] = [];
  const wasmds: WasmdNode[] = [];
  const substrates: ChopsticksNode[] = [];
  const voters: GrandpaVoter[] = [];
  let redis: RedisServer | undefined;
  const nodes: DevnetNode[] = [];
  const stopAll = async () => {
    await Promise.all(nodes.map((n) => stopProcess(n.process)));
    await redis?.stop();
    await Promise.all([
      ...anvils.map((a) => a.stop()),
      ...wasmds.map((w) => w.stop()),
      ...voters.map((v) => v.close()),
      ...substrates.map((c) => c.stop()),
    ]);
  };
  const n = config.relayers.signers;
  const operatorWallet = (id: number): Hex => {
    const key = ANVIL_KEYS[OPERATOR_WALLET_OFFSET + id - 1];
    if (!key) throw new Error(`no anvil dev account left for operator ${id}`);
    return key as Hex;
  };
  const evmChains = config.chains.filter((c): c is DevnetChainOf<'evm'> => c.family === 'evm');
  const cosmwasmChains = config.chains.filter((c): c is DevnetChainOf<'cosmwasm'> => c.family === 'cosmwasm');
  const substrateCount = config.chains.filter((c) => c.family === 'substrate').length;
  try {
    let artifacts = '';
    if (cosmwasmChains.length > 0) {
      say('[0/6] building wasmd and the CosmWasm contracts (cached after the first time)');
      artifacts = buildCosmwasmArtifacts();
    }
    say(
      `[1/6] starting ${evmChains.length} anvil chain(s) and ${cosmwasmChains.length} wasmd chain(s)` +
        (substrateCount ? ` (the Polkadot chain starts after the DKG: its genesis holds the group key)` : ''),
    );
    const anvilOf = new Map<string, AnvilNode>();
    for (const c of evmChains) {
      const anvil = await startAnvil({ chainId: c.evmChainId, port: opts.freePorts ? undefined : c.port || undefined });
      anvils.push(anvil);
      anvilOf.set(c.name, anvil);
    }
    const wasmdOf = new Map<string, WasmdNode>();
    const trustedCheckpoints = new Map<string, { height: number; hash: Hex }>();
    if (cosmwasmChains.length > 0) {
      const binary = wasmdBinary();
      const operatorAccounts = await Promise.all(
        Array.from({ length: n }, async (_, i) => ({
          address: await cosmosAddressOf(operatorWallet(i + 1), WASMD_BECH32_PREFIX),
          coins: OPERATOR_COSMOS_COINS,
        })),
      );
      for (const c of cosmwasmChains) {
        const node = await startWasmd({
          binary,
          dir: join(dir, c.name),
          chainId: c.cosmosChainId,
          rpcPort: opts.freePorts ? undefined : c.port || undefined,
          accounts: WASMD_DEV_ACCOUNTS.map((a) => ({ ...a, coins: WASMD_DEV_COINS })),
          fundAddresses: operatorAccounts,
        });
        wasmds.push(node);
        wasmdOf.set(c.name, node);
        // trust on first use, devnet only: a real deployment configures a checkpoint from a source it trusts
        const checkpoint = await fetchTrustedCheckpoint(node.rpcUrl);
        trustedCheckpoints.set(c.name, { height: Number(checkpoint.height), hash: checkpoint.hash });
      }
    }
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
      for (const c of config.chains) wallets[c.name] = operatorWallet(id);
      new Keystore<OperatorSecrets>(join(dir, `node-${id}`, 'keystore.json'), DEVNET_PASSWORD).write({
        identity,
        wallets,
        shares: {},
      });
      // the peer channel is mutual TLS bound to the identity keys, as in production
      operators.push({ id, url: `https://127.0.0.1:${peerPorts[id - 1]}`, identityKey: identity.publicKey });
    }
    const chainInfo: DevnetChainInfo[] = config.chains.map((c): DevnetChainInfo => {
      if (c.family === 'evm')
        return {
          family: 'evm',
          name: c.name,
          protocolChainId: c.protocolChainId,
          evmChainId: c.evmChainId,
          rpcUrl: (anvilOf.get(c.name) as AnvilNode).rpcUrl,
          bridge: zeroAddress,
        };
      if (c.family === 'substrate')
        return {
          family: 'substrate',
          name: c.name,
          protocolChainId: c.protocolChainId,
          // set when the chain starts, after the DKG (its genesis carries the group key)
          wsUrl: UNSTARTED_SUBSTRATE_WS,
          ss58Prefix: SUBSTRATE_SS58_PREFIX,
          finalityRpcUrl: UNSTARTED_FINALITY_RPC,
          // the voter keys are fixed dev keys, known before the chain starts
          grandpaAuthorities: voterKeys().map((v) => toHex(v.publicKey)),
          finalityFromBlock: 0,
        };
      const node = wasmdOf.get(c.name) as WasmdNode;
      return {
        family: 'cosmwasm',
        name: c.name,
        protocolChainId: c.protocolChainId,
        cosmosChainId: c.cosmosChainId,
        rpcUrl: node.rpcUrl,
        restUrl: node.restUrl,
        bridge: '',
        prefix: WASMD_BECH32_PREFIX,
        denom: WASMD_DENOM,
        gasPrice: WASMD_GAS_PRICE,
        cw20CodeId: 0,
        bridgeCodeId: 0,
        trustedCheckpoint: trustedCheckpoints.get(c.name) as { height: number; hash: Hex },
      };
    });
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
          chains: chainInfo.map((c, i) =>
            c.family === 'substrate'
              ? {
                  name: c.name,
                  devnet: true,
                  family: 'substrate',
                  protocolChainId: c.protocolChainId,
                  wsUrl: c.wsUrl,
                  ss58Prefix: c.ss58Prefix,
                  finality: { confirmations: 0 },
                  startBlock: Number(startBlocks[i] ?? 0n),
                  pollIntervalMs: 100,
                  verifier: {
                    mode: 'grandpa',
                    rpcUrl: c.finalityRpcUrl,
                    setId: 0,
                    authorities: c.grandpaAuthorities,
                    fromBlock: c.finalityFromBlock,
                  },
                }
              : c.family === 'evm'
                ? {
                    name: c.name,
                    devnet: true,
                    family: 'evm',
                    protocolChainId: c.protocolChainId,
                    evmChainId: c.evmChainId,
                    rpcUrl: c.rpcUrl,
                    bridge: c.bridge,
                    finality: { confirmations: 0 },
                    startBlock: Number(startBlocks[i] ?? 0n),
                    pollIntervalMs: 100,
                    // anvil has no beacon chain: the explicitly weaker mode (docs/VERIFIER.md)
                    verifier: { mode: 'confirmations', confirmations: 0 },
                  }
                : {
                    name: c.name,
                    devnet: true,
                    family: 'cosmwasm',
                    protocolChainId: c.protocolChainId,
                    cosmosChainId: c.cosmosChainId,
                    rpcUrl: c.rpcUrl,
                    bridge: c.bridge || UNDEPLOYED_COSMWASM_BRIDGE,
                    prefix: c.prefix,
                    gasPrice: c.gasPrice,
                    finality: { confirmations: 0 },
                    startBlock: Number(startBlocks[i] ?? 0n),
                    pollIntervalMs: 100,
                    verifier: {
                      mode: 'cometbft-light-client',
                      trustedHeight: c.trustedCheckpoint.height,
                      trustedHash: c.trustedCheckpoint.hash,
                      trustingPeriodSeconds: 14 * 86_400,
                      maxClockDriftSeconds: 10,
                    },
                  },
          ),
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
    const groupKey = parseGroupKey(group.groupKey);
    say(`      group key ${group.groupKey}`);

    say('[5/6] deploying the bridge on every chain under the group key, SAH on its home');
    const userKeys = [ANVIL_KEYS[1], ANVIL_KEYS[2]] as Hex[];
    const startBlocks: bigint[] = [];
    for (const [i, c] of config.chains.entries()) {
      const info = chainInfo[i] as DevnetChainInfo;
      if (c.family === 'evm') {
        const evmInfo = info as DevnetChainInfoOf<'evm'>;
        const deployment = await deployEvmBridge({
          rpcUrl: evmInfo.rpcUrl,
          evmChainId: c.evmChainId,
          protocolChainId: c.protocolChainId,
          groupKey,
          deployerKey: DEPLOYER,
          ...(c.sahHome
            ? { sah: { holder: privateKeyToAccount(userKeys[0] as Hex).address, supply: parseEther('1000000000') } }
            : {}),
        });
        evmInfo.bridge = deployment.bridge.address;
        if (deployment.sah) evmInfo.sah = deployment.sah;
        evmInfo.attestations = deployment.attestations;
        evmInfo.jobBoard = deployment.jobBoard;
        startBlocks.push(await deployment.clients.publicClient.getBlockNumber());
      } else if (c.family === 'substrate') {
        const substrateInfo = info as DevnetChainInfoOf<'substrate'>;
        const chain = await startSubstrateChain({
          dir: join(dir, c.name),
          groupKey: group.groupKey,
          port: opts.freePorts ? undefined : c.port || undefined,
          operatorKeys: Array.from({ length: n }, (_, k) => operatorWallet(k + 1)),
        });
        substrates.push(chain.node);
        voters.push(chain.voter);
        substrateInfo.wsUrl = chain.node.wsUrl;
        substrateInfo.finalityRpcUrl = chain.voter.url;
        substrateInfo.grandpaAuthorities = chain.voter.authorities().map((a) => a.publicKey as Hex);
        substrateInfo.finalityFromBlock = chain.height;
        startBlocks.push(BigInt(chain.height));
        say(`      ${c.name}: chopsticks ${chain.node.wsUrl}, pallet key set to the group key`);
      } else {
        const cosmosInfo = info as DevnetChainInfoOf<'cosmwasm'>;
        const deployment = await deployCosmwasmBridge({
          rpcUrl: cosmosInfo.rpcUrl,
          deployerMnemonic: (WASMD_DEV_ACCOUNTS[0] as { mnemonic: string }).mnemonic,
          prefix: cosmosInfo.prefix,
          gasPrice: cosmosInfo.gasPrice,
          protocolChainId: c.protocolChainId,
          groupKey: group.groupKey,
          artifacts,
          nativeDenoms: [{ denom: WASMD_DENOM, decimals: 6, symbol: 'STAKE', name: 'Devnet staking token' }],
        });
        cosmosInfo.bridge = deployment.bridge;
        cosmosInfo.cw20CodeId = deployment.cw20CodeId;
        cosmosInfo.bridgeCodeId = deployment.bridgeCodeId;
        startBlocks.push(BigInt(deployment.height));
        say(`      ${c.name}: bridge ${deployment.bridge}`);
      }
    }
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

    const info: DevnetInfo = {
      groupKey: group.groupKey,
      epoch: group.epoch,
      threshold: config.relayers.threshold,
      chains: chainInfo,
      nodes: nodes.map((nd) => ({ id: nd.id, api: nd.api, config: nd.configPath, log: nd.log })),
      redis: redis.url(0),
      devAccounts: userKeys.map((key, i) => ({
        name: `user${i + 1}`,
        address: privateKeyToAccount(key).address as Address,
        key,
      })),
      substrateDevAccounts: config.chains.some((c) => c.family === 'substrate') ? SUBSTRATE_DEV_ACCOUNTS : [],
      cosmosDevAccounts: cosmwasmChains.length
        ? WASMD_DEV_ACCOUNTS.map((a) => ({ name: a.name, address: a.address, mnemonic: a.mnemonic }))
        : [],
    };
    writeDevnetInfo(join(dir, 'devnet.json'), info);
    return {
      info,
      nodes,
      anvils,
      wasmd: wasmds,
      substrate: substrates,
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
