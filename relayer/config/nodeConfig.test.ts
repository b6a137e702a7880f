import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { newIdentity } from '../peer/identity.js';
import { ConfigError } from './errors.js';
import { configWarnings, parseNodeConfig } from './nodeConfig.js';

const key = newIdentity().publicKey;
const key2 = newIdentity().publicKey;
const evm = {
  name: 'ethereum-a',
  family: 'evm',
  devnet: true,
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
  threshold: 2,
  operators: [
    { id: 1, url: 'http://127.0.0.1:7201', identityKey: key },
    { id: 2, url: 'http://127.0.0.1:7202', identityKey: key2 },
  ],
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
    expect(errorOf(withChain({ finality: { tag: 'finalized' } })).message).toMatch(
      /chains\[1\]\.finality\.tag: a cosmwasm chain has no finality tags/,
    );
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

  describe('EVM RPC endpoints: rpcUrl or rpcUrls, and rpcQuorum', () => {
    const withRpc = (patch: object) => {
      const { rpcUrl: _, ...noUrl } = evm;
      return { ...good, chains: [{ ...noUrl, ...patch }, cosmwasm] };
    };
    const three = ['http://127.0.0.1:8545', 'https://eth.example.org/v3/key', 'https://rpc.example.net'];

    it('rpcUrl alone is a list of one with a quorum of one', () => {
      const c = parseNodeConfig(good);
      expect(c.chains[0]).toMatchObject({ rpcUrl: evm.rpcUrl, rpcUrls: [evm.rpcUrl], rpcQuorum: 1 });
    });

    it('rpcUrls default to a majority quorum; rpcUrl names the first; an explicit quorum in 1..count is kept', () => {
      expect(parseNodeConfig(withRpc({ rpcUrls: three })).chains[0]).toMatchObject({
        rpcUrl: three[0],
        rpcUrls: three,
        rpcQuorum: 2,
      });
      const four = [...three, 'https://rpc.example.com'];
      expect(parseNodeConfig(withRpc({ rpcUrls: four })).chains[0]).toMatchObject({ rpcQuorum: 3 });
      expect(parseNodeConfig(withRpc({ rpcUrls: three, rpcQuorum: 3 })).chains[0]).toMatchObject({ rpcQuorum: 3 });
      expect(configWarnings(parseNodeConfig(withRpc({ rpcUrls: three })))).toEqual([]);
    });

    it('a quorum outside 1..count is refused, naming rpcQuorum; at most half of the URLs warns', () => {
      for (const rpcQuorum of [0, 4, 1.5, '2']) {
        const e = errorOf(withRpc({ rpcUrls: three, rpcQuorum }));
        expect(e.path).toBe('chains[0].rpcQuorum');
        expect(e.message).toMatch(/must be an integer in 1\.\.3/);
      }
      expect(errorOf({ ...good, chains: [{ ...evm, rpcQuorum: 2 }, cosmwasm] }).path).toBe('chains[0].rpcQuorum');
      const weak = parseNodeConfig(withRpc({ rpcUrls: three, rpcQuorum: 1 }));
      expect(configWarnings(weak).join('\n')).toMatch(/ethereum-a: rpcQuorum 1 of 3 RPC URLs is at most half/);
    });

    it('duplicates, non-URLs, non-HTTP schemes, an empty list and both fields are refused, naming the field', () => {
      const dup = errorOf(
        withRpc({ rpcUrls: ['http://127.0.0.1:8545', 'https://x.example', 'http://127.0.0.1:8545/'] }),
      );
      expect(dup.path).toBe('chains[0].rpcUrls[2]');
      expect(dup.message).toMatch(/the same endpoint as rpcUrls\[0\]/);
      // a host's case does not make it another provider
      expect(errorOf(withRpc({ rpcUrls: ['https://RPC.example.org', 'https://rpc.example.org'] })).path).toBe(
        'chains[0].rpcUrls[1]',
      );
      const notUrl = errorOf(withRpc({ rpcUrls: ['http://127.0.0.1:8545', 'not a url'] }));
      expect(notUrl.path).toBe('chains[0].rpcUrls[1]');
      expect(notUrl.message).toMatch(/not a URL/);
      expect(errorOf(withRpc({ rpcUrls: ['http://127.0.0.1:8545', 42] })).path).toBe('chains[0].rpcUrls[1]');
      const ws = errorOf(withRpc({ rpcUrls: ['ws://127.0.0.1:8546'] }));
      expect(ws.path).toBe('chains[0].rpcUrls[0]');
      expect(ws.message).toMatch(/must be an http:\/\/ or https:\/\/ URL/);
      expect(errorOf(withRpc({ rpcUrls: [] })).path).toBe('chains[0].rpcUrls');
      expect(errorOf(withRpc({ rpcUrls: 'http://127.0.0.1:8545' })).path).toBe('chains[0].rpcUrls');
      expect(errorOf(withRpc({})).path).toBe('chains[0].rpcUrl');
      const both = errorOf({ ...good, chains: [{ ...evm, rpcUrls: three }, cosmwasm] });
      expect(both.path).toBe('chains[0].rpcUrls');
      expect(both.message).toMatch(/not both/);
      const many = Array.from({ length: 17 }, (_, i) => `https://rpc${i}.example.org`);
      expect(errorOf(withRpc({ rpcUrls: many })).message).toMatch(/chains\[0\]\.rpcUrls: lists 17 URLs; at most 16/);
    });
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

  describe('what an attacker or a careless operator could configure is refused, with the field named', () => {
    const real = {
      ...evm,
      devnet: false,
      evmChainId: 1,
      rpcUrl: 'https://eth.example.org',
      finality: { tag: 'finalized' },
      verifier: { mode: 'sync-committee', beaconUrl: 'https://beacon.example.org', checkpoint: `0x${'ab'.repeat(32)}` },
    };
    const withEvm = (patch: object) => ({ ...good, chains: [{ ...real, ...patch }, cosmwasm] });

    it('accepts a real Ethereum chain proved by the sync committee from its finalized block, and a rediss:// Redis', () => {
      const c = parseNodeConfig({ ...withEvm({}), redisUrl: 'rediss://redis.internal:6380/1' });
      expect(c.chains[0]).toMatchObject({ devnet: false, evmChainId: 1, finality: { tag: 'finalized' } });
      expect(c.redisUrl).toBe('rediss://redis.internal:6380/1');
    });

    it('`confirmations` mode on evmChainId 1 is refused, even with the unsafe opt-in', () => {
      const e = errorOf(withEvm({ verifier: { mode: 'confirmations', confirmations: 100 } }));
      expect(e.path).toBe('chains[0].verifier.mode');
      expect(e.message).toMatch(/use "sync-committee"/);
      const optIn = errorOf(
        withEvm({ unsafeConfirmationsFinality: true, verifier: { mode: 'confirmations', confirmations: 100 } }),
      );
      expect(optIn.path).toBe('chains[0].verifier.mode');
      expect(errorOf(withEvm({ devnet: true })).path).toBe('chains[0].devnet');
    });

    it('`confirmations` mode and 0 confirmations on a non-devnet chain are refused; only the loud opt-in with depth passes', () => {
      const l2 = { evmChainId: 8453, verifier: { mode: 'confirmations' } };
      expect(errorOf(withEvm(l2)).message).toMatch(/only on a devnet chain .* or with "unsafeConfirmationsFinality"/);
      expect(errorOf(withEvm({ ...l2, unsafeConfirmationsFinality: true })).path).toBe(
        'chains[0].verifier.confirmations',
      );
      const deep = { ...l2, unsafeConfirmationsFinality: true, verifier: { mode: 'confirmations', confirmations: 64 } };
      expect(errorOf(withEvm({ ...deep, finality: { confirmations: 0 } })).path).toBe(
        'chains[0].finality.confirmations',
      );
      expect(errorOf(withEvm({ ...deep, finality: {} })).path).toBe('chains[0].finality.confirmations');
      const ok = parseNodeConfig(withEvm({ ...deep, finality: { confirmations: 64 } }));
      expect(configWarnings(ok).join('\n')).toMatch(/UNSAFE confirmations finality/);
      // a real chain without an explicit finality waits for nothing: refused (no silent 0)
      expect(errorOf(withEvm({ finality: undefined })).path).toBe('chains[0].finality');
      expect(errorOf(withEvm({ finality: { tag: 'safe' } })).path).toBe('chains[0].finality.tag');
    });

    it('a small-order, a non-canonical, a torsioned and a duplicate identity key are refused', () => {
      const withKey = (identityKey: string) => ({
        ...good,
        operators: [good.operators[0], { ...good.operators[1], identityKey }],
      });
      // the identity point (0, 1), order 1; and (0, -1), order 2
      const identity = `0x01${'00'.repeat(31)}`;
      const minusOne = `0x${'ec'}${'ff'.repeat(30)}7f`;
      for (const small of [identity, minusOne]) {
        const e = errorOf(withKey(small));
        expect(e.path).toBe('operators[1].identityKey');
        expect(e.message).toMatch(/small-order/);
      }
      // y = p + 1 encodes y = 1 again: not canonical
      const nonCanonical = `0xee${'ff'.repeat(30)}7f`;
      expect(errorOf(withKey(nonCanonical)).message).toMatch(/canonical/);
      // a valid key plus a point of order 8: on the curve, not in the prime-order subgroup
      const torsion = ed25519.Point.fromBytes(
        Uint8Array.from(Buffer.from('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', 'hex')),
      );
      const mixed = bytesToHex(ed25519.Point.fromHex(key.slice(2)).add(torsion).toBytes());
      expect(errorOf(withKey(mixed)).message).toMatch(/torsion/);
      const dup = errorOf(withKey(key));
      expect(dup.path).toBe('operators[1].identityKey');
      expect(dup.message).toMatch(/operator 1 has the same identity key/);
    });

    it('threshold 1, threshold above n and a one-operator set are refused; t <= n/2 warns', () => {
      expect(errorOf({ ...good, threshold: 1 }).path).toBe('threshold');
      expect(errorOf({ ...good, threshold: 3 }).path).toBe('threshold');
      expect(errorOf({ ...good, operators: [good.operators[0]] }).path).toBe('operators');
      const four = [3, 4].map((id) => ({ id, url: `http://127.0.0.1:72${id}0`, identityKey: newIdentity().publicKey }));
      const half = parseNodeConfig({ ...good, operators: [...good.operators, ...four] });
      expect(configWarnings(half).join('\n')).toMatch(/threshold 2 of 4 is at most half/);
    });

    it('Redis: a password in the URL and plain redis:// off loopback are refused; an ACL user with a password file passes', () => {
      expect(errorOf({ ...good, redisUrl: 'rediss://relayer:hunter2@redis.internal:6380/1' }).message).toMatch(
        /redisUrl: holds a password/,
      );
      expect(errorOf({ ...good, redisUrl: 'redis://10.0.0.8:6379/1' }).message).toMatch(/use rediss:\/\/ \(TLS\)/);
      expect(errorOf({ ...good, redisAuth: { username: 'relayer' } }).path).toBe('redisAuth');
      const c = parseNodeConfig({
        ...good,
        redisUrl: 'rediss://redis.internal:6380/1',
        redisAuth: { username: 'relayer', passwordFile: '/run/secrets/redis' },
      });
      expect(c.redisAuth).toEqual({ username: 'relayer', passwordFile: '/run/secrets/redis', passwordEnv: undefined });
    });

    it('a plain http:// peer URL off loopback is refused; https:// and loopback http:// pass', () => {
      const withUrl = (url: string) => ({ ...good, operators: [good.operators[0], { ...good.operators[1], url }] });
      const e = errorOf(withUrl('http://10.0.0.7:7202'));
      expect(e.path).toBe('operators[1].url');
      expect(e.message).toMatch(/plain http:\/\/ to a non-loopback host \(10\.0\.0\.7\)/);
      expect(errorOf(withUrl('redis://10.0.0.7:7202')).path).toBe('operators[1].url');
      expect(parseNodeConfig(withUrl('https://operator2.example.org:7202')).operators[1]?.url).toMatch(/^https/);
      expect(parseNodeConfig(withUrl('http://localhost:7202')).operators[1]?.url).toMatch(/localhost/);
    });
  });
});
