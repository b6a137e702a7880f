/**
 * The protocol's 32-byte account form on Substrate chains (docs/PROTOCOL.md §2) is the AccountId32 itself;
 * SS58 is only how people write it (prefix 42 on the devnet). An operator's secp256k1 delivery key is an
 * ECDSA account there: AccountId32 = blake2_256(compressed public key) (MultiSigner::Ecdsa).
 */
import { decodeAddress, encodeAddress } from '@polkadot/util-crypto';
import { bytesToHex, type Hex, hexToBytes } from 'viem';

export class SubstrateAddressError extends Error {
  override name = 'SubstrateAddressError';
}

export function ss58ToBytes32(address: string): Hex {
  let bytes: Uint8Array;
  try {
    bytes = decodeAddress(address);
  } catch (e) {
    throw new SubstrateAddressError(`${address} is not an SS58 address: ${(e as Error).message}`);
  }
  if (bytes.length !== 32)
    throw new SubstrateAddressError(`${address} is ${bytes.length} bytes, not a 32-byte account`);
  return bytesToHex(bytes);
}

export function bytes32ToSs58(form: Hex, prefix = 42): string {
  const bytes = hexToBytes(form);
  if (bytes.length !== 32) throw new SubstrateAddressError(`${form} is not a 32-byte account form`);
  if (bytes.every((b) => b === 0)) throw new SubstrateAddressError('the zero account');
  return encodeAddress(bytes, prefix);
}
