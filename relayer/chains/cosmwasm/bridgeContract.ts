/**
 * The CosmWasm bridge contract's messages as JSON (contracts/cosmwasm/contracts/bridge/src/msg.rs) and
 * how its refusals read. HexBinary fields are plain hex; u64 fields are JSON numbers.
 */
import type { Hex } from 'viem';
import { plainHex } from './account.js';

/** Event type of an outbound message in a transaction's results (`wasm-` + the contract's event name). */
export const MESSAGE_SENT_EVENT = 'wasm-sah_message_sent';

export function receiveMessageMsg(message: Hex, epoch: number, signature: Hex) {
  return { receive_message: { message: plainHex(message), epoch, signature: plainHex(signature) } };
}

export function receiveBatchMsg(messages: Hex[], epoch: number, signature: Hex) {
  return { receive_batch: { messages: messages.map(plainHex), epoch, signature: plainHex(signature) } };
}

export function lockMsg(destinationChain: number, recipient: Hex) {
  return { lock: { destination_chain: destinationChain, recipient: plainHex(recipient) } };
}

/** The `msg` of a cw20 Send of a wrapped token to the bridge. */
export function burnHookMsg(destinationChain: number, recipient: Hex) {
  return { burn: { destination_chain: destinationChain, recipient: plainHex(recipient) } };
}

/** Data attestations (docs/PROTOCOL.md §7.2): `dataHash` 32 bytes; each destination once, never this chain. */
export function attestMsg(dataHash: Hex, uri: string, license: string, destinations: number[]) {
  return { attest: { data_hash: plainHex(dataHash), uri, license, destinations } };
}

/** Only the record's owner (the caller's `did:pkh:cosmos:...`) revokes. */
export function revokeMsg(dataHash: Hex, destinations: number[]) {
  return { revoke: { data_hash: plainHex(dataHash), destinations } };
}

/**
 * Posts a compute job (docs/PROTOCOL.md §7.3) paid with the one native coin sent with the call (a denom
 * configured at instantiation). `deadline` is unix seconds, inclusive on the executor chain.
 */
export function postJobMsg(specHash: Hex, executorChain: number, deadline: bigint) {
  return { post_job: { spec_hash: plainHex(specHash), executor_chain: executorChain, deadline: Number(deadline) } };
}

/** The `msg` of a cw20 Send of a wrapped token to the bridge that pays a compute job with it. */
export function postJobHookMsg(specHash: Hex, executorChain: number, deadline: bigint) {
  return postJobMsg(specHash, executorChain, deadline);
}

/** Chain A: the payer asks the executor chain to cancel a job still `Posted`. */
export function cancelJobMsg(jobId: Hex) {
  return { cancel: { job_id: plainHex(jobId) } };
}

/** Chain B: any account takes an `Open` job before its deadline. */
export function claimJobMsg(jobId: Hex) {
  return { claim: { job_id: plainHex(jobId) } };
}

/** Chain B: the claimer's result; `payTo` is the 32-byte account (docs/PROTOCOL.md §2) paid on chain A. */
export function submitResultMsg(jobId: Hex, resultHash: Hex, payTo: Hex) {
  return { submit_result: { job_id: plainHex(jobId), result_hash: plainHex(resultHash), pay_to: plainHex(payTo) } };
}

/** Chain B: anyone ends an `Open` or `Claimed` job after its deadline. */
export function expireJobMsg(jobId: Hex) {
  return { expire: { job_id: plainHex(jobId) } };
}

/** What pays a job posted on this bridge (the key of its escrow total). */
export type PaymentAsset = { native: { denom: string } } | { cw20: { token: string } };

