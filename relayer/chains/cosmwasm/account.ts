/**
 * The protocol's 32-byte account form on CosmWasm chains (docs/PROTOCOL.md §2): an address's canonical
 * bytes, left-padded with zeros: 20-byte accounts get 12 zero bytes in front, 32-byte contract addresses
 * are taken as they are. A 32-byte form starting with 12 zero bytes reads back as a 20-byte account.
 */
import { fromBech32, toBech32 } from '@cosmjs/encoding';
import { bytesToHex, type Hex, hexToBytes } from 'viem';

export class CosmosAddressError extends Error {
  override name = 'CosmosAddressError';
}

export function bech32ToBytes32(address: string, prefix?: string): Hex {
  let decoded: { prefix: string; data: Uint8Array };
  try {
    decoded = fromBech32(address);
  } catch (e) {
    throw new CosmosAddressError(`${address} is not a bech32 address: ${(e as Error).message}`);
  }
  if (prefix !== undefined && decoded.prefix !== prefix)
    throw new CosmosAddressError(`${address} has prefix ${decoded.prefix}, expected ${prefix}`);
  if (decoded.data.length !== 20 && decoded.data.length !== 32)
    throw new CosmosAddressError(`${address} is ${decoded.data.length} bytes; accounts are 20, contracts 32`);
  const out = new Uint8Array(32);
  out.set(decoded.data, 32 - decoded.data.length);
  return bytesToHex(out);
}

export function bytes32ToBech32(form: Hex, prefix: string): string {
  const bytes = hexToBytes(form);
  if (bytes.length !== 32) throw new CosmosAddressError(`${form} is not a 32-byte account form`);
  if (bytes.every((b) => b === 0)) throw new CosmosAddressError('the zero account');
  const account = bytes.slice(0, 12).every((b) => b === 0);
  return toBech32(prefix, account ? bytes.slice(12) : bytes);
}

/** Strips 0x: CosmWasm's HexBinary is plain hex in JSON. */
export function plainHex(h: Hex): string {
  return h.slice(2).toLowerCase();
}
