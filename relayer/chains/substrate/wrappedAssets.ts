/** Which pallet-assets asset the bridge pallet minted for an origin token (its `WrappedOrigins` map, scanned). */
import type { ApiPromise } from '@polkadot/api';
import type { Hex } from 'viem';
import type {} from './interfaces/augment-api.js';

export async function wrappedAssetOf(
  api: ApiPromise,
  originChain: number,
  originToken: Hex,
): Promise<number | undefined> {
  for (const [key, value] of await api.query.sahBridge.wrappedOrigins.entries()) {
    const o = value.unwrap();
    if (o.originChain.toNumber() === originChain && o.originToken.toHex() === originToken.toLowerCase())
      return key.args[0].toNumber();
  }
  return undefined;
}
