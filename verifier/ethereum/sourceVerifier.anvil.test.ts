/**
 * EthereumSourceVerifier (confirmations mode) against a real anvil chain with the real Bridge: a lock
 * creates an outbound message, the verifier proves it from an eth_getProof checked against a hashed
 * header; wrong ids, nonces and chains fail. Also hashes real anvil headers of every fork London..Prague.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createPublicClient, type Hex, http, type PublicClient, parseAbi, parseEther } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANVIL_KEYS, type AnvilNode, startAnvil } from '../../devnet/anvil.js';
import { deployEvmBridge, type EvmDeployment } from '../../devnet/deployEvm.js';
import { freePort } from '../../devnet/ports.js';
import { addressToBytes32, ChainId, runDkgInProcess } from '../../relayer/protocol/index.js';
import { reasonOfAsync } from '../testing/reason.js';
import { type OutboundClaim, ProofError } from '../types.js';
import { outboundMessageIdSlot } from './bridgeSlot.js';
import { headerFork, type RpcHeader, verifyHeader } from './header.js';
import { EthereumSourceVerifier } from './sourceVerifier.js';

const [deployerKey, aliceKey] = ANVIL_KEYS;
const alice = privateKeyToAccount(aliceKey);
const erc20 = parseAbi(['function approve(address,uint256) returns (bool)']);

describe('EthereumSourceVerifier on a real anvil chain (confirmations mode)', () => {
  let chain: AnvilNode;
  let a: EvmDeployment;
  let sent: { nonce: bigint; messageId: Hex; blockNumber: bigint }[] = [];

  beforeAll(async () => {
    chain = await startAnvil({ chainId: 31_301 });
    a = await deployEvmBridge({
      rpcUrl: chain.rpcUrl,
      evmChainId: chain.chainId,
      protocolChainId: ChainId.DevEthereumA,
      groupKey: runDkgInProcess(2, 3).groupKey,
      deployerKey,
      sah: { holder: alice.address, supply: parseEther('1000') },
    });
    const wallet = a.clients.wallet(aliceKey);
    await a.clients.publicClient.waitForTransactionReceipt({
      hash: await wallet.writeContract({
        address: a.sah as Hex,
        abi: erc20,
        functionName: 'approve',
        args: [a.bridge.address, parseEther('10')],
      }),
    });
    sent = [];
    for (let i = 0; i < 2; i++) {
      const locked = await a.bridge.lock(
        wallet,
        a.sah as Hex,
        parseEther('1'),
        ChainId.DevEthereumB,
        addressToBytes32(alice.address),
      );
      sent.push(locked.message);
    }
  });

  afterAll(async () => {
    await chain?.stop();
  });

  const verifier = (confirmations: number, rpc?: string) =>
    new EthereumSourceVerifier({
      mode: 'confirmations',
      confirmations,
      protocolChainId: ChainId.DevEthereumA,
      rpc: rpc ?? chain.rpcUrl,
      bridge: a.bridge.address,
    });
  /** The claim the relayer makes for a sent message. */
  const claimOf = (m: (typeof sent)[number]): OutboundClaim => ({
    sourceChain: ChainId.DevEthereumA,
    nonce: m.nonce,
    messageId: m.messageId,
    sourceBlock: m.blockNumber,
  });

  it('the mapping slot formula matches the deployed bridge (storage layout slot 4)', async () => {
    for (const m of sent) {
      const word = await a.clients.publicClient.getStorageAt({
        address: a.bridge.address,
        slot: outboundMessageIdSlot(m.nonce),
      });
      expect(word).toBe(m.messageId);
    }
  });

  it('proves each outbound message from a proof against a hashed header', async () => {
    const v = verifier(0);
    expect(v.mode).toBe('confirmations');
    for (const m of sent) {
      const proof = await v.proveOutbound(claimOf(m));
      const head = await a.clients.publicClient.getBlock();
      expect(proof).toEqual({
        mode: 'confirmations',
        height: head.number,
        blockHash: head.hash,
        stateRoot: head.stateRoot,
      });
    }
  });

  it('a wrong message id, a nonce never used (exclusion proof) and another chain fail', async () => {
    const v = verifier(0);
    const m = sent[0] as (typeof sent)[number];
    const claim = claimOf(m);
    expect(await reasonOfAsync(v.proveOutbound({ ...claim, messageId: (sent[1] as typeof m).messageId }))).toBe(
      'value-mismatch',
    );
    expect(await reasonOfAsync(v.proveOutbound({ ...claim, messageId: `${m.messageId.slice(0, -1)}0` as Hex }))).toBe(
      'value-mismatch',
    );
    expect(await reasonOfAsync(v.proveOutbound({ ...claim, nonce: m.nonce + 100n }))).toBe('value-mismatch');
    expect(await reasonOfAsync(v.proveOutbound({ ...claim, nonce: (sent[1] as typeof m).nonce }))).toBe(
      'value-mismatch',
    );
    expect(await reasonOfAsync(v.proveOutbound({ ...claim, sourceChain: ChainId.DevEthereumB }))).toBe('wrong-chain');
    expect(await reasonOfAsync(v.proveOutbound({ ...claim, messageId: '0x1234' }))).toBe('malformed-input');
  });

  it('waits for confirmations (not-final), then proves', async () => {
    const m = sent[1] as (typeof sent)[number];
    const claim = claimOf(m);
    const head = await a.clients.publicClient.getBlockNumber();
    const v = verifier(Number(head - m.blockNumber) + 2);
    const error = await v.proveOutbound(claim).catch((e) => e);
    expect(error).toBeInstanceOf(ProofError);
    expect(error.reason).toBe('not-final');
    expect(error.transient).toBe(true);
    await a.clients.publicClient.request({ method: 'anvil_mine', params: ['0x2'] } as never);
    expect((await v.proveOutbound(claim)).height).toBe(m.blockNumber);
  });

  it('an unreachable RPC is rpc-unavailable (transient)', async () => {
    const error = await verifier(0, `http://127.0.0.1:${await freePort()}`)
      .proveOutbound({
        sourceChain: ChainId.DevEthereumA,
        nonce: 1n,
        messageId: `0x${'11'.repeat(32)}`,
        sourceBlock: 1n,
      })
      .catch((e) => e);
    expect(error.reason).toBe('rpc-unavailable');
    expect(error.transient).toBe(true);
  });

  it("a node lying about the proof's block or value is caught", async () => {
    const m = sent[0] as (typeof sent)[number];
    const honest = createPublicClient({ transport: http(chain.rpcUrl) }) as PublicClient;
    const lying = (patch: (method: string, result: Record<string, unknown>) => unknown) =>
      ({
        request: async (args: { method: string; params: unknown[] }) => {
          const result = (await honest.request(args as never)) as Record<string, unknown>;
          return patch(args.method, result);
        },
      }) as unknown as PublicClient;
    const claim = claimOf(m);
    const make = (rpc: PublicClient) =>
      new EthereumSourceVerifier({
        mode: 'confirmations',
        confirmations: 0,
        protocolChainId: ChainId.DevEthereumA,
        rpc,
        bridge: a.bridge.address,
      });
    // a header with another state root no longer hashes to its hash
    const otherRoot = lying((method, r) =>
      method === 'eth_getBlockByNumber' ? { ...r, stateRoot: `0x${'ab'.repeat(32)}` } : r,
    );
    expect(await reasonOfAsync(make(otherRoot).proveOutbound(claim))).toBe('bad-header');
    // a storage value the proof does not hold
    const otherValue = lying((method, r) =>
      method === 'eth_getProof'
        ? {
            ...r,
            storageProof: (r.storageProof as { value: Hex }[]).map((s) => ({ ...s, value: `0x${'22'.repeat(32)}` })),
          }
        : r,
    );
    expect(await reasonOfAsync(make(otherValue).proveOutbound(claim))).toBe('bad-state-proof');
    // a proof from another block (the genesis state) does not match the head's state root
    const staleV = make({
      request: (args: { method: string; params: unknown[] }) =>
        honest.request(
          (args.method === 'eth_getProof'
            ? { ...args, params: [args.params[0], args.params[1], '0x1'] }
            : args) as never,
        ),
    } as unknown as PublicClient);
    expect(await reasonOfAsync(staleV.proveOutbound(claim))).toBe('bad-state-proof');
  });
});

