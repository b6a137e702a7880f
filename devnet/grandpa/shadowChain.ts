/**
 * The shadow chain: one header per chopsticks block with the real state root, each finalized by a GRANDPA
 * justification from a mock voter set. Authority-set changes follow sc-consensus-grandpa's standard changes: a
 * `ScheduledChange { next_authorities, delay }` digest in block N makes block N + delay the last block of the
 * current set (it is still justified by that set, which is how a light client learns the handoff), and the new
 * set (set id + 1) justifies every block after it.
 */
import { type Hex, hexToBytes } from 'viem';
import {
  consensusDigest,
  decodeDigestItem,
  encodeGrandpaLog,
  GRANDPA_ENGINE_ID,
} from '../../verifier/grandpa/digest.js';
import { type Header, headerHash } from '../../verifier/grandpa/header.js';
import { encodeJustification, precommitMessage } from '../../verifier/grandpa/justification.js';
import { toHex } from '../../verifier/grandpa/scale.js';
import { type BuiltTrie, buildTrie, type TrieVersion } from '../../verifier/grandpa/trie/build.js';
import { authoritiesOf, type VoterKey, type VoterSet } from './keys.js';
import type { SourceBlock } from './source.js';

export class ShadowForkError extends Error {
  override name = 'ShadowForkError';
}

/** The storage chopsticks enumerates at genesis does not hash to the root chopsticks computed from the spec. */
export class IncompleteStateError extends Error {
  override name = 'IncompleteStateError';
}

export class AuthorityChangeError extends Error {
  override name = 'AuthorityChangeError';
}

export interface ShadowBlock {
  number: number;
  hash: Hex;
  header: Header;
  /** Chopsticks' hash of the block this one shadows. */
  sourceHash: Hex;
  /** The set that justifies this block. */
  set: VoterSet;
  /** SCALE `GrandpaJustification`, once signed (never for genesis, which is trusted by configuration). */
  justification?: Uint8Array;
  /** Kept for the last `stateHistory` blocks only, like a pruning node. */
  trie?: BuiltTrie | undefined;
}

export interface PendingChange {
  next: VoterSet;
  delay: number;
  /** Set once the digest is in a header. */
  signalledAt?: number;
}

export class ShadowChain {
  readonly blocks: ShadowBlock[] = [];
  private readonly byHash = new Map<Hex, ShadowBlock>();
  private active: VoterSet;
  private round = 0n;
  private roundSet: VoterSet | undefined;
  /** Requested, or signalled and not yet enacted. At most one at a time, as GRANDPA requires. */
  pending: PendingChange | undefined;
  finalized = -1;
  withheld = false;
  /** How many voters sign each commit; undefined means all of the set. */
  signers: number | undefined;
  /** `:code` (over a megabyte) is the same Uint8Array while the runtime is unchanged: hashed once, not per block. */
  private readonly valueHashes = new WeakMap<Uint8Array, Uint8Array>();

  constructor(
    initial: VoterSet,
    private readonly stateHistory = 256,
  ) {
    this.active = initial;
  }

  get best(): ShadowBlock | undefined {
    return this.blocks.at(-1);
  }

  get currentSet(): VoterSet {
    return this.active;
  }

  blockByHash(hash: Hex): ShadowBlock | undefined {
    return this.byHash.get(hash.toLowerCase() as Hex);
  }

