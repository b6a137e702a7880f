/**
 * EthereumSourceVerifier in sync-committee mode, fed the recorded mainnet light-client data: it syncs
 * periods 862..867 from the checkpoint and finalizes execution block 17,923,026. The recorded data
 * holds no execution header or storage proof of that block, so the execution-layer side is a stand-in
 * node, and the tests here show what the verifier refuses from it. A header cannot be rebuilt from the
 * beacon chain's ExecutionPayloadHeader: its transactions_root and withdrawals_root are SSZ roots, not
 * the header's Merkle-Patricia roots, so the stand-in's header does not hash to the finalized hash.
 */
import type { Hex, PublicClient } from 'viem';
import { describe, expect, it } from 'vitest';
import { flipHexBit } from '../testing/bits.js';
import { reasonOfAsync } from '../testing/reason.js';
import type { LightClientSource } from './beacon/api.js';
import { MAINNET, SECONDS_PER_SLOT } from './beacon/config.js';
import { beaconHeaderRoot, rootHex } from './beacon/containers.js';
import { parseBootstrap, parseUpdate } from './beacon/json.js';
import type { ExecutionPayloadHeader } from './beacon/types.js';
import type { RpcHeader } from './header.js';
import { EthereumSourceVerifier } from './sourceVerifier.js';
import { fixture } from './testdata/fixtures.js';

const bootstrap = parseBootstrap(fixture('beacon-lc-capella/bootstrap.json'));
const updates = fixture<unknown[]>('beacon-lc-capella/updates.json').map(parseUpdate);
const finality = parseUpdate(fixture('beacon-lc-capella/finality.json'));
const proof = fixture('el-block-21925176/rpc_proof.json');
const checkpoint = rootHex(beaconHeaderRoot(bootstrap.header.beacon));
/** The clock when the finality update was fresh (one slot after its signature slot). */
const then = () => (MAINNET.genesisTime + Number(finality.signatureSlot + 1n) * SECONDS_PER_SLOT) * 1000;
const BRIDGE = '0x00000000219ab540356cbb839cbe05303d7705fa';

/** A Shanghai-layout header from the beacon chain's copy of the payload header (see above: it cannot hash right). */
function rpcHeaderOf(e: ExecutionPayloadHeader): RpcHeader {
  const q = (n: bigint): Hex => `0x${n.toString(16)}`;
  return {
    hash: e.blockHash,
    parentHash: e.parentHash,
    sha3Uncles: '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347', // no ommers after the merge
    miner: e.feeRecipient,
    stateRoot: e.stateRoot,
    transactionsRoot: e.transactionsRoot,
    receiptsRoot: e.receiptsRoot,
    logsBloom: e.logsBloom,
    difficulty: '0x0',
    number: q(e.blockNumber),
    gasLimit: q(e.gasLimit),
    gasUsed: q(e.gasUsed),
    timestamp: q(e.timestamp),
    extraData: e.extraData,
    mixHash: e.prevRandao,
    nonce: '0x0000000000000000',
    baseFeePerGas: q(e.baseFeePerGas),
    withdrawalsRoot: e.withdrawalsRoot,
  };
}

const source = (over: Partial<LightClientSource> = {}): LightClientSource & { calls: string[] } => {
  const calls: string[] = [];
  return {
    calls,
    bootstrap: async (root) => {
      calls.push(`bootstrap ${root}`);
      return bootstrap;
    },
    updates: async (start, count) => {
      calls.push(`updates ${start} ${count}`);
      return updates.filter((u) => {
        const p = u.attestedHeader.beacon.slot / 8192n;
        return p >= start && p < start + BigInt(count);
      });
    },
    finalityUpdate: async () => {
      calls.push('finality');
      return finality;
    },
    ...over,
  };
};

