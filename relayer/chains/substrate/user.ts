/**
 * The Substrate family for a user: the dev runtime under chopsticks in a devnet config, its node and GRANDPA
 * voter in the devnet description, its native currency (UNIT), the dev key URIs (//Alice ...) that sign. The
 * client (@polkadot/api) is `client.ts`, loaded on first use.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, type Hex } from 'viem';
import type { DevnetChainBase, DevnetChainInfoBase, UserFamily } from '../family.js';

/** The dev runtime (contracts/substrate) under chopsticks. */
export interface DevnetSubstrateChain extends DevnetChainBase {
  family: 'substrate';
}

export interface DevnetSubstrateChainInfo extends DevnetChainInfoBase {
  family: 'substrate';
  wsUrl: string;
  ss58Prefix: number;
  /** The devnet GRANDPA voter's JSON-RPC (justifications, shadow headers, read proofs). */
  finalityRpcUrl: string;
  /** Its genesis voter set (set id 0), the relayers' trusted checkpoint. */
  grandpaAuthorities: Hex[];
  /** Block the relayers' verifiers start from. */
  finalityFromBlock: number;
}

export interface SubstrateDevAccounts {
  /** Funded accounts on the Polkadot chain (well-known dev keys: //Alice ...). */
  substrateDevAccounts: { name: string; uri: string }[];
}

export interface SubstrateSigner {
  /** Substrate key URI; default `//Alice`. */
  uri?: string | undefined;
}

/** //Alice on the Polkadot devnet (a public dev key): who receives when a transfer names no recipient. */
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

export const substrateUser: UserFamily<
  DevnetSubstrateChain,
  DevnetSubstrateChainInfo,
  SubstrateDevAccounts,
  SubstrateSigner
> = {
  name: 'substrate',
  parseDevnetChain: (_r, _c, base) => ({ ...base, family: 'substrate' }),
  parseDevnetChainInfo(r, c, base, at) {
    return {
      ...base,
      family: 'substrate',
      wsUrl: r.string(c.wsUrl, `${at}.wsUrl`, /^wss?:\/\/\S+$/, 'must be a ws:// or wss:// URL'),
      ss58Prefix: r.int(c.ss58Prefix, `${at}.ss58Prefix`, 0, 16_383),
      finalityRpcUrl: r.url(c.finalityRpcUrl, `${at}.finalityRpcUrl`),
      grandpaAuthorities: r
        .array(c.grandpaAuthorities, `${at}.grandpaAuthorities`, 1)
        .map((a, i) => r.hex(a, `${at}.grandpaAuthorities[${i}]`, 32)),
      finalityFromBlock: r.int(c.finalityFromBlock, `${at}.finalityFromBlock`, 0, 2 ** 32 - 1),
    };
  },
  parseDevnetAccounts(r, root) {
    return {
      substrateDevAccounts: r.array(root.substrateDevAccounts ?? [], 'substrateDevAccounts').map((v, i) => {
        const a = r.object(v, `substrateDevAccounts[${i}]`);
        return {
          name: r.string(a.name, `substrateDevAccounts[${i}].name`),
          uri: r.string(a.uri, `substrateDevAccounts[${i}].uri`),
        };
      }),
    };
  },
  // the first chain's own currency (the dev runtime's UNIT); its token id is sha256("native") (§3.1)
  assets: (chains) =>
    chains.slice(0, 1).map((c) => ({
      symbol: 'UNIT',
      originChain: c.protocolChainId,
      originToken: bytesToHex(sha256(new TextEncoder().encode('native'))),
      home: 'native',
    })),
  devRecipient: () => ALICE,
  secret: (signer) => signer.uri ?? '//Alice',
  client: () => import('./client.js'),
};
