/**
 * Putting the voter set into a raw chain spec for chopsticks.
 *
 * The storage keys must be written in sorted order: chopsticks 1.5.1's `GenesisProvider.getNextKey` returns the
 * first key *in object insertion order* that is greater than the cursor, so with the committed genesis (`:code`
 * written last) key enumeration (`state_getKeysPaged`, and the runtime's `next_key`) silently skips `:code`
 * and anything else out of order. The sidecar would then compute a root over incomplete state; it detects that
 * at genesis (`IncompleteStateError`), and sorted keys avoid it.
 */
import { grandpaAuthoritiesGenesisEntry } from './keys.js';

export interface RawGenesisSpec {
  genesis: { raw: { top: Record<string, string> } };
}

/** `top` with its keys in ascending byte order (lowercase hex sorts like the bytes). */
export function sortedTop(top: Record<string, string>): Record<string, string> {
  const entries = Object.entries(top).map(([k, v]) => [k.toLowerCase(), v] as const);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

/** A copy of `spec` with `:grandpa_authorities` set to the voter set and the keys sorted (see above). */
export function withGrandpaAuthorities<T extends RawGenesisSpec>(spec: T, voters?: number | readonly string[]): T {
  const [key, value] = grandpaAuthoritiesGenesisEntry(voters);
  return {
    ...spec,
    genesis: {
      ...spec.genesis,
      raw: { ...spec.genesis.raw, top: sortedTop({ ...spec.genesis.raw.top, [key]: value }) },
    },
  };
}
