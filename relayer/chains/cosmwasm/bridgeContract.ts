/**
 * The CosmWasm bridge contract's messages (contracts/cosmwasm/contracts/bridge/src/msg.rs) and how its refusals
 * read. Every message is built as its generated type (./msg.ts, from the contract's JSON schema:
 * `npm run gen:cosmwasm-bindings`), so a variant or field renamed in msg.rs fails tsc here. HexBinary fields
 * are plain hex; u64 fields are JSON numbers.
 */
import type { JsonObject } from '@cosmjs/cosmwasm-stargate';
import type { Hex } from 'viem';
import { plainHex } from './account.js';
import type { Config, ExecuteMsg, PaymentAsset, QueryMsg, QueryResponses, ReceiveMsg } from './msg.js';

export type {
  AttestationConflict,
  AttestationRecord,
  AttestationResponse,
  JobResponse,
  PaymentAsset,
  PostedJob,
  ReceivedJob,
} from './msg.js';
/** The bridge's stored configuration (the `config` query's answer). */
export type BridgeConfig = Config;

type KeysOf<U> = U extends unknown ? keyof U : never;
/** The ExecuteMsg variant `K` (`receive_message`, `lock`, ...). */
export type Execute<K extends KeysOf<ExecuteMsg>> = Extract<ExecuteMsg, Record<K, unknown>>;
/** The QueryMsg variant `K`. */
export type Query<K extends KeysOf<QueryMsg>> = Extract<QueryMsg, Record<K, unknown>>;
/** The `msg` of a cw20 Send to the bridge, variant `K`. */
export type Hook<K extends KeysOf<ReceiveMsg>> = Extract<ReceiveMsg, Record<K, unknown>>;
/** What the bridge answers a query with, as its schema says. */
export type Answer<Q extends QueryMsg> = QueryResponses[keyof Q & keyof QueryResponses];

/** What answers smart queries: a CosmWasmClient, or a QueryClient's `wasm` extension. */
export interface SmartQuerier {
  queryContractSmart(address: string, query: JsonObject): Promise<JsonObject>;
}

/** A smart query of the bridge at `bridge`, its answer typed as the schema says (not checked at run time). */
export async function queryBridge<Q extends QueryMsg>(
  client: SmartQuerier,
  bridge: string,
  query: Q,
): Promise<Answer<Q>> {
  return (await client.queryContractSmart(bridge, query)) as Answer<Q>;
}

/** Event type of an outbound message in a transaction's results (`wasm-` + the contract's event name). */
export const MESSAGE_SENT_EVENT = 'wasm-sah_message_sent';
/** The bridge's event for each message it consumed (inbound.rs received_event), as CometBFT indexes it. */
export const MESSAGE_RECEIVED_EVENT = 'wasm-sah_message_received';

export function receiveMessageMsg(message: Hex, epoch: number, signature: Hex): Execute<'receive_message'> {
  return { receive_message: { message: plainHex(message), epoch, signature: plainHex(signature) } };
}

export function receiveBatchMsg(messages: Hex[], epoch: number, signature: Hex): Execute<'receive_batch'> {
  return { receive_batch: { messages: messages.map(plainHex), epoch, signature: plainHex(signature) } };
}

export function lockMsg(destinationChain: number, recipient: Hex): Execute<'lock'> {
  return { lock: { destination_chain: destinationChain, recipient: plainHex(recipient) } };
}

/** The `msg` of a cw20 Send of a wrapped token to the bridge. */
export function burnHookMsg(destinationChain: number, recipient: Hex): Hook<'burn'> {
  return { burn: { destination_chain: destinationChain, recipient: plainHex(recipient) } };
}

/** Data attestations (docs/PROTOCOL.md §7.2): `dataHash` 32 bytes; each destination once, never this chain. */
export function attestMsg(dataHash: Hex, uri: string, license: string, destinations: number[]): Execute<'attest'> {
  return { attest: { data_hash: plainHex(dataHash), uri, license, destinations } };
}

/** Only the record's owner (the caller's `did:pkh:cosmos:...`) revokes. */
export function revokeMsg(dataHash: Hex, destinations: number[]): Execute<'revoke'> {
  return { revoke: { data_hash: plainHex(dataHash), destinations } };
}

/**
 * Posts a compute job (docs/PROTOCOL.md §7.3) paid with the one native coin sent with the call (a denom
 * configured at instantiation). `deadline` is unix seconds, inclusive on the executor chain.
 */
export function postJobMsg(specHash: Hex, executorChain: number, deadline: bigint): Execute<'post_job'> {
  return { post_job: { spec_hash: plainHex(specHash), executor_chain: executorChain, deadline: Number(deadline) } };
}

