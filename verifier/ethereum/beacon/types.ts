/** Light-client containers (consensus specs, altair/capella/deneb/electra light-client/sync-protocol.md). */
import type { Hex } from 'viem';

export interface BeaconBlockHeader {
  slot: bigint;
  proposerIndex: bigint;
  parentRoot: Hex;
  stateRoot: Hex;
  bodyRoot: Hex;
}

/** ExecutionPayloadHeader, Capella form; Deneb (and Electra, Fulu) add the two blob fields. */
export interface ExecutionPayloadHeader {
  parentHash: Hex;
  feeRecipient: Hex;
  stateRoot: Hex;
  receiptsRoot: Hex;
  logsBloom: Hex;
  prevRandao: Hex;
  blockNumber: bigint;
  gasLimit: bigint;
  gasUsed: bigint;
  timestamp: bigint;
  extraData: Hex;
  baseFeePerGas: bigint;
  blockHash: Hex;
  transactionsRoot: Hex;
  withdrawalsRoot: Hex;
  blobGasUsed?: bigint;
  excessBlobGas?: bigint;
}

export interface LightClientHeader {
  beacon: BeaconBlockHeader;
  execution: ExecutionPayloadHeader;
  executionBranch: Hex[];
}

export interface SyncCommittee {
  /** SYNC_COMMITTEE_SIZE (512) compressed G1 public keys. */
  pubkeys: Hex[];
  aggregatePubkey: Hex;
}

export interface SyncAggregate {
  /** Bitvector[512]: bit i (byte i / 8, bit i % 8, little-endian within the byte) = member i signed. */
  bits: Uint8Array;
  signature: Hex;
}

export interface LightClientBootstrap {
  header: LightClientHeader;
  currentSyncCommittee: SyncCommittee;
  currentSyncCommitteeBranch: Hex[];
}

/**
 * LightClientUpdate; a finality update lacks the next sync committee, an optimistic update also the
 * finalized header (the spec fills both with empty values: here they are undefined).
 */
export interface LightClientUpdate {
  attestedHeader: LightClientHeader;
  nextSyncCommittee?: SyncCommittee;
  nextSyncCommitteeBranch?: Hex[];
  finalizedHeader?: LightClientHeader;
  finalityBranch?: Hex[];
  syncAggregate: SyncAggregate;
  signatureSlot: bigint;
}

/** The execution block a finalized beacon header commits to: what the state proofs are checked against. */
export interface FinalizedExecution {
  beaconSlot: bigint;
  blockNumber: bigint;
  blockHash: Hex;
  stateRoot: Hex;
}
