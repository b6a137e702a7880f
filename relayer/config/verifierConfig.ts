/**
 * How a node proves that a source chain's event is final before it signs (verifier/). Every chain in
 * a node config names its verifier: there is no "trust the RPC" default.
 */
import type { Hex } from 'viem';
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

/** Ethereum with a beacon chain: the Altair light-client protocol from a trusted checkpoint. */
export interface SyncCommitteeVerifierConfig {
  mode: 'sync-committee';
  /** Beacon node REST API (light-client routes). */
  beaconUrl: string;
  /** Trusted beacon block root to bootstrap from (weak subjectivity checkpoint). */
  checkpoint: Hex;
  /** Network whose fork versions and genesis validators root apply (mainnet's are built in). */
  network: 'mainnet';
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

const MODES = {
  evm: ['confirmations', 'sync-committee'],
  cosmwasm: ['cometbft-light-client'],
  substrate: ['grandpa'],
} as const;

export function parseVerifierConfig(
  r: FieldReader,
  raw: unknown,
  at: string,
  family: keyof typeof MODES,
): VerifierConfig {
  if (raw === undefined)
    r.fail(at, `is required: how this node proves finality (${MODES[family].map((m) => `"${m}"`).join(' or ')})`);
  const v: Json = r.object(raw, at);
  const modes: readonly string[] = MODES[family];
  if (typeof v.mode !== 'string' || !modes.includes(v.mode))
    r.fail(`${at}.mode`, `must be ${modes.map((m) => `"${m}"`).join(' or ')} for a ${family} chain`);
  switch (v.mode) {
    case 'confirmations':
      return {
        mode: 'confirmations',
        confirmations: r.optionalInt(v.confirmations, `${at}.confirmations`, 0, 10_000, 0),
      };
    case 'sync-committee': {
      const network = v.network ?? 'mainnet';
      if (network !== 'mainnet')
        r.fail(
          `${at}.network`,
          'must be "mainnet" (the only fork schedule built in: verifier/ethereum/beacon/config.ts)',
        );
      return {
        mode: 'sync-committee',
        beaconUrl: r.url(v.beaconUrl, `${at}.beaconUrl`),
        checkpoint: r.hex(v.checkpoint, `${at}.checkpoint`, 32),
        network,
      };
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
        fromBlock: v.fromBlock === undefined ? undefined : r.int(v.fromBlock, `${at}.fromBlock`, 0, 2 ** 32 - 1),
      };
    }
  }
}
