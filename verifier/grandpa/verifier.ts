/**
 * GrandpaSourceVerifier: proves a Polkadot-side outbound message final and in state before the relayer
 * signs it. From a trusted authority set it walks the finalized chain forward one justification at a
 * time (following set changes announced in the headers it walks), then checks a storage read proof of
 * `SahBridge::OutboundMessages(nonce)` against the state root of the last block it verified final.
 *
 * Trust: the authority set given at construction (and `fromBlock`, if given). The RPC is not trusted:
 * every header is hashed and linked, every justification's signatures are checked, and the storage
 * value is read out of the proof, not asked for.
 */
import type { Hex } from 'viem';
import { equalBytes } from '../bytes.js';
import { type OutboundClaim, type OutboundProof, ProofError, type SourceVerifier } from '../types.js';
import { type AuthoritySet, type AuthoritySetInput, isAuthoritySet, toAuthoritySet } from './authoritySet.js';
import { AuthoritySetTracker } from './authorityTracker.js';
import { decodeFinalityProof, type FinalityProof } from './finalityProof.js';
import { type Header, headerFromRpc, headerHash } from './header.js';
import { verifyJustification } from './justification.js';
import { type GrandpaRpc, httpJsonRpc } from './rpc.js';
import { parseHex, toHex } from './scale.js';
import { outboundMessageKey } from './storageKey.js';
import { verifyReadProof } from './trie/readProof.js';

export interface GrandpaVerifierOptions {
  /** HTTP JSON-RPC of a node or of the devnet's finality sidecar. */
  rpcUrl?: string;
  /** Instead of `rpcUrl`: any transport (tests, WebSocket clients). */
  rpc?: GrandpaRpc;
  /** The trusted checkpoint: the set that finalizes the first block the verifier reads. */
  authoritySet: AuthoritySetInput | AuthoritySet;
  /**
   * First block whose header the verifier reads: `authoritySet` must be the set that finalizes it, with
   * no set change announced before it still pending. With it, a verifier whose checkpoint is old walks
   * forward through every set change since. Omitted: the finalized head at first use (the checkpoint
   * must then be the current set).
   */
  fromBlock?: number;
  /** Pallet name of the bridge (storage prefix). Default 'SahBridge'. */
  palletPrefix?: string;
  /** Accept ForcedChange digests (see authorityTracker.ts). Default true. */
  allowForcedChanges?: boolean;
  /** Most headers fetched one by one in a sync step before giving up. Default 10,000. */
  maxHeaderFetches?: number;
  /** Per-request timeout for `rpcUrl`. Default 15 s. */
  timeoutMs?: number;
}

/** The last block this verifier proved final, and the set that signs after it. */
export interface FinalizedCheckpoint {
  number: number;
  hash: Hex;
  header: Header;
}

