/**
 * The devnet's Polkadot chain: the committed dev runtime's raw genesis (contracts/substrate/artifacts), with
 * the bridge pallet's group key set to the DKG's key and the GRANDPA voter set in `:grandpa_authorities`, run
 * under chopsticks; the operators' delivery accounts (their secp256k1 keys as ECDSA accounts) funded by
 * //Alice. Chopsticks has no finality of its own: the devnet's GRANDPA voter (grandpaVoter.ts) signs
 * justifications over shadow headers with the real state root, which the relayers' verifiers check.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiPromise, Keyring } from '@polkadot/api';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, xxhashAsU8a } from '@polkadot/util-crypto';
import { type Hex, hexToBytes } from 'viem';
import type {} from '../relayer/chains/substrate/interfaces/augment-api.js';
import { wsProvider } from '../relayer/chains/substrate/wsProvider.js';
import { type ChopsticksNode, startChopsticks } from './chopsticks.js';
import { type GrandpaVoter, startGrandpaVoter, withGrandpaAuthorities } from './grandpaVoter.js';
import type { RawChainSpec } from './substrateGenesis.js';

export const SUBSTRATE_GENESIS = 'contracts/substrate/artifacts/genesis.json';
export const SUBSTRATE_SS58_PREFIX = 42;
/** 1 UNIT of the dev runtime (12 decimals). */
export const SUBSTRATE_UNIT = 10n ** 12n;

/** Well-known dev accounts of the dev runtime's genesis (public test keys). */
export const SUBSTRATE_DEV_ACCOUNTS = ['alice', 'bob', 'charlie', 'dave', 'eve', 'ferdie'].map((name) => ({
  name,
  uri: `//${name[0]?.toUpperCase()}${name.slice(1)}`,
}));

function storageValueKey(pallet: string, item: string): Hex {
  return u8aToHex(u8aConcat(xxhashAsU8a(pallet, 128), xxhashAsU8a(item, 128))) as Hex;
}

/** The committed genesis with the bridge's epoch-1 key replaced (a 33-byte array: SCALE is the bytes). */
export function genesisWithGroupKey(groupKey: Hex): RawChainSpec {
  const spec = JSON.parse(readFileSync(SUBSTRATE_GENESIS, 'utf8')) as RawChainSpec;
  const key = storageValueKey('SahBridge', 'CurrentKey');
  if (!(key in spec.genesis.raw.top)) throw new Error(`${SUBSTRATE_GENESIS} has no SahBridge::CurrentKey`);
  if (hexToBytes(groupKey).length !== 33) throw new Error(`group key ${groupKey} is not 33 bytes`);
  spec.genesis.raw.top[key] = groupKey.toLowerCase();
  return spec;
}

export interface SubstrateDevnetChain {
  node: ChopsticksNode;
  /** Height after setup: the relayers scan (and their verifiers start) from here. */
  height: number;
  /** Signs GRANDPA justifications for the chain's blocks; serves them with read proofs. */
  voter: GrandpaVoter;
}

export async function startSubstrateChain(opts: {
  dir: string;
  groupKey: Hex;
  /** Chopsticks' port (0, undefined or left out: a free one). */
  port?: number | undefined;
  /** Port of the GRANDPA voter's JSON-RPC (default: a free one). */
  voterPort?: number | undefined;
  /** secp256k1 private keys of the operators' delivery accounts, funded from //Alice. */
  operatorKeys: Hex[];
}): Promise<SubstrateDevnetChain> {
  mkdirSync(opts.dir, { recursive: true });
  const genesisFile = join(opts.dir, 'genesis.json');
  // the voter set goes into the genesis; keys sorted, which chopsticks' key paging needs (grandpa/genesis.ts)
  writeFileSync(genesisFile, JSON.stringify(withGrandpaAuthorities(genesisWithGroupKey(opts.groupKey))));
  const node = await startChopsticks({ genesisFile, dir: opts.dir, port: opts.port });
  try {
    await cryptoWaitReady();
    const api = await ApiPromise.create({ provider: wsProvider(node.wsUrl), noInitWarn: true });
    try {
      const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
      const ecdsa = new Keyring({ type: 'ecdsa', ss58Format: SUBSTRATE_SS58_PREFIX });
      let nonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
      for (const key of opts.operatorKeys) {
        const operator = ecdsa.addFromSeed(hexToBytes(key));
        await api.tx.balances
          .transferKeepAlive(operator.address, 1_000n * SUBSTRATE_UNIT)
          .signAndSend(alice, { nonce: nonce++ });
      }
      // instant mode builds a block per transaction: wait until the last one is in
      const deadline = Date.now() + 30_000;
      const last = ecdsa.addFromSeed(hexToBytes(opts.operatorKeys.at(-1) as Hex));
      while (Date.now() < deadline) {
        const account = await api.query.system.account(last.address);
        if (account.data.free.toBigInt() > 0n) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const height = (await api.rpc.chain.getHeader()).number.toNumber();
      const voter = await startGrandpaVoter({ chopsticksWsUrl: node.wsUrl, port: opts.voterPort });
      return { node, height, voter };
    } finally {
      await api.disconnect();
    }
  } catch (e) {
    await node.stop();
    throw e;
  }
}
