/**
 * Test helpers: deterministic GRANDPA voters, signed justifications and a small in-memory chain that
 * answers the verifier's RPC methods with a Substrate node's semantics. Used by the tests and the
 * benchmark; never by the verifier itself.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import type { Hex } from 'viem';
import { ProofError } from '../types.js';
import type { Authority, AuthoritySet } from './authoritySet.js';
import {
  consensusDigest,
  type DigestItem,
  encodeGrandpaLog,
  GRANDPA_ENGINE_ID,
  type ScheduledChange,
} from './digest.js';
import { encodeFinalityProof } from './finalityProof.js';
import { blake2_256 } from './hash.js';
import { type Header, headerHash, headerToRpc } from './header.js';
import { encodeJustification, type Justification, type Precommit, precommitMessage } from './justification.js';
import type { GrandpaRpc } from './rpc.js';
import { encodeU32, toHex } from './scale.js';
import { type BuiltTrie, buildTrie, proveRead, type TrieVersion } from './trie/build.js';

export interface Voter {
  secret: Uint8Array;
  key: Uint8Array;
}

/** `n` voters with keys from fixed seeds (blake2-256 of tag ++ index). */
export function makeVoters(n: number, tag = 'voter'): Voter[] {
  const prefix = new TextEncoder().encode(tag);
  return Array.from({ length: n }, (_, i) => {
    const secret = blake2_256(new Uint8Array([...prefix, ...encodeU32(i)]));
    return { secret, key: ed25519.getPublicKey(secret) };
  });
}

export function setOf(voters: readonly Voter[], setId: bigint): AuthoritySet {
  return { setId, authorities: voters.map((v) => ({ key: v.key, weight: 1n })) };
}

export interface SignOptions {
  round?: bigint;
  setId: bigint;
  target: { hash: Uint8Array; number: number };
  signers: readonly Voter[];
  /** Per signer index: vote for this block instead of the target (a descendant, normally). */
  votes?: ReadonlyMap<number, Precommit>;
  votesAncestries?: Header[];
}

export function signJustification(o: SignOptions): Justification {
  const round = o.round ?? 1n;
  return {
    round,
    commit: {
      targetHash: o.target.hash,
      targetNumber: o.target.number,
      precommits: o.signers.map((v, i) => {
        const precommit = o.votes?.get(i) ?? { targetHash: o.target.hash, targetNumber: o.target.number };
        return { precommit, signature: ed25519.sign(precommitMessage(precommit, round, o.setId), v.secret), id: v.key };
      }),
    },
    votesAncestries: o.votesAncestries ?? [],
  };
}

/** A header with the given fields; unspecified roots are derived from the number. */
export function makeHeader(parent: Uint8Array, number: number, extra: Partial<Header> = {}): Header {
  return {
    parentHash: parent,
    number,
    stateRoot: extra.stateRoot ?? blake2_256(encodeU32(number)),
    extrinsicsRoot: extra.extrinsicsRoot ?? blake2_256(new Uint8Array([1, ...encodeU32(number)])),
    digest: extra.digest ?? [],
  };
}

export function grandpaDigest(log: Parameters<typeof encodeGrandpaLog>[0]): DigestItem {
  return consensusDigest(GRANDPA_ENGINE_ID, encodeGrandpaLog(log));
}

export function changeTo(voters: readonly Voter[], delay: number): ScheduledChange {
  return { nextAuthorities: voters.map((v): Authority => ({ key: v.key, weight: 1n })), delay };
}

/**
 * A chain in memory: blocks with real state tries, GRANDPA justifications signed by whichever voters
 * the test says, and the RPC methods GrandpaSourceVerifier calls. `grandpa_proveFinality(n)` answers as
 * a node does: the justification of the last block of n's authority set if that set has ended,
 * otherwise the latest justification, with the headers after n up to it.
 */
