/**
 * What the relayer asks of a verifier: prove that the bridge on a source chain stored `messageId` under
 * `nonce` in a block that is final under that chain's own consensus. One implementation per chain
 * family (verifier/cometbft, verifier/ethereum, verifier/grandpa); the relayer's verify stage signs a
 * message only after its source verifier returned a proof for it.
 */
import type { Hex } from 'viem';

/** An outbound message as the relayer observed it (the claim to prove). */
export interface OutboundClaim {
  /** Protocol chain id of the source chain. */
  sourceChain: number;
  nonce: bigint;
  /** 32-byte message id (docs/PROTOCOL.md). */
  messageId: Hex;
  /** Block the event was seen in; the proof is made at this block or a later final one. */
  sourceBlock: bigint;
}

/** What was proved, for logs and the API. */
export interface OutboundProof {
  /** How finality was established, e.g. `cometbft-light-client`, `grandpa`, `sync-committee`, `confirmations`. */
  mode: string;
  /** Height and hash of the final block whose committed state holds the message id. */
  height: bigint;
  blockHash: Hex;
  /** Root the storage proof was checked against (state root / app hash). */
  stateRoot: Hex;
}

/**
 * Why a proof failed. `transient` reasons (the block is not final yet, the RPC failed) are retried;
 * the others mean the claim does not hold (or the chain misbehaves) and the message is never signed.
 */
export type ProofFailureReason =
  | 'not-final'
  | 'rpc-unavailable'
  | 'bad-header'
  | 'bad-commit'
  | 'insufficient-signatures'
  | 'trusted-state-expired'
  | 'wrong-chain'
  | 'unknown-authority-set'
  | 'bad-justification'
  | 'bad-sync-committee-update'
  | 'bad-state-proof'
  | 'value-mismatch'
  | 'malformed-input';

const TRANSIENT: ReadonlySet<ProofFailureReason> = new Set(['not-final', 'rpc-unavailable']);

export class ProofError extends Error {
  override name = 'ProofError';
  constructor(
    readonly reason: ProofFailureReason,
    detail: string,
  ) {
    super(`${reason}: ${detail}`);
  }
  get transient(): boolean {
    return TRANSIENT.has(this.reason);
  }
}

export interface SourceVerifier {
  /** The finality mode this verifier runs (see OutboundProof.mode). */
  readonly mode: string;
  /** Proves the claim or throws ProofError. */
  proveOutbound(claim: OutboundClaim): Promise<OutboundProof>;
  /** Releases connections (WebSocket clients etc.). */
  close?(): Promise<void>;
}