export const queries = {
  config: () => ({ config: {} }),
  outboundNonce: () => ({ outbound_nonce: {} }),
  outboundMessageId: (nonce: bigint) => ({ outbound_message_id: { nonce: Number(nonce) } }),
  isConsumed: (id: Hex) => ({ is_consumed: { message_id: plainHex(id) } }),
  locked: (denom: string) => ({ locked: { denom } }),
  wrappedToken: (originChain: number, originToken: Hex) => ({
    wrapped_token: { origin_chain: originChain, origin_token: plainHex(originToken) },
  }),
  wrappedSupply: (originChain: number, originToken: Hex) => ({
    wrapped_supply: { origin_chain: originChain, origin_token: plainHex(originToken) },
  }),
  /** -> AttestationResponse */
  attestation: (dataHash: Hex) => ({ attestation: { data_hash: plainHex(dataHash) } }),
  /** -> AttestationConflict[], in arrival order from index `startAfter + 1` (or 0) */
  attestationConflicts: (dataHash: Hex, startAfter?: bigint, limit?: number) => ({
    attestation_conflicts: {
      data_hash: plainHex(dataHash),
      start_after: startAfter === undefined ? null : Number(startAfter),
      limit: limit ?? null,
    },
  }),
  /** -> JobResponse */
  job: (jobId: Hex) => ({ job: { job_id: plainHex(jobId) } }),
  /** -> number: the last counter used for a job id posted on this bridge */
  jobCounter: () => ({ job_counter: {} }),
  /** -> string (Uint128): held in escrow for open jobs posted on this bridge */
  jobEscrow: (asset: PaymentAsset) => ({ job_escrow: { asset } }),
};

/** A data hash's registry record (hex fields are plain hex). */
export interface AttestationRecord {
  data_hash: string;
  owner_did: string;
  origin_chain: number;
  /** 0 for an attestation made on this chain */
  origin_nonce: number;
  uri: string;
  license: string;
  timestamp: number;
  revoked: boolean;
  revoked_at: number;
}

export interface AttestationResponse {
  record: AttestationRecord | null;
  conflict_count: number;
}

export interface AttestationConflict {
  data_hash: string;
  owner_did: string;
  origin_chain: number;
  nonce: number;
  timestamp: number;
  action: 'register' | 'revoke';
}

/** A job posted on this bridge (chain A): its payment is in escrow here until the executor chain's result. */
export interface PostedJob {
  job_id: string;
  counter: number;
  payer: string;
  executor_chain: number;
  spec_hash: string;
  asset: PaymentAsset;
  payment_origin_chain: number;
  payment_origin_token: string;
  amount: string;
  deadline: number;
  posted_at: number;
  post_nonce: number;
  status: 'posted' | 'cancel_requested' | 'paid' | 'refunded';
  result_hash: string | null;
  executor: string | null;
  paid_to: string | null;
  settled_at: number | null;
}

/** A job received from chain A (this bridge is the executor chain B and sends its one result). */
export interface ReceivedJob {
  job_id: string;
  escrow_chain: number;
  post_nonce: number;
  payer: string;
  spec_hash: string;
  payment_origin_chain: number;
  payment_origin_token: string;
  amount: string;
  deadline: number;
  received_at: number;
  status: 'open' | 'claimed' | 'completed' | 'expired' | 'cancelled';
  claimer: string | null;
  result_hash: string | null;
  pay_to: string | null;
  finished_at: number | null;
  result_nonce: number | null;
}

export interface JobResponse {
  posted: PostedJob | null;
  received: ReceivedJob | null;
}

export interface BridgeConfig {
  chain_id: number;
  epoch: number;
  group_key: string;
  previous_key: string | null;
  previous_key_expiry: number;
  paused: boolean;
  governance_nonce: number;
  pauser: string | null;
  cw20_code_id: number;
}

/**
 * The bridge's error name in a failed simulation or transaction log. Every bridge error starts with its
 * name (`MessageAlreadyConsumed: ...`); wasmd wraps it as
 * `failed to execute message; message index: 0: <error>: execute wasm contract failed`.
 */
export function bridgeErrorName(log: string): string | undefined {
  return (/message index: \d+: ([A-Z][A-Za-z]+): /.exec(log) ??
    /([A-Z][A-Za-z]+): [\s\S]*execute wasm contract failed/.exec(log))?.[1];
}
