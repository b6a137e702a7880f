/**
 * CometbftSourceVerifier: proves that the bridge on a CosmWasm chain stored a message id under a nonce, in
 * state committed by a header this process verified with the light client. The RPC node is not trusted:
 * headers are accepted only through verified commits from a configured checkpoint, and the stored value
 * only through an ICS23 proof against a verified app hash.
 *
 * Heights: the app hash in header H+1 commits the state after block H, so a proof made with abci_query at H
 * is checked against header(H+1); the message is proven once some committed H+1 with H >= sourceBlock exists.
 * The bridge never deletes an outbound entry, so any such H will do: the verifier takes the lowest header it
 * has already verified above the source block (no new header needed for a burst of claims), else the latest.
 * Claims from before the checkpoint are proven the same way, at a header at or after it.
 */
import { bytesToHex, type Hex, isHex } from 'viem';
import { equalBytes } from '../bytes.js';
import { type OutboundClaim, type OutboundProof, ProofError, type SourceVerifier } from '../types.js';
import { checkTrustLevel, InsufficientTrustError, type TrustLevel } from './commit.js';
import { hashHeader } from './header.js';
import { verifyStoreProof } from './ics23/verify.js';
import type { LightBlock, Validator } from './lightBlock.js';
import { type TrustedBlock, type VerifyOptions, verifyCheckpoint, verifyLightBlock } from './lightClient.js';
import { CometRpc } from './rpc.js';
import { decodeStoredMessageId, outboundStoreKey, WASM_STORE } from './wasmStoreKey.js';

export const COMETBFT_LIGHT_CLIENT_MODE = 'cometbft-light-client';

/** A header the operator trusts by hash (from a source other than the RPC node, except on a devnet). */
export interface TrustedCheckpoint {
  height: bigint;
  hash: Hex;
}

export interface CometbftVerifierOptions {
  rpcUrl: string;
  /** Cosmos chain id (e.g. `sah-devnet`), checked in every header and signed over by validators. */
  chainId: string;
  /** Bech32 address of the bridge contract. */
  contract: string;
  trusted: TrustedCheckpoint;
  /** How long a verified header stays a trust anchor; keep it under the chain's unbonding period. */
  trustingPeriodSeconds: number;
  /** Fraction of the trusted set that must sign a header reached by skipping; default 1/3. */
  trustLevel?: TrustLevel;
  maxClockDriftSeconds: number;
  /** If set, claims for another protocol chain id are refused (`wrong-chain`). */
  protocolChainId?: number;
  /** Clock, for tests. */
  now?: () => Date;
  /** Per-request RPC timeout; default 10 s. */
  rpcTimeoutMs?: number;
}

/** Verified headers kept in memory; the lowest go first. */
const MAX_TRUSTED_BLOCKS = 256;
/** Bisection gives up below this: a chain whose set turns over this fast cannot be followed by skipping. */
const MAX_BISECTION_DEPTH = 32;

export class CometbftSourceVerifier implements SourceVerifier {
  readonly mode = COMETBFT_LIGHT_CLIENT_MODE;
  private readonly rpc: CometRpc;
  /** Verified blocks by height. */
  private readonly trusted = new Map<bigint, TrustedBlock>();
  /** Verifications in flight, by height: concurrent claims share them. */
  private readonly pending = new Map<bigint, Promise<TrustedBlock>>();
  private anchor: Promise<TrustedBlock> | undefined;

  constructor(private readonly options: CometbftVerifierOptions) {
    if (!isHex(options.trusted.hash) || options.trusted.hash.length !== 66)
      throw new ProofError('malformed-input', `trusted hash ${options.trusted.hash} is not 32 bytes of hex`);
    if (options.trustLevel) checkTrustLevel(options.trustLevel);
    this.rpc = new CometRpc(options.rpcUrl, options.rpcTimeoutMs);
  }

  private verifyOptions(): VerifyOptions {
    return {
      chainId: this.options.chainId,
      trustingPeriodSeconds: this.options.trustingPeriodSeconds,
      maxClockDriftSeconds: this.options.maxClockDriftSeconds,
      ...(this.options.trustLevel === undefined ? {} : { trustLevel: this.options.trustLevel }),
      now: this.options.now?.() ?? new Date(),
    };
  }

  /** The set signing block `height + 1`: usually the same as at `height`, fetched only when it changes. */
  private async nextValidators(block: LightBlock): Promise<Validator[]> {
    const { header } = block.signedHeader;
    if (equalBytes(header.nextValidatorsHash, header.validatorsHash)) return block.validators;
    return this.rpc.validators(header.height + 1n);
  }

  private remember(block: TrustedBlock): TrustedBlock {
    this.trusted.set(block.signedHeader.header.height, block);
    if (this.trusted.size > MAX_TRUSTED_BLOCKS) {
      // never the block just added: a bisection step goes on from it
      const added = block.signedHeader.header.height;
      let lowest: bigint | undefined;
      for (const h of this.trusted.keys()) if (h !== added && (lowest === undefined || h < lowest)) lowest = h;
      if (lowest !== undefined) this.trusted.delete(lowest);
    }
    return block;
  }

  /** The configured checkpoint, verified once (retried on the next claim if that failed transiently). */
  private checkpoint(): Promise<TrustedBlock> {
    this.anchor ??= (async () => {
      const { height, hash } = this.options.trusted;
      const block = await this.rpc.lightBlock(height);
      const actual = hashHeader(block.signedHeader.header);
      if (bytesToHex(actual) !== hash.toLowerCase())
        throw new ProofError(
          'bad-header',
          `header ${height} hashes to ${bytesToHex(actual)}, the checkpoint says ${hash}`,
        );
      return this.remember(verifyCheckpoint(block, await this.nextValidators(block), this.verifyOptions()));
    })().catch((e: unknown) => {
      this.anchor = undefined;
      throw e;
    });
    return this.anchor;
  }

