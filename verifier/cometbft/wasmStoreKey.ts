/**
 * Where the bridge's OUTBOUND map lives in the chain's state: wasmd keeps each contract's storage in the `wasm`
 * store under 0x03 || contract address, and cw-storage-plus puts a Map entry at
 * len(namespace) as u16 BE || namespace || key (a u64 key as 8 bytes BE). Values are the contract's JSON.
 */
import { fromBech32 } from '@cosmjs/encoding';
import type { Hex } from 'viem';
import { concatBytes } from '../bytes.js';
import { ProofError } from '../types.js';

/** wasmd's x/wasm store name and its ContractStorePrefix. */
export const WASM_STORE = 'wasm';
const CONTRACT_STORE_PREFIX = 0x03;
/** `OUTBOUND: Map<u64, HexBinary> = Map::new("outbound")` in contracts/cosmwasm/contracts/bridge/src/state.rs. */
export const OUTBOUND_NAMESPACE = 'outbound';

export function contractAddressBytes(contract: string): Uint8Array {
  try {
    return fromBech32(contract).data;
  } catch (e) {
    throw new ProofError('malformed-input', `contract address ${contract}: ${(e as Error).message}`);
  }
}

/** cw-storage-plus key of `Map<u64, _>` entry `key` in `namespace`. */
export function mapU64Key(namespace: string, key: bigint): Uint8Array {
  const ns = new TextEncoder().encode(namespace);
  if (ns.length > 0xffff) throw new RangeError('namespace too long');
  if (key < 0n || key >= 1n << 64n) throw new ProofError('malformed-input', `nonce ${key} is not a u64`);
  const out = new Uint8Array(2 + ns.length + 8);
  const view = new DataView(out.buffer);
  view.setUint16(0, ns.length);
  out.set(ns, 2);
  view.setBigUint64(2 + ns.length, key);
  return out;
}

/** Key in the `wasm` store of a contract's raw storage key. */
export function contractStoreKey(contract: string, storageKey: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(CONTRACT_STORE_PREFIX), contractAddressBytes(contract), storageKey);
}

/** Key in the `wasm` store of the bridge's outbound message id for `nonce`. */
export function outboundStoreKey(contract: string, nonce: bigint): Uint8Array {
  return contractStoreKey(contract, mapU64Key(OUTBOUND_NAMESPACE, nonce));
}

/** The stored HexBinary (a JSON string of lower-case hex) as 0x-hex; undefined if it is not one. */
export function decodeStoredMessageId(value: Uint8Array): Hex | undefined {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(value));
    return typeof parsed === 'string' && /^[0-9a-f]{64}$/.test(parsed) ? `0x${parsed}` : undefined;
  } catch {
    return undefined;
  }
}
