/**
 * CometbftSourceVerifier against a real single-validator wasmd with the bridge deployed: a lock creates an
 * outbound message, which the verifier proves through a verified header and an ICS23 proof; a wrong id, a
 * nonce never used, an unfinished block, another chain and a forged checkpoint are all refused by reason.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice } from '@cosmjs/stargate';
import { type Hex, hexToBytes } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCosmwasmArtifacts, deployCosmwasmBridge } from '../../devnet/deployCosmwasm.js';
import {
  startWasmd,
  WASMD_BECH32_PREFIX,
  WASMD_DENOM,
  WASMD_DEV_ACCOUNTS,
  WASMD_DEV_COINS,
  WASMD_GAS_PRICE,
  type WasmdNode,
  wasmdBinary,
} from '../../devnet/wasmd.js';
import { lockMsg, MESSAGE_SENT_EVENT } from '../../relayer/chains/cosmwasm/bridgeContract.js';
import { messageId } from '../../relayer/protocol/digest.js';
import { addressToBytes32 } from '../../relayer/protocol/strings.js';
import { reasonOfAsync } from '../testing/reason.js';
import { type OutboundClaim, ProofError } from '../types.js';
import {
  CometbftSourceVerifier,
  type CometbftVerifierOptions,
  fetchTrustedCheckpoint,
  type TrustedCheckpoint,
} from './sourceVerifier.js';

const CHAIN = 10003;
const ETHEREUM = 10001;
const COSMOS_CHAIN_ID = 'sah-verifier-test';
const COLD_BUILD_MS = 30 * 60_000;
const dev0 = WASMD_DEV_ACCOUNTS[0] as (typeof WASMD_DEV_ACCOUNTS)[number];

describe('CometbftSourceVerifier on a real wasmd', () => {
  let node: WasmdNode;
  let dir: string;
  let bridge: string;
  let checkpoint: TrustedCheckpoint;
  let claim: OutboundClaim;
  let options: CometbftVerifierOptions;

  beforeAll(async () => {
    const binary = wasmdBinary();
    const artifacts = buildCosmwasmArtifacts();
    dir = mkdtempSync(join(tmpdir(), 'sah-cometbft-verifier-'));
    node = await startWasmd({
      binary,
      dir,
      chainId: COSMOS_CHAIN_ID,
      blockTimeMs: 200,
      accounts: [{ ...dev0, coins: WASMD_DEV_COINS }],
    });
    // trust on first use, before anything of interest happens: everything after is verified from here
    checkpoint = await fetchTrustedCheckpoint(node.rpcUrl);
    ({ bridge } = await deployCosmwasmBridge({
      rpcUrl: node.rpcUrl,
      deployerMnemonic: dev0.mnemonic,
      prefix: WASMD_BECH32_PREFIX,
      gasPrice: WASMD_GAS_PRICE,
      protocolChainId: CHAIN,
      // any valid point: nothing is delivered here (the secp256k1 generator)
      groupKey: '0x0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798',
      artifacts,
      nativeDenoms: [],
    }));
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(dev0.mnemonic, { prefix: WASMD_BECH32_PREFIX });
    const client = await SigningCosmWasmClient.connectWithSigner(node.rpcUrl, wallet, {
      gasPrice: GasPrice.fromString(WASMD_GAS_PRICE),
    });
    const res = await client.execute(
      dev0.address,
      bridge,
      lockMsg(ETHEREUM, addressToBytes32('0x000000000000000000000000000000000000b0b0')),
      'auto',
      '',
      [{ denom: WASMD_DENOM, amount: '4242' }],
    );
    client.disconnect();
    // the id from the emitted message bytes, independent of the storage the verifier reads
    const event = res.events.find((e) => e.type === MESSAGE_SENT_EVENT);
    const message = event?.attributes.find((a) => a.key === 'message')?.value as Hex;
    claim = {
      sourceChain: CHAIN,
      nonce: 1n,
      messageId: messageId(hexToBytes(message)),
      sourceBlock: BigInt(res.height),
    };
    options = {
      rpcUrl: node.rpcUrl,
      chainId: COSMOS_CHAIN_ID,
      contract: bridge,
      trusted: checkpoint,
      trustingPeriodSeconds: 14 * 86_400,
      maxClockDriftSeconds: 10,
      protocolChainId: CHAIN,
    };
  }, COLD_BUILD_MS);

  afterAll(async () => {
    await node?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('proves a locked message through a verified header and an ICS23 proof, then refuses altered claims', async () => {
    const verifier = new CometbftSourceVerifier(options);
    let proof = await verifier.proveOutbound(claim).catch((e: unknown) => e);
    // the block after the lock's may not be committed yet
    for (let i = 0; proof instanceof ProofError && proof.reason === 'not-final' && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      proof = await verifier.proveOutbound(claim).catch((e: unknown) => e);
    }
    if (proof instanceof Error) throw proof;
    expect(proof).toMatchObject({ mode: 'cometbft-light-client' });
    const p = proof as Awaited<ReturnType<CometbftSourceVerifier['proveOutbound']>>;
    expect(p.height).toBeGreaterThan(claim.sourceBlock);
    expect(p.blockHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(p.stateRoot).toMatch(/^0x[0-9a-f]{64}$/);
    // a second claim on the same block is answered from the verified header (no new header needed)
    expect((await verifier.proveOutbound(claim)).height).toBe(p.height);

    const wrongId = `${claim.messageId.slice(0, 65)}${claim.messageId.endsWith('0') ? '1' : '0'}` as Hex;
    expect(await reasonOfAsync(verifier.proveOutbound({ ...claim, messageId: wrongId }))).toBe('value-mismatch');
    // nonce 2 was never used: the node proves it absent (ICS23 non-existence), still refused
    expect(await reasonOfAsync(verifier.proveOutbound({ ...claim, nonce: 2n }))).toBe('value-mismatch');
    expect(await reasonOfAsync(verifier.proveOutbound({ ...claim, sourceBlock: claim.sourceBlock + 100_000n }))).toBe(
      'not-final',
    );
    expect(await reasonOfAsync(verifier.proveOutbound({ ...claim, sourceChain: ETHEREUM }))).toBe('wrong-chain');
    await verifier.close();
  });

  it('refuses a node of another chain, a forged checkpoint, an expired one, and a dead RPC', async () => {
    expect(
      await reasonOfAsync(new CometbftSourceVerifier({ ...options, chainId: 'other-1' }).proveOutbound(claim)),
    ).toBe('wrong-chain');
    const forged = { ...checkpoint, hash: `0x${'ab'.repeat(32)}` as Hex };
    expect(await reasonOfAsync(new CometbftSourceVerifier({ ...options, trusted: forged }).proveOutbound(claim))).toBe(
      'bad-header',
    );
    const later = () => new Date(Date.now() + 15 * 86_400_000);
    expect(await reasonOfAsync(new CometbftSourceVerifier({ ...options, now: later }).proveOutbound(claim))).toBe(
      'trusted-state-expired',
    );
    const dead = new CometbftSourceVerifier({ ...options, rpcUrl: 'http://127.0.0.1:9', rpcTimeoutMs: 2_000 });
    const e = await dead.proveOutbound(claim).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ProofError);
    expect((e as ProofError).reason).toBe('rpc-unavailable');
    expect((e as ProofError).transient).toBe(true);
  });

  it('follows the chain from the checkpoint across many blocks by skipping', async () => {
    const verifier = new CometbftSourceVerifier(options);
    const first = await verifier.proveOutbound(claim);
    await new Promise((r) => setTimeout(r, 500));
    // a claim seen later is proven at a newer header, verified from the last one
    const second = await verifier.proveOutbound({ ...claim, sourceBlock: first.height });
    expect(second.height).toBeGreaterThan(first.height);
    // a node restarted with a checkpoint taken after the lock still proves it (the entry is never deleted)
    const late = await fetchTrustedCheckpoint(node.rpcUrl);
    expect(late.height).toBeGreaterThan(claim.sourceBlock);
    const restarted = new CometbftSourceVerifier({ ...options, trusted: late });
    expect((await restarted.proveOutbound(claim)).height).toBeGreaterThanOrEqual(late.height);
  });
});
