/**
 * Decodes CometBFT JSON-RPC results (`commit`, `validators`, the fixtures' `signed_block`) into lightBlock
 * types. Every malformed field is a `malformed-input` ProofError naming the field: the RPC node is not trusted,
 * so its JSON is input like any other.
 */
import { ProofError } from '../types.js';
import {
  type BlockId,
  BlockIdFlag,
  type Commit,
  type CommitSig,
  type Header,
  type SignedHeader,
  type Timestamp,
  type Validator,
} from './lightBlock.js';

type Json = Record<string, unknown>;

const malformed = (what: string, why: string) => new ProofError('malformed-input', `${what}: ${why}`);

function object(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed(what, 'not an object');
  return value as Json;
}

function array(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw malformed(what, 'not an array');
  return value;
}

function string(value: unknown, what: string): string {
  if (typeof value !== 'string') throw malformed(what, 'not a string');
  return value;
}

/** Heights, powers and versions come as decimal strings (int64 in JSON); some older fields as numbers. */
export function integer(value: unknown, what: string): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  const s = string(value, what);
  if (!/^-?\d{1,20}$/.test(s)) throw malformed(what, `"${s}" is not an integer`);
  const v = BigInt(s);
  if (v < -(1n << 63n) || v >= 1n << 64n) throw malformed(what, `${s} is out of range`);
  return v;
}

function smallInt(value: unknown, what: string): number {
  const v = integer(value, what);
  if (v < 0n || v > 0xffffffffn) throw malformed(what, `${v} is out of range`);
  return Number(v);
}

/** Hashes and addresses are upper-case hex without 0x; an empty string is an empty field. */
export function hexBytes(value: unknown, what: string, length?: number): Uint8Array {
  const s = string(value, what);
  if (!/^([0-9a-fA-F]{2})*$/.test(s)) throw malformed(what, 'not hex');
  const out = Uint8Array.from(Buffer.from(s, 'hex'));
  if (length !== undefined && out.length !== length && out.length !== 0)
    throw malformed(what, `${out.length} bytes, expected ${length}`);
  return out;
}

/** Signatures and public keys are standard base64. */
export function base64Bytes(value: unknown, what: string): Uint8Array {
  if (value === null || value === undefined) return new Uint8Array(0);
  const s = string(value, what);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw malformed(what, 'not base64');
  return Uint8Array.from(Buffer.from(s, 'base64'));
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/** RFC 3339 in UTC with up to nanoseconds, as CometBFT writes times. */
export function timestamp(value: unknown, what: string): Timestamp {
  const s = string(value, what);
  const m = RFC3339.exec(s);
  const ms = m ? Date.parse(`${m[1]}Z`) : Number.NaN;
  if (!m || Number.isNaN(ms)) throw malformed(what, `"${s}" is not an RFC 3339 UTC time`);
  return { seconds: BigInt(ms / 1000), nanos: Number((m[2] ?? '').padEnd(9, '0')) };
}

function blockId(value: unknown, what: string): BlockId {
  const o = object(value, what);
  const parts = object(o.parts ?? o.part_set_header ?? {}, `${what}.parts`);
  return {
    hash: hexBytes(o.hash ?? '', `${what}.hash`, 32),
    partSetHeader: {
      total: smallInt(parts.total ?? 0, `${what}.parts.total`),
      hash: hexBytes(parts.hash ?? '', `${what}.parts.hash`, 32),
    },
  };
}

export function parseHeader(value: unknown): Header {
  const h = object(value, 'header');
  const version = object(h.version, 'header.version');
  const hash = (key: string) => hexBytes(h[key], `header.${key}`, 32);
  return {
    version: { block: integer(version.block ?? '0', 'header.version.block'), app: integer(version.app ?? '0', 'app') },
    chainId: string(h.chain_id, 'header.chain_id'),
    height: integer(h.height, 'header.height'),
    time: timestamp(h.time, 'header.time'),
    lastBlockId: blockId(h.last_block_id, 'header.last_block_id'),
    lastCommitHash: hash('last_commit_hash'),
    dataHash: hash('data_hash'),
    validatorsHash: hash('validators_hash'),
    nextValidatorsHash: hash('next_validators_hash'),
    consensusHash: hash('consensus_hash'),
    // app hashes are whatever the application returns (8 bytes in the kvstore example app): no length check
    appHash: hexBytes(h.app_hash, 'header.app_hash'),
    lastResultsHash: hash('last_results_hash'),
    evidenceHash: hash('evidence_hash'),
    proposerAddress: hexBytes(h.proposer_address, 'header.proposer_address', 20),
  };
}

function commitSig(value: unknown, what: string): CommitSig {
  const s = object(value, what);
  const flag = Number(s.block_id_flag);
  if (flag !== BlockIdFlag.Absent && flag !== BlockIdFlag.Commit && flag !== BlockIdFlag.Nil)
    throw malformed(`${what}.block_id_flag`, `unknown flag ${String(s.block_id_flag)}`);
  return {
    blockIdFlag: flag as BlockIdFlag,
    validatorAddress: hexBytes(s.validator_address ?? '', `${what}.validator_address`),
    timestamp: timestamp(s.timestamp ?? '0001-01-01T00:00:00Z', `${what}.timestamp`),
    signature: base64Bytes(s.signature, `${what}.signature`),
  };
}

export function parseCommit(value: unknown): Commit {
  const c = object(value, 'commit');
  return {
    height: integer(c.height, 'commit.height'),
    round: smallInt(c.round ?? 0, 'commit.round'),
    blockId: blockId(c.block_id, 'commit.block_id'),
    signatures: array(c.signatures, 'commit.signatures').map((s, i) => commitSig(s, `commit.signatures[${i}]`)),
  };
}

/** `{header, commit}`: the `signed_header` of the RPC's `commit` result. */
export function parseSignedHeader(value: unknown): SignedHeader {
  const o = object(value, 'signed_header');
  return { header: parseHeader(o.header), commit: parseCommit(o.commit) };
}

export function parseValidator(value: unknown, what = 'validator'): Validator {
  const v = object(value, what);
  const key = object(v.pub_key, `${what}.pub_key`);
  // amino JSON names the key type; CometBFT 0.38 writes tendermint/PubKeyEd25519
  if (key.type !== 'tendermint/PubKeyEd25519')
    throw new ProofError('malformed-input', `${what}: unsupported key type ${String(key.type)} (only ed25519)`);
  const pubKey = base64Bytes(key.value, `${what}.pub_key.value`);
  if (pubKey.length !== 32) throw malformed(`${what}.pub_key`, `${pubKey.length} bytes, expected 32`);
  return {
    address: hexBytes(v.address, `${what}.address`, 20),
    pubKey,
    votingPower: integer(v.voting_power, `${what}.voting_power`),
  };
}

export function parseValidators(value: unknown, what = 'validators'): Validator[] {
  return array(value, what).map((v, i) => parseValidator(v, `${what}[${i}]`));
}
