/** Which pallet-assets asset the bridge pallet minted for an origin token (its `WrappedOrigins` map, scanned). */
import type { ApiPromise } from '@polkadot/api';
import type { Hex } from 'viem';

// biome-ignore lint/suspicious/noExplicitAny: the bridge pallet is not in @polkadot/api's generated types
type Untyped = any;

export async function wrappedAssetOf(
  api: ApiPromise,
  originChain: number,
  originToken: Hex,
): Promise<number | undefined> {
  for (const [key, value] of await (api.query as Untyped).sahBridge.wrappedOrigins.entries()) {
    const o = value.unwrap();
    if (Number(o.originChain.toString()) === originChain && o.originToken.toHex() === originToken.toLowerCase())
      return Number(key.args[0].toString());
  }
  return undefined;
}
