/**
 * The user side without a chain: the devnet description read through each family's parser, assets, addresses
 * and signers picked by family through the registry, and a transfer's request checks, all before any RPC (the
 * chains' URLs here lead nowhere).
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/errors.js';
import { devnetSah, flowClientFor } from './devnet.js';
import { chainsOf, type DevnetChainInfo, type DevnetInfo, parseDevnetInfo } from './devnetInfo.js';
import { InvalidRequestError, parseAmount } from './flows.js';
import { addressToBytes32, bytes32ToAddress, resolveAsset, transfer } from './transfer.js';

const SAH = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const USER = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const DEV1 = 'wasm1hdftkwjx72rxeys5tr4dad5fuccw92ngm3d64g';
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const ALICE_BYTES = '0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d';
const NOWHERE = 'http://127.0.0.1:9';

const raw = {
  groupKey: `0x02${'11'.repeat(32)}`,
  epoch: 1,
  threshold: 3,
  redis: 'redis://127.0.0.1:6390/0',
  nodes: [{ id: 1, api: 'http://127.0.0.1:7101', config: 'node-1.json', log: 'node-1/node.log' }],
  chains: [
    {
      family: 'evm',
      name: 'ethereum-a',
      protocolChainId: 10001,
      evmChainId: 31001,
      rpcUrl: NOWHERE,
      bridge: `0x${'aa'.repeat(20)}`,
      sah: SAH,
      attestations: `0x${'bb'.repeat(20)}`,
      jobBoard: `0x${'cc'.repeat(20)}`,
    },
    {
      family: 'evm',
      name: 'ethereum-b',
      protocolChainId: 10002,
      evmChainId: 31002,
      rpcUrl: NOWHERE,
      bridge: `0x${'dd'.repeat(20)}`,
    },
    {
      family: 'cosmwasm',
      name: 'wasmd',
      protocolChainId: 10003,
      cosmosChainId: 'sah-devnet-1',
      rpcUrl: NOWHERE,
      restUrl: NOWHERE,
      bridge: 'wasm14hj2tavq8fpesdwxxcu44rty3hh90vhujrvcmstl4zr3txmfvw9s0phg4d',
      prefix: 'wasm',
      denom: 'stake',
      gasPrice: '0.025stake',
      cw20CodeId: 1,
      bridgeCodeId: 2,
      trustedCheckpoint: { height: 5, hash: `0x${'ab'.repeat(32)}` },
    },
    {
      family: 'substrate',
      name: 'polkadot',
      protocolChainId: 10004,
      wsUrl: 'ws://127.0.0.1:9',
      ss58Prefix: 42,
      finalityRpcUrl: NOWHERE,
      grandpaAuthorities: [`0x${'88'.repeat(32)}`],
      finalityFromBlock: 3,
    },
  ],
  devAccounts: [
    { name: 'user1', address: USER, key: '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d' },
  ],
  cosmosDevAccounts: [{ name: 'dev1', address: DEV1, mnemonic: 'twelve words of a devnet account here' }],
  substrateDevAccounts: [{ name: 'alice', uri: '//Alice' }],
};
const info: DevnetInfo = parseDevnetInfo(raw, 'devnet.json');

/** The InvalidRequestError a call throws (or rejects with). */
async function invalid(run: () => unknown): Promise<InvalidRequestError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof InvalidRequestError) return e;
    throw e;
  }
  throw new Error('expected an InvalidRequestError');
}

