/**
 * Sync-committee light-client data a test makes for itself: a committee of 512 BLS keys derived from a
 * seed, a bootstrap for it and a finality update it signs, in the beacon API's JSON (what a beacon node
 * serves and `verifier/ethereum/beacon/json.ts` parses), signed under the chain facts the caller names
 * (genesis validators root, fork version, genesis time).
 *
 * Why made up: public testnets' light-client data recorded by others may not be copied into the project
 * (see ../shared/fixtures/README.md), and none of the beacon data there is post-Deneb. What this data can
 * show is how the verifier treats a chain's constants and the Deneb/Electra shapes, not that real nodes
 * agree with it (the mainnet data in ../shared/fixtures/ does that for Capella).
 *
 * Why its own SSZ and signing lines instead of verifier/ethereum/ssz.ts and beacon/containers.ts: data
 * built by the code under test verifies whatever that code gets wrong. This is a second reading of the
 * consensus specs (ssz/simple-serialize.md; deneb/electra beacon-chain.md and light-client/sync-protocol.md;
 * phase0 compute_domain / compute_signing_root), so the two check each other. Only Deneb-or-later headers
 * (blob fields) in Electra-or-later states (the deeper state tree) are made.
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { bytesToHex, type Hex, hexToBytes } from 'viem';

type Chunk = Uint8Array;

/** Generalized indices (electra light-client/sync-protocol.md; the execution payload: capella's). */
const CURRENT_SYNC_COMMITTEE_GINDEX_ELECTRA = 86;
const FINALITY_GINDEX_ELECTRA = 169;
const EXECUTION_PAYLOAD_GINDEX = 25;
const SYNC_COMMITTEE_SIZE = 512;
const SLOTS_PER_EPOCH = 32n;
const DOMAIN_SYNC_COMMITTEE = hexToBytes('0x07000000');
/** Ethereum's BLS ciphersuite (proof of possession, G2 signatures), as in the consensus specs' phase0 BLS section. */
const POP_DST = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
const R = bls12_381.fields.Fr.ORDER;

const pair = (a: Chunk, b: Chunk): Chunk => sha256(concatBytes(a, b));

/** Right-pads to whole 32-byte chunks. */
function chunks(bytes: Uint8Array): Chunk[] {
  const out: Chunk[] = [];
  for (let i = 0; i < Math.max(bytes.length, 1); i += 32) {
    const c = new Uint8Array(32);
    c.set(bytes.subarray(i, i + 32));
    out.push(c);
  }
  return out;
}

/** merkleize: the leaves padded with zero chunks to the next power of two, hashed pairwise to one root. */
function merkleize(leaves: readonly Chunk[]): Chunk {
  let layer = leaves.slice();
  let width = 1;
  while (width < layer.length) width *= 2;
  while (layer.length < width) layer.push(new Uint8Array(32));
  while (layer.length > 1) {
    const next: Chunk[] = [];
    for (let i = 0; i < layer.length; i += 2) next.push(pair(layer[i] as Chunk, layer[i + 1] as Chunk));
    layer = next;
  }
  return layer[0] as Chunk;
}

/** A little-endian uint64/uint256 as its chunk. */
function uintChunk(n: bigint): Chunk {
  const c = new Uint8Array(32);
  for (let i = 0; n > 0n; i++, n >>= 8n) c[i] = Number(n & 0xffn);
  return c;
}

/** Bytes20/Bytes32/Bytes48/Bytes256: packed chunks, merkleized. */
const vectorRoot = (bytes: Uint8Array): Chunk => merkleize(chunks(bytes));

/** The root a Merkle branch climbs to from `leaf` at generalized index `gindex` (siblings bottom-up). */
function climb(leaf: Chunk, gindex: number, siblings: readonly Chunk[]): Chunk {
  let node = leaf;
  siblings.forEach((s, i) => {
    node = (gindex >> i) & 1 ? pair(s, node) : pair(node, s);
  });
  return node;
}

const depthOf = (gindex: number): number => Math.floor(Math.log2(gindex));
const hex = (b: Uint8Array): Hex => bytesToHex(b);

/** Chain constants the data is signed under: the facts under test, named by the caller. */
export interface ChainFacts {
  genesisValidatorsRoot: Hex;
  /** Unix seconds of slot 0: the execution timestamps are genesisTime + slot * secondsPerSlot. */
  genesisTime: number;
  secondsPerSlot: number;
  /** The fork active at the attested slot: its name (the API's `version` field) and its 4-byte version. */
  fork: { name: string; version: Hex };
}

/** A block of the made-up chain: its beacon slot and the execution block number it carries. */
export interface BlockAt {
  slot: bigint;
  blockNumber: bigint;
}

