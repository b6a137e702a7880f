/**
 * End to end on the Cosmos leg: a real wasmd chain (CosmWasm bridge + wrapped cw20s) beside two anvil
 * chains, 5 relayer nodes with keys from the networked DKG. SAH to Cosmos and back, a Cosmos-native
 * denom to Ethereum and back, the contract refusing bad deliveries on the real chain, and a node killed
 * mid-flight.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeTxRaw } from '@cosmjs/proto-signing';
import { sha256 } from '@noble/hashes/sha2.js';
import { MsgExecuteContract } from 'cosmjs-types/cosmwasm/wasm/v1/tx';
import { type Address, bytesToHex, decodeFunctionData, type Hex, parseAbi, parseEther, slice } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Devnet, startDevnet } from '../../devnet/devnet.js';
import { plainHex } from '../../relayer/chains/cosmwasm/account.js';
import { bridgeAbi } from '../../relayer/chains/evm/abi/bridge.js';
import { loadDevnetConfig } from '../../relayer/config/devnetConfig.js';
import { addressToBytes32, encodeMessage, packBytes32 } from '../../relayer/protocol/index.js';
import { batchKey, ranking } from '../../relayer/signer/ranking.js';
import { CosmosClient } from '../helpers/cosmosClient.js';
import { DevnetClient } from '../helpers/devnetClient.js';

const OPERATORS = [1, 2, 3, 4, 5];
const erc20 = parseAbi([
  'function balanceOf(address) view returns (uint256)',
  'function decimals() view returns (uint8)',
]);

describe('Cosmos leg: wasmd + two anvil chains, 5 nodes, t = 3', () => {
  let devnet: Devnet;
  let c: DevnetClient;
  let cosmos: CosmosClient;
  let cosmosChain: number;
  const api = (id: number) => devnet.nodes[id - 1]?.api as string;
  const record = async (id: Hex) =>
    (await c.nodeRecord(api(1), id)) as { stage: string; deliveryTx?: Hex; root?: Hex } | undefined;

  beforeAll(async () => {
    devnet = await startDevnet(loadDevnetConfig('config/devnet.json'), {
      dir: mkdtempSync(join(tmpdir(), 'sah-devnet-cosmos-')),
      freePorts: true,
    });
    c = new DevnetClient(devnet.info);
    cosmos = await CosmosClient.connect(devnet.info);
    cosmosChain = cosmos.chain.protocolChainId;
    await c.approveAll();
  });

  afterAll(async () => {
    cosmos?.disconnect();
    await devnet?.stop();
  });

  /** Locks SAH on its home chain for a Cosmos account; returns the message id. */
  async function lockToCosmos(amount: bigint, recipient: Hex): Promise<Hex> {
    const { message } = await c.bridgeA.lock(c.user, c.sah, amount, cosmosChain, recipient);
    return message.messageId;
  }

  it('SAH Ethereum -> Cosmos (cw20 minted) -> Ethereum (burned, unlocked): balances right', async () => {
    const dev1 = cosmos.account('dev1');
    const user = devnet.info.devAccounts[0]?.address as Address;
    const lockedBefore = await c.bridgeA.locked(c.sah);
    const userBefore = await c.balanceA(user);

    const there = await lockToCosmos(parseEther('100'), dev1.form);
    await cosmos.waitConsumed([there]);
    const token = (await cosmos.wrappedToken(c.chainA.protocolChainId, addressToBytes32(c.sah))) as string;
    expect(token).toMatch(/^wasm1/);
    expect(await cosmos.cw20Balance(token, dev1.address)).toBe(parseEther('100'));
    expect(await cosmos.cw20Supply(token)).toBe(parseEther('100'));
    expect(await c.bridgeA.locked(c.sah)).toBe(lockedBefore + parseEther('100'));

    const back = await cosmos.burn('dev1', token, parseEther('40'), c.chainA.protocolChainId, addressToBytes32(user));
    await c.waitDelivered(c.bridgeA, [back]);
    expect(await cosmos.cw20Balance(token, dev1.address)).toBe(parseEther('60'));
    expect(await cosmos.cw20Supply(token)).toBe(parseEther('60'));
    expect(await cosmos.wrappedSupply(c.chainA.protocolChainId, addressToBytes32(c.sah))).toBe(parseEther('60'));
    expect(await c.bridgeA.locked(c.sah)).toBe(lockedBefore + parseEther('60'));
    expect(await c.balanceA(user)).toBe(userBefore - parseEther('60'));
    // supply conservation: wrapped SAH on every other chain <= SAH locked at home
    const wrappedElsewhere = (await cosmos.cw20Supply(token)) + (await c.supplyB());
    expect(wrappedElsewhere).toBeLessThanOrEqual(await c.bridgeA.locked(c.sah));
  });

  it('a Cosmos-native denom: stake Cosmos -> Ethereum (wrapped ERC-20) -> Cosmos: balances right', async () => {
    const user = devnet.info.devAccounts[0]?.address as Address;
    const dev2 = cosmos.account('dev2');
    const dev2Before = await cosmos.bank(dev2.address);
    const lockedBefore = await cosmos.locked('stake');

    const there = await cosmos.lock('dev0', 7_000_000n, c.chainA.protocolChainId, addressToBytes32(user));
    await c.waitDelivered(c.bridgeA, [there]);
    const stakeId = bytesToHex(sha256(new TextEncoder().encode('stake')));
    const wrapped = await c.bridgeA.wrappedTokenOf(cosmosChain, stakeId);
    const read = (functionName: 'decimals' | 'balanceOf', args?: [Address]) =>
      c.a.publicClient.readContract({ address: wrapped, abi: erc20, functionName, args } as never) as Promise<
        bigint | number
      >;
    expect(await read('balanceOf', [user])).toBe(7_000_000n);
    expect(await read('decimals')).toBe(6);
    expect(await cosmos.locked('stake')).toBe(lockedBefore + 7_000_000n);

    const { message } = await c.bridgeA.burn(c.user, wrapped, 2_500_000n, cosmosChain, dev2.form);
    await cosmos.waitConsumed([message.messageId]);
    // dev2 sends nothing, so pays no fee: its balance moves by exactly the amount
    expect(await cosmos.bank(dev2.address)).toBe(dev2Before + 2_500_000n);
    expect(await read('balanceOf', [user])).toBe(4_500_000n);
    expect(await cosmos.locked('stake')).toBe(lockedBefore + 4_500_000n);
    expect(await cosmos.bank(cosmos.chain.bridge)).toBe(await cosmos.locked('stake'));
  });

  it('the contract on the real chain refuses replayed, wrong-destination, wrong-epoch and badly signed messages by name', async () => {
    // a delivered message with its real group signature, read back from the delivery transaction
    const id = await lockToCosmos(parseEther('1'), cosmos.account('dev1').form);
    await cosmos.waitConsumed([id]);
    let delivery = await record(id);
    for (let i = 0; i < 50 && !delivery?.deliveryTx; i++) {
      await new Promise((r) => setTimeout(r, 100));
      delivery = await record(id);
    }
    const tx = await cosmos.query.getTx(plainHex(delivery?.deliveryTx as Hex).toUpperCase());
    const execute = MsgExecuteContract.decode(decodeTxRaw(tx?.tx as Uint8Array).body.messages[0]?.value as Uint8Array);
    const delivered = JSON.parse(new TextDecoder().decode(execute.msg)) as {
      receive_message?: { message: string; epoch: number; signature: string };
      receive_batch?: { messages: string[]; epoch: number; signature: string };
    };
    const expectRefused = async (msg: object, name: string) => {
      const res = await cosmos.executeUnsimulated('dev0', msg);
      expect(res.code).not.toBe(0);
      // on chain: the failed transaction's log names the bridge's error
      const onChain = await cosmos.query.getTx(res.transactionHash);
      expect(onChain?.code).toBe(res.code);
      expect(res.rawLog).toContain(`${name}:`);
    };
    await expectRefused(delivered, delivered.receive_batch ? 'BatchAlreadyDelivered' : 'MessageAlreadyConsumed');

    // a message for chain B under its real signature (taken from B's delivery calldata)
    const { message: forB } = await c.bridgeA.lock(
      c.user,
      c.sah,
      3n,
      c.chainB.protocolChainId,
      addressToBytes32(c.user.account.address),
    );
    await c.waitDelivered(c.bridgeB, [forB.messageId]);
    let bRecord = await record(forB.messageId);
    for (let i = 0; i < 50 && !bRecord?.deliveryTx; i++) {
      await new Promise((r) => setTimeout(r, 100));
      bRecord = await record(forB.messageId);
    }
    const bTx = await c.b.publicClient.getTransaction({ hash: bRecord?.deliveryTx as Hex });
    const call = decodeFunctionData({ abi: bridgeAbi, data: bTx.input });
    expect(call.functionName).toBe('receiveMessage');
    if (call.functionName !== 'receiveMessage') throw new Error(`delivered with ${call.functionName}`);
    const [bMessage, bEpoch, bSignature] = call.args;
    await expectRefused(
      {
        receive_message: { message: plainHex(bMessage), epoch: bEpoch, signature: plainHex(slice(bSignature, 0, 65)) },
      },
      'WrongDestination',
    );

    // a fresh message for this chain: an epoch with no key, then a signature that is not over it
    const fresh = bytesToHex(
      encodeMessage({
        kind: 'TokenTransfer',
        sourceChain: c.chainA.protocolChainId,
        destinationChain: cosmosChain,
        nonce: 1_000_000n,
        sender: addressToBytes32(c.user.account.address),
        recipient: cosmos.account('dev1').form,
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
    const realSignature = delivered.receive_message?.signature ?? (delivered.receive_batch?.signature as string);
    await expectRefused(
      { receive_message: { message: plainHex(fresh), epoch: 2, signature: realSignature } },
      'UnknownEpoch',
    );
    await expectRefused(
      { receive_message: { message: plainHex(fresh), epoch: 1, signature: realSignature } },
      'InvalidSignature',
    );
    await expectRefused(
      {
        receive_message: {
          message: plainHex(fresh),
          epoch: 1,
          signature: `${realSignature.slice(0, 66)}${'00'.repeat(32)}`,
        },
      },
      'InvalidSignature',
    );
    // nothing of it minted anything
    const token = (await cosmos.wrappedToken(c.chainA.protocolChainId, addressToBytes32(c.sah))) as string;
    expect(await cosmos.cw20Supply(token)).toBe(
      await cosmos.wrappedSupply(c.chainA.protocolChainId, addressToBytes32(c.sah)),
    );
    expect(await cosmos.cw20Supply(token)).toBeLessThan(parseEther('1000'));
  });

  it('a relayer node killed mid-flight: every message still delivered, once', async () => {
    const dev2 = cosmos.account('dev2');
    const token = (await cosmos.wrappedToken(c.chainA.protocolChainId, addressToBytes32(c.sah))) as string;
    const before = await cosmos.cw20Balance(token, dev2.address);
    const supplyBefore = await cosmos.cw20Supply(token);
    // SIGKILL the node that would coordinate the next batch for Cosmos, right as the locks land
    const nonce = await c.nextNonceA();
    const coordinator = ranking(
      batchKey({ sourceChain: c.chainA.protocolChainId, destinationChain: cosmosChain, nonce }),
      OPERATORS,
    )[0] as number;
    const ids = [await lockToCosmos(5n, dev2.form)];
    await devnet.stopNode(coordinator, 'SIGKILL');
    for (const amount of [6n, 7n, 8n]) ids.push(await lockToCosmos(amount, dev2.form));
    await cosmos.waitConsumed(ids, 90_000);
    expect(await cosmos.cw20Balance(token, dev2.address)).toBe(before + 26n);
    // minted exactly once each: the supply grew by the sum, no more
    expect(await cosmos.cw20Supply(token)).toBe(supplyBefore + 26n);
    await devnet.startNode(coordinator);
  });
});
