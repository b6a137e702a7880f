/**
 * Governance by the relayer set: each operator approves a governance message on its own node; once t
 * operators have, the nodes sign it like any message (under the current epoch) and deliver it.
 */
import { bytesToHex, type Hex, zeroHash } from 'viem';
import { connectChain } from '../../chains/registry.js';
import { loadNodeConfig, type NodeConfig } from '../../config/nodeConfig.js';
import { checkTestSignatures } from '../../dkg/testSign.js';
import { checkGroupFile, operatorKeystore, readGroupFile } from '../../node/secrets.js';
import { PeerClient } from '../../peer/client.js';
import { approveGovernance } from '../../peer/protocol.js';
import { ChainId } from '../../protocol/chains.js';
import { encodeMessage } from '../../protocol/message.js';
import { UsageError } from '../errors.js';

async function approveOnOwnNode(config: NodeConfig, message: Hex): Promise<{ id: Hex }> {
  const identity = operatorKeystore(config).read().identity;
  const peers = new PeerClient({ operatorId: config.operatorId, identity }, config.operators, 10_000);
  return peers.call(approveGovernance, config.operatorId, { message });
}

export async function governanceApprove(configFile: string, message: string): Promise<number> {
  if (!/^0x[0-9a-fA-F]+$/.test(message))
    throw new UsageError('--message must be the hex encoding of a governance message');
  const { id } = await approveOnOwnNode(loadNodeConfig(configFile), message as Hex);
  console.log(`approved ${id}`);
  return 0;
}

/**
 * Approves, on every chain, rotating the bridge to the group key of the group file (written by
 * `sah-bridge dkg --epoch N`). Every operator runs it; the messages come out identical (the next
 * governance nonce is read from each bridge), so their approvals add up.
 */
export async function governanceRotate(configFile: string, graceSeconds: number): Promise<number> {
  const config = loadNodeConfig(configFile);
  const group = readGroupFile(config.groupFile);
  // before anything is approved anywhere: the new key must have signed from subsets covering everyone
  checkTestSignatures(group, group.testSignatures);
  const secrets = operatorKeystore(config).read();
  checkGroupFile(group, config.operatorId, secrets.shares[String(group.epoch)]);
  const wallets = secrets.wallets;
  for (const chain of config.chains) {
    const adapter = await connectChain(chain, wallets[chain.name] as Hex);
    const { epoch, governanceNonce } = await adapter.governanceState();
    if (epoch >= group.epoch) {
      console.log(`${chain.name}: already at epoch ${epoch}`);
      continue;
    }
    if (group.epoch !== epoch + 1)
      throw new UsageError(
        `${chain.name} is at epoch ${epoch}; the group file holds epoch ${group.epoch}, not ${epoch + 1}`,
      );
    const message = bytesToHex(
      encodeMessage({
        kind: 'Governance',
        sourceChain: ChainId.Governance,
        destinationChain: chain.protocolChainId,
        nonce: governanceNonce + 1n,
        sender: zeroHash,
        recipient: adapter.bridgeAccount,
        payload: { action: 'RotateKey', newEpoch: group.epoch, newGroupKey: group.groupKey, graceSeconds },
      }),
    );
    const { id } = await approveOnOwnNode(config, message);
    console.log(`${chain.name}: approved rotation to epoch ${group.epoch} (message ${id})`);
  }
  return 0;
}