function configError(broken: unknown): ConfigError {
  try {
    parseDevnetInfo(broken, 'devnet.json');
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('the devnet description, each chain read by its family', () => {
  it('reads every family and its dev accounts', () => {
    expect(info.chains.map((c) => [c.name, c.family])).toEqual([
      ['ethereum-a', 'evm'],
      ['ethereum-b', 'evm'],
      ['wasmd', 'cosmwasm'],
      ['polkadot', 'substrate'],
    ]);
    expect(chainsOf(info, 'evm')[0]?.sah).toBe(SAH);
    expect(chainsOf(info, 'evm')[1]).not.toHaveProperty('sah');
    expect(chainsOf(info, 'cosmwasm')[0]?.trustedCheckpoint).toEqual({ height: 5, hash: `0x${'ab'.repeat(32)}` });
    expect(chainsOf(info, 'substrate')[0]?.ss58Prefix).toBe(42);
    expect(info.devAccounts[0]?.address).toBe(USER);
    expect(info.cosmosDevAccounts[0]?.address).toBe(DEV1);
    expect(info.substrateDevAccounts).toEqual([{ name: 'alice', uri: '//Alice' }]);
    expect(info.nodes[0]?.api).toBe('http://127.0.0.1:7101');
  });

  it('a devnet without a family has no dev accounts of it', () => {
    const evmOnly = parseDevnetInfo({ ...raw, chains: raw.chains.slice(0, 2), cosmosDevAccounts: undefined });
    expect(evmOnly.cosmosDevAccounts).toEqual([]);
  });

  it('names the field of every problem, the family checking its own', () => {
    const chains = (i: number, patch: object) => ({
      ...raw,
      chains: raw.chains.map((c, j) => (j === i ? { ...c, ...patch } : c)),
    });
    expect(configError(chains(1, { rpcUrl: undefined })).path).toBe('chains[1].rpcUrl');
    expect(configError(chains(0, { sah: '0x12' })).path).toBe('chains[0].sah');
    expect(configError(chains(2, { prefix: 'WASM' })).path).toBe('chains[2].prefix');
    expect(configError(chains(2, { trustedCheckpoint: { height: 5 } })).path).toBe('chains[2].trustedCheckpoint.hash');
    expect(configError(chains(3, { wsUrl: 'http://x' })).path).toBe('chains[3].wsUrl');
    expect(configError(chains(3, { family: 'btc' })).message).toMatch(
      /chains\[3\]\.family: unsupported chain family "btc" \(expected "evm", "cosmwasm", "substrate"\)/,
    );
    expect(configError(chains(1, { name: 'ethereum-a' })).message).toMatch(/duplicate chain name ethereum-a/);
    expect(configError({ ...raw, devAccounts: [{ name: 'u', address: USER, key: '0x12' }] }).path).toBe(
      'devAccounts[0].key',
    );
  });
});

describe('assets, addresses and signers, by family', () => {
  it('resolves every asset of the devnet by name, in any case', async () => {
    expect(resolveAsset(info, 'sah')).toEqual({
      symbol: 'SAH',
      originChain: 10001,
      originToken: `0x${'00'.repeat(12)}${SAH.slice(2).toLowerCase()}`,
      home: SAH,
    });
    expect(resolveAsset(info, 'SAH')).toEqual(resolveAsset(info, 'sah'));
    expect(resolveAsset(info, 'unit')).toMatchObject({ symbol: 'UNIT', originChain: 10004, home: 'native' });
    expect(resolveAsset(info, 'stake')).toMatchObject({ symbol: 'stake', originChain: 10003, home: 'stake' });
    const e = await invalid(() => resolveAsset(info, 'btc'));
    expect(e).toBeInstanceOf(InvalidRequestError);
    expect(e.field).toBe('asset');
    expect(e.message).toBe('asset btc: not an asset of this devnet (sah, stake, unit)');
    expect(devnetSah(info)).toEqual({ originChain: 10001, originToken: resolveAsset(info, 'sah').originToken });
  });

  it("reads each family's addresses in the 32-byte form, and writes them back", async () => {
    const chain = (name: string) => info.chains.find((c) => c.name === name) as DevnetChainInfo;
    const [a, w, p] = [chain('ethereum-a'), chain('wasmd'), chain('polkadot')];
    const user = await addressToBytes32(a, USER);
    expect(user).toBe(`0x${'00'.repeat(12)}${USER.slice(2).toLowerCase()}`);
    expect(await bytes32ToAddress(a, user)).toBe(USER.toLowerCase());
    const dev1 = await addressToBytes32(w, DEV1);
    expect(dev1).toMatch(/^0x0{24}[0-9a-f]{40}$/);
    expect(await bytes32ToAddress(w, dev1)).toBe(DEV1);
    expect(await addressToBytes32(p, ALICE)).toBe(ALICE_BYTES);
    expect(await bytes32ToAddress(p, ALICE_BYTES)).toBe(ALICE);

    // the wrong family's address, by field and chain
    expect((await invalid(() => addressToBytes32(a, DEV1, 'recipient'))).message).toBe(
      `recipient on ethereum-a: ${DEV1} is not a 20-byte 0x address`,
    );
    expect((await invalid(() => addressToBytes32(w, 'cosmos1hdftkwjx72rxeys5tr4dad5fuccw92ngpz8ya5'))).message).toMatch(
      /^address on wasmd: .*(prefix|bech32)/,
    );
    expect((await invalid(() => addressToBytes32(p, USER))).message).toMatch(
      /^address on polkadot: .* not a 32-byte account/,
    );
  });

  it('amounts: units to base units, positive', async () => {
    expect(parseAmount('1.5', 6)).toBe(1_500_000n);
    expect((await invalid(() => parseAmount('1x', 6))).message).toBe('amount 1x is not a number');
    expect((await invalid(() => parseAmount('0', 6))).message).toBe('amount must be positive');
  });
});

describe('a transfer refused before any chain is asked', () => {
  const cases: [string, Parameters<typeof transfer>[1], Parameters<typeof transfer>[2], string, string][] = [
    ['an unknown chain', { from: 'ethereum-a', to: 'btc', amount: '1' }, {}, 'to', 'to btc: no such devnet chain'],
    [
      'the same chain twice',
      { from: 'ethereum-a', to: '10001', amount: '1' },
      {},
      'from',
      'from and to are the same chain',
    ],
    [
      'an EVM key that is not one',
      { from: 'ethereum-a', to: 'wasmd', amount: '1' },
      { key: '0x12' },
      'key',
      'key must be',
    ],
    [
      'a recipient of the wrong form',
      { from: 'ethereum-a', to: 'wasmd', amount: '1', recipient: USER },
      {},
      'recipient',
      'recipient on wasmd: ',
    ],
    ['an unknown asset', { from: 'wasmd', to: 'polkadot', amount: '1', asset: 'dot' }, {}, 'asset', 'asset dot: '],
  ];
  for (const [what, request, signer, field, message] of cases)
    it(what, async () => {
      const e = await invalid(() => transfer(info, request, signer));
      expect(e.field).toBe(field);
      expect(e.message.startsWith(message)).toBe(true);
    });

  it('from a Cosmos chain without a mnemonic (the devnet has no Cosmos dev account)', async () => {
    const noCosmos = { ...info, cosmosDevAccounts: [] };
    const e = await invalid(() => transfer(noCosmos, { from: 'wasmd', to: 'ethereum-a', amount: '1' }));
    expect(e.message).toBe('mnemonic is needed to send from a Cosmos chain');
  });

  it('an EVM client connects without asking the chain (its errors come with its first call)', async () => {
    const client = await flowClientFor(info, 'ethereum-b');
    expect(client.protocolChainId).toBe(10002);
    expect(client.account).toBe(`0x${'00'.repeat(12)}${USER.slice(2).toLowerCase()}`);
    await client.close();
  });
});
