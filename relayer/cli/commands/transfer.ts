/**
 * `sah-bridge transfer`: moves an asset between devnet chains from a dev account, through the SDK's transfer
 * (relayer/sdk/transfer.ts: on the asset's home chain it locks, anywhere else it burns the wrapped form; the
 * chain families' clients do the work). Prints the source transaction and the message id to follow with
 * `sah-bridge status`. The SDK's errors become the CLI's: a request it cannot carry out is a UsageError naming
 * the option, a chain's refusal is named by the chain's error.
 */
import { type DevnetChainInfo, devnetChain, readDevnetInfo } from '../../sdk/devnetInfo.js';
import { FlowCallError, InvalidRequestError } from '../../sdk/flows.js';
import { transfer } from '../../sdk/transfer.js';
import { ChainRefusalError, UsageError } from '../errors.js';

export function findChain(chains: DevnetChainInfo[], name: string, flag: string): DevnetChainInfo {
  const c = devnetChain(chains, name);
  if (!c) throw new UsageError(`${flag} ${name}: no such devnet chain (${chains.map((x) => x.name).join(', ')})`);
  return c;
}

/**
 * An SDK error as the CLI says it: an InvalidRequestError names the option (`--amount 1x is not a number`),
 * a FlowCallError is the chain's refusal by its error's name (`ERC20InsufficientBalance: ethereum-a refused the
 * lock: ...`), with the chain SDK's error as its cause (SAH_DEBUG=1). Anything else is left as it is.
 */
export function cliError(e: unknown): unknown {
  if (e instanceof InvalidRequestError) return new UsageError(e.field ? `--${e.field} ${e.detail}` : e.detail);
  if (e instanceof FlowCallError) return new ChainRefusalError(e.reason, e.detail, { cause: e.cause ?? e });
  return e;
}

export async function transferCommand(o: {
  devnet: string;
  from: string;
  to: string;
  amount: string;
  asset?: string | undefined;
  recipient?: string | undefined;
  key?: string | undefined;
  mnemonic?: string | undefined;
  uri?: string | undefined;
  json: boolean;
}): Promise<number> {
  const info = readDevnetInfo(o.devnet);
  if (findChain(info.chains, o.from, '--from') === findChain(info.chains, o.to, '--to'))
    throw new UsageError('--from and --to are the same chain');
  let t: Awaited<ReturnType<typeof transfer>>;
  try {
    t = await transfer(
      info,
      { from: o.from, to: o.to, amount: o.amount, asset: o.asset, recipient: o.recipient },
      { key: o.key, mnemonic: o.mnemonic, uri: o.uri },
    );
  } catch (e) {
    throw cliError(e);
  }
  const out = {
    action: t.action,
    asset: t.asset.symbol,
    from: t.from.name,
    to: t.to.name,
    amount: o.amount,
    recipient: t.recipient,
    sourceTx: t.sourceTx,
    messageId: t.messageId,
    nonce: t.nonce.toString(),
  };
  if (o.json) console.log(JSON.stringify(out));
  else {
    console.log(`${out.action} ${o.amount} ${out.asset} on ${out.from} -> ${out.recipient} on ${out.to}`);
    console.log(`  source tx   ${out.sourceTx}`);
    console.log(`  message id  ${out.messageId}`);
    console.log(`follow it:  sah-bridge status ${out.messageId} --follow`);
  }
  return 0;
}
