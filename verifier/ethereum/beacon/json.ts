/**
 * Parses the beacon API's light-client JSON (`{version, data}`; decimal strings for integers, 0x-hex
 * for bytes) into the typed containers, rejecting anything that does not have the expected shape.
 */
import { bytesToHex, type Hex } from 'viem';
import { ProofError } from '../../types.js';
import { bytesOf, quantityOf } from '../bytes.js';
import type {
  BeaconBlockHeader,
  ExecutionPayloadHeader,
  LightClientBootstrap,
  LightClientHeader,
  LightClientUpdate,
  SyncAggregate,
  SyncCommittee,
} from './types.js';

type Json = Record<string, unknown>;

const obj = (v: unknown, field: string): Json => {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new ProofError('malformed-input', `${field} is not an object`);
  return v as Json;
};
const hex = (v: unknown, field: string, length?: number): Hex => bytesToHex(bytesOf(v, field, length));
const roots = (v: unknown, field: string): Hex[] => {
  if (!Array.isArray(v)) throw new ProofError('malformed-input', `${field} is not a list`);
  return v.map((x, i) => hex(x, `${field}[${i}]`, 32));
};
const uint = (v: unknown, field: string): bigint => quantityOf(v, field);

/** Unwraps `{version, data}` when present (the API's envelope); fixtures may hold either form. */
const payload = (v: unknown): Json => {
  const o = obj(v, 'response');
  return 'data' in o ? obj(o.data, 'data') : o;
};

export function parseBeaconHeader(v: unknown): BeaconBlockHeader {
  const h = obj(v, 'beacon');
  return {
    slot: uint(h.slot, 'slot'),
    proposerIndex: uint(h.proposer_index, 'proposer_index'),
    parentRoot: hex(h.parent_root, 'parent_root', 32),
    stateRoot: hex(h.state_root, 'state_root', 32),
    bodyRoot: hex(h.body_root, 'body_root', 32),
  };
}

export function parseExecutionHeader(v: unknown): ExecutionPayloadHeader {
  const e = obj(v, 'execution');
  const out: ExecutionPayloadHeader = {
    parentHash: hex(e.parent_hash, 'parent_hash', 32),
    feeRecipient: hex(e.fee_recipient, 'fee_recipient', 20),
    stateRoot: hex(e.state_root, 'state_root', 32),
    receiptsRoot: hex(e.receipts_root, 'receipts_root', 32),
    logsBloom: hex(e.logs_bloom, 'logs_bloom', 256),
    prevRandao: hex(e.prev_randao, 'prev_randao', 32),
    blockNumber: uint(e.block_number, 'block_number'),
    gasLimit: uint(e.gas_limit, 'gas_limit'),
    gasUsed: uint(e.gas_used, 'gas_used'),
    timestamp: uint(e.timestamp, 'timestamp'),
    extraData: hex(e.extra_data, 'extra_data'),
    baseFeePerGas: uint(e.base_fee_per_gas, 'base_fee_per_gas'),
    blockHash: hex(e.block_hash, 'block_hash', 32),
    transactionsRoot: hex(e.transactions_root, 'transactions_root', 32),
    withdrawalsRoot: hex(e.withdrawals_root, 'withdrawals_root', 32),
  };
  if (e.blob_gas_used !== undefined || e.excess_blob_gas !== undefined) {
    out.blobGasUsed = uint(e.blob_gas_used, 'blob_gas_used');
    out.excessBlobGas = uint(e.excess_blob_gas, 'excess_blob_gas');
  }
  return out;
}

export function parseLightClientHeader(v: unknown): LightClientHeader {
  const h = obj(v, 'header');
  if (!('execution' in h))
    throw new ProofError('malformed-input', 'pre-Capella light-client header (no execution payload header)');
  return {
    beacon: parseBeaconHeader(h.beacon),
    execution: parseExecutionHeader(h.execution),
    executionBranch: roots(h.execution_branch, 'execution_branch'),
  };
}

export function parseSyncCommittee(v: unknown): SyncCommittee {
  const c = obj(v, 'sync_committee');
  if (!Array.isArray(c.pubkeys)) throw new ProofError('malformed-input', 'pubkeys is not a list');
  return {
    pubkeys: c.pubkeys.map((pk, i) => hex(pk, `pubkeys[${i}]`, 48)),
    aggregatePubkey: hex(c.aggregate_pubkey, 'aggregate_pubkey', 48),
  };
}

export function parseSyncAggregate(v: unknown): SyncAggregate {
  const a = obj(v, 'sync_aggregate');
  return {
    bits: bytesOf(a.sync_committee_bits, 'sync_committee_bits', 64),
    signature: hex(a.sync_committee_signature, 'sync_committee_signature', 96),
  };
}

export function parseBootstrap(v: unknown): LightClientBootstrap {
  const d = payload(v);
  return {
    header: parseLightClientHeader(d.header),
    currentSyncCommittee: parseSyncCommittee(d.current_sync_committee),
    currentSyncCommitteeBranch: roots(d.current_sync_committee_branch, 'current_sync_committee_branch'),
  };
}

/** A full update, a finality update or an optimistic update: whichever fields the JSON has. */
export function parseUpdate(v: unknown): LightClientUpdate {
  const d = payload(v);
  const update: LightClientUpdate = {
    attestedHeader: parseLightClientHeader(d.attested_header),
    syncAggregate: parseSyncAggregate(d.sync_aggregate),
    signatureSlot: uint(d.signature_slot, 'signature_slot'),
  };
  if (d.next_sync_committee !== undefined) {
    update.nextSyncCommittee = parseSyncCommittee(d.next_sync_committee);
    update.nextSyncCommitteeBranch = roots(d.next_sync_committee_branch, 'next_sync_committee_branch');
  }
  if (d.finalized_header !== undefined) {
    update.finalizedHeader = parseLightClientHeader(d.finalized_header);
    update.finalityBranch = roots(d.finality_branch, 'finality_branch');
  }
  return update;
}
