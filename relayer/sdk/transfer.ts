/**
 * A token transfer between devnet chains (what `sah-bridge transfer` runs): on the asset's home chain it locks,
 * anywhere else it burns the wrapped form; the relayers carry the message to the destination, which unlocks or
 * mints. Assets, recipients' address formats and signers come from the chains' families, through the registry.
 */
import type { Hex } from 'viem';
import type { Asset } from '../chains/family.js';
import { userFamily } from '../chains/registry.js';
import { type DevnetSigner, devnetAsset, devnetAssets, findDevnetChain, flowClientFor } from './devnet.js';
import type { DevnetChainInfo, DevnetInfo } from './devnetInfo.js';
import { InvalidRequestError, type TransferResult } from './flows.js';

export interface TransferOptions {
  /** The chain it leaves: name or protocol chain id. */
  from: string;
  /** The chain it goes to: name or protocol chain id. */
  to: string;
  /** In the asset's units (`10`, `0.5`). */
  amount: string;
  /** `sah` (default), `unit` (the Polkadot devnet's currency) or a native denom of a Cosmos chain (`stake`). */
  asset?: string | undefined;
  /** The recipient in the destination's address format; default: the devnet's dev account there. */
  recipient?: string | undefined;
}

export interface Transfer extends TransferResult {
  asset: Asset;
  from: DevnetChainInfo;
  to: DevnetChainInfo;
  amount: string;
  /** The recipient as given (or the default), in the destination's format. */
  recipient: string;
  /** The same in the protocol's 32-byte form. */
  recipientBytes32: Hex;
}

/** An asset of the devnet by the name a user gives (`sah`, `unit`, a native denom). */
export function resolveAsset(info: DevnetInfo, name: string): Asset {
  const asset = devnetAsset(info, name);
  if (!asset)
    throw new InvalidRequestError(
      'asset',
      `${name}: not an asset of this devnet (${devnetAssets(info)
        .map((a) => a.symbol.toLowerCase())
        .join(', ')})`,
    );
  return asset;
}

/** An address as written on `chain` (0x.., bech32, SS58) in the protocol's 32-byte form. */
export async function addressToBytes32(chain: DevnetChainInfo, address: string, field = 'address'): Promise<Hex> {
  const clients = await userFamily(chain.family).client();
  try {
    return clients.toBytes32(address, chain);
  } catch (e) {
    throw new InvalidRequestError(field, `on ${chain.name}: ${(e as Error).message}`);
  }
}

/** A 32-byte account form as an address of `chain`. */
export async function bytes32ToAddress(chain: DevnetChainInfo, form: Hex): Promise<string> {
  return (await userFamily(chain.family).client()).fromBytes32(form, chain);
}

/**
 * Locks `amount` of the asset on `from` (its home) or burns its wrapped form there, for `recipient` on `to`.
 * Resolves once the source transaction is in, with the message id to follow (`followMessages`). Requests that
 * cannot be carried out are InvalidRequestErrors naming the field; a chain's refusal is a FlowCallError named
 * by the chain's error (ERC20InsufficientBalance, InvalidRecipient, InsufficientFunds, ...).
 */
export async function transfer(info: DevnetInfo, o: TransferOptions, signer: DevnetSigner = {}): Promise<Transfer> {
  const from = findDevnetChain(info, o.from, 'from');
  const to = findDevnetChain(info, o.to, 'to');
  if (from === to) throw new InvalidRequestError('from', 'and to are the same chain');
  const asset = resolveAsset(info, o.asset ?? 'sah');
  // the signer is checked before anything is asked of a chain
  const source = userFamily(from.family);
  source.secret(signer, info);
  const recipient = o.recipient ?? userFamily(to.family).devRecipient(info);
  if (!recipient) throw new InvalidRequestError('recipient', `is needed: the devnet has no dev account on ${to.name}`);
  const recipientBytes32 = await addressToBytes32(to, recipient, 'recipient');
  const client = await flowClientFor(info, from.name, signer);
  try {
    const result = await client.transfer({
      asset,
      amount: o.amount,
      destinationChain: to.protocolChainId,
      recipient: recipientBytes32,
    });
    return { ...result, asset, from, to, amount: o.amount, recipient, recipientBytes32 };
  } finally {
    await client.close();
  }
}
