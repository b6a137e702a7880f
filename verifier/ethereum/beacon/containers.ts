/**
 * hash_tree_root of the few consensus containers the light client checks, built from field roots with
 * the SSZ primitives in ../ssz.ts, and the signing root of a sync committee signature.
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { bytesToHex, type Hex } from 'viem';
import { concatBytes } from '../../bytes.js';
import { ProofError } from '../../types.js';
import { bytesOf } from '../bytes.js';
import { byteListRoot, bytesVectorRoot, hash2, merkleize, type Root, uint64Root, uint256Root } from '../ssz.js';
import { type BeaconChainConfig, DOMAIN_SYNC_COMMITTEE, epochAtSlot, forkAtEpoch } from './config.js';
import type { BeaconBlockHeader, ExecutionPayloadHeader, SyncCommittee } from './types.js';

const MAX_EXTRA_DATA_BYTES = 32;

const b32 = (h: Hex, field: string): Root => bytesOf(h, field, 32);

export function beaconHeaderRoot(h: BeaconBlockHeader): Root {
  return merkleize([
    uint64Root(h.slot),
    uint64Root(h.proposerIndex),
    b32(h.parentRoot, 'parent_root'),
    b32(h.stateRoot, 'state_root'),
    b32(h.bodyRoot, 'body_root'),
  ]);
}

/** Capella form when the blob fields are absent, Deneb form (Electra, Fulu alike) when present. */
export function executionHeaderRoot(e: ExecutionPayloadHeader): Root {
  const fields: Root[] = [
    b32(e.parentHash, 'parent_hash'),
    bytesVectorRoot(bytesOf(e.feeRecipient, 'fee_recipient', 20)),
    b32(e.stateRoot, 'state_root'),
    b32(e.receiptsRoot, 'receipts_root'),
    bytesVectorRoot(bytesOf(e.logsBloom, 'logs_bloom', 256)),
    b32(e.prevRandao, 'prev_randao'),
    uint64Root(e.blockNumber),
    uint64Root(e.gasLimit),
    uint64Root(e.gasUsed),
    uint64Root(e.timestamp),
    byteListRoot(bytesOf(e.extraData, 'extra_data'), MAX_EXTRA_DATA_BYTES),
    uint256Root(e.baseFeePerGas),
    b32(e.blockHash, 'block_hash'),
    b32(e.transactionsRoot, 'transactions_root'),
    b32(e.withdrawalsRoot, 'withdrawals_root'),
  ];
  if ((e.blobGasUsed === undefined) !== (e.excessBlobGas === undefined))
    throw new ProofError('malformed-input', 'one blob field without the other');
  if (e.blobGasUsed !== undefined && e.excessBlobGas !== undefined)
    fields.push(uint64Root(e.blobGasUsed), uint64Root(e.excessBlobGas));
  return merkleize(fields);
}

/** BLSPubkey (48 bytes) is a two-chunk vector. */
const pubkeyRoot = (pk: Uint8Array): Root =>
  merkleize([pk.subarray(0, 32), concatBytes(pk.subarray(32), new Uint8Array(16))]);

export function syncCommitteeRoot(c: SyncCommittee): Root {
  if (c.pubkeys.length !== 512) throw new ProofError('malformed-input', `sync committee of ${c.pubkeys.length} keys`);
  const keys = c.pubkeys.map((pk, i) => pubkeyRoot(bytesOf(pk, `pubkeys[${i}]`, 48)));
  return hash2(merkleize(keys), pubkeyRoot(bytesOf(c.aggregatePubkey, 'aggregate_pubkey', 48)));
}

/** compute_domain(DOMAIN_SYNC_COMMITTEE, fork_version, genesis_validators_root). */
export function syncCommitteeDomain(config: BeaconChainConfig, signatureSlot: bigint): Root {
  // the signature was made over the attested block in the slot before signature_slot
  const epoch = epochAtSlot((signatureSlot > 1n ? signatureSlot : 1n) - 1n);
  const version = bytesOf(forkAtEpoch(config, epoch).version, 'fork version', 4);
  const forkDataRoot = hash2(bytesVectorRoot(version), b32(config.genesisValidatorsRoot, 'genesis_validators_root'));
  return concatBytes(bytesOf(DOMAIN_SYNC_COMMITTEE, 'domain', 4), forkDataRoot.subarray(0, 28));
}

/** compute_signing_root(attested header, domain) = hash_tree_root(SigningData(object_root, domain)). */
export const signingRoot = (objectRoot: Root, domain: Root): Root => hash2(objectRoot, domain);

export const rootHex = (r: Root): Hex => bytesToHex(r);

/** Ethereum's BLS ciphersuite: proof-of-possession scheme, signatures in G2. */
const POP_DST = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
type G1 = ReturnType<typeof bls12_381.G1.Point.fromBytes>;

/** Decodes and validates (on curve, in the subgroup, not infinity: KeyValidate) a compressed G1 key. */
export function decodePubkey(pk: Hex): G1 {
  const point = bls12_381.G1.Point.fromBytes(bytesOf(pk, 'pubkey', 48));
  point.assertValidity();
  if (point.is0()) throw new Error('infinity public key');
  return point;
}

/**
 * FastAggregateVerify: one signature of the same message by every key; the keys are sync committee
 * members, whose proofs of possession the beacon chain checked when they deposited, which is what makes
 * aggregating keys without per-key proofs sound. False on any malformed signature.
 */
export function fastAggregateVerify(keys: readonly G1[], message: Root, signature: Hex): boolean {
  if (keys.length === 0) return false;
  try {
    const sig = bls12_381.G2.Point.fromBytes(bytesOf(signature, 'signature', 96));
    sig.assertValidity();
    let aggregate = keys[0] as G1;
    for (let i = 1; i < keys.length; i++) aggregate = aggregate.add(keys[i] as G1);
    const bls = bls12_381.longSignatures;
    return bls.verify(sig, bls.hash(message, POP_DST), aggregate);
  } catch {
    return false;
  }
}
