/**
 * Chain parameters of the beacon chain a light client follows: the fork schedule (the fork version signs
 * into every sync committee signature, so it binds signatures to one chain and fork), the genesis
 * validators root (binds them to one chain), the genesis time and the slot length (for the current slot).
 *
 * Built-in presets for the public networks below. Every value is copied from the network's published
 * configuration; the comment above each preset names the repository and file it came from, and the
 * tests (networks.test.ts) check the schedule's invariants and verify Hoodi light-client data signed
 * under the published Hoodi values.
 */
import type { Hex } from 'viem';

export type ForkName = 'phase0' | 'altair' | 'bellatrix' | 'capella' | 'deneb' | 'electra' | 'fulu';

/** Every fork this light client knows, in activation order (a schedule lists a subset, in this order). */
export const FORK_NAMES: readonly ForkName[] = ['phase0', 'altair', 'bellatrix', 'capella', 'deneb', 'electra', 'fulu'];

export interface BeaconFork {
  name: ForkName;
  epoch: bigint;
  /** 4-byte fork version. */
  version: Hex;
}

export interface BeaconChainConfig {
  genesisValidatorsRoot: Hex;
  /** Unix seconds of slot 0. */
  genesisTime: number;
  /** Slot length in seconds (SECONDS_PER_SLOT); absent means 12, the value of every public network. */
  secondsPerSlot?: number;
  /**
   * Forks in activation order, the first at epoch 0 (several may share an epoch: the last one listed
   * for an epoch is the one active from it). Unscheduled forks are left out.
   */
  forks: BeaconFork[];
}

export const SLOTS_PER_EPOCH = 32n;
export const EPOCHS_PER_SYNC_COMMITTEE_PERIOD = 256n;
/** Default slot length: mainnet, Sepolia, Holesky and Hoodi all use 12 s. */
export const SECONDS_PER_SLOT = 12;
export const SYNC_COMMITTEE_SIZE = 512;
export const DOMAIN_SYNC_COMMITTEE: Hex = '0x07000000';

/**
 * Ethereum mainnet.
 * - genesis validators root, genesis time: eth-clients/mainnet README.md ("Genesis information").
 * - fork schedule: ethereum/consensus-specs configs/mainnet.yaml (*_FORK_VERSION / *_FORK_EPOCH). Fulu's
 *   epoch 411392 ("December 3, 2025") is the file's value as of release v1.7.0-beta.2; older copies
 *   (e.g. commit 002df57b3bddf0e371b1ca5ef729185b591831bf) still carry the unscheduled stub.
 */
export const MAINNET: BeaconChainConfig = {
  genesisValidatorsRoot: '0x4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95',
  genesisTime: 1606824023,
  secondsPerSlot: 12,
  forks: [
    { name: 'phase0', epoch: 0n, version: '0x00000000' },
    { name: 'altair', epoch: 74240n, version: '0x01000000' },
    { name: 'bellatrix', epoch: 144896n, version: '0x02000000' },
    { name: 'capella', epoch: 194048n, version: '0x03000000' },
    { name: 'deneb', epoch: 269568n, version: '0x04000000' },
    { name: 'electra', epoch: 364032n, version: '0x05000000' },
    { name: 'fulu', epoch: 411392n, version: '0x06000000' },
  ],
};

/**
 * Sepolia.
 * - genesis validators root, genesis time (1655733600 = MIN_GENESIS_TIME 1655647200 + GENESIS_DELAY
 *   86400): eth-clients/sepolia README.md ("Meta-data: Bepolia").
 * - fork schedule: sigp/lighthouse common/eth2_network_config/built_in_network_configs/sepolia/config.yaml
 *   (commit 09f4e25506c7ba74662150ef393bc4ac03707806), the same values as eth-clients/sepolia
 *   metadata/config.yaml and ChainSafe/lodestar packages/config/src/chainConfig/networks/sepolia.ts.
 */
export const SEPOLIA: BeaconChainConfig = {
  genesisValidatorsRoot: '0xd8ea171f3c94aea21ebc42a1ed61052acf3f9209c00e4efbaaddac09ed9b8078',
  genesisTime: 1655733600,
  secondsPerSlot: 12,
  forks: [
    { name: 'phase0', epoch: 0n, version: '0x90000069' },
    { name: 'altair', epoch: 50n, version: '0x90000070' },
    { name: 'bellatrix', epoch: 100n, version: '0x90000071' },
    { name: 'capella', epoch: 56832n, version: '0x90000072' },
    { name: 'deneb', epoch: 132608n, version: '0x90000073' },
    { name: 'electra', epoch: 222464n, version: '0x90000074' },
    { name: 'fulu', epoch: 272640n, version: '0x90000075' },
  ],
};

