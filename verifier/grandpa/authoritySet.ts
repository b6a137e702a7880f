/**
 * A GRANDPA authority set: its id (the `set_id` every precommit signs) and its voters with weights.
 * Polkadot gives every voter weight 1; the code counts by weight so any GRANDPA chain works.
 */
import type { Hex } from 'viem';
import { concatBytes } from '../bytes.js';
import { ProofError } from '../types.js';
import { encodeCompact, encodeU64, parseHex, ScaleReader, toHex } from './scale.js';

export interface Authority {
  /** ed25519 public key. */
  key: Uint8Array;
  weight: bigint;
}

export interface AuthoritySet {
  setId: bigint;
  authorities: readonly Authority[];
}

/** How a set is written in config or by hand: keys as hex, weights optional (default 1). */
export interface AuthoritySetInput {
  setId: bigint | number;
  authorities: readonly (Hex | { key: Hex; weight: bigint | number })[];
}

/** Checks and normalises a set from config: 32-byte keys, no key twice, positive total weight. */
export function toAuthoritySet(input: AuthoritySetInput): AuthoritySet {
  const authorities = input.authorities.map((a, i) => {
    const { key, weight } = typeof a === 'string' ? { key: a, weight: 1n } : a;
    return { key: parseHex(key, `authorities[${i}]`, 32), weight: BigInt(weight) };
  });
  return checkedSet(BigInt(input.setId), authorities);
}

function checkedSet(setId: bigint, authorities: Authority[]): AuthoritySet {
  if (setId < 0n || setId >= 1n << 64n) throw new ProofError('malformed-input', `set id ${setId} is not a u64`);
  const seen = new Set<string>();
  let total = 0n;
  for (const a of authorities) {
    const k = toHex(a.key);
    if (seen.has(k)) throw new ProofError('malformed-input', `authority ${k} is listed twice`);
    seen.add(k);
    if (a.weight < 0n) throw new ProofError('malformed-input', `authority ${k} has a negative weight`);
    total += a.weight;
  }
  if (total === 0n) throw new ProofError('malformed-input', 'authority set has no weight');
  return { setId, authorities };
}

/** True for an already normalised set (bigint id, byte keys); false for config-shaped input. */
export function isAuthoritySet(s: AuthoritySet | AuthoritySetInput): s is AuthoritySet {
  return (
    typeof s.setId === 'bigint' && s.authorities.every((a) => typeof a === 'object' && a.key instanceof Uint8Array)
  );
}

export function totalWeight(set: AuthoritySet): bigint {
  let total = 0n;
  for (const a of set.authorities) total += a.weight;
  return total;
}

/**
 * Weight a justification needs: more than two thirds, counted as finality-grandpa's VoterSet does
 * (total minus the most faulty weight tolerated). 297 equal voters: 297 - 98 = 199.
 */
export function supermajority(total: bigint): bigint {
  return total - (total - 1n) / 3n;
}

/** SCALE `AuthorityList` = `Vec<(ed25519 public key, u64 weight)>`. */
export function readAuthorityList(r: ScaleReader): Authority[] {
  const n = r.length(40);
  const out: Authority[] = [];
  for (let i = 0; i < n; i++) out.push({ key: r.take(32).slice(), weight: r.u64() });
  return out;
}

export function encodeAuthorityList(authorities: readonly Authority[]): Uint8Array {
  return concatBytes(encodeCompact(authorities.length), ...authorities.flatMap((a) => [a.key, encodeU64(a.weight)]));
}

/** sp_consensus_grandpa::GRANDPA_AUTHORITIES_KEY: the well-known storage key of the `VersionedAuthorityList`. */
export const GRANDPA_AUTHORITIES_KEY = new TextEncoder().encode(':grandpa_authorities');

/** Version byte of `VersionedAuthorityList` (`:grandpa_authorities`). */
export const AUTHORITIES_VERSION = 1;

/**
 * Decodes the `:grandpa_authorities` well-known storage value (u8 version 1, then an AuthorityList).
 * It carries no set id: the caller knows which set it read (e.g. `Grandpa::CurrentSetId` at the same block).
 */
export function decodeVersionedAuthorityList(bytes: Uint8Array, setId: bigint): AuthoritySet {
  const r = new ScaleReader(bytes, 'VersionedAuthorityList');
  const version = r.u8();
  if (version !== AUTHORITIES_VERSION) r.fail(`unknown version ${version}`);
  const authorities = readAuthorityList(r);
  r.end();
  return checkedSet(setId, authorities);
}

export function encodeVersionedAuthorityList(authorities: readonly Authority[]): Uint8Array {
  return concatBytes(Uint8Array.of(AUTHORITIES_VERSION), encodeAuthorityList(authorities));
}
