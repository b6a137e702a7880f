/**
 * How a node proves that a source chain's event is final before it signs (verifier/). Every chain in
 * a node config names its verifier: there is no "trust the RPC" default.
 */
import type { Hex } from 'viem';
import {
  BEACON_NETWORKS,
  type BeaconChainConfig,
  type BeaconFork,
  type BeaconNetworkName,
  FORK_NAMES,
  type ForkName,
  SECONDS_PER_SLOT,
} from '../../verifier/ethereum/beacon/config.js';
import type { FieldReader, Json } from './validate.js';

/**
 * EVM chains without a beacon chain (anvil): the block `confirmations` deep is taken as final on the
 * RPC's word; its header hash and the storage proof under its state root are still checked. Weaker
 * than `sync-committee` (docs/VERIFIER.md).
 */
export interface ConfirmationsVerifierConfig {
  mode: 'confirmations';
  confirmations: number;
}

/** A network with a built-in preset (verifier/ethereum/beacon/config.ts), or "custom" with its values given. */
export type SyncCommitteeNetwork = BeaconNetworkName | 'custom';

/** Ethereum with a beacon chain: the Altair light-client protocol from a trusted checkpoint. */
export interface SyncCommitteeVerifierConfig {
  mode: 'sync-committee';
  /** Beacon node REST API (light-client routes). */
  beaconUrl: string;
  /** Trusted beacon block root to bootstrap from (weak subjectivity checkpoint). */
  checkpoint: Hex;
  /** Network whose fork schedule, genesis validators root and genesis time apply (default mainnet). */
  network: SyncCommitteeNetwork;
  /**
   * The resolved chain parameters: the preset of a named network, or the custom fields
   * (`genesisValidatorsRoot`, `genesisTime`, `secondsPerSlot`, `forks`) of a "custom" one.
   */
  chain: BeaconChainConfig;
}

/** CometBFT light client from a trusted header. */
export interface CometbftVerifierConfig {
  mode: 'cometbft-light-client';
  trustedHeight: bigint;
  trustedHash: Hex;
  /** How long a verified header may be trusted (below the chain's unbonding period). */
  trustingPeriodSeconds: number;
  maxClockDriftSeconds: number;
}

/** GRANDPA justifications and state read proofs from a node (or the devnet's voter) RPC. */
export interface GrandpaVerifierConfig {
  mode: 'grandpa';
  /** HTTP JSON-RPC serving chain_*, grandpa_proveFinality and state_getReadProof. */
  rpcUrl: string;
  /** The trusted authority set: its id and ed25519 keys (equal weights). */
  setId: bigint;
  authorities: Hex[];
  /**
   * First block the verifier reads, finalized by that set (e.g. 1 for a genesis set): set changes
   * since are followed from the headers. Omitted: the finalized head at start, which the set must sign.
   */
  fromBlock?: number;
}

export type EvmVerifierConfig = ConfirmationsVerifierConfig | SyncCommitteeVerifierConfig;
export type VerifierConfig = EvmVerifierConfig | CometbftVerifierConfig | GrandpaVerifierConfig;

export type VerifierMode = VerifierConfig['mode'];

/**
 * A chain's `verifier` entry, in one of the modes its family proves with (`modes`; `family` names it in
 * the error).
 */
