/**
 * Header digest items (sp_runtime::DigestItem) and the GRANDPA consensus log carried in them. A
 * digest item keeps its raw bytes: the header hash is over exactly what the chain encoded.
 */
import { concatBytes, equalBytes } from '../bytes.js';
import { ProofError } from '../types.js';
import { type Authority, encodeAuthorityList, readAuthorityList } from './authoritySet.js';
import { encodeBytesVec, encodeU32, encodeU64, ScaleReader } from './scale.js';

export type DigestItem =
  | { kind: 'preRuntime' | 'consensus' | 'seal'; engineId: Uint8Array; data: Uint8Array; raw: Uint8Array }
  | { kind: 'other'; data: Uint8Array; raw: Uint8Array }
  | { kind: 'runtimeEnvironmentUpdated'; raw: Uint8Array };

// sp_runtime::generic::DigestItem discriminants (2, 3 and 7 were retired and are invalid today).
const OTHER = 0;
const CONSENSUS = 4;
const SEAL = 5;
const PRE_RUNTIME = 6;
const RUNTIME_ENVIRONMENT_UPDATED = 8;

/** Reads one DigestItem and records the bytes it spanned. */
export function readDigestItem(r: ScaleReader): DigestItem {
  const start = r.offset;
  const tag = r.u8();
  const raw = () => r.bytes.slice(start, r.offset);
  switch (tag) {
    case OTHER: {
      const data = r.bytesVec().slice();
      return { kind: 'other', data, raw: raw() };
    }
    case CONSENSUS:
    case SEAL:
    case PRE_RUNTIME: {
      const kind = tag === CONSENSUS ? 'consensus' : tag === SEAL ? 'seal' : 'preRuntime';
      const engineId = r.take(4).slice();
      const data = r.bytesVec().slice();
      return { kind, engineId, data, raw: raw() };
    }
    case RUNTIME_ENVIRONMENT_UPDATED:
      return { kind: 'runtimeEnvironmentUpdated', raw: raw() };
    default:
      return r.fail(`unknown digest item type ${tag}`);
  }
}

export function decodeDigestItem(bytes: Uint8Array): DigestItem {
  const r = new ScaleReader(bytes, 'digest item');
  const item = readDigestItem(r);
  r.end();
  return item;
}

/** A consensus digest item for an engine (the way a runtime deposits one). */
export function consensusDigest(engineId: Uint8Array, data: Uint8Array): DigestItem {
  return {
    kind: 'consensus',
    engineId,
    data,
    raw: concatBytes(Uint8Array.of(CONSENSUS), engineId, encodeBytesVec(data)),
  };
}

/** GRANDPA's consensus engine id. */
export const GRANDPA_ENGINE_ID = new TextEncoder().encode('FRNK');

export interface ScheduledChange {
  nextAuthorities: Authority[];
  /** Blocks after the announcing block at which the change takes effect. */
  delay: number;
}

/** sp_consensus_grandpa::ConsensusLog<u32>. */
export type GrandpaConsensusLog =
  | { type: 'scheduledChange'; change: ScheduledChange }
  | { type: 'forcedChange'; medianLastFinalized: number; change: ScheduledChange }
  | { type: 'onDisabled'; authorityIndex: bigint }
  | { type: 'pause'; delay: number }
  | { type: 'resume'; delay: number };

export function decodeGrandpaLog(data: Uint8Array): GrandpaConsensusLog {
  const r = new ScaleReader(data, 'GRANDPA consensus log');
  const tag = r.u8();
  const change = (): ScheduledChange => ({ nextAuthorities: readAuthorityList(r), delay: r.u32() });
  let log: GrandpaConsensusLog;
  switch (tag) {
    case 1:
      log = { type: 'scheduledChange', change: change() };
      break;
    case 2: {
      const medianLastFinalized = r.u32();
      log = { type: 'forcedChange', medianLastFinalized, change: change() };
      break;
    }
    case 3:
      log = { type: 'onDisabled', authorityIndex: r.u64() };
      break;
    case 4:
      log = { type: 'pause', delay: r.u32() };
      break;
    case 5:
      log = { type: 'resume', delay: r.u32() };
      break;
    default:
      return r.fail(`unknown GRANDPA log type ${tag}`);
  }
  r.end();
  return log;
}

export function encodeGrandpaLog(log: GrandpaConsensusLog): Uint8Array {
  const change = (c: ScheduledChange) => concatBytes(encodeAuthorityList(c.nextAuthorities), encodeU32(c.delay));
  switch (log.type) {
    case 'scheduledChange':
      return concatBytes(Uint8Array.of(1), change(log.change));
    case 'forcedChange':
      return concatBytes(Uint8Array.of(2), encodeU32(log.medianLastFinalized), change(log.change));
    case 'onDisabled':
      return concatBytes(Uint8Array.of(3), encodeU64(log.authorityIndex));
    case 'pause':
      return concatBytes(Uint8Array.of(4), encodeU32(log.delay));
    case 'resume':
      return concatBytes(Uint8Array.of(5), encodeU32(log.delay));
  }
}

/** The GRANDPA logs of a header's digest, in order. */
export function grandpaLogs(digest: readonly DigestItem[]): GrandpaConsensusLog[] {
  const out: GrandpaConsensusLog[] = [];
  for (const item of digest) {
    if (item.kind === 'consensus' && equalBytes(item.engineId, GRANDPA_ENGINE_ID)) {
      try {
        out.push(decodeGrandpaLog(item.data));
      } catch (e) {
        throw e instanceof ProofError ? new ProofError('bad-header', e.message) : e;
      }
    }
  }
  return out;
}
