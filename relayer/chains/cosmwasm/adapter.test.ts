/**
 * The CosmWasm adapter against a real wasmd chain with the bridge deployed under a dealt FROST key:
 * finding and verifying outbound messages, delivering signed ones, refusals by name, and recovering
 * the account sequence when another transaction used it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectSecp256k1HdWallet, DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import { bytesToHex, type Hex, hexToBytes } from 'viem';
import { generatePrivateKey } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCosmwasmArtifacts, cosmosAddressOf, deployCosmwasmBridge } from '../../../devnet/deployCosmwasm.js';
import {
  startWasmd,
  WASMD_BECH32_PREFIX,
  WASMD_DENOM,
  WASMD_DEV_ACCOUNTS,
  WASMD_DEV_COINS,
  WASMD_GAS_PRICE,
  type WasmdNode,
  wasmdBinary,
} from '../../../devnet/wasmd.js';
import { dealKeySet } from '../../../test/helpers/trustedDealer.js';
import { CometbftSourceVerifier, fetchTrustedCheckpoint } from '../../../verifier/cometbft/sourceVerifier.js';
import { judgeOutbound } from '../../pipeline/prover.js';
import { buildBatch, leafHash, messageId, signingDigest } from '../../protocol/digest.js';
import { type KeySet, signInProcess } from '../../protocol/frost.js';
import { encodeMessage } from '../../protocol/message.js';
import { addressToBytes32, packBytes32 } from '../../protocol/strings.js';
import { DeliveryRevertedError } from '../adapter.js';
import { bech32ToBytes32 } from './account.js';
import { CosmwasmChainAdapter } from './adapter.js';
import { lockMsg } from './bridgeContract.js';
import type { CosmwasmChainConfig } from './config.js';

const CHAIN = 10003;
const merkleRoot = (ids: Hex[]) => buildBatch(ids).root as Hex;
const ETHEREUM = 10001;
const COLD_BUILD_MS = 30 * 60_000;
const dev0 = WASMD_DEV_ACCOUNTS[0] as (typeof WASMD_DEV_ACCOUNTS)[number];
const dev1 = WASMD_DEV_ACCOUNTS[1] as (typeof WASMD_DEV_ACCOUNTS)[number];

describe('CosmWasm adapter on a real wasmd', () => {
  let node: WasmdNode;
  let dir: string;
  let keys: KeySet;
  let adapter: CosmwasmChainAdapter;
  let config: Omit<CosmwasmChainConfig, 'verifier'>;
  const operatorKey = generatePrivateKey();
  let nonce = 0n;

  /** A SAH transfer from Ethereum to dev1 here, signed by t of the dealt key. */
  function signedTransfer(amount: bigint) {
    nonce++;
    const message = bytesToHex(
      encodeMessage({
        kind: 'TokenTransfer',
        sourceChain: ETHEREUM,
        destinationChain: CHAIN,
        nonce,
        sender: addressToBytes32('0x000000000000000000000000000000000000a11c'),
        recipient: bech32ToBytes32(dev1.address),
        payload: {
          originChain: ETHEREUM,
          originToken: addressToBytes32('0x5a4000000000000000000000000000000000c0de'),
          amount,
          decimals: 18,
          symbol: packBytes32('SAH'),
          name: packBytes32('SAH Token'),
        },
      }),
    );
    const id = messageId(hexToBytes(message));
    const signature = bytesToHex(
      signInProcess(keys.keys.slice(0, 2), hexToBytes(signingDigest(1, CHAIN, adapter.instance, leafHash(id)))),
    );
    return {
      id,
      ref: { id, sourceChain: ETHEREUM, nonce },
      batch: { destinationChain: CHAIN, epoch: 1, root: leafHash(id), signature, messages: [message] },
    };
  }

  beforeAll(async () => {
    const binary = wasmdBinary();
    const artifacts = buildCosmwasmArtifacts();
    dir = mkdtempSync(join(tmpdir(), 'sah-cosmwasm-adapter-'));
    node = await startWasmd({
      binary,
      dir,
      chainId: 'sah-adapter-test',
      accounts: [dev0, dev1].map((a) => ({ ...a, coins: WASMD_DEV_COINS })),
      fundAddresses: [
        { address: await cosmosAddressOf(operatorKey, WASMD_BECH32_PREFIX), coins: `1000000000${WASMD_DENOM}` },
      ],
    });
    keys = dealKeySet(2, 3);
    const deployment = await deployCosmwasmBridge({
      rpcUrl: node.rpcUrl,
      deployerMnemonic: dev0.mnemonic,
      prefix: WASMD_BECH32_PREFIX,
      gasPrice: WASMD_GAS_PRICE,
      protocolChainId: CHAIN,
      groupKey: keys.groupKey.compressed,
      artifacts,
      nativeDenoms: [],
    });
    config = {
      name: 'wasmd',
      family: 'cosmwasm',
      devnet: true,
      unsafeConfirmationsFinality: false,
      protocolChainId: CHAIN,
      cosmosChainId: 'sah-adapter-test',
      rpcUrl: node.rpcUrl,
      bridge: deployment.bridge,
      prefix: WASMD_BECH32_PREFIX,
      gasPrice: WASMD_GAS_PRICE,
      finality: { confirmations: 0 },
      startBlock: BigInt(deployment.height),
      pollIntervalMs: 100,
      maxBlockRange: 100,
    };
    adapter = await CosmwasmChainAdapter.connect(config, operatorKey);
  }, COLD_BUILD_MS);

  afterAll(async () => {
    await node?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a node that serves another chain id', async () => {
    await expect(CosmwasmChainAdapter.connect({ ...config, cosmosChainId: 'other-1' }, operatorKey)).rejects.toThrow(
      /serves chain sah-adapter-test, not other-1/,
    );
  });

  it('finds a lock in its block; the verdict on it is proved, and altered copies are refused', async () => {
    // this node's verifier trusts the chain from before the lock (trust on first use) and proves from there
    const verifier = new CometbftSourceVerifier({
      rpcUrl: node.rpcUrl,
      chainId: config.cosmosChainId,
      contract: config.bridge,
      trusted: await fetchTrustedCheckpoint(node.rpcUrl),
      trustingPeriodSeconds: 14 * 86_400,
      maxClockDriftSeconds: 10,
      protocolChainId: CHAIN,
    });
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(dev0.mnemonic, { prefix: WASMD_BECH32_PREFIX });
    const { SigningCosmWasmClient } = await import('@cosmjs/cosmwasm-stargate');
    const client = await SigningCosmWasmClient.connectWithSigner(node.rpcUrl, wallet, {
      gasPrice: GasPrice.fromString(WASMD_GAS_PRICE),
    });
    const from = await adapter.finalHeight();
    const res = await client.execute(
      dev0.address,
      config.bridge,
      lockMsg(ETHEREUM, addressToBytes32('0x000000000000000000000000000000000000b0b0')),
      'auto',
      '',
      [{ denom: WASMD_DENOM, amount: '12345' }],
    );
    client.disconnect();
    let to = await adapter.finalHeight();
    while (to < BigInt(res.height)) to = await adapter.finalHeight();
    const found = await adapter.outboundMessages(from, to);
    expect(found).toHaveLength(1);
    const m = found[0] as (typeof found)[number];
    expect(m).toMatchObject({
      sourceChain: CHAIN,
      destinationChain: ETHEREUM,
      nonce: 1n,
      sourceBlock: BigInt(res.height),
    });
    expect(m.sourceTx).toBe(`0x${res.transactionHash.toLowerCase()}`);
    // the block after the lock's carries its commit: not-yet until it exists, then proved
    const judge = (x: typeof m) => judgeOutbound(verifier, x, 30_000);
    let verdict = await judge(m);
    for (let i = 0; verdict.kind === 'not-yet' && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 100));
      verdict = await judge(m);
    }
    expect(verdict).toMatchObject({ kind: 'proved', proof: { mode: 'cometbft-light-client' } });

    // bytes that are not the ones the bridge emitted, under their own id: the bridge never stored that id
    const altered = `${m.message.slice(0, -2)}${m.message.endsWith('00') ? '01' : '00'}` as Hex;
    expect(await judge({ ...m, message: altered, messageId: messageId(hexToBytes(altered)) })).toMatchObject({
      kind: 'refused',
      reason: 'value-mismatch',
    });
    // the real bytes under another id, or claimed under another nonce, source or destination than they say
    expect(await judge({ ...m, messageId: `0x${'ab'.repeat(32)}` })).toMatchObject({
      kind: 'refused',
      reason: 'malformed-input',
    });
    expect(await judge({ ...m, nonce: 2n })).toMatchObject({ kind: 'refused', reason: 'malformed-input' });
    expect(await judge({ ...m, sourceChain: ETHEREUM })).toMatchObject({ kind: 'refused', reason: 'malformed-input' });
    // a block beyond the chain's head is not final yet: asked again later, not refused
    expect(await judge({ ...m, sourceBlock: to + 100_000n })).toMatchObject({ kind: 'not-yet', reason: 'not-final' });
    await verifier.close();

    // the bridge's own count at the ends of blocks: 0 before the lock's block, 1 from it on, 0 before the
    // bridge existed (block 1, before its instantiation) and below the first block
    const lockHeight = BigInt(res.height);
    expect(await adapter.outboundCountAt(lockHeight - 1n)).toBe(0n);
    expect(await adapter.outboundCountAt(lockHeight)).toBe(1n);
    expect(await adapter.outboundCountAt(to)).toBe(1n);
    expect(await adapter.outboundCountAt(1n)).toBe(0n);
    expect(await adapter.outboundCountAt(0n)).toBe(0n);
  });

  it('delivers a signed message, sees it final, and names the refusal of a second delivery', async () => {
    const { ref, batch } = signedTransfer(10n ** 18n);
    expect(await adapter.isDelivered(ref)).toBe(false);
    const tx = await adapter.deliver(batch);
    let state = await adapter.deliveryState(tx);
    for (let i = 0; i < 100 && !(state.state === 'included' && state.final); i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = await adapter.deliveryState(tx);
    }
    expect(state).toMatchObject({ state: 'included', final: true });
    expect(await adapter.isDelivered(ref)).toBe(true);
    expect(await adapter.deliveredFinal([ref])).toEqual([true]);
    const again = await adapter.deliver(batch).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(DeliveryRevertedError);
    expect((again as DeliveryRevertedError).reason).toBe('MessageAlreadyConsumed');
    // a batch under a signature of something else
    const other = signedTransfer(5n);
    const forged = await adapter.deliver({ ...other.batch, signature: batch.signature }).catch((e: unknown) => e);
    expect((forged as DeliveryRevertedError).reason).toBe('InvalidSignature');
    expect(await adapter.deliveryState(`0x${'cd'.repeat(32)}`)).toEqual({ state: 'pending' });
  });

  it('delivers a batch of 20 under one signature over their Merkle root', async () => {
    const transfers = Array.from({ length: 20 }, (_, i) => signedTransfer(BigInt(i + 1)));
    const ids = transfers.map((t) => t.id);
    const refs = transfers.map((t) => t.ref);
    const root = merkleRoot(ids);
    const signature = bytesToHex(
      signInProcess(keys.keys.slice(0, 2), hexToBytes(signingDigest(1, CHAIN, adapter.instance, root))),
    );
    const messages = transfers.map((t) => t.batch.messages[0] as Hex);
    // 20 ids checked at once: more calls than CometBFT takes in one JSON-RPC batch (10)
    expect((await Promise.all(refs.map((r) => adapter.isDelivered(r)))).some(Boolean)).toBe(false);
    await adapter.deliver({ destinationChain: CHAIN, epoch: 1, root, signature, messages });
    const deadline = Date.now() + 30_000;
    while (!(await Promise.all(refs.map((r) => adapter.isDelivered(r)))).every(Boolean) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect((await Promise.all(refs.map((r) => adapter.isDelivered(r)))).every(Boolean)).toBe(true);
    // the 20 nonces share a word: one read answers them all; an undelivered nonce of the same word stays false
    const after = { id: ids[0] as Hex, sourceChain: ETHEREUM, nonce: nonce + 1n };
    expect(await adapter.deliveredFinal([...refs, after])).toEqual([...refs.map(() => true), false]);
  });

  it('sends back to back within a block, and recovers when another transaction took its sequence', async () => {
    const first = signedTransfer(1n);
    const second = signedTransfer(2n);
    // two deliveries before a block: the second needs the sequence the first left in the mempool
    const [tx1, tx2] = [await adapter.deliver(first.batch), await adapter.deliver(second.batch)];
    expect(tx1).not.toBe(tx2);
    // the operator's key signs something else, outside the adapter: the adapter's sequence is now stale
    const wallet = await DirectSecp256k1Wallet.fromKey(hexToBytes(operatorKey), WASMD_BECH32_PREFIX);
    const [account] = await wallet.getAccounts();
    const bank = await SigningStargateClient.connectWithSigner(node.rpcUrl, wallet, {
      gasPrice: GasPrice.fromString(WASMD_GAS_PRICE),
    });
    const deadline = Date.now() + 30_000;
    while (
      !((await adapter.isDelivered(first.ref)) && (await adapter.isDelivered(second.ref))) &&
      Date.now() < deadline
    )
      await new Promise((r) => setTimeout(r, 100));
    await bank.sendTokens(account?.address as string, dev0.address, [{ denom: WASMD_DENOM, amount: '1' }], 'auto');
    bank.disconnect();
    const third = signedTransfer(3n);
    await adapter.deliver(third.batch);
    while (!(await adapter.isDelivered(third.ref)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(await adapter.isDelivered(third.ref)).toBe(true);
    expect(await adapter.walletBalance()).toBeGreaterThan(0n);
    expect(await adapter.governanceState()).toEqual({ epoch: 1, governanceNonce: 0n });
  });
});
