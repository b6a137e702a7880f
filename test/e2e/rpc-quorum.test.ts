/**
 * A lying or lagging RPC cannot make a node miss events: 5 real `sah-bridge node` processes (t = 3), two real
 * anvil chains, and a proxy in front of chain A's anvil that drops the bridge's MessageSent logs from
 * eth_getLogs answers. With it as the only URL, the watcher's completeness check (the bridge's outbound nonce
 * at the range's ends) holds the checkpoint before the lock's block until the proxy stops lying; as one URL of
 * three with a quorum of 2, the nodes never notice a missing event and deliver every lock.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Devnet, startDevnet } from '../../devnet/devnet.js';
import { loadDevnetConfig, onlyFamilies } from '../../relayer/config/devnetConfig.js';
import { addressToBytes32 } from '../../relayer/protocol/strings.js';
import { DevnetClient } from '../helpers/devnetClient.js';
import { type OmittingProxy, startOmittingProxy } from '../helpers/omittingRpcProxy.js';

const carol = '0x000000000000000000000000000000000000ca01' as const;

interface LogLine {
  event?: string;
  chain?: string;
  from?: string;
  to?: string;
  expected?: string;
  found?: number;
  missing?: string[];
  read?: string;
  accepted?: string;
  answers?: { rpc: string; answer: string }[];
}

interface ApiRecord {
  stage: string;
  observedAt?: number;
}

describe('a lying RPC cannot make a node miss events: 5 nodes, t = 3, two anvil chains', () => {
  let devnet: Devnet;
  let c: DevnetClient;
  let liar: OmittingProxy;
  let honest: OmittingProxy;
  const api = (id: number) => devnet.nodes[id - 1]?.api as string;
  const node = (id: number) => devnet.nodes[id - 1] as Devnet['nodes'][number];
  const originals = new Map<number, string>();

  beforeAll(async () => {
    devnet = await startDevnet(onlyFamilies(loadDevnetConfig('config/devnet.json'), 'evm'), {
      dir: mkdtempSync(join(tmpdir(), 'sah-rpc-quorum-')),
      freePorts: true,
    });
    c = new DevnetClient(devnet.info);
    await c.approveAll();
    liar = await startOmittingProxy(c.chainA.rpcUrl, c.chainA.bridge);
    // the same anvil behind another URL: a second, honest provider
    honest = await startOmittingProxy(c.chainA.rpcUrl, c.chainA.bridge, { lying: false });
    for (const n of devnet.nodes) originals.set(n.id, readFileSync(n.configPath, 'utf8'));
  }, 240_000);

  afterAll(async () => {
    await devnet?.stop();
    await liar?.close();
    await honest?.close();
  });

  /**
   * Restarts nodes with chain A's RPC settings replaced (running `whileStopped` before they start again);
   * returns where each node's log stood before.
   */
  async function withChainA(
    ids: number[],
    rpc: Record<string, unknown>,
    whileStopped?: () => Promise<void>,
  ): Promise<Map<number, number>> {
    await Promise.all(ids.map((id) => devnet.stopNode(id)));
    const offsets = new Map<number, number>();
    for (const id of ids) {
      const config = JSON.parse(originals.get(id) as string);
      const chainA = config.chains.find((x: { name: string }) => x.name === c.chainA.name);
      delete chainA.rpcUrl;
      Object.assign(chainA, rpc);
      writeFileSync(node(id).configPath, JSON.stringify(config));
      offsets.set(id, statSync(node(id).log).size);
    }
    await whileStopped?.();
    await Promise.all(ids.map((id) => devnet.startNode(id)));
    return offsets;
  }

  /** The node's log lines for `event` written since `offset`. */
  function logged(id: number, event: string, offset = 0): LogLine[] {
    return readFileSync(node(id).log, 'utf8')
      .slice(offset)
      .split('\n')
      .filter((l) => l.includes(`"${event}"`))
      .map((l) => JSON.parse(l) as LogLine)
      .filter((l) => l.event === event);
  }

  async function record(id: number, message: Hex): Promise<ApiRecord | undefined> {
    const res = await fetch(`${api(id)}/v1/messages/${message}`);
    return res.ok ? ((await res.json()) as ApiRecord) : undefined;
  }

  async function nextBlockA(id: number): Promise<bigint> {
    const health = (await (await fetch(`${api(id)}/v1/health`)).json()) as {
      chains: { name: string; nextBlock: string | null }[];
    };
    return BigInt(health.chains.find((x) => x.name === c.chainA.name)?.nextBlock ?? '-1');
  }

  async function until(what: string, done: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await done()) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${what}: not within ${timeoutMs} ms`);
  }

  it('one URL that drops the events: the range is suspect, the checkpoint stays before the lock, and it is observed once the URL stops lying', async () => {
    const mine = (blocks: number) =>
      c.a.publicClient.request({ method: 'anvil_mine' as never, params: [`0x${blocks.toString(16)}`] as never });
    let lock: Awaited<ReturnType<typeof c.bridgeA.lock>> | undefined;
    // the lock lands in the middle of blocks node 5 has not scanned yet: its first range is wide
    const offsets = await withChainA([5], { rpcUrl: liar.url }, async () => {
      await mine(20);
      lock = await c.bridgeA.lock(c.user, c.sah, 31n, c.chainB.protocolChainId, addressToBytes32(carol));
      await mine(20);
    });
    const { receipt, message } = lock as NonNullable<typeof lock>;
    const lockBlock = receipt.blockNumber;
    // the four honest nodes carry it
    await c.waitDelivered(c.bridgeB, [message.messageId], 90_000);

    // node 5 narrows the suspect range down to the lock's own block and stays there
    const offset = offsets.get(5) as number;
    const narrowed = () =>
      logged(5, 'watch.suspect_range', offset).find((l) => l.from === String(lockBlock) && l.to === String(lockBlock));
    await until('node 5 narrowing the suspect range to the lock block', () => narrowed() !== undefined, 60_000);
    expect(narrowed()).toMatchObject({
      chain: c.chainA.name,
      expected: '1',
      found: 0,
      missing: [String(message.nonce)],
    });
    const suspects = logged(5, 'watch.suspect_range', offset);
    // the first suspect range was wide; it was re-scanned in halves (the clean ones passed) down to one block
    expect(BigInt(suspects[0]?.to as string) - BigInt(suspects[0]?.from as string)).toBeGreaterThanOrEqual(20n);
    // every suspect range held the lock's block, and counted exactly the one nonce the proxy hid
    for (const s of suspects) {
      expect(BigInt(s.from as string)).toBeLessThanOrEqual(lockBlock);
      expect(BigInt(s.to as string)).toBeGreaterThanOrEqual(lockBlock);
      expect(s.missing).toEqual([String(message.nonce)]);
    }
    expect(await nextBlockA(5)).toBe(lockBlock);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await nextBlockA(5)).toBe(lockBlock);
    expect(await record(5, message.messageId)).toBeUndefined();
    expect(liar.dropped()).toBeGreaterThan(0);

    // the provider catches up (stops lying): the same range is scanned again and the lock observed
    liar.lie(false);
    await until('node 5 observing the lock', async () => (await record(5, message.messageId)) !== undefined, 30_000);
    expect((await record(5, message.messageId))?.observedAt).toBeGreaterThan(0);
    await until('node 5 moving past the lock block', async () => (await nextBlockA(5)) > lockBlock, 30_000);
    await until(
      'node 5 counting the lock delivered',
      async () => (await record(5, message.messageId))?.stage === 'delivered',
      60_000,
    );
    expect(await c.receivedCountB(message.messageId)).toBe(1);
  });

  it('three URLs, one dropping the events, a quorum of 2: every node observes, signs and delivers every lock', async () => {
    liar.lie(true);
    const dropped = liar.dropped();
    const ids = [1, 2, 3, 4, 5];
    // the liar first: the URL deliveries and verification reads would go to first
    const offsets = await withChainA(ids, { rpcUrls: [liar.url, c.chainA.rpcUrl, honest.url], rpcQuorum: 2 });
    const messages: Hex[] = [];
    for (const amount of [41n, 42n, 43n]) messages.push(await c.lock(amount, carol));
    await c.waitDelivered(c.bridgeB, messages, 90_000);
    for (const m of messages) expect(await c.receivedCountB(m)).toBe(1);
    // the signers observed each lock themselves (a node signs only what it observed and verified): every node,
    // each behind the liar, has its own record
    for (const id of ids)
      await until(
        `node ${id} counting the locks delivered`,
        async () => (await Promise.all(messages.map((m) => record(id, m)))).every((r) => r?.stage === 'delivered'),
        60_000,
      );
    for (const id of ids) for (const m of messages) expect((await record(id, m))?.observedAt).toBeGreaterThan(0);
    // the liar was asked and lied; the quorum outvoted it, so no range ever came up short
    expect(liar.dropped()).toBeGreaterThan(dropped);
    const disagreements = ids.flatMap((id) => logged(id, 'watch.rpc_disagreement', offsets.get(id)));
    expect(disagreements.length).toBeGreaterThan(0);
    for (const d of disagreements) {
      expect(d.chain).toBe(c.chainA.name);
      expect(d.read).toMatch(/^MessageSent logs of blocks/);
      expect(d.answers?.[0]?.rpc).toMatch(/^rpcUrls\[0\] 127\.0\.0\.1:\d+$/);
      expect(d.answers?.[0]?.answer).toMatch(/^0 logs/);
      expect(d.accepted).toMatch(/^[1-9]\d* logs/);
    }
    for (const id of ids) expect(logged(id, 'watch.suspect_range', offsets.get(id))).toEqual([]);
  });
});
