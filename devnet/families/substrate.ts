/**
 * The devnet's Substrate chains: the dev runtime under chopsticks with the GRANDPA voter. A chain starts only
 * after the DKG: its genesis holds the group key (the pallet has no governance-free way to set it later).
 */
import { join } from 'node:path';
import { toHex } from 'viem';
import type { DevnetChainInfoOf } from '../../relayer/chains/registry.js';
import { voterKeys } from '../grandpa/keys.js';
import { SUBSTRATE_DEV_ACCOUNTS, SUBSTRATE_SS58_PREFIX, startSubstrateChain } from '../substrateDevnet.js';
import { type DevnetFamily, devnetNodeChain } from './launcher.js';

/** Written in the node configs before the chain exists (the nodes start after it does). */
const UNSTARTED_WS = 'ws://127.0.0.1:9';
const UNSTARTED_FINALITY_RPC = 'http://127.0.0.1:9';

export const substrateDevnet: DevnetFamily<'substrate'> = {
  startsAfterDkg: true,
  launcher: () => ({
    async start(c) {
      const info: DevnetChainInfoOf<'substrate'> = {
        family: 'substrate',
        name: c.name,
        protocolChainId: c.protocolChainId,
        // set when the chain starts, after the DKG (its genesis carries the group key)
        wsUrl: UNSTARTED_WS,
        ss58Prefix: SUBSTRATE_SS58_PREFIX,
        finalityRpcUrl: UNSTARTED_FINALITY_RPC,
        // the voter keys are fixed dev keys, known before the chain starts
        grandpaAuthorities: voterKeys().map((v) => toHex(v.publicKey)),
        finalityFromBlock: 0,
      };
      let stop = async () => {};
      return {
        info,
        nodeChain: (startBlock) => ({
          ...devnetNodeChain(c, startBlock),
          wsUrl: info.wsUrl,
          ss58Prefix: info.ss58Prefix,
          verifier: {
            mode: 'grandpa',
            rpcUrl: info.finalityRpcUrl,
            setId: 0,
            authorities: info.grandpaAuthorities,
            fromBlock: info.finalityFromBlock,
          },
        }),
        async deploy(d) {
          const chain = await startSubstrateChain({
            dir: join(d.dir, c.name),
            groupKey: d.groupKeyHex,
            port: d.freePorts ? undefined : c.port || undefined,
            operatorKeys: Array.from({ length: d.operators }, (_, k) => d.operatorWallet(k + 1)),
          });
          stop = async () => {
            await chain.voter.close();
            await chain.node.stop();
          };
          info.wsUrl = chain.node.wsUrl;
          info.finalityRpcUrl = chain.voter.url;
          info.grandpaAuthorities = chain.voter.authorities().map((a) => a.publicKey as `0x${string}`);
          info.finalityFromBlock = chain.height;
          d.say(`      ${c.name}: chopsticks ${chain.node.wsUrl}, pallet key set to the group key`);
          return BigInt(chain.height);
        },
        describe: () => `${info.wsUrl}  pallet sahBridge (chopsticks)`,
        stop: () => stop(),
      };
    },
  }),
  devAccounts: (present) => ({ substrateDevAccounts: present ? SUBSTRATE_DEV_ACCOUNTS : [] }),
};
