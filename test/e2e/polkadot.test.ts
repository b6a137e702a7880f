/**
 * End to end on the Polkadot leg: the dev runtime (the bridge pallet, pallet-assets for wrapped tokens)
 * under chopsticks, beside wasmd and two anvil chains, with 5 relayer nodes from the networked DKG. SAH
 * Ethereum -> Polkadot -> Ethereum, Cosmos -> Polkadot -> Cosmos without touching Ethereum, the Polkadot
 * currency to Ethereum and back; supply conservation across all chains.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { type Address, bytesToHex, decodeFunctionData, hexToBytes, parseAbi, parseEther, slice } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Devnet, startDevnet } from '../../devnet/devnet.js';
import { bridgeAbi } from '../../relayer/chains/evm/abi/bridge.js';
import { loadDevnetConfig } from '../../relayer/config/devnetConfig.js';
import { addressToBytes32, encodeMessage, messageId, packBytes32 } from '../../relayer/protocol/index.js';
import { CosmosClient } from '../helpers/cosmosClient.js';
import { DevnetClient } from '../helpers/devnetClient.js';
import { rememberMessage } from '../helpers/messageRefs.js';
import { SubstrateClient } from '../helpers/substrateClient.js';

const erc20 = parseAbi([
  'function balanceOf(address) view returns (uint256)',
  'function totalSupply() view returns (uint256)',
]);
const UNIT = 10n ** 12n;
const NATIVE = bytesToHex(sha256(new TextEncoder().encode('native')));

describe('Polkadot leg: the dev runtime under chopsticks, wasmd, two anvil chains, 5 nodes, t = 3', () => {
  let devnet: Devnet;
  let c: DevnetClient;
  let cosmos: CosmosClient;
  let dot: SubstrateClient;
  let dotChain: number;
  let sahId: [number, `0x${string}`];

  beforeAll(async () => {
    devnet = await startDevnet(loadDevnetConfig('config/devnet.json'), {
      dir: mkdtempSync(join(tmpdir(), 'sah-devnet-polkadot-')),
      freePorts: true,
    });
    c = new DevnetClient(devnet.info);
    cosmos = await CosmosClient.connect(devnet.info);
    dot = await SubstrateClient.connect(devnet.info);
    dotChain = dot.chain.protocolChainId;
    sahId = [c.chainA.protocolChainId, addressToBytes32(c.sah)];
    await c.approveAll();
  });

  afterAll(async () => {
    await dot?.disconnect();
    cosmos?.disconnect();
    await devnet?.stop();
  });

  /** Wrapped SAH on every other chain, which must never exceed SAH locked on Ethereum. */
  async function wrappedSahEverywhere(): Promise<bigint> {
    const asset = await dot.wrappedAsset(...sahId);
    const cw20 = await cosmos.wrappedToken(...sahId);
    return (
      (asset === undefined ? 0n : await dot.assetSupply(asset)) +
      (cw20 ? await cosmos.cw20Supply(cw20) : 0n) +
      (await c.supplyB())
    );
  }

  it('SAH Ethereum -> Polkadot (asset minted) -> Ethereum (burned, unlocked): balances right', async () => {
    const bob = dot.account('//Bob');
    const user = devnet.info.devAccounts[0]?.address as Address;
    const lockedBefore = await c.bridgeA.locked(c.sah);
    const userBefore = await c.balanceA(user);

    const { message } = await c.bridgeA.lock(c.user, c.sah, parseEther('100'), dotChain, bob.form);
    await dot.waitConsumed([message.messageId]);
    const asset = (await dot.wrappedAsset(...sahId)) as number;
    expect(asset).toBeGreaterThanOrEqual(1_000_000);
    expect(await dot.assetBalance(asset, bob.address)).toBe(parseEther('100'));
    expect(await dot.assetSupply(asset)).toBe(parseEther('100'));

    const back = await dot.burn('//Bob', asset, parseEther('40'), c.chainA.protocolChainId, addressToBytes32(user));
    await c.waitDelivered(c.bridgeA, [back]);
    expect(await dot.assetBalance(asset, bob.address)).toBe(parseEther('60'));
    expect(await dot.assetSupply(asset)).toBe(parseEther('60'));
    expect(await c.bridgeA.locked(c.sah)).toBe(lockedBefore + parseEther('60'));
    expect(await c.balanceA(user)).toBe(userBefore - parseEther('60'));
    expect(await wrappedSahEverywhere()).toBeLessThanOrEqual(await c.bridgeA.locked(c.sah));
  });

  it('Cosmos -> Polkadot -> Cosmos, wrapped to wrapped, never touching Ethereum: balances right', async () => {
    const dev1 = cosmos.account('dev1');
    const charlie = dot.account('//Charlie');
    // SAH reaches Cosmos from its home first
    const { message } = await c.bridgeA.lock(c.user, c.sah, parseEther('50'), cosmos.chain.protocolChainId, dev1.form);
    await cosmos.waitConsumed([message.messageId]);
    const cw20 = (await cosmos.wrappedToken(...sahId)) as string;
    const lockedAtHome = await c.bridgeA.locked(c.sah);
    const ethBlock = await c.a.publicClient.getBlockNumber();

    // wrapped SAH on Cosmos -> wrapped SAH on Polkadot
    const there = await cosmos.burn('dev1', cw20, parseEther('20'), dotChain, charlie.form);
    await dot.waitConsumed([there]);
    const asset = (await dot.wrappedAsset(...sahId)) as number;
    expect(await dot.assetBalance(asset, charlie.address)).toBe(parseEther('20'));
    expect(await cosmos.cw20Balance(cw20, dev1.address)).toBe(parseEther('30'));

    // and back to another Cosmos account
    const dev2 = cosmos.account('dev2');
    const before = await cosmos.cw20Balance(cw20, dev2.address);
    const back = await dot.burn('//Charlie', asset, parseEther('5'), cosmos.chain.protocolChainId, dev2.form);
    await cosmos.waitConsumed([back]);
    expect(await cosmos.cw20Balance(cw20, dev2.address)).toBe(before + parseEther('5'));
    expect(await dot.assetBalance(asset, charlie.address)).toBe(parseEther('15'));

    // Ethereum saw none of it: no new block, the same amount locked
    expect(await c.a.publicClient.getBlockNumber()).toBe(ethBlock);
    expect(await c.bridgeA.locked(c.sah)).toBe(lockedAtHome);
    expect(await wrappedSahEverywhere()).toBeLessThanOrEqual(lockedAtHome);

    // a Cosmos-native denom the same way: stake -> Polkadot -> Cosmos
    const stakeId = bytesToHex(sha256(new TextEncoder().encode('stake')));
    const stakeThere = await cosmos.lock('dev0', 3_000_000n, dotChain, charlie.form);
    await dot.waitConsumed([stakeThere]);
    const wrappedStake = (await dot.wrappedAsset(cosmos.chain.protocolChainId, stakeId)) as number;
    expect(await dot.assetBalance(wrappedStake, charlie.address)).toBe(3_000_000n);
    const dev2Stake = await cosmos.bank(dev2.address);
    const stakeBack = await dot.burn('//Charlie', wrappedStake, 1_000_000n, cosmos.chain.protocolChainId, dev2.form);
    await cosmos.waitConsumed([stakeBack]);
    expect(await cosmos.bank(dev2.address)).toBe(dev2Stake + 1_000_000n);
    expect(await dot.assetSupply(wrappedStake)).toBe(2_000_000n);
  });

  it('the real runtime refuses replayed, wrong-destination, wrong-epoch and badly signed messages by name', async () => {
    // a delivered message with its real group signature, read back from the delivery extrinsic
    const { message } = await c.bridgeA.lock(c.user, c.sah, 1n, dotChain, dot.account('//Dave').form);
    await dot.waitConsumed([message.messageId]);
    let delivery = (await c.nodeRecord(devnet.nodes[0]?.api as string, message.messageId)) as
      | { deliveryTx?: `0x${string}` }
      | undefined;
    for (let i = 0; i < 50 && !delivery?.deliveryTx; i++) {
      await new Promise((r) => setTimeout(r, 100));
      delivery = (await c.nodeRecord(devnet.nodes[0]?.api as string, message.messageId)) as typeof delivery;
    }
    const call = await dot.deliveryCall(delivery?.deliveryTx as `0x${string}`);
    expect(call.method).toBe('receiveMessage');
    const [bytes, epoch, signature] = call.args.map((a) => a.toHex?.() ?? Number(a.toString())) as [
      `0x${string}`,
      number,
      `0x${string}`,
    ];
    expect(await dot.receiveMessage('//Eve', bytes, epoch, signature)).toBe('MessageAlreadyConsumed');

    // a message for chain B under its real signature (from B's delivery calldata)
    const forB = await c.bridgeA.lock(
      c.user,
      c.sah,
      2n,
      c.chainB.protocolChainId,
      addressToBytes32(c.user.account.address),
    );
    await c.waitDelivered(c.bridgeB, [forB.message.messageId]);
    let bRecord = (await c.nodeRecord(devnet.nodes[0]?.api as string, forB.message.messageId)) as typeof delivery;
    for (let i = 0; i < 50 && !bRecord?.deliveryTx; i++) {
      await new Promise((r) => setTimeout(r, 100));
      bRecord = (await c.nodeRecord(devnet.nodes[0]?.api as string, forB.message.messageId)) as typeof delivery;
    }
    const bTx = await c.b.publicClient.getTransaction({ hash: bRecord?.deliveryTx as `0x${string}` });
    const bCall = decodeFunctionData({ abi: bridgeAbi, data: bTx.input });
    if (bCall.functionName !== 'receiveMessage') throw new Error(`delivered with ${bCall.functionName}`);
    const [bMessage, bEpoch, bSignature] = bCall.args;
    expect(await dot.receiveMessage('//Eve', bMessage, bEpoch, slice(bSignature, 0, 65))).toBe('WrongDestination');

    // a fresh message for this chain: an epoch with no key, then a signature that is not over it
    const fresh = bytesToHex(
      encodeMessage({
        kind: 'TokenTransfer',
        sourceChain: c.chainA.protocolChainId,
        destinationChain: dotChain,
        nonce: 1_000_000n,
        sender: addressToBytes32(c.user.account.address),
        recipient: dot.account('//Eve').form,
        payload: {
          originChain: c.chainA.protocolChainId,
          originToken: addressToBytes32(c.sah),
          amount: parseEther('1000000'),
          decimals: 18,
          symbol: packBytes32('SAH'),
          name: packBytes32('SAH Token'),
        },
      }),
    );
    expect(await dot.receiveMessage('//Eve', fresh, 2, signature)).toBe('UnknownEpoch');
    expect(await dot.receiveMessage('//Eve', fresh, 1, signature)).toBe('InvalidSignature');
    expect(await dot.isConsumed(rememberMessage(messageId(hexToBytes(fresh)), fresh).id)).toBe(false);
    expect(await wrappedSahEverywhere()).toBeLessThanOrEqual(await c.bridgeA.locked(c.sah));
  });

  it('the Polkadot currency -> Ethereum (wrapped ERC-20) -> Polkadot: balances right', async () => {
    const user = devnet.info.devAccounts[0]?.address as Address;
    const lockedBefore = await dot.locked(NATIVE);
    const there = await dot.lockNative('//Alice', 7n * UNIT, c.chainA.protocolChainId, addressToBytes32(user));
    await c.waitDelivered(c.bridgeA, [there]);
    const wrapped = await c.bridgeA.wrappedTokenOf(dotChain, NATIVE);
    const balanceOf = (who: Address) =>
      c.a.publicClient.readContract({ address: wrapped, abi: erc20, functionName: 'balanceOf', args: [who] });
    expect(await balanceOf(user)).toBe(7n * UNIT);
    expect(await dot.locked(NATIVE)).toBe(lockedBefore + 7n * UNIT);

    // back to an account that sends nothing (so pays no fee): its balance moves by exactly the amount
    const ferdie = dot.account('//Ferdie');
    const ferdieBefore = await dot.free(ferdie.address);
    const { message } = await c.bridgeA.burn(c.user, wrapped, 2n * UNIT, dotChain, ferdie.form);
    await dot.waitConsumed([message.messageId]);
    expect(await dot.free(ferdie.address)).toBe(ferdieBefore + 2n * UNIT);
    expect(await balanceOf(user)).toBe(5n * UNIT);
    expect(await dot.locked(NATIVE)).toBe(lockedBefore + 5n * UNIT);
    const supply = await c.a.publicClient.readContract({ address: wrapped, abi: erc20, functionName: 'totalSupply' });
    expect(supply).toBeLessThanOrEqual(await dot.locked(NATIVE));
  });

  it('GRANDPA gates signing: with the voters withheld a Polkadot message is observed but not signed; it is once they resume', async () => {
    const user = devnet.info.devAccounts[1]?.address as Address;
    const voterRpc = async (method: string, params: unknown[] = []) => {
      const res = await fetch(dot.chain.finalityRpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      });
      const body = (await res.json()) as { result?: unknown; error?: { message: string } };
      if (body.error) throw new Error(body.error.message);
      return body.result;
    };
    await voterRpc('dev_setWithheld', [true]);
    let id: `0x${string}` = '0x';
    try {
      id = await dot.lockNative('//Bob', 3n * UNIT, c.chainA.protocolChainId, addressToBytes32(user));
      // every node sees the event, none can prove it final: it stays unsigned, retried as not-final
      const deadline = Date.now() + 30_000;
      const retried = async () => {
        const all = await Promise.all(devnet.info.nodes.map((n) => verifierStatus(n.api)));
        return all.every((chains) => (chains.find((x) => x.chain === dot.chain.name)?.retried ?? 0) > 0);
      };
      while (Date.now() < deadline && !(await retried())) await new Promise((r) => setTimeout(r, 200));
      expect(await retried()).toBe(true);
      for (const n of devnet.info.nodes) {
        const record = await c.nodeRecord(n.api, id);
        expect(record?.stage).toBe('observed');
        const status = (await verifierStatus(n.api)).find((x) => x.chain === dot.chain.name);
        expect(status?.lastFailure?.reason).toBe('not-final');
        expect(status?.refused).toBe(0);
      }
      expect(await c.isConsumed(c.bridgeA, id)).toBe(false);
    } finally {
      await voterRpc('dev_setWithheld', [false]);
    }
    await c.waitDelivered(c.bridgeA, [id]);
    expect(await c.isConsumed(c.bridgeA, id)).toBe(true);
  });

  it('every node proved what it signed with its own verifier: confirmations, CometBFT light client, GRANDPA', async () => {
    for (const n of devnet.info.nodes) {
      const chains = await verifierStatus(n.api);
      const byName = new Map(chains.map((x) => [x.chain, x]));
      expect(byName.get(c.chainA.name)).toMatchObject({ mode: 'confirmations', refused: 0 });
      expect(byName.get(cosmos.chain.name)).toMatchObject({ mode: 'cometbft-light-client', refused: 0 });
      expect(byName.get(dot.chain.name)).toMatchObject({ mode: 'grandpa', refused: 0 });
      // each source chain of this suite had messages, and each was proved before this node signed it
      for (const name of [c.chainA.name, cosmos.chain.name, dot.chain.name])
        expect(byName.get(name)?.proved ?? 0).toBeGreaterThan(0);
      const metrics = await (await fetch(`${n.api}/metrics`)).text();
      expect(metrics).toMatch(
        new RegExp(`sah_verifier_proofs_total\\{chain="${dot.chain.name}",mode="grandpa"\\} [1-9]`),
      );
      expect(metrics).toMatch(/sah_verifier_failures_total\{chain="[a-z-]+",reason="not-final"\} [1-9]/);
    }
  });
});

interface ChainVerifierStatus {
  chain: string;
  mode: string;
  proved: number;
  refused: number;
  retried: number;
  lastFailure?: { reason: string };
}

async function verifierStatus(api: string): Promise<ChainVerifierStatus[]> {
  const res = await fetch(`${api}/v1/verifier`);
  if (!res.ok) throw new Error(`GET /v1/verifier: HTTP ${res.status}`);
  return ((await res.json()) as { chains: ChainVerifierStatus[] }).chains;
}
