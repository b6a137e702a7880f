import type { Address, Hex } from 'viem';
import { loadArtifact } from '../chains/evm/artifacts.js';
import { deployContract, EvmBridge } from '../chains/evm/bridgeContract.js';
import { evmClients } from '../chains/evm/clients.js';
import type { GroupKey } from '../protocol/groupKey.js';

export interface EvmDeployment {
  bridge: EvmBridge;
  sah?: Address;
  clients: ReturnType<typeof evmClients>;
}

/** Deploys a Bridge (and optionally SAH, when this chain is SAH's home) on an EVM chain. */
export async function deployEvmBridge(opts: {
  rpcUrl: string;
  evmChainId: number;
  protocolChainId: number;
  groupKey: GroupKey;
  deployerKey: Hex;
  pauser?: Address;
  sah?: { holder: Address; supply: bigint };
}): Promise<EvmDeployment> {
  const clients = evmClients(opts.rpcUrl, opts.evmChainId);
  const deployer = clients.wallet(opts.deployerKey);
  const bridgeAddress = await deployContract(deployer, clients.publicClient, loadArtifact('Bridge'), [
    opts.protocolChainId,
    opts.groupKey.x,
    opts.groupKey.yParity,
    opts.pauser ?? '0x0000000000000000000000000000000000000000',
  ]);
  let sah: Address | undefined;
  if (opts.sah)
    sah = await deployContract(deployer, clients.publicClient, loadArtifact('SAHToken'), [
      opts.sah.holder,
      opts.sah.supply,
    ]);
  return { bridge: new EvmBridge(bridgeAddress, clients.publicClient), sah, clients };
}