export interface LightClientScenario {
  /** Every key, root and hash is derived from it: the same seed makes the same data. */
  seed: string;
  bootstrap: BlockAt;
  finalized: BlockAt;
  attested: BlockAt;
  signatureSlot: bigint;
  /** Which members (0..511) sign; all by default. */
  signs?: (member: number) => boolean;
}

export interface SyntheticCommittee {
  pubkeys: Hex[];
  aggregatePubkey: Hex;
  secretKeys: bigint[];
}

/**
 * 512 BLS key pairs. The secret keys are s0, s0 + d, s0 + 2d, ... (mod r), so each public key is the
 * previous one plus d*G: one point addition instead of a scalar multiplication per key (512 of those
 * cost about a second on this project's machine). Keys in a progression are still valid, distinct keys;
 * nothing in a light client depends on how members chose theirs.
 */
export function makeCommittee(seed: string): SyntheticCommittee {
  const scalar = (label: string) => (BigInt(hex(sha256(utf8ToBytes(`${seed}/${label}`)))) % (R - 1n)) + 1n;
  const s0 = scalar('first secret key');
  const d = scalar('secret key step');
  const G = bls12_381.G1.Point.BASE;
  const step = G.multiply(d);
  const secretKeys: bigint[] = [];
  const points = [G.multiply(s0)];
  for (let i = 0; i < SYNC_COMMITTEE_SIZE; i++) {
    secretKeys.push((s0 + BigInt(i) * d) % R);
    if (i > 0) points.push((points[i - 1] as typeof step).add(step));
  }
  const aggregate = points.reduce((a, p) => a.add(p));
  return {
    pubkeys: points.map((p) => hex(p.toBytes(true))),
    aggregatePubkey: hex(aggregate.toBytes(true)),
    secretKeys,
  };
}

/** hash_tree_root(SyncCommittee): Vector[BLSPubkey, 512] and the aggregate key (a pubkey is two chunks). */
function committeeRoot(c: SyntheticCommittee): Chunk {
  const pubkeyRoot = (pk: Hex) => vectorRoot(hexToBytes(pk));
  return pair(merkleize(c.pubkeys.map(pubkeyRoot)), pubkeyRoot(c.aggregatePubkey));
}

/** compute_signing_root(header, compute_domain(DOMAIN_SYNC_COMMITTEE, version, genesis_validators_root)). */
function signingRoot(facts: ChainFacts, headerRoot: Chunk): Chunk {
  const forkDataRoot = pair(vectorRoot(hexToBytes(facts.fork.version)), hexToBytes(facts.genesisValidatorsRoot));
  const domain = concatBytes(DOMAIN_SYNC_COMMITTEE, forkDataRoot.subarray(0, 28));
  return pair(headerRoot, domain);
}

type Json = Record<string, unknown>;

/** A light-client header (beacon API JSON) of a block committing to `stateRoot`, and its beacon root. */
function lightClientHeader(
  facts: ChainFacts,
  at: BlockAt,
  stateRoot: Chunk,
  made: (label: string) => Chunk,
): { json: Json; root: Chunk } {
  const label = `block ${at.blockNumber}`;
  const timestamp = BigInt(facts.genesisTime) + at.slot * BigInt(facts.secondsPerSlot);
  const extraData = utf8ToBytes('sah test builder');
  const logsBloom = concatBytes(...Array.from({ length: 8 }, (_, i) => made(`${label} logs bloom ${i}`)));
  // ExecutionPayloadHeader, Deneb form (Electra and Fulu keep it): 17 fields in order
  const e = {
    parent_hash: made(`${label} parent hash`),
    fee_recipient: made(`${label} fee recipient`).subarray(0, 20),
    state_root: made(`${label} execution state root`),
    receipts_root: made(`${label} receipts root`),
    logs_bloom: logsBloom,
    prev_randao: made(`${label} prev randao`),
    block_number: at.blockNumber,
    gas_limit: 60_000_000n,
    gas_used: 1_354_847n,
    timestamp,
    extra_data: extraData,
    base_fee_per_gas: 1_017_209_269n,
    block_hash: made(`${label} block hash`),
    transactions_root: made(`${label} transactions root`),
    withdrawals_root: made(`${label} withdrawals root`),
    blob_gas_used: 2_752_512n,
    excess_blob_gas: 227_929_186n,
  };
  const executionRoot = merkleize([
    e.parent_hash,
    vectorRoot(e.fee_recipient),
    e.state_root,
    e.receipts_root,
    vectorRoot(e.logs_bloom),
    e.prev_randao,
    uintChunk(e.block_number),
    uintChunk(e.gas_limit),
    uintChunk(e.gas_used),
    uintChunk(e.timestamp),
    // ByteList[32]: one chunk, then the length mixed in
    pair(merkleize(chunks(e.extra_data)), uintChunk(BigInt(e.extra_data.length))),
    uintChunk(e.base_fee_per_gas),
    e.block_hash,
    e.transactions_root,
    e.withdrawals_root,
    uintChunk(e.blob_gas_used),
    uintChunk(e.excess_blob_gas),
  ]);
  // the rest of the block body is not needed: its other fields appear only as the branch's siblings
  const executionBranch = Array.from({ length: depthOf(EXECUTION_PAYLOAD_GINDEX) }, (_, i) =>
    made(`${label} body branch ${i}`),
  );
  const beacon = {
    slot: at.slot,
    proposer_index: BigInt(made(`${label} proposer`)[0] as number) * 1_000n,
    parent_root: made(`${label} parent root`),
    state_root: stateRoot,
    body_root: climb(executionRoot, EXECUTION_PAYLOAD_GINDEX, executionBranch),
  };
  const root = merkleize([
    uintChunk(beacon.slot),
    uintChunk(beacon.proposer_index),
    beacon.parent_root,
    beacon.state_root,
    beacon.body_root,
  ]);
  return {
    json: { beacon: apiJson(beacon), execution: apiJson(e), execution_branch: executionBranch.map(hex) },
    root,
  };
}

