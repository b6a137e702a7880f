/**
 * The SDK's one interface to a chain, as one account: token transfers (lock on the asset's home, burn of its
 * wrapped form elsewhere; docs/PROTOCOL.md §3), data attestations and compute jobs (§7). One implementation
 * per chain family (`chains/<family>/client.ts`), picked through the registry. Calls return the source
 * transaction and the ids of the messages it emitted, to follow with `followMessages`.
 */
import { type Hex, parseUnits } from 'viem';
import type { Asset } from '../chains/family.js';

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

/** A transfer from the client's chain: `amount` of `asset` to `recipient` on `destinationChain`. */
export interface TransferRequest {
  asset: Asset;
  /** In the asset's units, as a decimal (`10`, `0.5`): its decimals are read from the chain. */
  amount: string;
  destinationChain: number;
  /** The recipient in the protocol's 32-byte form (§2). */
  recipient: Hex;
}

export interface TransferResult {
  /** `lock` on the asset's home chain, `burn` of its wrapped form anywhere else. */
  action: 'lock' | 'burn';
  sourceTx: Hex;
  messageId: Hex;
  nonce: bigint;
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

  /**
   * Locks the asset on its home chain or burns its wrapped form here; the bridge sends it on. A refusal is a
   * FlowCallError named by the chain's error (its `detail` says who refused what, its `cause` is the chain
   * SDK's error); a request this chain cannot carry out (no wrapped form here yet, a bad amount) an
   * InvalidRequestError; an unreachable RPC the chain SDK's own error.
   */
  transfer(request: TransferRequest): Promise<TransferResult>;

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
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${reason}: ${detail}`, options);
  }
}

/**
 * A request that cannot be carried out as given, found before or without a chain refusing it: an unknown
 * chain, an amount that is not a number, an address of the wrong form, a signer missing. `field` names the
 * request's (or the signer's) field at fault, when one is: the message is then `<field> <detail>`.
 */
export class InvalidRequestError extends Error {
  override name = 'InvalidRequestError';
  constructor(
    readonly field: string | undefined,
    readonly detail: string,
  ) {
    super(field ? `${field} ${detail}` : detail);
  }
}

/** An amount in units (`10`, `0.5`) in base units of a token with `decimals`; positive. */
export function parseAmount(text: string, decimals: number): bigint {
  let amount: bigint;
  try {
    amount = parseUnits(text, decimals);
  } catch {
    throw new InvalidRequestError('amount', `${text} is not a number`);
  }
  if (amount <= 0n) throw new InvalidRequestError('amount', 'must be positive');
  return amount;
}