function node(header: RpcHeader): PublicClient {
  return {
    request: async ({ method }: { method: string }) => {
      if (method === 'eth_getBlockByNumber') return header;
      if (method === 'eth_getProof') return proof;
      throw new Error(`unexpected ${method}`);
    },
  } as unknown as PublicClient;
}

const finalizedHeader = rpcHeaderOf(finality.finalizedHeader?.execution as ExecutionPayloadHeader);
const claim = { sourceChain: 1, nonce: 1n, messageId: `0x${'11'.repeat(32)}` as Hex, sourceBlock: 17_923_000n };

describe('EthereumSourceVerifier, sync-committee mode (mainnet light-client data)', () => {
  it('syncs from the checkpoint to the finalized block, then checks the node against it', async () => {
    const beacon = source();
    const v = new EthereumSourceVerifier({
      mode: 'sync-committee',
      protocolChainId: 1,
      rpc: node(finalizedHeader),
      bridge: BRIDGE,
      beacon,
      checkpoint,
      now: then,
    });
    expect(v.mode).toBe('sync-committee');
    const finalized = await v.sync();
    expect(finalized.blockNumber).toBe(17_923_026n);
    expect(finalized.blockHash).toBe('0xbc8499537876e5406c7a65e25f99063f1cd85a17014a3aa5ade38271b1fbf64f');
    expect(beacon.calls).toEqual([`bootstrap ${checkpoint}`, 'updates 862 6', 'finality']);
    // the stand-in header (MPT roots replaced by SSZ roots) does not hash to the finalized block hash
    expect(await reasonOfAsync(v.proveOutbound(claim))).toBe('bad-header');
    // a block past the finalized one is not final yet (transient)
    expect(await reasonOfAsync(v.proveOutbound({ ...claim, sourceBlock: 17_923_027n }))).toBe('not-final');
    // the sync is reused within resyncMs
    expect(beacon.calls).toHaveLength(3);
  });

  it('refuses a node serving another header for the finalized block', async () => {
    const v = new EthereumSourceVerifier({
      mode: 'sync-committee',
      protocolChainId: 1,
      rpc: node({ ...finalizedHeader, gasUsed: '0x1', hash: '0x' }),
      bridge: BRIDGE,
      beacon: source(),
      checkpoint,
      now: then,
    });
    expect(await reasonOfAsync(v.proveOutbound(claim))).toBe('malformed-input');
    const other = rpcHeaderOf(finality.attestedHeader.execution);
    const v2 = new EthereumSourceVerifier({
      mode: 'sync-committee',
      protocolChainId: 1,
      rpc: node(other),
      bridge: BRIDGE,
      beacon: source(),
      checkpoint,
      now: then,
    });
    expect(await reasonOfAsync(v2.proveOutbound(claim))).toBe('bad-header');
  });

  it('refuses a beacon node serving a tampered finality update or another checkpoint', async () => {
    const signature = flipHexBit(finality.syncAggregate.signature, 300);
    const tampered = { ...finality, syncAggregate: { ...finality.syncAggregate, signature } };
    const v = new EthereumSourceVerifier({
      mode: 'sync-committee',
      protocolChainId: 1,
      rpc: node(finalizedHeader),
      bridge: BRIDGE,
      beacon: source({ finalityUpdate: async () => tampered }),
      checkpoint,
      now: then,
    });
    expect(await reasonOfAsync(v.proveOutbound(claim))).toBe('bad-sync-committee-update');
    const w = new EthereumSourceVerifier({
      mode: 'sync-committee',
      protocolChainId: 1,
      rpc: node(finalizedHeader),
      bridge: BRIDGE,
      beacon: source(),
      checkpoint: updates[0]?.attestedHeader.beacon.parentRoot as Hex,
      now: then,
    });
    expect(await reasonOfAsync(w.proveOutbound(claim))).toBe('bad-sync-committee-update');
    expect(await reasonOfAsync(w.proveOutbound({ ...claim, sourceChain: 2 }))).toBe('wrong-chain');
  });
});