export class GrandpaSourceVerifier implements SourceVerifier {
  readonly mode = 'grandpa';
  readonly #rpc: GrandpaRpc;
  readonly #pallet: string;
  readonly #fromBlock: number | undefined;
  readonly #maxFetches: number;
  #tracker: AuthoritySetTracker;
  #last: FinalizedCheckpoint | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: GrandpaVerifierOptions) {
    if (!options.rpc && !options.rpcUrl) throw new Error('GrandpaSourceVerifier: rpcUrl or rpc is required');
    this.#rpc = options.rpc ?? httpJsonRpc(options.rpcUrl as string, { timeoutMs: options.timeoutMs });
    const set = isAuthoritySet(options.authoritySet) ? options.authoritySet : toAuthoritySet(options.authoritySet);
    this.#tracker = new AuthoritySetTracker(set, { allowForcedChanges: options.allowForcedChanges ?? true });
    this.#pallet = options.palletPrefix ?? 'SahBridge';
    this.#fromBlock = options.fromBlock;
    this.#maxFetches = options.maxHeaderFetches ?? 10_000;
  }

  /** Last block proven final (undefined before the first proof) and the current set id. */
  get checkpoint(): { finalized: { number: number; hash: Hex } | undefined; setId: bigint } {
    const f = this.#last;
    return { finalized: f && { number: f.number, hash: f.hash }, setId: this.#tracker.current.setId };
  }

  async proveOutbound(claim: OutboundClaim): Promise<OutboundProof> {
    if (claim.sourceBlock < 0n || claim.sourceBlock > 0xffff_ffffn)
      throw new ProofError('malformed-input', `source block ${claim.sourceBlock} is not a u32 block number`);
    const expected = parseHex(claim.messageId, 'claim.messageId', 32);
    const source = Number(claim.sourceBlock);
    let synced = false;
    if (!this.#last || this.#last.number < source) {
      await this.#exclusive(() => this.#syncToHead(source));
      synced = true;
    }
    const key = outboundMessageKey(claim.nonce, this.#pallet);
    let block = this.#last as FinalizedCheckpoint;
    let value: Uint8Array | null;
    try {
      value = await this.#readAt(block, key);
    } catch (e) {
      // A block verified a while ago may have had its state pruned by the node: move forward once.
      if (synced || !(e instanceof ProofError) || e.reason !== 'rpc-unavailable') throw e;
      await this.#exclusive(() => this.#syncToHead(source));
      block = this.#last as FinalizedCheckpoint;
      value = await this.#readAt(block, key);
    }
    if (value === null)
      throw new ProofError(
        'value-mismatch',
        `${this.#pallet}::OutboundMessages(${claim.nonce}) is absent at block ${block.number}`,
      );
    if (!equalBytes(value, expected))
      throw new ProofError(
        'value-mismatch',
        `${this.#pallet}::OutboundMessages(${claim.nonce}) at block ${block.number} is ${toHex(value)}, not ${claim.messageId}`,
      );
    return {
      mode: this.mode,
      height: BigInt(block.number),
      blockHash: block.hash,
      stateRoot: toHex(block.header.stateRoot),
    };
  }

  async close(): Promise<void> {}

  async #readAt(block: FinalizedCheckpoint, key: Uint8Array): Promise<Uint8Array | null> {
    const res = (await this.#rpc.call('state_getReadProof', [[toHex(key)], block.hash])) as { proof?: unknown } | null;
    if (!res || !Array.isArray(res.proof))
      throw new ProofError('malformed-input', 'state_getReadProof: no proof array');
    const proof = res.proof.map((n, i) => parseHex(n, `read proof node ${i}`));
    return verifyReadProof(block.header.stateRoot, proof, key);
  }

  /** Serialises syncs: concurrent claims share one walk instead of racing over the tracker. */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #syncToHead(source: number): Promise<void> {
    if (this.#last && this.#last.number >= source) return; // another claim's sync got there
    const headHash = parseHex(await this.#rpc.call('chain_getFinalizedHead', []), 'chain_getFinalizedHead', 32);
    const head = await this.#headerByHash(toHex(headHash));
    if (head.number < source)
      throw new ProofError('not-final', `finalized head is block ${head.number}, below source block ${source}`);
    await this.#syncTo(head.number);
  }

  /** Walks justifications forward until a block at or above `target` is proven final. */
  async #syncTo(target: number): Promise<void> {
    while (!this.#last || this.#last.number < target) {
      const from = this.#last ? this.#last.number + 1 : (this.#fromBlock ?? target);
      const proof = await this.#proveFinality(from);
      const known = new Map(proof.unknownHeaders.map((h) => [toHex(headerHash(h)), h]));
      const chain = await this.#chainDown(toHex(proof.block), from, known);
      const first = chain[0] as { hash: Hex; header: Header };
      if (this.#last && toHex(first.header.parentHash) !== this.#last.hash)
        throw new ProofError(
          'bad-header',
          `block ${from} (${first.hash}) does not extend the finalized block ${this.#last.number} (${this.#last.hash})`,
        );

      // Read set changes in chain order; stop at the block that ends the current set, which its own set must finalize.
      const tracker = this.#tracker.clone();
      let cut = chain.length - 1;
      for (let i = 0; i < chain.length; i++) {
        const { header } = chain[i] as { header: Header };
        tracker.noteHeader(header);
        if (i < chain.length - 1 && tracker.currentSetEndsAt === header.number) {
          cut = i;
          break;
        }
      }
      const end = chain[cut] as { hash: Hex; header: Header };
      let justification = proof.justification;
      if (cut < chain.length - 1) {
        const own = await this.#proveFinality(end.header.number);
        if (toHex(own.block) !== end.hash)
          throw new ProofError(
            'bad-justification',
            `set ${tracker.current.setId} ends at block ${end.header.number} but the node has no justification for it`,
          );
        justification = own.justification;
      }
      verifyJustification(justification, tracker.current, { block: { hash: end.hash, number: end.header.number } });
      tracker.finalized(end.header.number);
      this.#tracker = tracker;
      this.#last = { number: end.header.number, hash: end.hash, header: end.header };
    }
  }

  async #proveFinality(number: number): Promise<FinalityProof> {
    const res = await this.#rpc.call('grandpa_proveFinality', [number]);
    if (res === null || res === undefined)
      throw new ProofError('not-final', `no GRANDPA justification at or above block ${number} yet`);
    return decodeFinalityProof(parseHex(res, 'grandpa_proveFinality'));
  }

  /** Headers from `from` up to the block `top`, each checked against the hash its child names. */
  async #chainDown(top: Hex, from: number, known: Map<string, Header>): Promise<{ hash: Hex; header: Header }[]> {
    const out: { hash: Hex; header: Header }[] = [];
    let hash = top;
    let fetches = 0;
    for (;;) {
      let header = known.get(hash);
      if (!header) {
        if (++fetches > this.#maxFetches)
          throw new ProofError('trusted-state-expired', `more than ${this.#maxFetches} headers to fetch below ${top}`);
        header = await this.#headerByHash(hash);
      }
      const child = out[out.length - 1];
      if (child && header.number !== child.header.number - 1)
        throw new ProofError(
          'bad-header',
          `block ${hash} has number ${header.number} under block ${child.header.number}`,
        );
      if (!child && header.number < from)
        throw new ProofError(
          'not-final',
          `the node's latest justification is for block ${header.number}, below ${from}`,
        );
      out.push({ hash, header });
      if (header.number === from) return out.reverse();
      hash = toHex(header.parentHash);
    }
  }

  async #headerByHash(hash: Hex): Promise<Header> {
    const header = headerFromRpc(await this.#rpc.call('chain_getHeader', [hash]));
    const got = toHex(headerHash(header));
    if (got !== hash.toLowerCase())
      throw new ProofError('bad-header', `chain_getHeader(${hash}) returned a header hashing to ${got}`);
    return header;
  }
}
