/**
 * Chain parameters of the beacon chain a light client follows: the fork schedule (the fork version signs
 * into every sync committee signature, so it binds signatures to one chain and fork), the genesis
 * validators root (binds them to one chain), and the genesis time (for the current slot).
 */
import type { Hex } from 'viem';

export type ForkName = 'phase0' | 'altair' | 'bellatrix' | 'capella' | 'deneb' | 'electra' | 'fulu';

export interface BeaconChainConfig {
  genesisValidatorsRoot: Hex;
  /** Unix seconds of slot 0. */
  genesisTime: number;
  /** Forks in activation order, the first at epoch 0. */
  forks: { name: ForkName; epoch: bigint; version: Hex }[];
}

export const SLOTS_PER_EPOCH = 32n;
export const EPOCHS_PER_SYNC_COMMITTEE_PERIOD = 256n;
export const SECONDS_PER_SLOT = 12;
export const SYNC_COMMITTEE_SIZE = 512;
export const DOMAIN_SYNC_COMMITTEE: Hex = '0x07000000';

/** Ethereum mainnet (consensus-specs configs/mainnet.yaml). */
export const MAINNET: BeaconChainConfig = {
  genesisValidatorsRoot: '0x4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95',
  genesisTime: 1606824023,
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

export const epochAtSlot = (slot: bigint): bigint => slot / SLOTS_PER_EPOCH;
export const periodAtSlot = (slot: bigint): bigint => epochAtSlot(slot) / EPOCHS_PER_SYNC_COMMITTEE_PERIOD;

export function forkAtEpoch(config: BeaconChainConfig, epoch: bigint): { name: ForkName; version: Hex } {
  let found = config.forks[0];
  for (const fork of config.forks) if (epoch >= fork.epoch) found = fork;
  if (!found) throw new Error('empty fork schedule');
  return found;
}

const ORDER: ForkName[] = ['phase0', 'altair', 'bellatrix', 'capella', 'deneb', 'electra', 'fulu'];
/** Whether the fork active at `slot` is `fork` or later. */
export const atLeast = (config: BeaconChainConfig, slot: bigint, fork: ForkName): boolean =>
  ORDER.indexOf(forkAtEpoch(config, epochAtSlot(slot)).name) >= ORDER.indexOf(fork);

/** Generalized indices into BeaconState / BeaconBlockBody; Electra's state grew past 32 fields (one level deeper). */
export const gindices = (config: BeaconChainConfig, slot: bigint) =>
  atLeast(config, slot, 'electra')
    ? { finalizedRoot: 169, currentSyncCommittee: 86, nextSyncCommittee: 87 }
    : { finalizedRoot: 105, currentSyncCommittee: 54, nextSyncCommittee: 55 };

/** The execution payload in BeaconBlockBody (Capella onwards: 16 leaves, field 9). */
export const EXECUTION_PAYLOAD_GINDEX = 25;

export const currentSlot = (config: BeaconChainConfig, nowMs = Date.now()): bigint =>
  BigInt(Math.max(0, Math.floor((nowMs / 1000 - config.genesisTime) / SECONDS_PER_SLOT)));
