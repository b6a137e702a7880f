/**
 * The WebSocket provider every `ApiPromise` here is created with.
 */
import { WsProvider } from '@polkadot/api';
import type { ApiOptions } from '@polkadot/api/types';

type ProviderInterface = NonNullable<ApiOptions['provider']>;

/**
 * `new WsProvider(url)` typed as the provider `ApiPromise.create` takes. @polkadot/rpc-provider's own types
 * disagree under exactOptionalPropertyTypes: ProviderInterface declares `ttl?: number | null` (left out, never
 * undefined) while WsProvider's `ttl` getter returns `number | null | undefined` (undefined when no cache TTL was
 * given, as here). The only reader, @polkadot/api's RPC core, takes undefined as "the default TTL", so the
 * object is passed as it is: this is the one place the two declarations are reconciled.
 */
export function wsProvider(url: string): ProviderInterface {
  return new WsProvider(url) as ProviderInterface;
}
