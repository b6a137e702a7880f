/**
 * The relayer network end to end: 5 real `sah-bridge node` processes (t = 3) with their own Redis
 * databases, keys from a networked DKG, two real anvil chains. Transfers both ways, nodes killed
 * before signing and mid-delivery, a minority of nodes, a node asked to sign what it never saw,
 * duplicate observation, a Redis restart, and API fuzzing.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { bytesToHex, encodeAbiParameters, encodeEventTopics, getAbiItem, type Hex, parseEther } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVNET_PASSWORD_ENV, type Devnet, startDevnet } from '../../devnet/devnet.js';
import { exited, spawnCli } from '../../devnet/processes.js';
import { bridgeAbi } from '../../relayer/chains/evm/abi/bridge.js';
import { loadDevnetConfig, onlyFamilies } from '../../relayer/config/devnetConfig.js';
import type { NodeConfig } from '../../relayer/config/nodeConfig.js';
import { Keystore } from '../../relayer/keystore/keystore.js';
import type { OperatorSecrets } from '../../relayer/node/secrets.js';
import { signRequest } from '../../relayer/peer/auth.js';
import { PeerClient, type PeerRequestError } from '../../relayer/peer/client.js';
import { addressToBytes32, encodeMessage, messageId, packBytes32 } from '../../relayer/protocol/index.js';
import { batchKey, ranking } from '../../relayer/signer/ranking.js';
import { DevnetClient } from '../helpers/devnetClient.js';
import { startForgingProxy } from '../helpers/forgingRpcProxy.js';
import { rememberMessage } from '../helpers/messageRefs.js';
import { rawPeerRequest } from '../helpers/peerHttps.js';

const MESSAGE_SENT = getAbiItem({ abi: bridgeAbi, name: 'MessageSent' });

const OPERATORS = [1, 2, 3, 4, 5];

/** A port offset at which every given port + offset is free (for a DKG beside running nodes). */
async function freeOffset(ports: number[]): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
  for (let offset = 1000; offset < 20_000; offset += 1000) {
    if (ports.some((p) => p + offset > 65_535)) break;
    if ((await Promise.all(ports.map((p) => free(p + offset)))).every(Boolean)) return offset;
  }
  for (let offset = -1000; offset > -20_000; offset -= 1000) {
    if ((await Promise.all(ports.map((p) => free(p + offset)))).every(Boolean)) return offset;
  }
  throw new Error('no free port offset');
}
const carol = '0x000000000000000000000000000000000000ca01' as const;
const dave = '0x000000000000000000000000000000000000da7e' as const;

