/**
 * The SDK's one interface for data attestations and compute jobs (docs/PROTOCOL.md §7) on a chain, as one
 * account: one implementation per chain family (evm.ts, cosmwasm.ts, substrate.ts). Calls return the
 * source transaction and the ids of the messages it emitted, to follow with `followMessages`.
 */
import type { Hex } from 'viem';

export interface Submitted {
  /** Source transaction (0x-prefixed). */
  tx: Hex;
  /** Bridge messages the transaction emitted, in order. */
  messageIds: Hex[];
}

export interface PostedJob extends Submitted {
  jobId: Hex;
}

/** A data hash's record in a chain's registry. */
export interface RegistryRecord {
  ownerDid: string;
  originChain: number;
  /** 0 for an attestation made on this chain. */
  originNonce: bigint;
  uri: string;
  license: string;
  timestamp: bigint;
  revoked: boolean;
  /** Attestations of the same hash by other owners, recorded, never applied. */
  conflicts: number;
}

/** Where a job stands on one chain: its escrow side (A) and/or its executor side (B). */
export interface ChainJob {
  escrow?: {
    status: 'posted' | 'cancel-requested' | 'paid' | 'refunded';
    payer: Hex;
    executorChain: number;
    amount: bigint;
    deadline: bigint;
  };
  executor?: {
    status: 'open' | 'claimed' | 'completed' | 'expired' | 'cancelled';
    escrowChain: number;
    claimer?: Hex;
    deadline: bigint;
    resultHash?: Hex;
  };
}

export interface PostJobRequest {
  specHash: Hex;
  executorChain: number;
  /** In the payment token's base units (SAH: 18 decimals). */
  amount: bigint;
  /** Unix seconds on the executor chain; inclusive. */
  deadline: bigint;
}

export interface FlowClient {
  readonly protocolChainId: number;
  /** The caller's account in the protocol's 32-byte form (§2): what a result's `payTo` names. */
  readonly account: Hex;
  /** The caller's owner DID on this chain (§7.1). */
  ownerDid(): Promise<string>;
  /** The chain's clock (unix seconds of its latest block), which deadlines are compared with. */
  chainTime(): Promise<bigint>;
  /** SAH the caller holds here (home ERC-20 or wrapped). */
  sahBalance(): Promise<bigint>;

  attest(dataHash: Hex, uri: string, license: string, destinations: number[]): Promise<Submitted>;
  revoke(dataHash: Hex, destinations: number[]): Promise<Submitted>;
  attestation(dataHash: Hex): Promise<RegistryRecord | undefined>;

  /** Escrows `amount` of SAH here and sends the job to the executor chain. */
  postJob(request: PostJobRequest): Promise<PostedJob>;
  cancelJob(jobId: Hex): Promise<Submitted>;
  claimJob(jobId: Hex): Promise<Submitted>;
  submitResult(jobId: Hex, resultHash: Hex, payTo: Hex): Promise<Submitted>;
  expireJob(jobId: Hex): Promise<Submitted>;
  job(jobId: Hex): Promise<ChainJob>;

  close(): Promise<void>;
}

/** A chain call was refused; `reason` is the contract's error name (e.g. `JobNotOpen`) when the chain gives it. */
export class FlowCallError extends Error {
  override name = 'FlowCallError';
  constructor(
    readonly reason: string,
    detail: string,
  ) {
    super(`${reason}: ${detail}`);
  }
}