  /** Highest verified block below `height`. */
  private baseBelow(height: bigint): TrustedBlock | undefined {
    let best: TrustedBlock | undefined;
    for (const [h, b] of this.trusted) if (h < height && (!best || h > best.signedHeader.header.height)) best = b;
    return best;
  }

  /** Verified block at `height`, from the nearest verified block below it, bisecting when trust runs short. */
  private verifiedAt(height: bigint, depth = 0): Promise<TrustedBlock> {
    const known = this.trusted.get(height);
    if (known) return Promise.resolve(known);
    let job = this.pending.get(height);
    if (!job) {
      job = this.verifyFromBelow(height, depth).finally(() => this.pending.delete(height));
      this.pending.set(height, job);
    }
    return job;
  }

  private async verifyFromBelow(height: bigint, depth: number): Promise<TrustedBlock> {
    const base = this.baseBelow(height);
    if (!base)
      throw new ProofError(
        'bad-header',
        `height ${height} is below the trusted checkpoint ${this.options.trusted.height}`,
      );
    const block = await this.rpc.lightBlock(height);
    const next = await this.nextValidators(block);
    try {
      return this.remember(verifyLightBlock(base, block, next, this.verifyOptions()));
    } catch (e) {
      const baseHeight = base.signedHeader.header.height;
      if (!(e instanceof InsufficientTrustError) || depth >= MAX_BISECTION_DEPTH || height - baseHeight < 2n) throw e;
      // too few of the trusted validators remain in the new set: verify a header halfway first, then go on from it
      await this.verifiedAt(baseHeight + (height - baseHeight) / 2n, depth + 1);
      return this.verifyFromBelow(height, depth + 1);
    }
  }

  /** The lowest verified block above `sourceBlock` that is still fresh enough to serve; else a new one. */
  private async provingBlock(sourceBlock: bigint): Promise<TrustedBlock> {
    await this.checkpoint();
    const now = (this.options.now?.() ?? new Date()).getTime();
    const fresh = (b: TrustedBlock) =>
      Number(b.signedHeader.header.time.seconds) * 1000 + this.options.trustingPeriodSeconds * 1000 > now;
    const cached = [...this.trusted.values()]
      .filter((b) => b.signedHeader.header.height > sourceBlock && fresh(b))
      .sort((a, b) => (a.signedHeader.header.height < b.signedHeader.header.height ? -1 : 1))[0];
    if (cached) return cached;
    const { latestHeight, chainId } = await this.rpc.status();
    if (chainId !== this.options.chainId)
      throw new ProofError(
        'wrong-chain',
        `${this.options.rpcUrl} serves chain ${chainId}, not ${this.options.chainId}`,
      );
    if (latestHeight <= sourceBlock)
      throw new ProofError('not-final', `block ${sourceBlock + 1n} is not committed yet (latest ${latestHeight})`);
    return this.verifiedAt(latestHeight);
  }

  async proveOutbound(claim: OutboundClaim): Promise<OutboundProof> {
    if (!isHex(claim.messageId) || claim.messageId.length !== 66)
      throw new ProofError('malformed-input', `message id ${claim.messageId} is not 32 bytes of hex`);
    if (claim.sourceBlock < 1n) throw new ProofError('malformed-input', `source block ${claim.sourceBlock}`);
    const { protocolChainId } = this.options;
    if (protocolChainId !== undefined && claim.sourceChain !== protocolChainId)
      throw new ProofError(
        'wrong-chain',
        `claim is from chain ${claim.sourceChain}, this verifier follows ${protocolChainId}`,
      );

    const block = await this.provingBlock(claim.sourceBlock);
    const { header } = block.signedHeader;
    const queryHeight = header.height - 1n;
    const key = outboundStoreKey(this.options.contract, claim.nonce);
    const res = await this.rpc.abciQuery(`/store/${WASM_STORE}/key`, key, queryHeight, true);
    if (res.code !== 0)
      throw new ProofError('rpc-unavailable', `abci_query at ${queryHeight}: code ${res.code} ${res.log}`);
    if (res.height !== queryHeight)
      throw new ProofError('bad-state-proof', `abci_query answered for height ${res.height}, asked ${queryHeight}`);
    const proven = verifyStoreProof(res.proofOps, header.appHash, WASM_STORE, key, res.value);
    if (!proven.exists)
      throw new ProofError(
        'value-mismatch',
        `the bridge stores nothing under nonce ${claim.nonce} at height ${queryHeight}`,
      );
    const stored = decodeStoredMessageId(proven.value);
    if (stored !== claim.messageId.toLowerCase())
      throw new ProofError(
        'value-mismatch',
        `the bridge stores ${stored ?? 'an unreadable value'} under nonce ${claim.nonce}, not ${claim.messageId}`,
      );
    return {
      mode: this.mode,
      height: header.height,
      blockHash: bytesToHex(hashHeader(header)),
      stateRoot: bytesToHex(header.appHash),
    };
  }

  async close(): Promise<void> {
    this.trusted.clear();
  }
}

/**
 * TRUST ON FIRST USE: takes the node's current header as the checkpoint. Whoever controls that node then
 * controls what this verifier accepts; use it for a local devnet only. On a real network the checkpoint comes
 * from a source the operator trusts (a block explorer, another operator, the chain's genesis), in config.
 */
export async function fetchTrustedCheckpoint(rpcUrl: string, height?: bigint): Promise<TrustedCheckpoint> {
  const signed = await new CometRpc(rpcUrl).signedHeader(height);
  return { height: signed.header.height, hash: bytesToHex(hashHeader(signed.header)) };
}