/** The `msg` of a cw20 Send of a wrapped token to the bridge that pays a compute job with it. */
export function postJobHookMsg(specHash: Hex, executorChain: number, deadline: bigint): Hook<'post_job'> {
  return { post_job: { spec_hash: plainHex(specHash), executor_chain: executorChain, deadline: Number(deadline) } };
}

/** Chain A: the payer asks the executor chain to cancel a job still `Posted`. */
export function cancelJobMsg(jobId: Hex): Execute<'cancel'> {
  return { cancel: { job_id: plainHex(jobId) } };
}

/** Chain B: any account takes an `Open` job before its deadline. */
export function claimJobMsg(jobId: Hex): Execute<'claim'> {
  return { claim: { job_id: plainHex(jobId) } };
}

/** Chain B: the claimer's result; `payTo` is the 32-byte account (docs/PROTOCOL.md §2) paid on chain A. */
export function submitResultMsg(jobId: Hex, resultHash: Hex, payTo: Hex): Execute<'submit_result'> {
  return { submit_result: { job_id: plainHex(jobId), result_hash: plainHex(resultHash), pay_to: plainHex(payTo) } };
}

/** Chain B: anyone ends an `Open` or `Claimed` job after its deadline. */
export function expireJobMsg(jobId: Hex): Execute<'expire'> {
  return { expire: { job_id: plainHex(jobId) } };
}

/** The bridge's queries; each answers with `Answer<typeof query>` (QueryResponses in ./msg.ts). */
export const queries = {
  config: (): Query<'config'> => ({ config: {} }),
  outboundNonce: (): Query<'outbound_nonce'> => ({ outbound_nonce: {} }),
  outboundMessageId: (nonce: bigint): Query<'outbound_message_id'> => ({
    outbound_message_id: { nonce: Number(nonce) },
  }),
  /** -> bool: the message `nonce` of `sourceChain` is consumed (its replay bit, docs/PROTOCOL.md §2). */
  isConsumed: (sourceChain: number, nonce: bigint): Query<'is_consumed'> => ({
    is_consumed: { source_chain: sourceChain, nonce: nonce.toString() },
  }),
  /** -> 32-byte big-endian word (hex, no 0x): the replay bits of nonces 256 * wordIndex .. + 255 of a source. */
  consumedWord: (sourceChain: number, wordIndex: bigint): Query<'consumed_word'> => ({
    consumed_word: { source_chain: sourceChain, word_index: wordIndex.toString() },
  }),
  locked: (denom: string): Query<'locked'> => ({ locked: { denom } }),
  wrappedToken: (originChain: number, originToken: Hex): Query<'wrapped_token'> => ({
    wrapped_token: { origin_chain: originChain, origin_token: plainHex(originToken) },
  }),
  wrappedSupply: (originChain: number, originToken: Hex): Query<'wrapped_supply'> => ({
    wrapped_supply: { origin_chain: originChain, origin_token: plainHex(originToken) },
  }),
  /** -> AttestationResponse */
  attestation: (dataHash: Hex): Query<'attestation'> => ({ attestation: { data_hash: plainHex(dataHash) } }),
  /** -> AttestationConflict[], in arrival order from index `startAfter + 1` (or 0) */
  attestationConflicts: (dataHash: Hex, startAfter?: bigint, limit?: number): Query<'attestation_conflicts'> => ({
    attestation_conflicts: {
      data_hash: plainHex(dataHash),
      start_after: startAfter === undefined ? null : Number(startAfter),
      limit: limit ?? null,
    },
  }),
  /** -> JobResponse */
  job: (jobId: Hex): Query<'job'> => ({ job: { job_id: plainHex(jobId) } }),
  /** -> number: the last counter used for a job id posted on this bridge */
  jobCounter: (): Query<'job_counter'> => ({ job_counter: {} }),
  /** -> string (Uint128): held in escrow for open jobs posted on this bridge */
  jobEscrow: (asset: PaymentAsset): Query<'job_escrow'> => ({ job_escrow: { asset } }),
};

/**
 * The bridge's error name in a failed simulation or transaction log. Every bridge error starts with its
 * name (`MessageAlreadyConsumed: ...`); wasmd wraps it as
 * `failed to execute message; message index: 0: <error>: execute wasm contract failed`.
 */
export function bridgeErrorName(log: string): string | undefined {
  return (/message index: \d+: ([A-Z][A-Za-z]+): /.exec(log) ??
    /([A-Z][A-Za-z]+): [\s\S]*execute wasm contract failed/.exec(log))?.[1];
}
