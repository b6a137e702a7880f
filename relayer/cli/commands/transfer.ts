/**
 * `sah-bridge transfer`: moves an asset between devnet chains from a dev account. On the asset's home
 * chain it locks; anywhere else it burns the wrapped form. Prints the source transaction and the message
 * id to follow with `sah-bridge status`. The chain-family work is in transferEvm / transferCosmwasm.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { type Address, bytesToHex, type Hex } from 'viem';
import { bech32ToBytes32, CosmosAddressError } from '../../chains/cosmwasm/account.js';
import { SubstrateAddressError, ss58ToBytes32 } from '../../chains/substrate/account.js';

/** //Alice on the Polkadot devnet (a public dev key). */
const DEFAULT_SUBSTRATE_RECIPIENT = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

import { addressToBytes32 } from '../../protocol/strings.js';
import {
  cosmwasmChainsOf,
  type DevnetChainInfo,
  devnetChain,
  evmChainsOf,
  readDevnetInfo,
  substrateChainsOf,
} from '../../sdk/devnetInfo.js';
import { UsageError } from '../errors.js';
import { transferFromCosmwasm } from './transferCosmwasm.js';
import { transferFromEvm } from './transferEvm.js';
import { transferFromSubstrate } from './transferSubstrate.js';

/** What is being moved: its home chain and its id there (docs/PROTOCOL.md §3.1). */
export interface Asset {
  symbol: string;
  originChain: number;
  originToken: Hex;
  /** SAH: the ERC-20 on its home chain. */
  homeErc20?: Address;
  /** A Cosmos native denom. */
  denom?: string;
  /** The native currency of a Substrate chain. */
  native?: boolean;
}

export interface TransferRequest {
  asset: Asset;
  amount: string;
  destinationChain: number;
  /** The recipient in the protocol's 32-byte form. */
  recipient: Hex;
}

export interface TransferResult {
  action: 'lock' | 'burn';
  sourceTx: string;
  messageId: Hex;
  nonce: bigint;
}

export function findChain(chains: DevnetChainInfo[], name: string, flag: string): DevnetChainInfo {
  const c = devnetChain(chains, name);
  if (!c) throw new UsageError(`${flag} ${name}: no such devnet chain (${chains.map((x) => x.name).join(', ')})`);
  return c;
}

/** `sah`, `unit` (the Polkadot devnet's currency) or a native denom of a Cosmos devnet chain (e.g. `stake`). */
function resolveAsset(chains: DevnetChainInfo[], name: string): Asset {
  if (name.toLowerCase() === 'unit') {
    const home = substrateChainsOf({ chains } as never)[0];
    if (!home) throw new UsageError('the devnet has no Polkadot chain');
    return {
      symbol: 'UNIT',
      originChain: home.protocolChainId,
      originToken: bytesToHex(sha256(new TextEncoder().encode('native'))),
      native: true,
    };
  }
  if (name.toLowerCase() === 'sah') {
    const home = evmChainsOf({ chains } as never).find((c) => c.sah);
    if (!home?.sah) throw new UsageError('the devnet has no SAH home chain');
    return {
      symbol: 'SAH',
      originChain: home.protocolChainId,
      originToken: addressToBytes32(home.sah),
      homeErc20: home.sah,
    };
  }
  const home = cosmwasmChainsOf({ chains } as never).find((c) => c.denom === name);
  if (!home) throw new UsageError(`--asset ${name}: neither sah nor a native denom of a Cosmos devnet chain`);
  return {
    symbol: name,
    originChain: home.protocolChainId,
    originToken: bytesToHex(sha256(new TextEncoder().encode(name))),
    denom: name,
  };
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
  const from = findChain(info.chains, o.from, '--from');
  const to = findChain(info.chains, o.to, '--to');
  if (from === to) throw new UsageError('--from and --to are the same chain');
  const asset = resolveAsset(info.chains, o.asset ?? 'sah');
  const evmKey = (o.key ?? info.devAccounts[0]?.key) as Hex;
  if (from.family === 'evm' && !/^0x[0-9a-fA-F]{64}$/.test(evmKey))
    throw new UsageError('--key must be a 32-byte hex private key');
  const mnemonic = o.mnemonic ?? info.cosmosDevAccounts[0]?.mnemonic;
  if (from.family === 'cosmwasm' && !mnemonic) throw new UsageError('--mnemonic is needed to send from a Cosmos chain');

  // the recipient, in the destination's own address format; by default the dev account there
  const defaults: Record<DevnetChainInfo['family'], string | undefined> = {
    evm: info.devAccounts[0]?.address,
    cosmwasm: info.cosmosDevAccounts[0]?.address,
    substrate: DEFAULT_SUBSTRATE_RECIPIENT,
  };
  const recipientText = o.recipient ?? (defaults[to.family] as string);
  let recipient: Hex;
  try {
    if (to.family === 'evm') {
      if (!/^0x[0-9a-fA-F]{40}$/.test(recipientText))
        throw new UsageError(`--recipient on ${to.name} must be a 20-byte 0x address`);
      recipient = addressToBytes32(recipientText as Address);
    } else if (to.family === 'cosmwasm') recipient = bech32ToBytes32(recipientText, to.prefix);
    else recipient = ss58ToBytes32(recipientText);
  } catch (e) {
    if (e instanceof CosmosAddressError || e instanceof SubstrateAddressError)
      throw new UsageError(`--recipient on ${to.name}: ${e.message}`);
    throw e;
  }

  const request: TransferRequest = { asset, amount: o.amount, destinationChain: to.protocolChainId, recipient };
  const result =
    from.family === 'evm'
      ? await transferFromEvm(from, evmKey, request)
      : from.family === 'cosmwasm'
        ? await transferFromCosmwasm(from, mnemonic as string, request)
        : await transferFromSubstrate(from, o.uri ?? '//Alice', request);
  const out = {
    action: result.action,
    asset: asset.symbol,
    from: from.name,
    to: to.name,
    amount: o.amount,
    recipient: recipientText,
    sourceTx: result.sourceTx,
    messageId: result.messageId,
    nonce: result.nonce.toString(),
  };
  if (o.json) console.log(JSON.stringify(out));
  else {
    console.log(`${out.action} ${o.amount} ${asset.symbol} on ${from.name} -> ${recipientText} on ${to.name}`);
    console.log(`  source tx   ${out.sourceTx}`);
    console.log(`  message id  ${out.messageId}`);
    console.log(`follow it:  sah-bridge status ${out.messageId} --follow`);
  }
  return 0;
}
