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
};

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