describe('real anvil headers of every fork hash to their block hash', () => {
  const ANVIL = fileURLToPath(new URL('../../node_modules/.bin/anvil', import.meta.url));
  const nodes: ChildProcess[] = [];
  afterAll(() => {
    for (const n of nodes) n.kill('SIGTERM');
  });

  async function headerUnder(hardfork?: string): Promise<RpcHeader> {
    const port = await freePort();
    const args = ['--host', '127.0.0.1', '--port', String(port), '--silent'];
    if (hardfork) args.push('--hardfork', hardfork);
    const child = spawn(ANVIL, args, { stdio: 'ignore' });
    nodes.push(child);
    const client = createPublicClient({ transport: http(`http://127.0.0.1:${port}`) });
    for (let i = 0; i < 100; i++) {
      try {
        await client.request({ method: 'anvil_mine', params: ['0x2'] } as never);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return (await client.request({ method: 'eth_getBlockByNumber', params: ['latest', false] } as never)) as RpcHeader;
  }

  it.each([
    ['london', 'london'],
    ['shanghai', 'shanghai'],
    ['cancun', 'cancun'],
    ['prague', 'prague'],
    [undefined, 'prague'], // anvil's default (Osaka-era rules) has Prague's header layout
  ] as const)('anvil --hardfork %s -> %s layout', async (hardfork, layout) => {
    const header = await headerUnder(hardfork);
    expect(headerFork(header)).toBe(layout);
    expect(verifyHeader(header)).toBe(header.hash);
  });
});
