/**
 * Substrate block headers (sp_runtime::generic::Header<u32, BlakeTwo256>): SCALE codec, hash, and the
 * JSON shape `chain_getHeader` returns. The hash is blake2-256 of the SCALE encoding, so a header from
 * an RPC is only trusted once it hashes to a hash we already trust.
 */
import type { Hex } from 'viem';
import { concatBytes } from '../bytes.js';
import { ProofError } from '../types.js';
import { type DigestItem, decodeDigestItem, readDigestItem } from './digest.js';
import { blake2_256 } from './hash.js';
import { encodeCompact, parseHex, ScaleReader, toHex } from './scale.js';

export interface Header {
  parentHash: Uint8Array;
  /** Block number (u32 on Polkadot and its parachains). */
  number: number;
  stateRoot: Uint8Array;
  extrinsicsRoot: Uint8Array;
  digest: DigestItem[];
}

/** What `chain_getHeader` returns. */
export interface RpcHeader {
  parentHash: Hex;
  /** Hex, e.g. "0x1a2b". */
  number: Hex;
  stateRoot: Hex;
  extrinsicsRoot: Hex;
  digest: { logs: Hex[] };
}

const MAX_NUMBER = 0xffff_ffff;

export function encodeHeader(h: Header): Uint8Array {
  return concatBytes(
    h.parentHash,
    encodeCompact(h.number),
    h.stateRoot,
    h.extrinsicsRoot,
    encodeCompact(h.digest.length),
    ...h.digest.map((d) => d.raw),
  );
}

export function headerHash(h: Header): Uint8Array {
  return blake2_256(encodeHeader(h));
}

export function readHeader(r: ScaleReader): Header {
  const parentHash = r.take(32).slice();
  const number = r.compact();
  if (number > BigInt(MAX_NUMBER)) r.fail(`block number ${number} exceeds u32`);
  const stateRoot = r.take(32).slice();
  const extrinsicsRoot = r.take(32).slice();
  const n = r.length(1);
  const digest: DigestItem[] = [];
  for (let i = 0; i < n; i++) digest.push(readDigestItem(r));
  return { parentHash, number: Number(number), stateRoot, extrinsicsRoot, digest };
}

export function decodeHeader(bytes: Uint8Array): Header {
  const r = new ScaleReader(bytes, 'header');
  const h = readHeader(r);
  r.end();
  return h;
}

/** Parses the JSON-RPC header shape; `malformed-input` on anything off. */
export function headerFromRpc(json: unknown): Header {
  if (typeof json !== 'object' || json === null) throw new ProofError('malformed-input', 'header: not an object');
  const j = json as Partial<RpcHeader>;
  const number = typeof j.number === 'string' ? Number.parseInt(j.number, 16) : Number.NaN;
  if (!/^0x[0-9a-fA-F]{1,8}$/.test(String(j.number)) || !(number <= MAX_NUMBER))
    throw new ProofError('malformed-input', `header: bad number ${String(j.number)}`);
  const logs = j.digest?.logs;
  if (!Array.isArray(logs)) throw new ProofError('malformed-input', 'header: digest.logs is not an array');
  return {
    parentHash: parseHex(j.parentHash, 'header.parentHash', 32),
    number,
    stateRoot: parseHex(j.stateRoot, 'header.stateRoot', 32),
    extrinsicsRoot: parseHex(j.extrinsicsRoot, 'header.extrinsicsRoot', 32),
    digest: logs.map((l, i) => decodeDigestItem(parseHex(l, `header.digest.logs[${i}]`))),
  };
}

export function headerToRpc(h: Header): RpcHeader {
  return {
    parentHash: toHex(h.parentHash),
    number: `0x${h.number.toString(16)}`,
    stateRoot: toHex(h.stateRoot),
    extrinsicsRoot: toHex(h.extrinsicsRoot),
    digest: { logs: h.digest.map((d) => toHex(d.raw)) },
  };
}