describe('relayer network: 5 nodes, t = 3', () => {
  let devnet: Devnet;
  let c: DevnetClient;
  const api = (id: number) => devnet.nodes[id - 1]?.api as string;
  /** The operator's peer API (its own listener), as the node configs name it. */
  const peerApi = (id: number) =>
    (JSON.parse(readFileSync(devnet.nodes[0]?.configPath as string, 'utf8')) as NodeConfig).operators.find(
      (o) => o.id === id,
    )?.url as string;

  beforeAll(async () => {
    // the EVM path alone: the Cosmos leg has its own end-to-end test (cosmos.test.ts)
    const config = onlyFamilies(loadDevnetConfig('config/devnet.json'), 'evm');
    devnet = await startDevnet(config, { dir: mkdtempSync(join(tmpdir(), 'sah-devnet-')), freePorts: true });
    c = new DevnetClient(devnet.info);
    await c.approveAll();
  }, 240_000);

  afterAll(async () => {
    await devnet?.stop();
  });

  async function coordinatorOfNextLock(): Promise<number> {
    const nonce = await c.nextNonceA();
    const key = batchKey({ sourceChain: c.chainA.protocolChainId, destinationChain: c.chainB.protocolChainId, nonce });
    return ranking(key, OPERATORS)[0] as number;
  }

  it('the node configs the devnet wrote pass `sah-bridge config validate` (TLS peers, Redis password, devnet chains)', async () => {
    for (const n of devnet.nodes) {
      const log = n.log.replace(/node\.log$/, 'config-validate.log');
      expect(await exited(spawnCli(['config', 'validate', n.configPath], { log }), 60_000, 'config validate')).toBe(0);
      expect(readFileSync(log, 'utf8')).toMatch(/valid node config \(operator \d, 3-of-5, 2 chains\)/);
    }
  });

  it('moves SAH A -> B and back through the nodes; balances right on both chains', async () => {
    const user = devnet.info.devAccounts[0]?.address as Hex;
    const before = await c.balanceA(user);
    const id = await c.lock(parseEther('25'), user);
    await c.waitDelivered(c.bridgeB, [id]);
    expect(await c.balanceB(user)).toBe(parseEther('25'));
    expect(await c.bridgeA.locked(c.sah)).toBe(parseEther('25'));

    const back = await c.burn(parseEther('10'), carol);
    await c.waitDelivered(c.bridgeA, [back]);
    expect(await c.balanceA(carol)).toBe(parseEther('10'));
    expect(await c.balanceA(user)).toBe(before - parseEther('25'));
    expect(await c.balanceB(user)).toBe(parseEther('15'));
    expect(await c.bridgeA.locked(c.sah)).toBe(parseEther('15'));
    expect(await c.supplyB()).toBeLessThanOrEqual(await c.bridgeA.locked(c.sah));
    expect(await c.receivedCountB(id)).toBe(1);
  });

  it('a node killed before signing and another mid-delivery: every message delivered once', async () => {
    // 1. SIGKILL the node that would coordinate the next batch: the next in line takes over
    const coordinator = await coordinatorOfNextLock();
    await devnet.stopNode(coordinator, 'SIGKILL');
    const first = [await c.lock(1n, dave), await c.lock(2n, dave)];
    await c.waitDelivered(c.bridgeB, first, 60_000);

    // 2. hold the destination's blocks, let a delivery be submitted, kill its sender and drop its tx
    await c.b.publicClient.request({ method: 'evm_setAutomine' as never, params: [false] as never });
    const second = await c.lock(3n, dave);
    let sender: number | undefined;
    const deadline = Date.now() + 30_000;
    while (sender === undefined && Date.now() < deadline) {
      for (const id of OPERATORS.filter((o) => o !== coordinator)) {
        const r = await c.nodeRecord(api(id), second).catch(() => undefined);
        if (r?.stage === 'submitted') sender = id;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(sender).toBeDefined();
    await devnet.stopNode(sender as number, 'SIGKILL');
    await c.b.publicClient.request({ method: 'anvil_dropAllTransactions' as never, params: [] as never });
    await c.b.publicClient.request({ method: 'evm_setAutomine' as never, params: [true] as never });
    await c.waitDelivered(c.bridgeB, [second], 60_000);

    for (const id of [...first, second]) expect(await c.receivedCountB(id)).toBe(1);
    expect(await c.balanceB(dave)).toBe(6n);
    await Promise.all([devnet.startNode(coordinator), devnet.startNode(sender as number)]);
  });

  it('with 2 of 5 nodes up nothing is signed or delivered; a third node coming back completes it', async () => {
    await Promise.all([3, 4, 5].map((id) => devnet.stopNode(id)));
    const id = await c.lock(7n, carol);
    await new Promise((r) => setTimeout(r, 6_000));
    expect(await c.isConsumed(c.bridgeB, id)).toBe(false);
    for (const node of [1, 2]) expect((await c.nodeRecord(api(node), id))?.stage).toBe('verified');
    await devnet.startNode(3);
    await c.waitDelivered(c.bridgeB, [id], 60_000);
    expect(await c.receivedCountB(id)).toBe(1);
    await Promise.all([4, 5].map((n) => devnet.startNode(n)));
  });

  it('a node refuses to sign a message it never observed; the honest t still sign real ones', async () => {
    const ks = new Keystore<OperatorSecrets>(
      join(devnet.nodes[0]?.configPath.replace(/node-1\.json$/, '') as string, 'node-1', 'keystore.json'),
      process.env[DEVNET_PASSWORD_ENV] as string,
    );
    const self = { operatorId: 1, identity: ks.read().identity };
    const forged = `0x${'ab'.repeat(32)}` as Hex;
    const body = JSON.stringify({
      sessionId: 'forged-session-1',
      batchKey: '10001-10002-0',
      destinationChain: c.chainB.protocolChainId,
      epoch: 1,
      ids: [forged],
    });
    // operator 1, through its real client (mutual TLS with its identity key), asks operator 2 to commit
    const client = new PeerClient(
      self,
      (JSON.parse(readFileSync(devnet.nodes[0]?.configPath as string, 'utf8')) as NodeConfig).operators,
      5_000,
    );
    const refused = await client.post(2, '/peer/v1/sign/commit', JSON.parse(body)).catch((e: PeerRequestError) => e);
    expect((refused as PeerRequestError).status).toBe(409);
    expect(((refused as PeerRequestError).body as { missing: Hex[] }).missing).toEqual([forged]);
    // an unauthenticated request is refused before anything else
    const anon = await rawPeerRequest(`${peerApi(2)}/peer/v1/sign/commit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(anon.status).toBe(401);
    // a correctly signed request over a connection without operator 1's certificate: refused too
    const noCert = await rawPeerRequest(`${peerApi(2)}/peer/v1/sign/commit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signRequest(self, 2, 'POST', '/peer/v1/sign/commit', body) },
      body,
    });
    expect(noCert.status).toBe(401);

    const id = await c.lock(11n, carol);
    await c.waitDelivered(c.bridgeB, [id]);
  });

  it('the same lock observed twice (a node rescans from scratch): exactly one mint', async () => {
    const supply = await c.supplyB();
    const id = await c.lock(13n, carol);
    await c.waitDelivered(c.bridgeB, [id]);
    // node 1 forgets everything (its Redis database) and restarts: it re-observes every old lock
    await devnet.stopNode(1);
    const redis = new Redis(devnet.redis.url(1), { ...devnet.redis.auth });
    await redis.flushdb();
    redis.disconnect();
    await devnet.startNode(1);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (await c.nodeRecord(api(1), id))?.stage !== 'delivered')
      await new Promise((r) => setTimeout(r, 200));
    expect((await c.nodeRecord(api(1), id))?.stage).toBe('delivered');
    expect(await c.receivedCountB(id)).toBe(1);
    expect(await c.supplyB()).toBe(supply + 13n);
  });

  it('Redis restarted (AOF) with messages in flight: none lost', async () => {
    const ids: Hex[] = [];
    for (let i = 0; i < 5; i++) ids.push(await c.lock(100n + BigInt(i), dave));
    const deliveredBefore = (await Promise.all(ids.map((id) => c.isConsumed(c.bridgeB, id)))).filter(Boolean).length;
    await devnet.redis.restart();
    // the restart really caught messages in flight
    expect(deliveredBefore).toBeLessThan(ids.length);
    await c.waitDelivered(c.bridgeB, ids, 90_000);
    for (const id of ids) expect(await c.receivedCountB(id)).toBe(1);
  });

  it('a node whose RPC forges a bridge event rejects it; nothing forged is signed, real traffic flows', async () => {
    const node5 = devnet.nodes[4] as (typeof devnet.nodes)[number];
    const original = readFileSync(node5.configPath, 'utf8');
    const attacker = '0x000000000000000000000000000000000000bad1' as const;
    const forgedNonce = 999_999n;
    const message = encodeMessage({
      kind: 'TokenTransfer',
      sourceChain: c.chainA.protocolChainId,
      destinationChain: c.chainB.protocolChainId,
      nonce: forgedNonce,
      sender: addressToBytes32(attacker),
      recipient: addressToBytes32(attacker),
      payload: {
        originChain: c.chainA.protocolChainId,
        originToken: addressToBytes32(c.sah),
        amount: parseEther('1000000'),
        decimals: 18,
        symbol: packBytes32('SAH'),
        name: packBytes32('SAH Token'),
      },
    });
    const forgedId = messageId(message);
    const proxy = await startForgingProxy(c.chainA.rpcUrl, {
      address: c.chainA.bridge,
      topics: encodeEventTopics({
        abi: [MESSAGE_SENT],
        eventName: 'MessageSent',
        args: { nonce: forgedNonce, destinationChain: c.chainB.protocolChainId, messageId: forgedId },
      }) as Hex[],
      data: encodeAbiParameters([{ type: 'bytes' }], [bytesToHex(message)]),
      block: (await c.a.publicClient.getBlockNumber()) + 1n,
      transactionHash: `0x${'de'.repeat(32)}`,
    });
    try {
      await devnet.stopNode(5);
      const config = JSON.parse(original);
      config.chains[0].rpcUrl = proxy.url;
      writeFileSync(node5.configPath, JSON.stringify(config));
      await devnet.startNode(5);
      const real = await c.lock(17n, carol);
      await c.waitDelivered(c.bridgeB, [real]);
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && (await c.nodeRecord(api(5), forgedId))?.stage !== 'rejected')
        await new Promise((r) => setTimeout(r, 200));
      expect(proxy.injected()).toBe(1);
      expect((await c.nodeRecord(api(5), forgedId))?.stage).toBe('rejected');
      expect(await c.nodeRecord(api(1), forgedId)).toBeUndefined();
      rememberMessage(forgedId, bytesToHex(message));
      expect(await c.isConsumed(c.bridgeB, forgedId)).toBe(false);
      expect(await c.balanceB(attacker)).toBe(0n);
    } finally {
      await devnet.stopNode(5);
      writeFileSync(node5.configPath, original);
      await devnet.startNode(5);
      await proxy.close();
    }
  });

  it('API fuzz: random and malformed requests to every route get 4xx, never 5xx', async () => {
    const routes = [
      '/v1/messages/',
      '/v1/messages',
      '/v1/health',
      '/v1/blame',
      '/v1/verifier',
      '/v1/attestations/',
      '/v1/attestations',
      '/v1/jobs/',
      '/v1/jobs',
      '/metrics',
      '/openapi.json',
      '/peer/v1/sign/commit',
      '/peer/v1/sign/share',
      '/peer/v1/signed',
      '/peer/v1/delivered',
      '/nope',
    ];
    const junk = () => {
      const pool = [
        '',
        '0x',
        `0x${'1'.repeat(64)}`,
        'null',
        '{}',
        '[]',
        '{"ids":["0x00"]}',
        '%',
        '%00',
        'ü',
        '"',
        "'",
        '<script>',
        'a'.repeat(5000),
        '{"sessionId":1}',
        '{"root":"0x","tx":5}',
      ];
      return pool[Math.floor(Math.random() * pool.length)] as string;
    };
    const statuses: number[] = [];
    for (let i = 0; i < 400; i++) {
      const route = routes[i % routes.length] as string;
      const method = ['GET', 'POST', 'PUT', 'DELETE'][Math.floor(Math.random() * 4)] as string;
      const path = `${route}${Math.random() < 0.5 ? encodeURIComponent(junk()) : ''}${Math.random() < 0.3 ? `?sourceTx=${encodeURIComponent(junk())}` : ''}`;
      const contentType = ['application/json', 'text/plain', 'application/x-www-form-urlencoded'][
        Math.floor(Math.random() * 3)
      ] as string;
      const headers: Record<string, string> = { 'content-type': contentType };
      if (Math.random() < 0.3)
        Object.assign(headers, {
          'x-sah-peer': junk().slice(0, 50) || '1',
          'x-sah-to': '3',
          'x-sah-body-sha256': '00'.repeat(32),
          'x-sah-timestamp': String(Date.now()),
          'x-sah-nonce': '00'.repeat(16),
          'x-sah-signature': `0x${'00'.repeat(64)}`,
        });
      const base = route.startsWith('/peer/') ? peerApi(3) : api(3);
      const res = await rawPeerRequest(`${base}${path}`, {
        method,
        headers,
        body: method === 'GET' || method === 'DELETE' ? undefined : junk(),
      });
      statuses.push(res.status);
    }
    const serverErrors = statuses.filter((s) => s >= 500);
    expect(serverErrors).toEqual([]);
    expect(statuses.filter((s) => s >= 400 && s < 500).length).toBeGreaterThan(300);
    // and the node is still up
    expect((await fetch(`${api(3)}/v1/health`)).status).toBe(200);
  });

  it('key rotation: a DKG for epoch 2 beside the running nodes, RotateKey approved by t operators, transfers under the new key', async () => {
    const offset = await freeOffset(
      devnet.nodes.map((n) => (JSON.parse(readFileSync(n.configPath, 'utf8')) as NodeConfig).listen.peerPort),
    );
    const dkg = devnet.nodes.map((n) =>
      spawnCli(['dkg', '--config', n.configPath, '--epoch', '2', '--port-offset', String(offset), '--timeout', '90'], {
        log: n.log.replace(/node\.log$/, 'dkg-epoch2.log'),
      }),
    );
    const codes = await Promise.all(dkg.map((p, i) => exited(p, 120_000, `dkg epoch 2 of operator ${i + 1}`)));
    expect(codes).toEqual([0, 0, 0, 0, 0]);
    // three nodes restarted now (their group files say epoch 2, both bridges are still at 1) keep signing
    // under epoch 1, the epoch each destination expects
    for (const n of devnet.nodes.slice(0, 3)) {
      await devnet.stopNode(n.id);
      await devnet.startNode(n.id);
    }
    const between = await c.lock(17n, carol);
    await c.waitDelivered(c.bridgeB, [between]);
    // a group file whose key did not sign from every subset (one test signature altered): rotate refuses
    // before approving anything
    const node4 = devnet.nodes[3] as (typeof devnet.nodes)[number];
    const groupPath = (JSON.parse(readFileSync(node4.configPath, 'utf8')) as NodeConfig).groupFile;
    const original = readFileSync(groupPath, 'utf8');
    const tampered = JSON.parse(original) as { testSignatures: { signature: string }[] };
    const sig = tampered.testSignatures[0] as { signature: string };
    sig.signature = `${sig.signature.slice(0, 40)}${sig.signature[40] === '0' ? '1' : '0'}${sig.signature.slice(41)}`;
    writeFileSync(groupPath, JSON.stringify(tampered));
    const refusedLog = node4.log.replace(/node\.log$/, 'governance-refused.log');
    const refused = spawnCli(['governance', 'rotate', '--config', node4.configPath, '--grace', '600'], {
      log: refusedLog,
    });
    expect(await exited(refused, 60_000, 'governance rotate with an untested key')).toBe(2);
    expect(readFileSync(refusedLog, 'utf8')).toMatch(/does not verify under .*this key cannot be used/);
    expect(readFileSync(refusedLog, 'utf8')).not.toMatch(/approved rotation/);
    writeFileSync(groupPath, original);
    // t = 3 operators approve; the nodes (still on epoch 1) sign and deliver the rotation to both chains
    for (const n of devnet.nodes.slice(0, 3)) {
      const p = spawnCli(['governance', 'rotate', '--config', n.configPath, '--grace', '600'], {
        log: n.log.replace(/node\.log$/, 'governance.log'),
      });
      expect(await exited(p, 60_000, `governance rotate of operator ${n.id}`)).toBe(0);
    }
    const epochOf = async (client: typeof c.a, bridge: Hex) =>
      (await client.publicClient.readContract({ address: bridge, abi: bridgeAbi, functionName: 'config' }))[0];
    const deadline = Date.now() + 60_000;
    while (
      Date.now() < deadline &&
      ((await epochOf(c.a, c.chainA.bridge)) !== 2 || (await epochOf(c.b, c.chainB.bridge)) !== 2)
    )
      await new Promise((r) => setTimeout(r, 200));
    expect(await epochOf(c.a, c.chainA.bridge)).toBe(2);
    expect(await epochOf(c.b, c.chainB.bridge)).toBe(2);
    // inside the grace period the nodes still sign with the old key and it is accepted
    const during = await c.lock(19n, carol);
    await c.waitDelivered(c.bridgeB, [during]);
    // restarted, the nodes load the epoch 2 share from their keystores and sign with the new key
    for (const n of devnet.nodes) {
      await devnet.stopNode(n.id);
      await devnet.startNode(n.id);
    }
    const health = (await (await fetch(`${api(1)}/v1/health`)).json()) as { epoch: number };
    expect(health.epoch).toBe(2);
    const after = await c.lock(23n, carol);
    await c.waitDelivered(c.bridgeB, [after]);
    expect(await c.receivedCountB(after)).toBe(1);
  });
});
