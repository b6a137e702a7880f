/**
 * The CosmWasm family for a user: wasmd chains in a devnet config, their bridge contract, native denom and the
 * relayers' light-client checkpoint in the devnet description, the dev accounts (mnemonics) that sign. The
 * client (@cosmjs) is `client.ts`, loaded on first use.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, type Hex } from 'viem';
import { InvalidRequestError } from '../../sdk/flows.js';
import type { DevnetChainBase, DevnetChainInfoBase, UserFamily } from '../family.js';

/** A single-node wasmd chain run by the devnet. */
export interface DevnetCosmwasmChain extends DevnetChainBase {
  family: 'cosmwasm';
  /** The Cosmos chain id, e.g. `sah-devnet-1`. */
  cosmosChainId: string;
}

export interface DevnetCosmwasmChainInfo extends DevnetChainInfoBase {
  family: 'cosmwasm';
  cosmosChainId: string;
  /** CometBFT RPC. */
  rpcUrl: string;
  restUrl: string;
  /** Bech32 address of the bridge contract. */
  bridge: string;
  prefix: string;
  /** The chain's native (fee and staking) denom, lockable on the bridge. */
  denom: string;
  gasPrice: string;
  /** Code id of the wrapped-token (cw20) contract. */
  cw20CodeId: number;
  bridgeCodeId: number;
  /** The relayers' light-client checkpoint: a header taken from the node at start (trust on first use). */
  trustedCheckpoint: { height: number; hash: Hex };
}

export interface CosmwasmDevAccounts {
  /** Funded accounts on the Cosmos chain (devnet-only mnemonics). */
  cosmosDevAccounts: { name: string; address: string; mnemonic: string }[];
}

export interface CosmwasmSigner {
  /** Cosmos mnemonic; default: the first Cosmos dev account. */
  mnemonic?: string | undefined;
}

const CHAIN_ID = /^[a-zA-Z0-9_.-]{1,50}$/;

export const cosmwasmUser: UserFamily<
  DevnetCosmwasmChain,
  DevnetCosmwasmChainInfo,
  CosmwasmDevAccounts,
  CosmwasmSigner
> = {
  name: 'cosmwasm',
  parseDevnetChain(r, c, base, at) {
    return {
      ...base,
      family: 'cosmwasm',
      cosmosChainId: r.string(c.cosmosChainId, `${at}.cosmosChainId`, CHAIN_ID, 'is not a chain id'),
    };
  },
  parseDevnetChainInfo(r, c, base, at) {
    const checkpoint = r.object(c.trustedCheckpoint, `${at}.trustedCheckpoint`);
    return {
      ...base,
      family: 'cosmwasm',
      cosmosChainId: r.string(c.cosmosChainId, `${at}.cosmosChainId`, CHAIN_ID, 'is not a chain id'),
      rpcUrl: r.url(c.rpcUrl, `${at}.rpcUrl`),
      restUrl: r.url(c.restUrl, `${at}.restUrl`),
      bridge: r.string(c.bridge, `${at}.bridge`),
      prefix: r.string(c.prefix, `${at}.prefix`, /^[a-z]{1,20}$/, 'must be a lowercase bech32 prefix'),
      denom: r.string(c.denom, `${at}.denom`),
      gasPrice: r.string(c.gasPrice, `${at}.gasPrice`),
      cw20CodeId: r.int(c.cw20CodeId, `${at}.cw20CodeId`, 0, 2 ** 53 - 1),
      bridgeCodeId: r.int(c.bridgeCodeId, `${at}.bridgeCodeId`, 0, 2 ** 53 - 1),
      trustedCheckpoint: {
        height: r.int(checkpoint.height, `${at}.trustedCheckpoint.height`, 1, 2 ** 53 - 1),
        hash: r.hex(checkpoint.hash, `${at}.trustedCheckpoint.hash`, 32),
      },
    };
  },
  parseDevnetAccounts(r, root) {
    return {
      cosmosDevAccounts: r.array(root.cosmosDevAccounts ?? [], 'cosmosDevAccounts').map((v, i) => {
        const a = r.object(v, `cosmosDevAccounts[${i}]`);
        return {
          name: r.string(a.name, `cosmosDevAccounts[${i}].name`),
          address: r.string(a.address, `cosmosDevAccounts[${i}].address`),
          mnemonic: r.string(a.mnemonic, `cosmosDevAccounts[${i}].mnemonic`),
        };
      }),
    };
  },
  // each chain's native denom, locked with the call on its home; its token id is sha256 of the denom (§3.1)
  assets: (chains) =>
    chains.map((c) => ({
      symbol: c.denom,
      originChain: c.protocolChainId,
      originToken: bytesToHex(sha256(new TextEncoder().encode(c.denom))),
      home: c.denom,
    })),
  devRecipient: (accounts) => accounts.cosmosDevAccounts[0]?.address,
  secret(signer, accounts) {
    const mnemonic = signer.mnemonic ?? accounts.cosmosDevAccounts[0]?.mnemonic;
    if (!mnemonic) throw new InvalidRequestError('mnemonic', 'is needed to send from a Cosmos chain');
    return mnemonic;
  },
  client: () => import('./client.js'),
};