  /** Shadows the next chopsticks block; `src.number` must be the next height. */
  append(src: SourceBlock): ShadowBlock {
    const parent = this.best;
    const expected = parent ? parent.number + 1 : 0;
    if (src.number !== expected) throw new ShadowForkError(`expected block ${expected}, got ${src.number}`);
    if (parent && src.parentHash !== parent.sourceHash)
      throw new ShadowForkError(
        `chopsticks block ${src.number} (${src.hash}) does not extend ${parent.sourceHash}: a reorg (dev_setHead?) the shadow chain cannot follow`,
      );
    const digest = src.digestLogs.map((log) => decodeDigestItem(hexToBytes(log)));
    if (this.pending && this.pending.signalledAt === undefined) {
      const change = { nextAuthorities: authoritiesOf(this.pending.next.voters), delay: this.pending.delay };
      digest.push(consensusDigest(GRANDPA_ENGINE_ID, encodeGrandpaLog({ type: 'scheduledChange', change })));
      this.pending.signalledAt = src.number;
    }
    const trie = this.trie(src, src.stateVersion);
    if (src.number === 0) this.checkGenesisComplete(src, trie);
    const header: Header = {
      // the shadow genesis keeps chopsticks' genesis parent, so the shadow chain is anchored to that chain
      parentHash: hexToBytes(parent ? parent.hash : src.parentHash),
      number: src.number,
      stateRoot: trie.root,
      extrinsicsRoot: hexToBytes(src.extrinsicsRoot),
      digest,
    };
    const block: ShadowBlock = {
      number: src.number,
      hash: toHex(headerHash(header)),
      header,
      sourceHash: src.hash,
      set: this.active,
      trie,
    };
    this.blocks.push(block);
    this.byHash.set(block.hash, block);
    const old = this.blocks[block.number - this.stateHistory];
    if (old) old.trie = undefined;
    if (block.number === 0) this.finalized = 0;
    if (this.pending?.signalledAt !== undefined && block.number === this.pending.signalledAt + this.pending.delay) {
      this.active = this.pending.next;
      this.pending = undefined;
    }
    return block;
  }

  /** Queues a standard change: its digest goes into the next shadow header. */
  scheduleChange(voters: VoterKey[], delay: number): PendingChange {
    if (this.pending)
      throw new AuthorityChangeError(
        `set ${this.pending.next.id} is already scheduled${this.pending.signalledAt === undefined ? '' : ` (signalled at ${this.pending.signalledAt})`}`,
      );
    this.pending = { next: { id: this.active.id + 1n, voters }, delay };
    return this.pending;
  }

  /** Signs every block after the finalized one, in order, unless the voters are withheld. */
  finalizeAvailable(): void {
    if (this.withheld) return;
    for (let n = this.finalized + 1; n < this.blocks.length; n++) {
      const block = this.blocks[n] as ShadowBlock;
      block.justification = this.justify(block);
      this.finalized = n;
    }
  }

  private justify(block: ShadowBlock): Uint8Array {
    const { set } = block;
    // rounds restart with each set, as they do on a real node
    if (set !== this.roundSet) {
      this.roundSet = set;
      this.round = 0n;
    }
    this.round += 1n;
    const targetHash = hexToBytes(block.hash);
    const precommit = { targetHash, targetNumber: block.number };
    const message = precommitMessage(precommit, this.round, set.id);
    const voters = set.voters.slice(0, this.signers ?? set.voters.length);
    return encodeJustification({
      round: this.round,
      commit: {
        ...precommit,
        precommits: voters.map((v) => ({ precommit, signature: v.sign(message), id: v.publicKey })),
      },
      votesAncestries: [],
    });
  }

  private trie(src: SourceBlock, version: TrieVersion): BuiltTrie {
    return buildTrie(src.entries, version, { valueHashes: this.valueHashes });
  }

  /**
   * Chopsticks computes its genesis header's root itself, from the raw spec and as V1: if the state it lets us
   * enumerate does not give the same root, keys are missing (see genesis.ts) and every shadow root would be wrong.
   */
  private checkGenesisComplete(src: SourceBlock, trie: BuiltTrie): void {
    if (/^0x0*$/.test(src.stateRoot)) return; // not a chopsticks genesis: nothing to compare with
    const v1 = src.stateVersion === 1 ? trie.root : this.trie(src, 1).root;
    if (toHex(v1) !== src.stateRoot.toLowerCase())
      throw new IncompleteStateError(
        `the ${src.entries.length} genesis entries chopsticks enumerates give root ${toHex(v1)}, its genesis header says ${src.stateRoot}: keys are missing (write the raw genesis with sorted keys, see withGrandpaAuthorities)`,
      );
  }
}

export function authoritiesJson(set: VoterSet): { publicKey: Hex; weight: number }[] {
  return authoritiesOf(set.voters).map((a) => ({ publicKey: toHex(a.key), weight: Number(a.weight) }));
}
