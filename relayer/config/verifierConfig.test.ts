/**
 * The sync-committee verifier's network: each built-in preset by name, a "custom" network with its own
 * genesis and fork schedule, and every wrong custom field refused with a ConfigError naming that field.
 */
import { describe, expect, it } from 'vitest';
import {
  BEACON_NETWORKS,
  type BeaconChainConfig,
  HOLESKY,
  HOODI,
  MAINNET,
  SEPOLIA,
} from '../../verifier/ethereum/beacon/config.js';
import { ConfigError } from './errors.js';
import { FieldReader } from './validate.js';
import { parseVerifierConfig, type SyncCommitteeVerifierConfig } from './verifierConfig.js';

const AT = 'chains[0].verifier';
const base = { mode: 'sync-committee', beaconUrl: 'https://beacon.example.org', checkpoint: `0x${'ab'.repeat(32)}` };

const parse = (raw: Record<string, unknown>) =>
  parseVerifierConfig(new FieldReader('node.json'), raw, AT, 'evm', [
    'confirmations',
    'sync-committee',
  ]) as SyncCommitteeVerifierConfig;

function refusal(raw: Record<string, unknown>): ConfigError {
  try {
    parse(raw);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

/** A preset as the JSON an operator writes for a custom network (epochs as numbers). */
const asJson = (c: BeaconChainConfig) => ({
  genesisValidatorsRoot: c.genesisValidatorsRoot,
  genesisTime: c.genesisTime,
  forks: c.forks.map((f) => ({ name: f.name, epoch: Number(f.epoch), version: f.version })),
});

/** Hoodi's published values given as a custom network, with `change` applied to them. */
const custom = (change: (c: Record<string, unknown>) => Record<string, unknown> = (c) => c) =>
  change({ ...base, network: 'custom', ...asJson(HOODI), secondsPerSlot: 12 });

const forksWith = (i: number, field: Record<string, unknown>) => (c: Record<string, unknown>) => ({
  ...c,
  forks: (c.forks as Record<string, unknown>[]).map((f, j) => (j === i ? { ...f, ...field } : f)),
});

describe('sync-committee verifier config: networks', () => {
  it('accepts each built-in network and resolves its preset; no network means mainnet', () => {
    expect(parse(base)).toEqual({ ...base, network: 'mainnet', chain: MAINNET });
    const expected: Record<string, BeaconChainConfig> = {
      mainnet: MAINNET,
      sepolia: SEPOLIA,
      holesky: HOLESKY,
      hoodi: HOODI,
    };
    for (const [network, chain] of Object.entries(expected)) {
      const v = parse({ ...base, network });
      expect(v.network).toBe(network);
      expect(v.chain).toBe(chain);
    }
    expect(Object.keys(BEACON_NETWORKS).sort()).toEqual(Object.keys(expected).sort());
  });

  it('accepts a custom network: the published values of a preset give back that preset', () => {
    for (const chain of [MAINNET, SEPOLIA, HOLESKY, HOODI]) {
      const v = parse({ ...base, network: 'custom', ...asJson(chain) });
      expect(v.network).toBe('custom');
      expect(v.chain).toEqual(chain);
    }
  });

  it('a custom network: seconds per slot defaults to 12, may be set, and hex is read case-insensitively', () => {
    const { secondsPerSlot: _, ...without } = custom();
    expect(parse(without).chain.secondsPerSlot).toBe(12);
    expect(parse(custom((c) => ({ ...c, secondsPerSlot: 6 }))).chain.secondsPerSlot).toBe(6);
    const upper = parse(
      custom((c) => ({ ...forksWith(1, { version: '0x2000091A' })(c), genesisValidatorsRoot: `0x${'AB'.repeat(32)}` })),
    ).chain;
    expect(upper.genesisValidatorsRoot).toBe(`0x${'ab'.repeat(32)}`);
    expect(upper.forks[1]?.version).toBe('0x2000091a');
    // a devnet may start at a later fork's version and list only the forks it has
    const devnet = parse(
      custom((c) => ({
        ...c,
        forks: [
          { name: 'deneb', epoch: 0, version: '0x50000038' },
          { name: 'electra', epoch: 0, version: '0x60000038' },
        ],
      })),
    ).chain;
    expect(devnet.forks).toEqual([
      { name: 'deneb', epoch: 0n, version: '0x50000038' },
      { name: 'electra', epoch: 0n, version: '0x60000038' },
    ]);
  });

  it('refuses an unknown network, and custom fields next to a built-in network', () => {
    for (const network of ['goerli', 'Mainnet', '', 5, null]) {
      const e = refusal({ ...base, network });
      expect(e.path).toBe(`${AT}.network`);
      expect(e.reason).toMatch(/"mainnet", "sepolia", "holesky", "hoodi" or "custom"/);
    }
    for (const [field, value] of Object.entries({ ...asJson(HOODI), secondsPerSlot: 12 })) {
      const e = refusal({ ...base, network: 'hoodi', [field]: value });
      expect(e.path).toBe(`${AT}.${field}`);
      expect(e.reason).toMatch(/only read with network "custom"/);
    }
  });

  describe('refuses each wrong custom field, naming it', () => {
    const cases: [string, (c: Record<string, unknown>) => Record<string, unknown>, string, RegExp][] = [
      [
        'missing genesis validators root',
        ({ genesisValidatorsRoot: _, ...c }) => c,
        'genesisValidatorsRoot',
        /non-empty string/,
      ],
      [
        'short genesis validators root',
        (c) => ({ ...c, genesisValidatorsRoot: '0x12' }),
        'genesisValidatorsRoot',
        /32 bytes/,
      ],
      [
        'non-hex genesis validators root',
        (c) => ({ ...c, genesisValidatorsRoot: `0x${'zz'.repeat(32)}` }),
        'genesisValidatorsRoot',
        /32 bytes/,
      ],
      ['missing genesis time', ({ genesisTime: _, ...c }) => c, 'genesisTime', /integer/],
      ['negative genesis time', (c) => ({ ...c, genesisTime: -1 }), 'genesisTime', /integer/],
      ['fractional genesis time', (c) => ({ ...c, genesisTime: 1742213400.5 }), 'genesisTime', /integer/],
      ['genesis time as a string', (c) => ({ ...c, genesisTime: '1742213400' }), 'genesisTime', /integer/],
      ['genesis time in milliseconds', (c) => ({ ...c, genesisTime: 1742213400000 }), 'genesisTime', /integer/],
      ['zero seconds per slot', (c) => ({ ...c, secondsPerSlot: 0 }), 'secondsPerSlot', /integer/],
      ['fractional seconds per slot', (c) => ({ ...c, secondsPerSlot: 1.5 }), 'secondsPerSlot', /integer/],
      ['seconds per slot as a string', (c) => ({ ...c, secondsPerSlot: '12' }), 'secondsPerSlot', /integer/],
      ['missing forks', ({ forks: _, ...c }) => c, 'forks', /array/],
      ['forks not a list', (c) => ({ ...c, forks: { phase0: 0 } }), 'forks', /array/],
      ['no forks', (c) => ({ ...c, forks: [] }), 'forks', /at least 1/],
      ['a fork that is not an object', (c) => ({ ...c, forks: ['phase0'] }), 'forks[0]', /object/],
      ['an unknown fork name', forksWith(6, { name: 'gloas' }), 'forks[6].name', /must be one of "phase0"/],
      ['a missing fork name', forksWith(2, { name: undefined }), 'forks[2].name', /must be one of/],
      ['a fork listed twice', forksWith(2, { name: 'altair' }), 'forks[2].name', /cannot follow "altair"/],
      ['forks out of order', forksWith(5, { name: 'capella' }), 'forks[5].name', /"capella" cannot follow "deneb"/],
      ['the first fork after genesis', forksWith(0, { epoch: 1 }), 'forks[0].epoch', /must be 0/],
      [
        'an epoch below the previous one',
        forksWith(5, { epoch: 60000 }),
        'forks[6].epoch',
        /must not be below forks\[5\]\.epoch \(60000\)/,
      ],
      [
        'a decreasing epoch',
        forksWith(6, { epoch: 100 }),
        'forks[6].epoch',
        /must not be below forks\[5\]\.epoch \(2048\)/,
      ],
      ['a negative epoch', forksWith(3, { epoch: -1 }), 'forks[3].epoch', /integer/],
      ['an epoch as a string', forksWith(5, { epoch: '2048' }), 'forks[5].epoch', /integer/],
      ['an epoch past 2^53', forksWith(6, { epoch: 2 ** 64 }), 'forks[6].epoch', /integer/],
      ['a missing fork version', forksWith(4, { version: undefined }), 'forks[4].version', /non-empty string/],
      ['a 3-byte fork version', forksWith(4, { version: '0x500009' }), 'forks[4].version', /4 bytes/],
      ['a 5-byte fork version', forksWith(4, { version: '0x5000091000' }), 'forks[4].version', /4 bytes/],
      ['a version without 0x', forksWith(4, { version: '50000910' }), 'forks[4].version', /4 bytes/],
      [
        'two forks with one version',
        forksWith(6, { version: '0x60000910' }),
        'forks[6].version',
        /already the version/,
      ],
    ];
    for (const [what, change, field, reason] of cases)
      it(what, () => {
        const e = refusal(custom(change));
        expect(e).toBeInstanceOf(ConfigError);
        expect(e.path).toBe(`${AT}.${field}`);
        expect(e.reason).toMatch(reason);
        expect(e.message).toContain(`node.json: ${AT}.${field}: `);
      });
  });
});