/**
 * Holesky.
 * - genesis validators root: eth-clients/holesky README.md ("Genesis validator root").
 * - genesis time 1695902400 = MIN_GENESIS_TIME 1695902100 + GENESIS_DELAY 300 (launch Sept 28, 2023,
 *   12:00 UTC, README.md), fork schedule: sigp/lighthouse
 *   common/eth2_network_config/built_in_network_configs/holesky/config.yaml
 *   (commit 044b604f940046020178984a38a0b55a075374b8), the same values as ChainSafe/lodestar
 *   packages/config/src/chainConfig/networks/holesky.ts.
 */
export const HOLESKY: BeaconChainConfig = {
  genesisValidatorsRoot: '0x9143aa7c615a7f7115e2b6aac319c03529df8242ae705fba9df39b79c59fa8b1',
  genesisTime: 1695902400,
  secondsPerSlot: 12,
  forks: [
    { name: 'phase0', epoch: 0n, version: '0x01017000' },
    { name: 'altair', epoch: 0n, version: '0x02017000' },
    { name: 'bellatrix', epoch: 0n, version: '0x03017000' },
    { name: 'capella', epoch: 256n, version: '0x04017000' },
    { name: 'deneb', epoch: 29696n, version: '0x05017000' },
    { name: 'electra', epoch: 115968n, version: '0x06017000' },
    { name: 'fulu', epoch: 165120n, version: '0x07017000' },
  ],
};

/**
 * Hoodi.
 * - genesis validators root, genesis time ("Linux Epoch time: 1742213400"): eth-clients/hoodi README.md
 *   (commit 363c577fa308142d4ea04064fee4a3f2446022ae).
 * - fork schedule: sigp/lighthouse common/eth2_network_config/built_in_network_configs/hoodi/config.yaml
 *   (commit 044b604f940046020178984a38a0b55a075374b8).
 * networks.test.ts checks these against the published values and a real Hoodi block's timestamp, and
 * verifies light-client data it signs under them (a committee of its own keys: no recorded Hoodi data is kept).
 */
export const HOODI: BeaconChainConfig = {
  genesisValidatorsRoot: '0x212f13fc4df078b6cb7db228f1c8307566dcecf900867401a92023d7ba99cb5f',
  genesisTime: 1742213400,
  secondsPerSlot: 12,
  forks: [
    { name: 'phase0', epoch: 0n, version: '0x10000910' },
    { name: 'altair', epoch: 0n, version: '0x20000910' },
    { name: 'bellatrix', epoch: 0n, version: '0x30000910' },
    { name: 'capella', epoch: 0n, version: '0x40000910' },
    { name: 'deneb', epoch: 0n, version: '0x50000910' },
    { name: 'electra', epoch: 2048n, version: '0x60000910' },
    { name: 'fulu', epoch: 50688n, version: '0x70000910' },
  ],
};

export type BeaconNetworkName = 'mainnet' | 'sepolia' | 'holesky' | 'hoodi';

/** The built-in presets by network name. */
export const BEACON_NETWORKS: Readonly<Record<BeaconNetworkName, BeaconChainConfig>> = {
  mainnet: MAINNET,
  sepolia: SEPOLIA,
  holesky: HOLESKY,
  hoodi: HOODI,
};

export const epochAtSlot = (slot: bigint): bigint => slot / SLOTS_PER_EPOCH;
export const periodAtSlot = (slot: bigint): bigint => epochAtSlot(slot) / EPOCHS_PER_SYNC_COMMITTEE_PERIOD;

export function forkAtEpoch(config: BeaconChainConfig, epoch: bigint): { name: ForkName; version: Hex } {
  let found = config.forks[0];
  for (const fork of config.forks) if (epoch >= fork.epoch) found = fork;
  if (!found) throw new Error('empty fork schedule');
  return found;
}

/** Whether the fork active at `slot` is `fork` or later. */
export const atLeast = (config: BeaconChainConfig, slot: bigint, fork: ForkName): boolean =>
  FORK_NAMES.indexOf(forkAtEpoch(config, epochAtSlot(slot)).name) >= FORK_NAMES.indexOf(fork);

/** Generalized indices into BeaconState / BeaconBlockBody; Electra's state grew past 32 fields (one level deeper). */
export const gindices = (config: BeaconChainConfig, slot: bigint) =>
  atLeast(config, slot, 'electra')
    ? { finalizedRoot: 169, currentSyncCommittee: 86, nextSyncCommittee: 87 }
    : { finalizedRoot: 105, currentSyncCommittee: 54, nextSyncCommittee: 55 };

/** The execution payload in BeaconBlockBody (Capella onwards: 16 leaves, field 9). */
export const EXECUTION_PAYLOAD_GINDEX = 25;

export const currentSlot = (config: BeaconChainConfig, nowMs = Date.now()): bigint =>
  BigInt(Math.max(0, Math.floor((nowMs / 1000 - config.genesisTime) / (config.secondsPerSlot ?? SECONDS_PER_SLOT))));
