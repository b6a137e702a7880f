/**
 * `sah-bridge config validate` as an operator runs it (the compiled CLI in a child process): every
 * unsafe config is refused on one line naming the file, the field and the reason, with no stack trace.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exited, spawnCli } from '../../devnet/processes.js';
import { Keystore } from '../../relayer/keystore/keystore.js';
import type { OperatorSecrets } from '../../relayer/node/secrets.js';
import { newIdentity } from '../../relayer/peer/identity.js';

const dir = mkdtempSync(join(tmpdir(), 'sah-config-'));

async function validate(config: unknown): Promise<{ code: number; out: string }> {
  const file = join(dir, `c-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(config));
  const log = `${file}.log`;
  const code = await exited(spawnCli(['config', 'validate', file], { log }), 60_000, 'config validate');
  return { code, out: readFileSync(log, 'utf8') };
}

const operators = [1, 2, 3].map((id) => ({
  id,
  url: `http://127.0.0.1:720${id}`,
  identityKey: newIdentity().publicKey,
}));
const mainnet = {
  name: 'ethereum',
  family: 'evm',
  protocolChainId: 1,
  evmChainId: 1,
  rpcUrl: 'https://eth.example.org',
  bridge: `0x${'22'.repeat(20)}`,
  finality: { tag: 'finalized' },
  verifier: { mode: 'sync-committee', beaconUrl: 'https://beacon.example.org', checkpoint: `0x${'ab'.repeat(32)}` },
};
const cosmos = {
  name: 'cosmos',
  family: 'cosmwasm',
  protocolChainId: 2,
  cosmosChainId: 'sah-1',
  rpcUrl: 'https://rpc.example.org',
  bridge: 'wasm14hj2tavq8fpesdwxxcu44rty3hh90vhujrvcmstl4zr3txmfvw9s0phg4d',
  prefix: 'wasm',
  gasPrice: '0.025stake',
  verifier: { mode: 'cometbft-light-client', trustedHeight: 5, trustedHash: `0x${'ab'.repeat(32)}` },
};
const good = {
  operatorId: 1,
  listen: { port: 7101, peerPort: 7201 },
  redisUrl: 'rediss://redis.internal:6380/1',
  keystore: { path: 'k.json', passwordFile: 'pw' },
  groupFile: 'group.json',
  threshold: 2,
  operators,
  chains: [mainnet, cosmos],
};

describe('sah-bridge config validate', () => {
  it('accepts a production-shaped config with rediss://, and the devnet config', async () => {
    const ok = await validate(good);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/valid node config \(operator 1, 2-of-3, 2 chains\)/);
    const devnet = await exited(
      spawnCli(['config', 'validate', 'config/devnet.json'], { log: join(dir, 'devnet.log') }),
      60_000,
      'validate devnet',
    );
    expect(devnet).toBe(0);
  });

  const refusals: [string, unknown, RegExp][] = [
    [
      'confirmations mode on evmChainId 1',
      { ...good, chains: [{ ...mainnet, verifier: { mode: 'confirmations', confirmations: 100 } }, cosmos] },
      /chains\[0\]\.verifier\.mode: .*use "sync-committee"/,
    ],
    [
      '0 confirmations on a non-devnet chain',
      {
        ...good,
        chains: [
          {
            ...mainnet,
            evmChainId: 8453,
            unsafeConfirmationsFinality: true,
            finality: { confirmations: 0 },
            verifier: { mode: 'confirmations', confirmations: 64 },
          },
          cosmos,
        ],
      },
      /chains\[0\]\.finality\.confirmations: must be set explicitly and >= 64/,
    ],
    [
      'a small-order identity key',
      { ...good, operators: [operators[0], { ...operators[1], identityKey: `0x01${'00'.repeat(31)}` }, operators[2]] },
      /operators\[1\]\.identityKey: a small-order ed25519 point/,
    ],
    [
      'two operators with one identity key',
      { ...good, operators: [operators[0], { ...operators[1], identityKey: operators[0]?.identityKey }, operators[2]] },
      /operators\[1\]\.identityKey: operator 1 has the same identity key/,
    ],
    ['threshold 1', { ...good, threshold: 1 }, /threshold: must be an integer in 2\.\.3, got 1/],
    [
      'a non-loopback http: peer URL',
      { ...good, operators: [operators[0], { ...operators[1], url: 'http://203.0.113.9:7202' }, operators[2]] },
      /operators\[1\]\.url: plain http:\/\/ to a non-loopback host/,
    ],
  ];
  for (const [what, config, reason] of refusals)
    it(`refuses ${what}, naming the field, without a stack trace`, async () => {
      const { code, out } = await validate(config);
      expect(code).toBe(2);
      expect(out).toMatch(reason);
      expect(out).not.toMatch(/\n\s+at /);
    });

  it('dkg without --epoch (or with a malformed one) is refused before it reads anything', async () => {
    for (const [args, reason] of [
      [['dkg', '--config', 'config/devnet.json'], /dkg: --epoch is required/],
      [['dkg', '--config', 'config/devnet.json', '--epoch', '0'], /--epoch must be an integer in 1\.\./],
    ] as const) {
      const log = join(dir, `dkg-${Math.random().toString(36).slice(2)}.log`);
      expect(await exited(spawnCli([...args], { log }), 60_000, 'dkg')).toBe(2);
      expect(readFileSync(log, 'utf8')).toMatch(reason);
    }
  });

  it('keygen takes wallet keys from a mode-600 file, never from the command line', async () => {
    const pw = join(dir, 'keygen-pw');
    writeFileSync(pw, 'keygen-test-password\n', { mode: 0o600 });
    const configFile = join(dir, 'keygen.json');
    writeFileSync(
      configFile,
      JSON.stringify({ ...good, keystore: { path: join(dir, 'keygen-ks.json'), passwordFile: pw } }),
    );
    const run = async (wallet: string) => {
      const log = join(dir, `keygen-${Math.random().toString(36).slice(2)}.log`);
      const code = await exited(
        spawnCli(['keygen', '--config', configFile, '--wallet', wallet], { log }),
        60_000,
        'keygen',
      );
      return { code, out: readFileSync(log, 'utf8') };
    };
    const key = `0x${'42'.repeat(32)}`;
    const onArgv = await run(`ethereum=${key}`);
    expect(onArgv.code).toBe(2);
    expect(onArgv.out).toMatch(/a key on the command line is refused/);
    const shared = join(dir, 'wallet-shared');
    writeFileSync(shared, `${key}\n`, { mode: 0o644 });
    chmodSync(shared, 0o644);
    const open = await run(`ethereum=${shared}`);
    expect(open.code).toBe(2);
    expect(open.out).toMatch(/accessible to group or others/);
    const own = join(dir, 'wallet-own');
    writeFileSync(own, `${key}\n`, { mode: 0o600 });
    const ok = await run(`ethereum=${own}`);
    expect(ok.code).toBe(0);
    const secrets = new Keystore<OperatorSecrets>(join(dir, 'keygen-ks.json'), 'keygen-test-password').read();
    expect(secrets.wallets.ethereum).toBe(key);
  });
});
