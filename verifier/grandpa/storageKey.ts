/** Storage keys of the bridge pallet (FRAME's hashed key layout). */
import { xxhashAsU8a } from '@polkadot/util-crypto';
import { concatBytes } from '../bytes.js';
import { encodeU64 } from './scale.js';

export const twox128 = (data: Uint8Array | string): Uint8Array => xxhashAsU8a(data, 128);
export const twox64 = (data: Uint8Array | string): Uint8Array => xxhashAsU8a(data, 64);

/** twox128(pallet) ++ twox128(item): the prefix of every key of a storage item. */
export function storagePrefix(pallet: string, item: string): Uint8Array {
  return concatBytes(twox128(pallet), twox128(item));
}

/**
 * Key of `OutboundMessages(nonce)` (`StorageMap<_, Twox64Concat, u64, H256>`):
 * twox128(pallet) ++ twox128("OutboundMessages") ++ twox64(nonce as u64 LE) ++ nonce as u64 LE.
 * The value is the 32-byte message id, stored raw (H256 has no length prefix).
 */
export function outboundMessageKey(nonce: bigint, pallet = 'SahBridge'): Uint8Array {
  const n = encodeU64(nonce);
  return concatBytes(storagePrefix(pallet, 'OutboundMessages'), twox64(n), n);
}
