/** The devnet's EVM chains: anvil, the bridge and its modules deployed by viem, SAH on its home chain. */
import { type Address, type Hex, parseEther, zeroAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { DevnetChainInfoOf } from '../../relayer/chains/registry.js';
import { ANVIL_KEYS, startAnvil } from '../anvil.js';
import { deployEvmBridge } from '../deployEvm.js';
import { type DevnetFamily, devnetNodeChain } from './launcher.js';

/** Anvil accounts: 0 deploys, 1 and 2 are dev users (1 holds the SAH supply), 3.. deliver for the operators. */
const DEPLOYER = ANVIL_KEYS[0] as Hex;
const USER_KEYS = [ANVIL_KEYS[1], ANVIL_KEYS[2]] as Hex[];
export const OPERATOR_WALLET_OFFSET = 3;

export const evmDevnet: DevnetFamily<'evm'> = {
  startsAfterDkg: false,
  launcher: (ctx) => ({
    async start(c) {
      const anvil = await startAnvil({ chainId: c.evmChainId, port: ctx.freePorts ? undefined : c.port || undefined });
      const info: DevnetChainInfoOf<'evm'> = {
        family: 'evm',
        name: c.name,
        protocolChainId: c.protocolChainId,
        evmChainId: c.evmChainId,
        rpcUrl: anvil.rpcUrl,
        bridge: zeroAddress,
      };
      return {
        info,
        nodeChain: (startBlock) => ({
          ...devnetNodeChain(c, startBlock),
          evmChainId: c.evmChainId,
          rpcUrl: info.rpcUrl,
          bridge: info.bridge,
          // anvil has no beacon chain: the explicitly weaker mode (docs/VERIFIER.md)
          verifier: { mode: 'confirmations', confirmations: 0 },
        }),
        async deploy(d) {
          const deployment = await deployEvmBridge({
            rpcUrl: info.rpcUrl,
            evmChainId: c.evmChainId,
            protocolChainId: c.protocolChainId,
            groupKey: d.groupKey,
            deployerKey: DEPLOYER,
            ...(c.sahHome
              ? { sah: { holder: privateKeyToAccount(USER_KEYS[0] as Hex).address, supply: parseEther('1000000000') } }
              : {}),
          });
          info.bridge = deployment.bridge.address;
          if (deployment.sah) info.sah = deployment.sah;
          info.attestations = deployment.attestations;
          info.jobBoard = deployment.jobBoard;
          return deployment.clients.publicClient.getBlockNumber();
        },
        describe: () => `${info.rpcUrl}  bridge ${info.bridge}${info.sah ? `  SAH ${info.sah}` : ''}`,
        stop: () => anvil.stop(),
      };
    },
  }),
  // the EVM dev users are listed whatever the chains (they sign for the CLI's defaults)
  devAccounts: () => ({
    devAccounts: USER_KEYS.map((key, i) => ({
      name: `user${i + 1}`,
      address: privateKeyToAccount(key).address as Address,
      key,
    })),
  }),
};