export function parseVerifierConfig(
  r: FieldReader,
  raw: unknown,
  at: string,
  family: string,
  modes: readonly VerifierMode[],
): VerifierConfig {
  if (raw === undefined)
    r.fail(at, `is required: how this node proves finality (${modes.map((m) => `"${m}"`).join(' or ')})`);
  const v: Json = r.object(raw, at);
  if (typeof v.mode !== 'string' || !(modes as readonly string[]).includes(v.mode))
    r.fail(`${at}.mode`, `must be ${modes.map((m) => `"${m}"`).join(' or ')} for a ${family} chain`);
  switch (v.mode) {
    case 'confirmations':
      return {
        mode: 'confirmations',
        confirmations: r.optionalInt(v.confirmations, `${at}.confirmations`, 0, 10_000, 0),
      };
    case 'sync-committee': {
      const beaconUrl = r.url(v.beaconUrl, `${at}.beaconUrl`);
      const checkpoint = r.hex(v.checkpoint, `${at}.checkpoint`, 32);
      // only an absent network means mainnet: an explicit null (a template left unfilled) is refused
      const network = v.network === undefined ? 'mainnet' : v.network;
      if (network === 'custom')
        return { mode: 'sync-committee', beaconUrl, checkpoint, network, chain: parseCustomChain(r, v, at) };
      if (typeof network !== 'string' || !Object.hasOwn(BEACON_NETWORKS, network))
        r.fail(`${at}.network`, `must be ${NETWORK_NAMES.map((n) => `"${n}"`).join(', ')} or "custom"`);
      // a preset's values are fixed: custom fields beside it would be silently ignored, so they are refused
      for (const field of CUSTOM_FIELDS)
        if (v[field] !== undefined) r.fail(`${at}.${field}`, `is only read with network "custom" (not "${network}")`);
      const name = network as BeaconNetworkName;
      return { mode: 'sync-committee', beaconUrl, checkpoint, network: name, chain: BEACON_NETWORKS[name] };
    }
    case 'cometbft-light-client':
      return {
        mode: 'cometbft-light-client',
        trustedHeight: BigInt(r.int(v.trustedHeight, `${at}.trustedHeight`, 1, Number.MAX_SAFE_INTEGER)),
        trustedHash: r.hex(v.trustedHash, `${at}.trustedHash`, 32),
        trustingPeriodSeconds: r.optionalInt(
          v.trustingPeriodSeconds,
          `${at}.trustingPeriodSeconds`,
          60,
          10 * 365 * 86_400,
          14 * 86_400,
        ),
        maxClockDriftSeconds: r.optionalInt(v.maxClockDriftSeconds, `${at}.maxClockDriftSeconds`, 0, 3_600, 10),
      };
    default: {
      const authorities = r
        .array(v.authorities, `${at}.authorities`, 1)
        .map((a, i) => r.hex(a, `${at}.authorities[${i}]`, 32));
      if (new Set(authorities.map((a) => a.toLowerCase())).size !== authorities.length)
        r.fail(`${at}.authorities`, 'lists a key twice');
      return {
        mode: 'grandpa',
        rpcUrl: r.url(v.rpcUrl, `${at}.rpcUrl`),
        setId: BigInt(r.optionalInt(v.setId, `${at}.setId`, 0, Number.MAX_SAFE_INTEGER, 0)),
        authorities,
        ...(v.fromBlock === undefined ? {} : { fromBlock: r.int(v.fromBlock, `${at}.fromBlock`, 0, 2 ** 32 - 1) }),
      };
    }
  }
}

const NETWORK_NAMES = Object.keys(BEACON_NETWORKS) as BeaconNetworkName[];
const CUSTOM_FIELDS = ['genesisValidatorsRoot', 'genesisTime', 'secondsPerSlot', 'forks'] as const;

/**
 * The chain parameters of a network without a preset: a devnet, or a testnet added after this release.
 * Each field is checked on its own and refused with its path; the fork schedule must be one the light
 * client can follow: forks named from FORK_NAMES in their activation order, each once, the first at
 * epoch 0, epochs never decreasing (several forks may share an epoch), fork versions distinct.
 */
function parseCustomChain(r: FieldReader, v: Json, at: string): BeaconChainConfig {
  const genesisValidatorsRoot = r.hex(v.genesisValidatorsRoot, `${at}.genesisValidatorsRoot`, 32);
  // unix seconds; up to 2^40 (year 36812) leaves room for any real chain and refuses milliseconds
  const genesisTime = r.int(v.genesisTime, `${at}.genesisTime`, 0, 2 ** 40);
  const secondsPerSlot = r.optionalInt(v.secondsPerSlot, `${at}.secondsPerSlot`, 1, 3_600, SECONDS_PER_SLOT);
  const list = r.array(v.forks, `${at}.forks`, 1);
  const forks: BeaconFork[] = [];
  list.forEach((raw, i) => {
    const path = `${at}.forks[${i}]`;
    const f = r.object(raw, path);
    if (typeof f.name !== 'string' || !(FORK_NAMES as readonly string[]).includes(f.name))
      r.fail(`${path}.name`, `must be one of ${FORK_NAMES.map((n) => `"${n}"`).join(', ')}`);
    const name = f.name as ForkName;
    const previous = forks[i - 1];
    if (previous && FORK_NAMES.indexOf(name) <= FORK_NAMES.indexOf(previous.name))
      r.fail(
        `${path}.name`,
        `"${name}" cannot follow "${previous.name}": forks are listed once each, in activation order`,
      );
    const epoch = BigInt(r.int(f.epoch, `${path}.epoch`, 0, Number.MAX_SAFE_INTEGER));
    if (i === 0 && epoch !== 0n) r.fail(`${path}.epoch`, 'must be 0: the first fork is the one active from genesis');
    if (previous && epoch < previous.epoch)
      r.fail(`${path}.epoch`, `must not be below forks[${i - 1}].epoch (${previous.epoch}): epochs never decrease`);
    const version = r.hex(f.version, `${path}.version`, 4).toLowerCase() as Hex;
    if (forks.some((g) => g.version === version))
      r.fail(`${path}.version`, `${version} is already the version of another fork: each fork has its own`);
    forks.push({ name, epoch, version });
  });
  return { genesisValidatorsRoot: genesisValidatorsRoot.toLowerCase() as Hex, genesisTime, secondsPerSlot, forks };
}
