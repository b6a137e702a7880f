/**
 * The mock voter set's ed25519 keys: derived from dev URIs (`//Alice//grandpa`, ...) with @polkadot/keyring,
 * so anyone can re-derive them, and the genesis can carry the public parts as `:grandpa_authorities`.
 */
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { ed25519PairFromSeed } from '@polkadot/util-crypto';
import { type Hex, hexToBytes } from 'viem';
import {
  type Authority,
  encodeVersionedAuthorityList,
  GRANDPA_AUTHORITIES_KEY,
} from '../../verifier/grandpa/authoritySet.js';
import { toHex } from '../../verifier/grandpa/scale.js';

export class VoterKeyError extends Error {
  override name = 'VoterKeyError';
}

export interface VoterKey {
  /** Where the key came from: a dev URI, or `seed:0x…`. */
  source: string;
  publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/** A voter set: who signs, and with which set id. */
export interface VoterSet {
  id: bigint;
  voters: VoterKey[];
}

const DEV_NAMES = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];
export const DEFAULT_VOTER_COUNT = 4;

/**
 * A set given by count: the dev names (then `VoterN`), `//Name//grandpa` for set 0 and `//Name//grandpa//N`
 * for set N, so a rotation by count yields fresh keys.
 */
export function devVoterUris(count: number, setId = 0n): string[] {
  if (!Number.isInteger(count) || count < 1 || count > 1000)
    throw new VoterKeyError(`voter count must be an integer in 1..1000, got ${count}`);
  return Array.from({ length: count }, (_, i) => {
    const name = DEV_NAMES[i] ?? `Voter${i + 1}`;
    return setId === 0n ? `//${name}//grandpa` : `//${name}//grandpa//${setId}`;
  });
}

const keyring = new Keyring({ type: 'ed25519' });
const SEED = /^0x[0-9a-fA-F]{64}$/;

/** A key from a dev URI (`//Alice//grandpa`, or a phrase with a path) or a 32-byte hex seed. */
export function voterKey(uriOrSeed: string): VoterKey {
  const seed = SEED.test(uriOrSeed);
  let pair: KeyringPair;
  try {
    pair = seed
      ? keyring.createFromPair(ed25519PairFromSeed(hexToBytes(uriOrSeed as Hex)))
      : keyring.createFromUri(uriOrSeed);
  } catch (e) {
    throw new VoterKeyError(`cannot derive an ed25519 key from ${JSON.stringify(uriOrSeed)}: ${(e as Error).message}`);
  }
  return {
    source: seed ? `seed:${uriOrSeed}` : uriOrSeed,
    publicKey: pair.publicKey,
    sign: (message) => pair.sign(message),
  };
}

/** Keys for `spec`: a count (dev URIs for `setId`) or explicit URIs / hex seeds. */
export function voterKeys(spec: number | readonly string[] = DEFAULT_VOTER_COUNT, setId = 0n): VoterKey[] {
  const sources = typeof spec === 'number' ? devVoterUris(spec, setId) : [...spec];
  if (sources.length === 0) throw new VoterKeyError('a voter set needs at least one voter');
  const keys = sources.map(voterKey);
  const unique = new Set(keys.map((k) => toHex(k.publicKey)));
  if (unique.size !== keys.length) throw new VoterKeyError('duplicate voter keys');
  return keys;
}

export function authoritiesOf(voters: readonly VoterKey[]): Authority[] {
  return voters.map((v) => ({ key: v.publicKey, weight: 1n }));
}

/**
 * The genesis storage entry for the trusted initial set: `[hex(":grandpa_authorities"), VersionedAuthorityList]`.
 * The devnet puts it into the raw genesis; relayers read the same set from config.
 */
export function grandpaAuthoritiesGenesisEntry(
  voters: number | readonly string[] = DEFAULT_VOTER_COUNT,
): [key: Hex, value: Hex] {
  return [toHex(GRANDPA_AUTHORITIES_KEY), toHex(encodeVersionedAuthorityList(authoritiesOf(voterKeys(voters))))];
}
