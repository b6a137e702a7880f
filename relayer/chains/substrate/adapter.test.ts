/**
 * The Substrate adapter's outbound count against the dev runtime under chopsticks: the pallet's
 * `OutboundNonce` read at a block's hash, before and after a lock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiPromise, Keyring } from '@polkadot/api';
import type { ISubmittableResult } from '@polkadot/types/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { generatePrivateKey } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChopsticksNode, startChopsticks } from '../../../devnet/chopsticks.js';
import { SUBSTRATE_GENESIS, SUBSTRATE_SS58_PREFIX, SUBSTRATE_UNIT } from '../../../devnet/substrateDevnet.js';
import { SubstrateChainAdapter } from './adapter.js';
import type { SubstrateChainConfig } from './config.js';
import type {} from './interfaces/augment-api.js';
import { wsProvider } from './wsProvider.js';

describe('Substrate adapter on the dev runtime', () => {
  let node: ChopsticksNode;
  let dir: string;
  let api: ApiPromise;
  let adapter: SubstrateChainAdapter;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sah-substrate-adapter-'));
    node = await startChopsticks({ genesisFile: SUBSTRATE_GENESIS, dir });
    await cryptoWaitReady();
    api = await ApiPromise.create({ provider: wsProvider(node.wsUrl), noInitWarn: true });
    const config: Omit<SubstrateChainConfig, 'verifier'> = {
      name: 'dot',
      family: 'substrate',
      devnet: true,
      unsafeConfirmationsFinality: false,
      protocolChainId: api.consts.sahBridge.chainId.toNumber(),
      wsUrl: node.wsUrl,
      ss58Prefix: SUBSTRATE_SS58_PREFIX,
      finality: { confirmations: 0 },
      startBlock: 0n,
      pollIntervalMs: 100,
      maxBlockRange: 100,
    };
    adapter = await SubstrateChainAdapter.connect(config, generatePrivateKey());
  }, 120_000);

  afterAll(async () => {
    await adapter?.disconnect();
    await api?.disconnect();
    await node?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('counts the outbound messages by the end of each block: 0 before a lock, 1 from its block on', async () => {
    const chainId = api.consts.sahBridge.chainId.toNumber();
    const alice = new Keyring({ type: 'sr25519', ss58Format: SUBSTRATE_SS58_PREFIX }).addFromUri('//Alice');
    const lockBlock = await new Promise<bigint>((resolve, reject) => {
      api.tx.sahBridge
        .lockNative(2n * SUBSTRATE_UNIT, chainId + 1, `0x${'b0'.repeat(32)}`)
        .signAndSend(alice, ({ status, dispatchError }: ISubmittableResult) => {
          if (!status.isInBlock) return;
          if (dispatchError) reject(new Error(dispatchError.toString()));
          else api.rpc.chain.getHeader(status.asInBlock).then((h) => resolve(BigInt(h.number.toNumber())), reject);
        })
        .catch(reject);
    });
    let to = await adapter.finalHeight();
    for (let i = 0; i < 100 && to < lockBlock; i++) {
      await new Promise((r) => setTimeout(r, 100));
      to = await adapter.finalHeight();
    }
    const found = await adapter.outboundMessages(lockBlock, lockBlock);
    expect(found.map((m) => m.nonce)).toEqual([1n]);
    expect(await adapter.outboundCountAt(0n)).toBe(0n);
    expect(await adapter.outboundCountAt(lockBlock - 1n)).toBe(0n);
    expect(await adapter.outboundCountAt(lockBlock)).toBe(1n);
    expect(await adapter.outboundCountAt(to)).toBe(1n);
    expect(await adapter.outboundCountAt(-1n)).toBe(0n);
  });
});
