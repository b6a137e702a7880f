/**
 * The CosmWasm side of `sah-bridge transfer`: lock of a native denom sent with the call on its home chain,
 * or a cw20 Send of the wrapped token to the bridge (its burn hook) elsewhere.
 */
import { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { toBase64, toUtf8 } from '@cosmjs/encoding';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice } from '@cosmjs/stargate';
import type { Hex } from 'viem';
import {
  bridgeErrorName,
  burnHookMsg,
  lockMsg,
  MESSAGE_SENT_EVENT,
  queries,
} from '../../chains/cosmwasm/bridgeContract.js';
import type { DevnetCosmwasmChainInfo } from '../../sdk/devnetInfo.js';
import { ChainRefusalError, chainDetail, oneLine, UsageError } from '../errors.js';
import type { TransferRequest, TransferResult } from './transfer.js';
import { parseAmount } from './transferEvm.js';

/** Native denoms the devnet configures carry 6 decimals (see the bridge's native_denoms). */
const NATIVE_DECIMALS = 6;

/**
 * A refused execute, named: the bridge's (or cw20's) error from wasmd's log (`failed to execute message;
 * message index: 0: <Name>: <detail>: execute wasm contract failed`), or the SDK's (`... insufficient funds`).
 * Anything else (the node unreachable) is not a refusal: undefined.
 */
function cosmwasmRefusal(e: unknown, what: string): ChainRefusalError | undefined {
  const text = oneLine(e instanceof Error ? e.message : String(e));
  const inContract = /message index: \d+: /.test(text) ? chainDetail(text) : undefined;
  const sdk = /([^:;=]*: insufficient funds)/.exec(text)?.[1]?.trim();
  const name = bridgeErrorName(text) ?? (sdk ? 'InsufficientFunds' : inContract ? 'ContractError' : undefined);
  if (!name) return undefined;
  const detail = (name === 'InsufficientFunds' ? sdk : inContract)?.replace(new RegExp(`^${name}: `), '') ?? text;
  return new ChainRefusalError(name, `${what}: ${detail}`, { cause: e });
}

async function refused<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw cosmwasmRefusal(e, what) ?? e;
  }
}

export async function transferFromCosmwasm(
  from: DevnetCosmwasmChainInfo,
  mnemonic: string,
  r: TransferRequest,
): Promise<TransferResult> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: from.prefix });
  const [account] = await wallet.getAccounts();
  if (!account) throw new UsageError('the mnemonic gives no account');
  const client = await SigningCosmWasmClient.connectWithSigner(from.rpcUrl, wallet, {
    gasPrice: GasPrice.fromString(from.gasPrice),
  });
  try {
    const isHome = r.asset.originChain === from.protocolChainId;
    let result: Awaited<ReturnType<SigningCosmWasmClient['execute']>>;
    if (isHome) {
      if (!r.asset.denom) throw new UsageError(`${r.asset.symbol} is not a native denom of ${from.name}`);
      const amount = parseAmount(r.amount, NATIVE_DECIMALS);
      const denom = r.asset.denom;
      result = await refused(`${from.name} refused the lock`, () =>
        client.execute(account.address, from.bridge, lockMsg(r.destinationChain, r.recipient), 'auto', '', [
          { denom, amount: amount.toString() },
        ]),
      );
    } else {
      const token = (await client.queryContractSmart(
        from.bridge,
        queries.wrappedToken(r.asset.originChain, r.asset.originToken),
      )) as string | null;
      if (!token) throw new UsageError(`no wrapped ${r.asset.symbol} on ${from.name} yet: bring some there first`);
      const { decimals } = (await client.queryContractSmart(token, { token_info: {} })) as { decimals: number };
      const amount = parseAmount(r.amount, decimals);
      result = await refused(`${from.name} refused the burn`, () =>
        client.execute(
          account.address,
          token,
          {
            send: {
              contract: from.bridge,
              amount: amount.toString(),
              msg: toBase64(toUtf8(JSON.stringify(burnHookMsg(r.destinationChain, r.recipient)))),
            },
          },
          'auto',
        ),
      );
    }
    const event = result.events.find((e) => e.type === MESSAGE_SENT_EVENT);
    const attr = (k: string) => event?.attributes.find((a) => a.key === k)?.value;
    const messageId = attr('message_id');
    const nonce = attr('nonce');
    if (!messageId || !nonce) throw new Error(`transaction ${result.transactionHash} emitted no bridge message`);
    return {
      action: isHome ? 'lock' : 'burn',
      sourceTx: `0x${result.transactionHash.toLowerCase()}`,
      messageId: messageId as Hex,
      nonce: BigInt(nonce),
    };
  } finally {
    client.disconnect();
  }
}
