import { hexToBytes, parseAbi, parseEther } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvmBridge } from '../../relayer/chains/evm/bridgeContract.js';
import { evmClients } from '../../relayer/chains/evm/clients.js';
import { loadDevnetConfig } from '../../relayer/config/devnetConfig.js';
import { ANVIL_KEYS } from '../../relayer/devnet/anvil.js';
import { DEVNET_SAH_HOLDER, type Devnet, startDevnet } from '../../relayer/devnet/devnet.js';
import {
  addressToBytes32,
  evmSignature,
  messageId,
  signInProcess,
  signingDigest,
} from '../../relayer/protocol/index.js';

const erc20 = parseAbi([
  'function approve(address,uint256) returns (bool)',
  'function balanceOf(address) view returns (uint256)',
]);

describe('npm run devnet (config/devnet.json on free ports)', () => {
  let devnet: Devnet;

  beforeAll(async () => {
    const config = loadDevnetConfig('config/devnet.json');
    devnet = await startDevnet({ ...config, chains: config.chains.map((c) => ({ ...c, port: 0 })) });
  });
  afterAll(async () => {
    await devnet?.stop();
  });

  it('deploys a bridge on every chain under one group key, SAH on its home, and a transfer goes through', async () => {
    expect(devnet.chains).toHaveLength(2);
    const [home, away] = devnet.chains as [Devnet['chains'][number], Devnet['chains'][number]];
    expect(home.sah).toBeDefined();
    expect(away.sah).toBeUndefined();
    const a = evmClients(home.rpcUrl, home.evmChainId);
    const b = evmClients(away.rpcUrl, away.evmChainId);
    const holder = a.wallet(ANVIL_KEYS[1]);
    const sah = home.sah as `0x${string}`;
    expect(
      await a.publicClient.readContract({
        address: sah,
        abi: erc20,
        functionName: 'balanceOf',
        args: [DEVNET_SAH_HOLDER],
      }),
    ).toBe(parseEther('1000000000'));
    await a.publicClient.waitForTransactionReceipt({
      hash: await holder.writeContract({ address: sah, abi: erc20, functionName: 'approve', args: [home.bridge, 5n] }),
    });
    const bridgeA = new EvmBridge(home.bridge, a.publicClient);
    const bridgeB = new EvmBridge(away.bridge, b.publicClient);
    const { message } = await bridgeA.lock(holder, sah, 5n, away.protocolChainId, addressToBytes32(DEVNET_SAH_HOLDER));
    const digest = signingDigest(1, away.protocolChainId, messageId(hexToBytes(message.message)));
    const signature = evmSignature(signInProcess(devnet.keys.keys.slice(2, 5), hexToBytes(digest)));
    await bridgeB.receiveMessage(b.wallet(ANVIL_KEYS[3]), message.message, 1, signature);
    expect(await bridgeB.isConsumed(message.messageId)).toBe(true);
  });
});
