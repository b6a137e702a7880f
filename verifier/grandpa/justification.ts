/**
 * GRANDPA justifications (sc_consensus_grandpa::GrandpaJustification): SCALE codec and the check a
 * light client makes. The checks follow what a Substrate node does when it imports a justification,
 * with two deliberate tightenings: a voter appearing twice (an equivocation) and an ancestry header
 * listed twice are rejected instead of being tolerated, since an honest node never sends either and
 * refusing costs only a retry with the next justification.
 */

import type { Hex } from 'viem';
import { concatBytes } from '../bytes.js';
import { verifyEd25519 } from '../ed25519.js';
import { ProofError } from '../types.js';
import {
  type AuthoritySet,
  type AuthoritySetInput,
  isAuthoritySet,
  supermajority,
  toAuthoritySet,
  totalWeight,
} from './authoritySet.js';
import { encodeHeader, type Header, headerHash, readHeader } from './header.js';
import { encodeCompact, encodeU32, encodeU64, parseHex, ScaleReader, toHex } from './scale.js';

export interface Precommit {
  targetHash: Uint8Array;
  targetNumber: number;
}

export interface SignedPrecommit {
  precommit: Precommit;
  /** ed25519 signature over `precommitMessage(precommit, round, setId)`. */
  signature: Uint8Array;
  /** The voter's ed25519 public key. */
  id: Uint8Array;
}

export interface Commit {
  targetHash: Uint8Array;
  targetNumber: number;
  precommits: SignedPrecommit[];
}

export interface Justification {
  round: bigint;
  commit: Commit;
  /** Headers linking precommits on descendants of the commit target back to it. */
  votesAncestries: Header[];
}

export function decodeJustification(bytes: Uint8Array): Justification {
  const r = new ScaleReader(bytes, 'justification');
  const round = r.u64();
  const targetHash = r.take(32).slice();
  const targetNumber = r.u32();
  const n = r.length(32 + 4 + 64 + 32);
  const precommits: SignedPrecommit[] = [];
  for (let i = 0; i < n; i++) {
    const pHash = r.take(32).slice();
    const pNumber = r.u32();
    precommits.push({
      precommit: { targetHash: pHash, targetNumber: pNumber },
      signature: r.take(64).slice(),
      id: r.take(32).slice(),
    });
  }
  const a = r.length(32 + 1 + 32 + 32 + 1);
  const votesAncestries: Header[] = [];
  for (let i = 0; i < a; i++) votesAncestries.push(readHeader(r));
  r.end();
  return { round, commit: { targetHash, targetNumber, precommits }, votesAncestries };
}

export function encodeJustification(j: Justification): Uint8Array {
  return concatBytes(
    encodeU64(j.round),
    j.commit.targetHash,
    encodeU32(j.commit.targetNumber),
    encodeCompact(j.commit.precommits.length),
    ...j.commit.precommits.flatMap((p) => [
      p.precommit.targetHash,
      encodeU32(p.precommit.targetNumber),
      p.signature,
      p.id,
    ]),
    encodeCompact(j.votesAncestries.length),
    ...j.votesAncestries.map(encodeHeader),
  );
}

/** finality_grandpa::Message::Precommit's tag in the signed payload. */
const PRECOMMIT = 1;

/** The 53 bytes a voter signs: (Message::Precommit{hash, number}, round, set_id) SCALE-encoded. */
export function precommitMessage(p: Precommit, round: bigint, setId: bigint): Uint8Array {
  return concatBytes(
    Uint8Array.of(PRECOMMIT),
    p.targetHash,
    encodeU32(p.targetNumber),
    encodeU64(round),
    encodeU64(setId),
  );
}

/** What a verified justification established. */
export interface VerifiedJustification {
  round: bigint;
  setId: bigint;
  /** The commit target: final. */
  target: { hash: Hex; number: number };
  signers: number;
  weight: bigint;
  threshold: bigint;
}

export interface JustificationExpectation {
  /**
   * The block the caller wants final. The commit target must be this block, or a descendant of it
   * through `headers` (finality of a block finalizes its ancestors).
   */
  block?: { hash: Hex | Uint8Array; number: number };
  /** Headers linking the commit target back to `block` (any order; hashes are recomputed). */
  headers?: readonly Header[];
}

const keyIndex = new WeakMap<AuthoritySet, Map<string, bigint>>();

function weightsByKey(set: AuthoritySet): Map<string, bigint> {
  let m = keyIndex.get(set);
  if (!m) {
    m = new Map(set.authorities.map((a) => [toHex(a.key), a.weight]));
    keyIndex.set(set, m);
  }
  return m;
}

const bad = (detail: string) => new ProofError('bad-justification', detail);

/**
 * Verifies an encoded justification under an authority set (pure: no I/O). Throws ProofError with
 * `malformed-input`, `bad-justification`, `unknown-authority-set` or `insufficient-signatures`.
 * Cheap structural checks run before any signature, so a short or foreign justification fails fast.
 */