/** The beacon API's encoding: integers as decimal strings, bytes as 0x-hex. */
const apiJson = (fields: Record<string, bigint | Uint8Array>): Json =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : hex(v)]));

export interface SyntheticLightClientData {
  committee: SyntheticCommittee;
  /** `GET /eth/v1/beacon/light_client/bootstrap/{root}` */
  bootstrap: { version: string; data: Json };
  /** A finality update (`GET /eth/v1/beacon/light_client/finality_update`): no next committee. */
  update: { version: string; data: Json };
}

/**
 * A bootstrap at `scenario.bootstrap` holding the made-up committee, and a finality update in which that
 * committee signs the attested header under `facts`, the attested state proving the finalized header.
 */
export function makeLightClientData(facts: ChainFacts, scenario: LightClientScenario): SyntheticLightClientData {
  const made = (label: string): Chunk => sha256(utf8ToBytes(`${scenario.seed}/${label}`));
  const committee = makeCommittee(scenario.seed);

  // bootstrap: the state holds the committee at its generalized index; the bottom sibling is the next committee's root
  const committeeBranch = Array.from({ length: depthOf(CURRENT_SYNC_COMMITTEE_GINDEX_ELECTRA) }, (_, i) =>
    made(i === 0 ? 'next sync committee root' : `bootstrap state branch ${i}`),
  );
  const bootstrapState = climb(committeeRoot(committee), CURRENT_SYNC_COMMITTEE_GINDEX_ELECTRA, committeeBranch);
  const bootstrapHeader = lightClientHeader(facts, scenario.bootstrap, bootstrapState, made);

  // update: the attested state's finalized_checkpoint = (epoch, root of the finalized header); the root is
  // the checkpoint's second field, so the branch starts with the epoch
  const finalized = lightClientHeader(facts, scenario.finalized, made('finalized state root'), made);
  const finalizedEpoch = (scenario.finalized.slot + SLOTS_PER_EPOCH - 1n) / SLOTS_PER_EPOCH;
  const finalityBranch = [
    uintChunk(finalizedEpoch),
    ...Array.from({ length: depthOf(FINALITY_GINDEX_ELECTRA) - 1 }, (_, i) => made(`attested state branch ${i}`)),
  ];
  const attestedState = climb(finalized.root, FINALITY_GINDEX_ELECTRA, finalityBranch);
  const attested = lightClientHeader(facts, scenario.attested, attestedState, made);

  // Σ sk_i · H(m) is the aggregate of the members' signatures sk_i · H(m): one multiplication instead of one each
  const signs = scenario.signs ?? (() => true);
  const bits = new Uint8Array(SYNC_COMMITTEE_SIZE / 8);
  let secret = 0n;
  committee.secretKeys.forEach((sk, i) => {
    if (!signs(i)) return;
    bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
    secret = (secret + sk) % R;
  });
  if (secret === 0n) throw new Error('a sync aggregate needs at least one signer');
  const message = bls12_381.longSignatures.hash(signingRoot(facts, attested.root), POP_DST);
  const signature = message.multiply(secret).toBytes(true);

  return {
    committee,
    bootstrap: {
      version: facts.fork.name,
      data: {
        header: bootstrapHeader.json,
        current_sync_committee: { pubkeys: committee.pubkeys, aggregate_pubkey: committee.aggregatePubkey },
        current_sync_committee_branch: committeeBranch.map(hex),
      },
    },
    update: {
      version: facts.fork.name,
      data: {
        attested_header: attested.json,
        finalized_header: finalized.json,
        finality_branch: finalityBranch.map(hex),
        sync_aggregate: { sync_committee_bits: hex(bits), sync_committee_signature: hex(signature) },
        signature_slot: scenario.signatureSlot.toString(),
      },
    },
  };
}
