import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { parseNodeConfig } from './nodeConfig.js';

const key = `0x${'11'.repeat(32)}`;
const evm = {
  name: 'ethereum-a',
  family: 'evm',
  protocolChainId: 10001,
  evmChainId: 31001,
  rpcUrl: 'http://127.0.0.1:8545',
  bridge: `0x${'22'.repeat(20)}`,
  verifier: { mode: 'confirmations', confirmations: 2 },
};
const cosmwasm = {
  name: 'wasmd',
  family: 'cosmwasm',
  protocolChainId: 10003,
  cosmosChainId: 'sah-devnet-1',
  rpcUrl: 'http://127.0.0.1:26657',
  bridge: 'wasm14hj2tavq8fpesdwxxcu44rty3hh90vhujrvcmstl4zr3txmfvw9s0phg4d',
  prefix: 'wasm',
  gasPrice: '0.025stake',
  verifier: { mode: 'cometbft-light-client', trustedHeight: 5, trustedHash: `0x${'ab'.repeat(32)}` },
};
const grandpa = { mode: 'grandpa', rpcUrl: 'http://127.0.0.1:9955', authorities: [`0x${'cd'.repeat(32)}`] };
const good = {
  operatorId: 1,
  listen: { port: 7101, peerPort: 7201 },
  redisUrl: 'redis://127.0.0.1:6390/1',
  keystore: { path: 'k.json', passwordEnv: 'PW' },
  groupFile: 'group.json',
  threshold: 1,
  operators: [{ id: 1, url: 'http://127.0.0.1:7101', identityKey: key }],
  chains: [evm, cosmwasm],
};

function errorOf(raw: unknown): ConfigError {
  try {
    parseNodeConfig(raw, 'node.json');
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('node config', () => {
  it('reads an EVM and a CosmWasm chain with their defaults', () => {
    const c = parseNodeConfig(good);
    expect(c.chains[0]).toMatchObject({ family: 'evm', maxBlockRange: 2000, finality: { confirmations: 0 } });
    expect(c.chains[1]).toMatchObject({
      family: 'cosmwasm',
      cosmosChainId: 'sah-devnet-1',
      prefix: 'wasm',
      gasPrice: '0.025stake',
      maxBlockRange: 100,
      startBlock: 0n,
    });
  });

  it('names the field and the reason of every CosmWasm chain problem', () => {
    const withChain = (patch: object) => ({ ...good, chains: [evm, { ...cosmwasm, ...patch }] });
    expect(errorOf(withChain({ family: 'solana' })).message).toMatch(/chains\[1\]\.family: unsupported chain family/);
    expect(errorOf(withChain({ bridge: 'cosmos1abc' })).path).toBe('chains[1].bridge');
    expect(errorOf(withChain({ bridge: `0x${'22'.repeat(20)}` })).message).toMatch(/bech32 address with prefix wasm/);
    expect(errorOf(withChain({ prefix: 'Wasm!' })).path).toBe('chains[1].prefix');
    expect(errorOf(withChain({ gasPrice: 'free' })).message).toMatch(/chains\[1\]\.gasPrice: must be like 0.025stake/);
    expect(errorOf(withChain({ cosmosChainId: '' })).path).toBe('chains[1].cosmosChainId');
    expect(errorOf(withChain({ finality: { tag: 'finalized' } })).message).toMatch(/only EVM chains have tags/);
    expect(errorOf(withChain({ rpcUrl: 'not a url' })).path).toBe('chains[1].rpcUrl');
    expect(errorOf(withChain({ protocolChainId: 10001 })).message).toMatch(/duplicate chain id 10001/);
  });

  it('reads a Substrate chain and names its problems', () => {
    const dot = {
      name: 'polkadot',
      family: 'substrate',
      protocolChainId: 10004,
      wsUrl: 'ws://127.0.0.1:9944',
      verifier: grandpa,
    };
    const c = parseNodeConfig({ ...good, chains: [evm, dot] });
    expect(c.chains[1]).toMatchObject({ family: 'substrate', ss58Prefix: 42, maxBlockRange: 50 });
    expect(errorOf({ ...good, chains: [evm, { ...dot, wsUrl: 'http://127.0.0.1:9944' }] }).message).toMatch(
      /chains\[1\]\.wsUrl: must be a ws:\/\/ or wss:\/\/ URL/,
    );
    expect(errorOf({ ...good, chains: [evm, { ...dot, ss58Prefix: 20_000 }] }).path).toBe('chains[1].ss58Prefix');
  });

  it('still names EVM chain problems', () => {
    expect(errorOf({ ...good, chains: [{ ...evm, bridge: '0x12' }, cosmwasm] }).path).toBe('chains[0].bridge');
    expect(errorOf({ ...good, chains: [{ ...evm, finality: { tag: 'latest' } }, cosmwasm] }).message).toMatch(
      /must be "finalized" or "safe"/,
    );
  });

  it('reads the verifier of each chain and refuses a chain without one', () => {
    const dot = { name: 'polkadot', family: 'substrate', protocolChainId: 10004, wsUrl: 'ws://127.0.0.1:9944' };
    const c = parseNodeConfig({ ...good, chains: [evm, cosmwasm, { ...dot, verifier: grandpa }] });
    expect(c.chains[0]?.verifier).toEqual({ mode: 'confirmations', confirmations: 2 });
    expect(c.chains[1]?.verifier).toEqual({
      mode: 'cometbft-light-client',
      trustedHeight: 5n,
      trustedHash: `0x${'ab'.repeat(32)}`,
      trustingPeriodSeconds: 14 * 86_400,
      maxClockDriftSeconds: 10,
    });
    expect(c.chains[2]?.verifier).toMatchObject({ mode: 'grandpa', setId: 0n, authorities: grandpa.authorities });

    const { verifier: _, ...bare } = evm;
    expect(errorOf({ ...good, chains: [bare, cosmwasm] }).message).toMatch(
      /chains\[0\]\.verifier: is required: how this node proves finality \("confirmations" or "sync-committee"\)/,
    );
    expect(errorOf({ ...good, chains: [evm, { ...cosmwasm, verifier: { mode: 'grandpa' } }] }).message).toMatch(
      /chains\[1\]\.verifier\.mode: must be "cometbft-light-client" for a cosmwasm chain/,
    );
    expect(
      errorOf({ ...good, chains: [evm, { ...cosmwasm, verifier: { ...cosmwasm.verifier, trustedHash: '0x12' } }] })
        .path,
    ).toBe('chains[1].verifier.trustedHash');
    const twice = { ...grandpa, authorities: [grandpa.authorities[0], grandpa.authorities[0]] };
    expect(errorOf({ ...good, chains: [evm, { ...dot, verifier: twice }] }).message).toMatch(/lists a key twice/);
    expect(
      errorOf({ ...good, chains: [{ ...evm, verifier: { mode: 'sync-committee', checkpoint: '0x00' } }, cosmwasm] })
        .path,
    ).toBe('chains[0].verifier.beaconUrl');
  });
});
