import type { Address, Hex } from 'viem';
import { attestationRegistryAbi } from '../relayer/chains/evm/abi/attestationRegistry.js';
import { bridgeAbi } from '../relayer/chains/evm/abi/bridge.js';
import { jobBoardAbi } from '../relayer/chains/evm/abi/jobBoard.js';
import { sahTokenAbi } from '../relayer/chains/evm/abi/sahToken.js';
import { typedArtifact } from '../relayer/chains/evm/artifacts.js';
import { deployContract, EvmBridge, EvmTransactionRevertedError } from '../relayer/chains/evm/bridgeContract.js';
import { evmClients } from '../relayer/chains/evm/clients.js';
import type { GroupKey } from '../relayer/protocol/groupKey.js';

export interface EvmDeployment {
  bridge: EvmBridge;
  sah?: Address;
  /** The bridge's module for data attestations (kind 2). */
  attestations: Address;
  /** The bridge's module for compute jobs and results (kinds 3 and 4). */
  jobBoard: Address;
  clients: ReturnType<typeof evmClients>;
}

/**
 * Deploys a Bridge, its modules (AttestationRegistry, JobBoard, each bound to the bridge) and registers
 * them with the bridge (`setModules`, once, by the deployer), and optionally SAH when this chain is SAH's home.
 */
export async function deployEvmBridge(opts: {
  rpcUrl: string;
  evmChainId: number;
  protocolChainId: number;
  groupKey: GroupKey;
  /** The key epoch the bridge starts at (default 1; a redeployment continues the set's epochs). */
  initialEpoch?: number;
  deployerKey: Hex;
  pauser?: Address;
  sah?: { holder: Address; supply: bigint };
}): Promise<EvmDeployment> {
  const clients = evmClients(opts.rpcUrl, opts.evmChainId);
  const deployer = clients.wallet(opts.deployerKey);
  const bridgeAddress = await deployContract(deployer, clients.publicClient, typedArtifact(bridgeAbi, 'Bridge'), [
    opts.protocolChainId,
    opts.initialEpoch ?? 1,
    opts.groupKey.x,
    opts.groupKey.yParity,
    opts.pauser ?? '0x0000000000000000000000000000000000000000',
  ]);
  const attestations = await deployContract(
    deployer,
    clients.publicClient,
    typedArtifact(attestationRegistryAbi, 'AttestationRegistry'),
    [bridgeAddress],
  );
  const jobBoard = await deployContract(deployer, clients.publicClient, typedArtifact(jobBoardAbi, 'JobBoard'), [
    bridgeAddress,
  ]);
  const hash = await deployer.writeContract({
    address: bridgeAddress,
    abi: bridgeAbi,
    functionName: 'setModules',
    args: [attestations, jobBoard],
  });
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new EvmTransactionRevertedError(receipt);
  let sah: Address | undefined;
  if (opts.sah)
    sah = await deployContract(deployer, clients.publicClient, typedArtifact(sahTokenAbi, 'SAHToken'), [
      opts.sah.holder,
      opts.sah.supply,
    ]);
  return {
    bridge: new EvmBridge(bridgeAddress, clients.publicClient),
    ...(sah === undefined ? {} : { sah }),
    attestations,
    jobBoard,
    clients,
  };
}
