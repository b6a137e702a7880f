import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { assertIsDeliverTxSuccess, GasPrice, SigningStargateClient, StargateClient } from '@cosmjs/stargate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startWasmd,
  WASMD_BECH32_PREFIX,
  WASMD_DENOM,
  WASMD_DEV_ACCOUNTS,
  WASMD_DEV_COINS,
  WASMD_GAS_PRICE,
  WASMD_VALIDATOR,
  type WasmdNode,
  wasmdBinary,
} from './wasmd.js';

const COLD_BUILD_MS = 30 * 60_000;
const CHAIN_ID = 'sah-wasmd-test';

const [dev0, dev1] = WASMD_DEV_ACCOUNTS;
if (!dev0 || !dev1) throw new Error('need two dev accounts');

function wallet(mnemonic: string): Promise<DirectSecp256k1HdWallet> {
  return DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: WASMD_BECH32_PREFIX });
}

async function balance(client: StargateClient, address: string): Promise<bigint> {
  return BigInt((await client.getBalance(address, WASMD_DENOM)).amount);
}

async function waitForHeight(client: StargateClient, height: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await client.getHeight()) < height) {
    if (Date.now() > deadline) throw new Error(`height ${height} not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Block header time in ms; CometBFT gives nanoseconds, which Date does not parse everywhere. */
function headerMs(time: string): number {
  return Date.parse(time.replace(/(\.\d{3})\d*Z$/, '$1Z'));
}

/** Addresses (ip, port) of the TCP sockets a process listens on, from /proc (Linux). */
function listeningSockets(pid: number): { ip: string; port: number }[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m?.[1]) inodes.add(m[1]);
    } catch {
      // fd closed meanwhile
    }
  }
  const out: { ip: string; port: number }[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').trim().split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const [local, state, inode] = [cols[1] ?? '', cols[3], cols[9] ?? ''];
      if (state !== '0A' || !inodes.has(inode)) continue; // 0A = LISTEN
      const [hexIp = '', hexPort = ''] = local.split(':');
      const ip =
        hexIp === '0100007F'
          ? '127.0.0.1'
          : hexIp === '00000000000000000000000001000000'
            ? '::1'
            : hexIp.length === 8
              ? (hexIp.match(/../g) ?? [])
                  .reverse()
                  .map((b) => Number.parseInt(b, 16))
                  .join('.')
              : hexIp;
      out.push({ ip, port: Number.parseInt(hexPort, 16) });
    }
  }
  return out;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

describe('wasmd devnet chain', () => {
  let binary: string;
  let dir: string;
  let node: WasmdNode;
  let client: StargateClient;

  beforeAll(async () => {
    binary = wasmdBinary(COLD_BUILD_MS);
    dir = mkdtempSync(join(tmpdir(), 'sah-wasmd-'));
    node = await startWasmd({ binary, dir, chainId: CHAIN_ID, rpcPort: 0 });
    client = await StargateClient.connect(node.rpcUrl);
  }, COLD_BUILD_MS + 120_000);

  afterAll(async () => {
    client?.disconnect();
    await node?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('derives the exported dev addresses from their mnemonics', async () => {
    for (const a of [WASMD_VALIDATOR, ...WASMD_DEV_ACCOUNTS]) {
      const [account] = await (await wallet(a.mnemonic)).getAccounts();
      expect(account?.address).toBe(a.address);
      expect(a.address.startsWith(`${WASMD_BECH32_PREFIX}1`)).toBe(true);
    }
  });

  it('produces blocks about every 300 ms', async () => {
    expect(await client.getChainId()).toBe(CHAIN_ID);
    const from = (await client.getHeight()) + 1;
    const blocks = 10;
    const wallStart = Date.now();
    await waitForHeight(client, from + blocks);
    const wallMs = (Date.now() - wallStart) / blocks;
    const first = await client.getBlock(from);
    const last = await client.getBlock(from + blocks);
    const blockMs = (headerMs(last.header.time) - headerMs(first.header.time)) / blocks;
    console.info(`wasmd block time: ${blockMs.toFixed(0)} ms (header times), ${wallMs.toFixed(0)} ms (wall clock)`);
    expect(blockMs).toBeGreaterThanOrEqual(250);
    expect(blockMs).toBeLessThan(700);
  });

  it('funds the dev accounts at genesis', async () => {
    const genesisAmount = BigInt(WASMD_DEV_COINS.replace(WASMD_DENOM, ''));
    for (const a of WASMD_DEV_ACCOUNTS) {
      // Earlier tests send nothing, so every dev account still holds exactly its genesis coins.
      expect(await balance(client, a.address)).toBe(genesisAmount);
    }
    const validator = await client.getAccount(WASMD_VALIDATOR.address);
    expect(validator?.address).toBe(WASMD_VALIDATOR.address);
  });

  it('lands a bank send: the receiver gains the amount, the sender pays amount plus fee', async () => {
    const signer = await SigningStargateClient.connectWithSigner(node.rpcUrl, await wallet(dev0.mnemonic), {
      gasPrice: GasPrice.fromString(WASMD_GAS_PRICE),
    });
    try {
      const before0 = await balance(client, dev0.address);
      const before1 = await balance(client, dev1.address);
      const amount = 12_345n;
      // 200k gas at the node's minimum price 0.025stake/gas.
      const fee = { amount: [{ denom: WASMD_DENOM, amount: '5000' }], gas: '200000' };
      const res = await signer.sendTokens(
        dev0.address,
        dev1.address,
        [{ denom: WASMD_DENOM, amount: amount.toString() }],
        fee,
      );
      assertIsDeliverTxSuccess(res);
      expect(res.height).toBeGreaterThan(0);
      expect(await balance(client, dev1.address)).toBe(before1 + amount);
      expect(await balance(client, dev0.address)).toBe(before0 - amount - 5000n);

      // The node enforces its minimum gas price: a free tx is refused at CheckTx and moves nothing.
      const free = { amount: [{ denom: WASMD_DENOM, amount: '0' }], gas: '200000' };
      await expect(
        signer.sendTokens(dev0.address, dev1.address, [{ denom: WASMD_DENOM, amount: '1' }], free),
      ).rejects.toThrow(/insufficient fee/);
      expect(await balance(client, dev1.address)).toBe(before1 + amount);

      // The gasPrice path the relayer uses (simulate, then pay gas * price) works too.
      const auto = await signer.sendTokens(dev0.address, dev1.address, [{ denom: WASMD_DENOM, amount: '1' }], 'auto');
      assertIsDeliverTxSuccess(auto);
      expect(await balance(client, dev1.address)).toBe(before1 + amount + 1n);
    } finally {
      signer.disconnect();
    }
  });

  it('listens on 127.0.0.1 only: RPC, P2P, gRPC and REST', async () => {
    const pid = node.process.pid ?? 0;
    const sockets = listeningSockets(pid);
    expect(sockets.length).toBeGreaterThanOrEqual(4);
    for (const s of sockets) expect(s.ip, `port ${s.port}`).toBe('127.0.0.1');
    const ports = sockets.map((s) => s.port);
    expect(ports).toContain(node.rpcPort);
    expect(ports).toContain(node.grpcPort);
    const info = (await (await fetch(`${node.restUrl}/cosmos/base/tendermint/v1beta1/node_info`)).json()) as {
      default_node_info: { network: string };
    };
    expect(info.default_node_info.network).toBe(CHAIN_ID);
  });

  it('stop() kills the process and frees its ports; the chain resumes from its home', async () => {
    const pid = node.process.pid ?? 0;
    const { rpcPort, grpcPort } = node;
    const heightBefore = await client.getHeight();
    client.disconnect();
    await node.stop();
    expect(pidAlive(pid)).toBe(false);
    expect(await portIsFree(rpcPort)).toBe(true);
    expect(await portIsFree(grpcPort)).toBe(true);

    node = await startWasmd({ binary, dir, chainId: CHAIN_ID, rpcPort: 0 });
    client = await StargateClient.connect(node.rpcUrl);
    await waitForHeight(client, heightBefore + 2);
    expect(node.process.pid).not.toBe(pid);
    // State survived the restart: dev1 still holds what the bank send gave it.
    expect(await balance(client, dev1.address)).toBeGreaterThan(BigInt(WASMD_DEV_COINS.replace(WASMD_DENOM, '')));
  });
});
