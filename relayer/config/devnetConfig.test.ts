import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDevnetConfig, parseDevnetConfig } from './devnetConfig.js';
import { ConfigError } from './errors.js';

const good = {
  relayers: { threshold: 3, signers: 5 },
  chains: [
    { name: 'a', family: 'evm', protocolChainId: 10001, evmChainId: 31001, port: 0, sahHome: true },
    { name: 'b', family: 'evm', protocolChainId: 10002, evmChainId: 31002, port: 0 },
  ],
};

function errorOf(raw: unknown): ConfigError {
  try {
    parseDevnetConfig(raw, 'test.json');
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('devnet config', () => {
  it('accepts the shipped config/devnet.json', () => {
    const config = loadDevnetConfig('config/devnet.json');
    expect(config.chains.map((c) => [c.protocolChainId, c.family])).toEqual([
      [10001, 'evm'],
      [10002, 'evm'],
      [10003, 'cosmwasm'],
      [10004, 'substrate'],
    ]);
    expect(config.relayers).toMatchObject({ threshold: 3, signers: 5 });
  });

  it('names the field and the reason of every problem', () => {
    expect(errorOf(null).path).toBe('$');
    expect(errorOf({ ...good, relayers: { threshold: 6, signers: 5 } }).path).toBe('relayers.threshold');
    expect(errorOf({ ...good, chains: [good.chains[0]] }).path).toBe('chains');
    expect(errorOf({ ...good, chains: [good.chains[0], { ...good.chains[1], family: 'btc' }] }).message).toMatch(
      /chains\[1\]\.family: unsupported chain family "btc"/,
    );
    expect(
      errorOf({ ...good, chains: [good.chains[0], { ...good.chains[1], protocolChainId: 10001 }] }).message,
    ).toMatch(/duplicate chain id 10001/);
    expect(errorOf({ ...good, chains: [good.chains[0], { ...good.chains[1], port: 70000 }] }).path).toBe(
      'chains[1].port',
    );
    expect(errorOf({ ...good, chains: [good.chains[0], { ...good.chains[1], sahHome: true }] }).message).toMatch(
      /exactly one chain/,
    );
    const wasmd = { name: 'w', family: 'cosmwasm', protocolChainId: 10003, cosmosChainId: 'sah-1', port: 0 };
    expect(parseDevnetConfig({ ...good, chains: [...good.chains, wasmd] }).chains[2]).toEqual(wasmd);
    expect(errorOf({ ...good, chains: [...good.chains, { ...wasmd, sahHome: true }] }).message).toMatch(
      /chains\[2\]\.sahHome: SAH is an ERC-20/,
    );
    expect(errorOf({ ...good, chains: [...good.chains, { ...wasmd, cosmosChainId: 'a b' }] }).path).toBe(
      'chains[2].cosmosChainId',
    );
    const dot = { name: 'p', family: 'substrate', protocolChainId: 10004, port: 0 };
    expect(parseDevnetConfig({ ...good, chains: [...good.chains, dot] }).chains[2]).toEqual(dot);
    expect(errorOf({ ...good, chains: [...good.chains, { ...dot, sahHome: true }] }).path).toBe('chains[2].sahHome');
  });

  it('reports unreadable and non-JSON files', () => {
    expect(() => loadDevnetConfig('config/does-not-exist.json')).toThrow(/cannot read/);
    const file = join(mkdtempSync(join(tmpdir(), 'sah-config-')), 'broken.json');
    writeFileSync(file, '{"relayers": ');
    expect(() => loadDevnetConfig(file)).toThrow(ConfigError);
    expect(() => loadDevnetConfig(file)).toThrow(/not valid JSON/);
  });
});
