/**
 * Owner DIDs of data attestations (docs/PROTOCOL.md §7.1): a `did:pkh` (CAIP-10 account) derived from
 * the account that called `attest` on the source chain. The contracts build the same strings on chain;
 * these are for clients that look an owner up.
 */
import { encodeAddress } from '@polkadot/util-crypto';
import { type Hex, hexToBytes, isAddress } from 'viem';
import { InvalidFieldError } from './errors.js';

/** `did:pkh:eip155:<chain id>:<address, lowercase>`. */
export function evmOwnerDid(evmChainId: number, address: string): string {
  if (!isAddress(address, { strict: false })) throw new InvalidFieldError('ownerDid', `not an EVM address: ${address}`);
  return `did:pkh:eip155:${evmChainId}:${address.toLowerCase()}`;
}

/** `did:pkh:cosmos:<chain id>:<bech32 address>`. */
export function cosmosOwnerDid(cosmosChainId: string, bech32Address: string): string {
  if (!/^[a-z]{1,20}1[02-9ac-hj-np-z]{38,90}$/.test(bech32Address))
    throw new InvalidFieldError('ownerDid', `not a bech32 account: ${bech32Address}`);
  return `did:pkh:cosmos:${cosmosChainId}:${bech32Address}`;
}

/** `did:pkh:polkadot:<first 16 bytes of the genesis hash, hex>:<SS58 address>`. */
export function substrateOwnerDid(genesisHash: Hex, accountId: Hex, ss58Prefix: number): string {
  const genesis = hexToBytes(genesisHash);
  const account = hexToBytes(accountId);
  if (genesis.length !== 32) throw new InvalidFieldError('ownerDid', `genesis hash is not 32 bytes: ${genesisHash}`);
  if (account.length !== 32) throw new InvalidFieldError('ownerDid', `account id is not 32 bytes: ${accountId}`);
  const reference = genesisHash.slice(2, 34).toLowerCase();
  return `did:pkh:polkadot:${reference}:${encodeAddress(account, ss58Prefix)}`;
}