export class TestChain {
  readonly headers: Header[] = [];
  readonly hashes: Hex[] = [];
  readonly tries: BuiltTrie[] = [];
  readonly justifications = new Map<number, Uint8Array>();
  /** Blocks that end an authority set (their justification is kept for proveFinality). */
  readonly setEnds: number[] = [];
  finalized = 0;
  /** Methods that fail, to simulate an unavailable RPC. */
  failing = new Set<string>();
  /** Called on every request (tests count or tamper). */
  onCall?: (method: string, params: unknown[], result: unknown) => unknown;
  state = new Map<Hex, Uint8Array>();

  constructor(readonly trieVersion: TrieVersion = 1) {
    this.addBlock([]);
  }

  get head(): number {
    return this.headers.length - 1;
  }

  /** Appends a block whose state is the current state with `writes` applied. */
  addBlock(writes: [Uint8Array, Uint8Array][] = [], digest: DigestItem[] = []): number {
    for (const [k, v] of writes) this.state.set(toHex(k), v);
    const trie = buildTrie(
      [...this.state].map(([k, v]) => [hexBytes(k), v] as const),
      this.trieVersion,
    );
    const number = this.headers.length;
    const parent = number === 0 ? new Uint8Array(32) : hexBytes(this.hashes[number - 1] as Hex);
    const header = makeHeader(parent, number, { stateRoot: trie.root, digest });
    this.headers.push(header);
    this.hashes.push(toHex(headerHash(header)));
    this.tries.push(trie);
    return number;
  }

  /** Signs a justification for `number` by `signers` under `setId` and marks it finalized. */
  finalize(number: number, signers: readonly Voter[], setId: bigint, opts: { endsSet?: boolean } = {}): void {
    const h = this.headers[number] as Header;
    const j = signJustification({
      setId,
      round: BigInt(number) + 7n,
      target: { hash: headerHash(h), number },
      signers,
    });
    this.justifications.set(number, encodeJustification(j));
    if (opts.endsSet) this.setEnds.push(number);
    this.finalized = Math.max(this.finalized, number);
  }

  readonly rpc: GrandpaRpc = {
    call: async (method, params) => {
      if (this.failing.has(method)) throw new ProofError('rpc-unavailable', `${method}: down`);
      const result = this.#answer(method, params);
      return this.onCall ? this.onCall(method, params, result) : result;
    },
  };

  #answer(method: string, params: unknown[]): unknown {
    switch (method) {
      case 'chain_getFinalizedHead':
        return this.hashes[this.finalized];
      case 'chain_getBlockHash':
        return this.hashes[Number(params[0])] ?? null;
      case 'chain_getHeader': {
        const i = this.hashes.indexOf(String(params[0]).toLowerCase() as Hex);
        return i < 0 ? null : headerToRpc(this.headers[i] as Header);
      }
      case 'grandpa_proveFinality': {
        const n = Number(params[0]);
        const end = this.setEnds.filter((e) => e >= n).sort((a, b) => a - b)[0];
        const latest = Math.max(...this.justifications.keys());
        const j = end ?? (latest >= n ? latest : undefined);
        if (j === undefined) return null;
        return toHex(
          encodeFinalityProof({
            block: hexBytes(this.hashes[j] as Hex),
            justification: this.justifications.get(j) as Uint8Array,
            unknownHeaders: this.headers.slice(n + 1, j + 1),
          }),
        );
      }
      case 'state_getReadProof': {
        const [keys, at] = params as [Hex[], Hex];
        const i = this.hashes.indexOf(at);
        if (i < 0) throw new Error(`unknown block ${at}`);
        const proof = proveRead(this.tries[i] as BuiltTrie, keys.map(hexBytes));
        return { at, proof: proof.map((p) => toHex(p)) };
      }
      default:
        throw new Error(`method ${method} not served`);
    }
  }
}

function hexBytes(h: Hex): Uint8Array {
  return Uint8Array.from(Buffer.from(h.slice(2), 'hex'));
}
