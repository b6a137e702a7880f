/**
 * Follows GRANDPA authority set changes along the finalized chain, from a trusted set.
 *
 * - A scheduled change announced in block N with delay d takes effect once block N + d is final: the
 *   old set signs the justification for N + d (its voters never finalize past it), the new set, with
 *   set id + 1, everything after.
 * - A forced change (ForcedChange(median, change)) in block N takes effect when block N + d is
 *   imported, without the old set's consent; that is how a stalled chain recovers. A node applies it on
 *   its best chain; this light client applies it when it walks block N + d on a chain that a later
 *   justification (by the new set) finalizes, as the spec's light client does. The simplification: we
 *   cannot check that N + d was on the best chain or that the change came from governance, so a forced
 *   change is trusted as far as the header carrying it is. Set `allowForcedChanges: false` in the
 *   verifier to refuse them (the chain then needs a new checkpoint after one).
 * - OnDisabled, Pause and Resume do not change who may finalize, so they are read and ignored.
 */
import { ProofError } from '../types.js';
import type { Authority, AuthoritySet } from './authoritySet.js';
import { grandpaLogs } from './digest.js';
import type { Header } from './header.js';

export interface PendingChange {
  kind: 'scheduled' | 'forced';
  announcedAt: number;
  /** Block at which the change takes effect. */
  effectiveAt: number;
  nextAuthorities: Authority[];
}

export interface TrackerState {
  set: AuthoritySet;
  scheduled?: PendingChange;
  forced?: PendingChange;
}

export class AuthoritySetTracker {
  #state: TrackerState;

  constructor(
    set: AuthoritySet,
    readonly options: { allowForcedChanges?: boolean } = {},
    pending: Omit<TrackerState, 'set'> = {},
  ) {
    this.#state = { set, ...pending };
  }

  /** The set that signs justifications for blocks from here on. */
  get current(): AuthoritySet {
    return this.#state.set;
  }

  get scheduled(): PendingChange | undefined {
    return this.#state.scheduled;
  }

  get forced(): PendingChange | undefined {
    return this.#state.forced;
  }

  clone(): AuthoritySetTracker {
    const { set, ...pending } = this.#state;
    return new AuthoritySetTracker(set, this.options, { ...pending });
  }

  /**
   * Reads the GRANDPA logs of a header. Headers must be passed in chain order with none skipped, and
   * only headers of the chain being finalized. Enacts a forced change that falls due at this header.
   */
  noteHeader(h: Header): void {
    for (const log of grandpaLogs(h.digest)) {
      if (log.type === 'scheduledChange') {
        if (this.#state.scheduled)
          throw new ProofError(
            'bad-header',
            `block ${h.number} schedules a GRANDPA change while the one from block ${this.#state.scheduled.announcedAt} is pending`,
          );
        this.#state.scheduled = pending('scheduled', h.number, log.change.delay, log.change.nextAuthorities);
      } else if (log.type === 'forcedChange') {
        if (this.options.allowForcedChanges === false)
          throw new ProofError(
            'unknown-authority-set',
            `block ${h.number} forces a GRANDPA set change; forced changes are refused`,
          );
        if (this.#state.forced)
          throw new ProofError('bad-header', `block ${h.number} forces a GRANDPA change while another is pending`);
        this.#state.forced = pending('forced', h.number, log.change.delay, log.change.nextAuthorities);
      }
    }
    const forced = this.#state.forced;
    if (forced && forced.effectiveAt <= h.number) {
      // A forced change replaces the set and drops any standard change pending under the old one.
      this.#state = { set: nextSet(this.#state.set, forced.nextAuthorities) };
    }
  }

  /** Block at which the pending scheduled change ends the current set, if any. */
  get currentSetEndsAt(): number | undefined {
    return this.#state.scheduled?.effectiveAt;
  }

  /**
   * Records that block `number` was proven final by the current set: enacts a scheduled change due at
   * it. A justification of the current set beyond the end of the set is not acceptable.
   */
  finalized(number: number): void {
    const s = this.#state.scheduled;
    if (!s) return;
    if (number > s.effectiveAt)
      throw new ProofError(
        'bad-justification',
        `set ${this.#state.set.setId} ended at block ${s.effectiveAt} but a justification of it finalizes ${number}`,
      );
    if (number === s.effectiveAt) {
      const { set, forced } = this.#state;
      // the scheduled change is enacted; a forced change pending beside it stays pending
      this.#state = { set: nextSet(set, s.nextAuthorities), ...(forced ? { forced } : {}) };
    }
  }
}

function pending(kind: PendingChange['kind'], at: number, delay: number, nextAuthorities: Authority[]): PendingChange {
  if (nextAuthorities.length === 0) throw new ProofError('bad-header', `block ${at} announces an empty GRANDPA set`);
  return { kind, announcedAt: at, effectiveAt: at + delay, nextAuthorities };
}

function nextSet(set: AuthoritySet, authorities: Authority[]): AuthoritySet {
  return { setId: set.setId + 1n, authorities };
}
