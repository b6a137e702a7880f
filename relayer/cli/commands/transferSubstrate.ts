/**
 * The Substrate side of `sah-bridge transfer`: `lock_native` of the chain's own currency on its home,
 * `burn` of the wrapped asset elsewhere, signed by a dev account (`//Alice` ...).
 */
import { ApiPromise, Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import type { Hex } from 'viem';
import { wrappedAssetOf } from '../../chains/substrate/wrappedAssets.js';
import { wsProvider } from '../../chains/substrate/wsProvider.js';
import type { DevnetSubstrateChainInfo } from '../../sdk/devnetInfo.js';
import { ChainRefusalError, oneLine, UsageError } from '../errors.js';
import type { TransferRequest, TransferResult } from './transfer.js';
import { parseAmount } from './transferEvm.js';

/** The dev runtime's native currency has 12 decimals. */
const NATIVE_DECIMALS = 12;

// biome-ignore lint/suspicious/noExplicitAny: the bridge pallet is not in @polkadot/api's generated types
type Untyped = any;

/**
 * A dispatch error, named: a pallet's error by its metadata (`sahBridge.UnknownWrappedAsset`, `balances.
 * InsufficientBalance`) with its doc line, or a system one by its variant (`Token: FundsUnavailable`).
 */
function dispatchRefusal(api: ApiPromise, dispatchError: Untyped, what: string): ChainRefusalError {
  if (dispatchError.isModule) {
    const meta = api.registry.findMetaError(dispatchError.asModule);
    const docs = oneLine(meta.docs.join(' '));
    return new ChainRefusalError(meta.name, `${what}: ${meta.section}.${meta.name}${docs ? ` (${docs})` : ''}`);
  }
  const kind = String(dispatchError.type);
  const inner = dispatchError[`as${kind}`];
  const name = typeof inner?.type === 'string' ? inner.type : kind;
  return new ChainRefusalError(name, `${what}: ${name === kind ? kind : `${kind}: ${name}`}`);
}

/** The pool refused the extrinsic (`1010: Invalid Transaction: Inability to pay some fees ...`): named too. */
function submitRefusal(e: Error, what: string): Error {
  const m = /^\d+: ([A-Za-z ]+?): (.*)$/.exec(oneLine(e.message));
  if (!m?.[1] || !m[2]) return e;
  const name = m[1].replace(/(?:^|\s+)(\w)/g, (_s, c: string) => c.toUpperCase());
  return new ChainRefusalError(name, `${what}: ${m[2]}`, { cause: e });
}

export async function transferFromSubstrate(
  from: DevnetSubstrateChainInfo,
  uri: string,
  r: TransferRequest,
): Promise<TransferResult> {
  await cryptoWaitReady();
  const api = await ApiPromise.create({ provider: wsProvider(from.wsUrl), noInitWarn: true });
  try {
    const signer = new Keyring({ type: 'sr25519', ss58Format: from.ss58Prefix }).addFromUri(uri);
    const bridge = (api.tx as Untyped).sahBridge;
    const isHome = r.asset.originChain === from.protocolChainId;
    let call: Untyped;
    if (isHome) {
      if (!r.asset.native) throw new UsageError(`${r.asset.symbol} is not the native currency of ${from.name}`);
      call = bridge.lockNative(parseAmount(r.amount, NATIVE_DECIMALS), r.destinationChain, r.recipient);
    } else {
      const query = (api.query as Untyped).sahBridge;
      const assetId = await wrappedAssetOf(api, r.asset.originChain, r.asset.originToken);
      if (assetId === undefined)
        throw new UsageError(`no wrapped ${r.asset.symbol} on ${from.name} yet: bring some there first`);
      const origin = (await query.wrappedOrigins(assetId)).unwrap();
      call = bridge.burn(
        assetId,
        parseAmount(r.amount, Number(origin.decimals.toString())),
        r.destinationChain,
        r.recipient,
      );
    }
    const what = `${from.name} refused the ${isHome ? 'lock' : 'burn'}`;
    return await new Promise<TransferResult>((resolve, reject) => {
      call
        .signAndSend(signer, ({ status, events, dispatchError, txHash }: Untyped) => {
          if (dispatchError) {
            reject(dispatchRefusal(api, dispatchError, what));
            return;
          }
          if (!status.isInBlock) return;
          const sent = events.find((e: Untyped) => e.event.section === 'sahBridge' && e.event.method === 'MessageSent');
          if (!sent) {
            reject(new Error(`extrinsic ${txHash.toHex()} emitted no bridge message`));
            return;
          }
          resolve({
            action: isHome ? 'lock' : 'burn',
            sourceTx: txHash.toHex(),
            messageId: sent.event.data.messageId.toHex() as Hex,
            nonce: BigInt(sent.event.data.nonce.toString()),
          });
        })
        .catch((e: Error) => reject(submitRefusal(e, what)));
    });
  } finally {
    await api.disconnect();
  }
}
