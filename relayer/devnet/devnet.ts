/**
 * The local devnet: real anvil chains with the bridge deployed on each and SAH on its home chain,
 * all under one FROST group key made by an in-process DKG. The relayer processes that hold the shares
 * and sign over the network join in the "Relayer network" issue; until then the key set lives in the
 * process that started the devnet (tests sign with it).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Address, parseEther } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { DevnetConfig } from '../config/devnetConfig.js';
import { type KeySet, runDkgInProcess } from '../protocol/frost.js';
import { ANVIL_KEYS, type AnvilNode, startAnvil } from './anvil.js';
import { deployEvmBridge } from './deployEvm.js';

export interface DevnetChainInfo {
  name: string;
  protocolChainId: number;
  evmChainId: number;
  rpcUrl: string;
  bridge: Address;
  sah?: Address;
}

export interface Devnet {
  chains: DevnetChainInfo[];
  keys: KeySet;
  stop(): Promise<void>;
}

/** The first anvil dev account deploys; the second holds the SAH supply. */
export const DEVNET_DEPLOYER_KEY = ANVIL_KEYS[0];
export const DEVNET_SAH_HOLDER = privateKeyToAccount(ANVIL_KEYS[1]).address;

export async function startDevnet(config: DevnetConfig): Promise<Devnet> {
  const nodes: AnvilNode[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
  };
  try {
    for (const c of config.chains)
      nodes.push(await startAnvil({ chainId: c.evmChainId, port: c.port === 0 ? undefined : c.port }));
    const keys = runDkgInProcess(config.relayers.threshold, config.relayers.signers);
    const chains: DevnetChainInfo[] = [];
    for (const [i, c] of config.chains.entries()) {
      const node = nodes[i] as AnvilNode;
      const deployment = await deployEvmBridge({
        rpcUrl: node.rpcUrl,
        evmChainId: c.evmChainId,
        protocolChainId: c.protocolChainId,
        groupKey: keys.groupKey,
        deployerKey: DEVNET_DEPLOYER_KEY,
        sah: c.sahHome ? { holder: DEVNET_SAH_HOLDER, supply: parseEther('1000000000') } : undefined,
      });
      chains.push({
        name: c.name,
        protocolChainId: c.protocolChainId,
        evmChainId: c.evmChainId,
        rpcUrl: node.rpcUrl,
        bridge: deployment.bridge.address,
        sah: deployment.sah,
      });
    }
    return { chains, keys, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Writes what a client needs to use the devnet: endpoints, addresses, group key (public). */
export function writeDevnetInfo(devnet: Devnet, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const info = {
    groupKey: devnet.keys.groupKey.compressed,
    epoch: 1,
    threshold: devnet.keys.threshold,
    signers: devnet.keys.signers,
    sahHolder: DEVNET_SAH_HOLDER,
    chains: devnet.chains,
  };
  writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`);
}
