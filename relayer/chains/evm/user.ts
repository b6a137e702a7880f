/**
 * The EVM family for a user: anvil chains in a devnet config, their Bridge, SAH (an ERC-20, so its home is an
 * EVM chain) and modules in the devnet description, the dev accounts (private keys) that sign. The client
 * (viem) is `client.ts`, loaded on first use.
 */
import type { Address, Hex } from 'viem';
import { addressToBytes32 } from '../../protocol/strings.js';
import { InvalidRequestError } from '../../sdk/flows.js';
import type { DevnetChainBase, DevnetChainInfoBase, UserFamily } from '../family.js';

/** An anvil chain run by the devnet. */
export interface DevnetEvmChain extends DevnetChainBase {
  family: 'evm';
  evmChainId: number;
  /** SAH (the ERC-20) is deployed on this chain: its home. */
  sahHome: boolean;
}

export interface DevnetEvmChainInfo extends DevnetChainInfoBase {
  family: 'evm';
  evmChainId: number;
  rpcUrl: string;
  bridge: Address;
  /** SAH's address, on its home chain only. */
  sah?: Address;
  /** The bridge's AttestationRegistry (kind 2). */
  attestations?: Address;
  /** The bridge's JobBoard (kinds 3 and 4). */
  jobBoard?: Address;
}

export interface EvmDevAccounts {
  /** Funded accounts on the EVM chains; the first holds the SAH supply. */
  devAccounts: { name: string; address: Address; key: Hex }[];
}

export interface EvmSigner {
  /** EVM private key; default: the first dev account. */
  key?: string | undefined;
}

const KEY = /^0x[0-9a-fA-F]{64}$/;

export const evmUser: UserFamily<DevnetEvmChain, DevnetEvmChainInfo, EvmDevAccounts, EvmSigner> = {
  name: 'evm',
  parseDevnetChain(r, c, base, at) {
    return {
      ...base,
      family: 'evm',
      evmChainId: r.int(c.evmChainId, `${at}.evmChainId`, 1, 2 ** 53 - 1),
      sahHome: r.boolean(c.sahHome, `${at}.sahHome`, false),
    };
  },
  isSahHome: (chain) => chain.sahHome,
  parseDevnetChainInfo(r, c, base, at) {
    const chain: DevnetEvmChainInfo = {
      ...base,
      family: 'evm',
      evmChainId: r.int(c.evmChainId, `${at}.evmChainId`, 1, 2 ** 53 - 1),
      rpcUrl: r.url(c.rpcUrl, `${at}.rpcUrl`),
      bridge: r.hex(c.bridge, `${at}.bridge`, 20),
    };
    for (const k of ['sah', 'attestations', 'jobBoard'] as const)
      if (c[k] !== undefined) chain[k] = r.hex(c[k], `${at}.${k}`, 20);
    return chain;
  },
  parseDevnetAccounts(r, root) {
    return {
      devAccounts: r.array(root.devAccounts ?? [], 'devAccounts').map((v, i) => {
        const a = r.object(v, `devAccounts[${i}]`);
        return {
          name: r.string(a.name, `devAccounts[${i}].name`),
          address: r.hex(a.address, `devAccounts[${i}].address`, 20),
          key: r.hex(a.key, `devAccounts[${i}].key`, 32),
        };
      }),
    };
  },
  assets(chains) {
    const home = chains.find((c) => c.sah);
    if (!home?.sah) return [];
    return [
      {
        symbol: 'SAH',
        originChain: home.protocolChainId,
        originToken: addressToBytes32(home.sah),
        home: home.sah,
      },
    ];
  },
  devRecipient: (accounts) => accounts.devAccounts[0]?.address,
  secret(signer, accounts) {
    const key = signer.key ?? accounts.devAccounts[0]?.key;
    if (!key || !KEY.test(key)) throw new InvalidRequestError('key', 'must be a 32-byte hex private key');
    return key;
  },
  client: () => import('./client.js'),
};
