/**
 * The one interface the relayer pipeline uses to talk to a chain. One implementation per chain family
 * (evm/, cosmwasm/, substrate/); no other module knows a chain's specifics.
 */
import { type Hex, hexToBytes } from 'viem';
import { type InstanceBinding, messageId } from '../protocol/digest.js';
import { decodeMessage } from '../protocol/message.js';
import type { MessageRef } from './consumed.js';

/** A bridge event seen on a source chain. */
export interface ObservedMessage {
  messageId: Hex;
  /** Canonical encoding (docs/PROTOCOL.md). */
  message: Hex;
  sourceChain: number;
  destinationChain: number;
  nonce: bigint;
  sourceTx: Hex;
  sourceBlock: bigint;
}

/** An observed message from its encoding as a chain emitted it (strict decoding: a bad one throws). */
export function observedMessage(message: Hex, sourceTx: Hex, sourceBlock: bigint): ObservedMessage {
  const bytes = hexToBytes(message);
  const decoded = decodeMessage(bytes);
  return {
    messageId: messageId(bytes),
    message,
    sourceChain: decoded.sourceChain,
    destinationChain: decoded.destinationChain,
    nonce: decoded.nonce,
    sourceTx,
    sourceBlock,
  };
}

/** Messages for one destination under one FROST signature over the Merkle root of their ids. */
export interface SignedBatch {
  destinationChain: number;
  epoch: number;
  root: Hex;
  /** RFC 9591 signature, 65 bytes. */
  signature: Hex;
  /** Encodings in batch order (the order the root was built in). */
  messages: Hex[];
}

export type DeliveryState =
  | { state: 'pending' }
  | { state: 'missing' }
  | { state: 'reverted'; blockNumber: bigint }
  | { state: 'included'; blockNumber: bigint; final: boolean };

/**
 * A delivery the destination refused before it was sent (its simulation failed). `reason` is the
 * bridge's error name (e.g. MessageAlreadyConsumed) when the chain tells it, else the first line.
 */
export class DeliveryRevertedError extends Error {
  override name = 'DeliveryRevertedError';
  constructor(readonly reason: string) {
    super(`delivery reverted: ${reason}`);
  }
}

/**
 * The RPC endpoints of a chain answered one read differently. `answers` names each endpoint by its index and
 * host (never its full URL: providers put API keys in paths) with a short form of its answer or its error;
 * `accepted` is what rpcQuorum of them agreed on, absent when no quorum agreed (the read then failed).
 */
export interface RpcDisagreement {
  chain: string;
  read: string;
  quorum: number;
  answers: { rpc: string; answer: string }[];
  accepted?: string;
}

/** Fewer than the configured quorum of a chain's RPC endpoints gave the same answer: the read did not happen. */
export class RpcQuorumError extends Error {
  override name = 'RpcQuorumError';
  constructor(
    readonly read: string,
    readonly quorum: number,
    readonly answers: { rpc: string; answer: string }[],
  ) {
    super(`no ${quorum} RPC endpoints agreed on ${read}: ${answers.map((a) => `${a.rpc} -> ${a.answer}`).join('; ')}`);
  }
}

export interface ChainAdapter {
  readonly name: string;
  readonly protocolChainId: number;
  readonly pollIntervalMs: number;
  readonly maxBlockRange: number;
  /** The bridge's own address in the protocol's 32-byte account form (governance targets it). */
  readonly bridgeAccount: Hex;
  /**
   * The verifying instance signatures for this chain are bound to (docs/PROTOCOL.md §2): the chain binding its
   * runtime reports and the bridge, from the node's own config and connection, never from a peer.
   */
  readonly instance: InstanceBinding;

  /** Highest block whose events are final under this chain's configured finality. */
  finalHeight(): Promise<bigint>;
  /** Bridge messages emitted in blocks [from, to]. */
  outboundMessages(from: bigint, to: bigint): Promise<ObservedMessage[]>;
  /**
   * How many outbound messages the bridge's own state says it had emitted by the end of block `height` (its
   * outbound nonce there; 0 before the bridge existed): the messages of blocks [from, to] are exactly the
   * nonces in (outboundCountAt(from - 1), outboundCountAt(to)]. The watcher checks every range's events
   * against it, so an RPC that omits events cannot make the node skip them. Optional: a family without it
   * is watched without that check.
   */
  outboundCountAt?(height: bigint): Promise<bigint>;
  /**
   * Registers a listener for reads on which the chain's RPC endpoints answered differently (with or without
   * a quorum agreeing). Optional: a family reached through one endpoint has nothing to report.
   */
  onRpcDisagreement?(listener: (d: RpcDisagreement) => void): void;
  /**
   * Whether this chain's bridge has consumed the message (its (source, nonce) bit, docs/PROTOCOL.md §2) at the
   * RPC's head. A reorg may still undo it: enough to hold back a re-send, never to count the message delivered
   * (deliveredFinal does that).
   */
  isDelivered(message: MessageRef): Promise<boolean>;
  /**
   * For each message, whether the bridge has consumed it in the chain's final state under its configured
   * finality (the same finality finalHeight answers by), read from one final block, a word per 256 nonces of a
   * source. Only this counts as delivered.
   */
  deliveredFinal(messages: MessageRef[]): Promise<boolean[]>;
  /**
   * The transactions in which the bridge consumed these ids, as the chain's own receive events name them, for
   * the ids it finds among the recent final blocks (at most `maxBlockRange` back from finalHeight): what a node
   * shows for a delivery it did not make itself, from the chain rather than from a peer's word.
   */
  deliveryTransactions(messageIds: Hex[]): Promise<Map<Hex, Hex>>;
  /** Submits a signed batch (one message: the single-message call); returns the transaction id. */
  deliver(batch: SignedBatch): Promise<Hex>;
  deliveryState(tx: Hex): Promise<DeliveryState>;
  /** The bridge's key epoch and last governance nonce (to build the next governance message). */
  governanceState(): Promise<{ epoch: number; governanceNonce: bigint }>;
  /** Balance of the operator's delivery account, in the chain's native unit. */
  walletBalance(): Promise<bigint>;
}