export function verifyJustification(
  encoded: Hex | Uint8Array,
  authoritySet: AuthoritySet | AuthoritySetInput,
  expect: JustificationExpectation = {},
): VerifiedJustification {
  const bytes = typeof encoded === 'string' ? parseHex(encoded, 'justification') : encoded;
  return checkJustification(decodeJustification(bytes), authoritySet, expect);
}

/** `verifyJustification` for an already decoded justification. */
export function checkJustification(
  j: Justification,
  authoritySet: AuthoritySet | AuthoritySetInput,
  expect: JustificationExpectation = {},
): VerifiedJustification {
  const set = isAuthoritySet(authoritySet) ? authoritySet : toAuthoritySet(authoritySet);
  const { commit } = j;
  const target = toHex(commit.targetHash);
  if (expect.block) checkFinalizes(commit, expect.block, expect.headers ?? []);

  // Voters: known, each once, enough weight.
  const weights = weightsByKey(set);
  const seen = new Set<string>();
  let weight = 0n;
  for (const p of commit.precommits) {
    const id = toHex(p.id);
    const w = weights.get(id);
    if (w === undefined)
      throw new ProofError('unknown-authority-set', `precommit signer ${id} is not in authority set ${set.setId}`);
    if (seen.has(id)) throw bad(`signer ${id} appears twice`);
    seen.add(id);
    weight += w;
  }
  const threshold = supermajority(totalWeight(set));
  if (weight < threshold)
    throw new ProofError(
      'insufficient-signatures',
      `precommits weigh ${weight} of ${totalWeight(set)} in set ${set.setId}; ${threshold} needed`,
    );

  // Every precommit is for the target or a descendant of it, through ancestry headers that all get used.
  const ancestry = new Map<string, Header>();
  for (const h of j.votesAncestries) {
    const hash = toHex(headerHash(h));
    if (ancestry.has(hash)) throw bad(`ancestry header ${hash} is listed twice`);
    ancestry.set(hash, h);
  }
  const used = new Set<string>();
  // Blocks known to be the target or its descendants, with their numbers.
  const descends = new Map<string, number>([[target, commit.targetNumber]]);
  for (const { precommit } of commit.precommits) {
    let hash = toHex(precommit.targetHash);
    let number = precommit.targetNumber;
    const route: [string, number][] = [];
    while (!descends.has(hash)) {
      const h = ancestry.get(hash);
      if (!h || number <= commit.targetNumber)
        throw bad(`precommit for ${toHex(precommit.targetHash)} is not a descendant of the commit target ${target}`);
      if (h.number !== number) throw bad(`ancestry header ${hash} has number ${h.number}, the vote says ${number}`);
      route.push([hash, number]);
      hash = toHex(h.parentHash);
      number -= 1;
    }
    if (descends.get(hash) !== number)
      throw bad(`block ${hash} is voted for with number ${number}, its header says ${descends.get(hash)}`);
    for (const [r, n] of route) {
      descends.set(r, n);
      used.add(r);
    }
  }
  if (used.size !== ancestry.size) {
    const unused = [...ancestry.keys()].filter((h) => !used.has(h));
    throw bad(`${unused.length} ancestry header(s) no precommit uses, e.g. ${unused[0]}`);
  }

  // Signatures last: the expensive part. Any bad one rejects the whole justification, as a node does.
  for (const p of commit.precommits) {
    const msg = precommitMessage(p.precommit, j.round, set.setId);
    if (!verifyEd25519(p.signature, msg, p.id))
      throw bad(`invalid signature by ${toHex(p.id)} (round ${j.round}, set ${set.setId})`);
  }
  return {
    round: j.round,
    setId: set.setId,
    target: { hash: target, number: commit.targetNumber },
    signers: seen.size,
    weight,
    threshold,
  };
}

/** The commit target is `block`, or descends from it through `headers`. */
function checkFinalizes(commit: Commit, block: { hash: Hex | Uint8Array; number: number }, headers: readonly Header[]) {
  const want = typeof block.hash === 'string' ? block.hash.toLowerCase() : toHex(block.hash);
  let hash = toHex(commit.targetHash);
  let number = commit.targetNumber;
  if (number < block.number)
    throw bad(`justification finalizes block ${number}, below the block ${block.number} to prove`);
  const byHash = new Map(headers.map((h) => [toHex(headerHash(h)), h]));
  while (number > block.number) {
    const h = byHash.get(hash);
    if (!h || h.number !== number)
      throw bad(
        `commit target ${toHex(commit.targetHash)} is not linked to block ${block.number} by the given headers`,
      );
    hash = toHex(h.parentHash);
    number -= 1;
  }
  if (hash !== want) throw bad(`justification finalizes ${hash} at ${number}, not ${want}`);
}
