/**
 * End to end on two real anvil chains: SAH locked on A, a 3-of-5 FROST key (made by DKG) signs, the
 * wrapped SAH is minted on B, burned on B and unlocked on A. Replays and misdeliveries revert.
 */
import { BaseError, ContractFunctionRevertedError, type Hex, hexToBytes, parseAbi, parseEther } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANVIL_KEYS, type AnvilNode, startAnvil } from '../../devnet/anvil.js';
import { deployEvmBridge, type EvmDeployment } from '../../devnet/deployEvm.js';
import { evmInstanceBinding } from '../../relayer/chains/evm/instance.js';
import {
  addressToBytes32,
  ChainId,
  decodeMessage,
  evmSignature,
  FrostError,
  type KeySet,
  leafHash,
  messageId,
  runDkgInProcess,
  signInProcess,
  signingDigest,
  unpackBytes32,
} from '../../relayer/protocol/index.js';

const erc20 = parseAbi([
  'function approve(address,uint256) returns (bool)',
  'function balanceOf(address) view returns (uint256)',
  'function totalSupply() view returns (uint256)',
  'function name() view returns (string)',
  'function symbol() view returns (string)',
  'function decimals() view returns (uint8)',
]);

const [deployerKey, aliceKey, bobKey, courierKey] = ANVIL_KEYS;
const alice = privateKeyToAccount(aliceKey);
const bob = privateKeyToAccount(bobKey);
const carol = '0x000000000000000000000000000000000000ca01' as const;

/**
 * Signs like the relayer set: any 3 of the 5 DKG participants, in the EVM delivery form, for the bridge
 * instance `to` (its EVM chain id and address: what protocol v2's digest binds).
 */
function relayerSign(
  keys: KeySet,
  epoch: number,
  destination: number,
  to: EvmDeployment,
  message: Hex,
  signers: number[],
): Hex {
  const instance = evmInstanceBinding(to.clients.chain.id, to.bridge.address);
  const digest = signingDigest(epoch, destination, instance, leafHash(messageId(hexToBytes(message))));
  return evmSignature(
    signInProcess(
      signers.map((i) => keys.keys[i] as KeySet['keys'][number]),
      hexToBytes(digest),
    ),
  );
}

async function revertName(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof BaseError) {
      const revert = e.walk((x) => x instanceof ContractFunctionRevertedError);
      if (revert instanceof ContractFunctionRevertedError) return revert.data?.errorName ?? 'unnamed';
    }
    throw e;
  }
  throw new Error('expected a revert');
}

describe('two anvil chains, one FROST key', () => {
  let chainA: AnvilNode;
  let chainB: AnvilNode;
  let keys: KeySet;
  let a: EvmDeployment;
  let b: EvmDeployment;

  beforeAll(async () => {
    [chainA, chainB] = await Promise.all([startAnvil({ chainId: 31_001 }), startAnvil({ chainId: 31_002 })]);
    keys = runDkgInProcess(3, 5);
    a = await deployEvmBridge({
      rpcUrl: chainA.rpcUrl,
      evmChainId: chainA.chainId,
      protocolChainId: ChainId.DevEthereumA,
      groupKey: keys.groupKey,
      deployerKey,
      sah: { holder: alice.address, supply: parseEther('1000000') },
    });
    b = await deployEvmBridge({
      rpcUrl: chainB.rpcUrl,
      evmChainId: chainB.chainId,
      protocolChainId: ChainId.DevEthereumB,
      groupKey: keys.groupKey,
      deployerKey,
    });
  });

  afterAll(async () => {
    await Promise.all([chainA?.stop(), chainB?.stop()]);
  });

  it('locks on A, mints on B, burns on B, unlocks on A; replays revert', async () => {
    const sah = a.sah as Hex;
    const aliceA = a.clients.wallet(aliceKey);
    const bobB = b.clients.wallet(bobKey);
    const courierA = a.clients.wallet(courierKey);
    const courierB = b.clients.wallet(courierKey);
    const balanceA = (who: Hex) =>
      a.clients.publicClient.readContract({ address: sah, abi: erc20, functionName: 'balanceOf', args: [who] });

    // 1. lock 100 SAH on A for bob on B
    await a.clients.publicClient.waitForTransactionReceipt({
      hash: await aliceA.writeContract({
        address: sah,
        abi: erc20,
        functionName: 'approve',
        args: [a.bridge.address, parseEther('100')],
      }),
    });
    const locked = await a.bridge.lock(
      aliceA,
      sah,
      parseEther('100'),
      ChainId.DevEthereumB,
      addressToBytes32(bob.address),
    );
    const out = decodeMessage(hexToBytes(locked.message.message));
    expect(out.kind).toBe('TokenTransfer');
    if (out.kind !== 'TokenTransfer') throw new Error('unreachable');
    expect(out.sourceChain).toBe(ChainId.DevEthereumA);
    expect(out.destinationChain).toBe(ChainId.DevEthereumB);
    expect(out.sender).toBe(addressToBytes32(alice.address));
    expect(out.payload.amount).toBe(parseEther('100'));
    expect(out.payload.originToken).toBe(addressToBytes32(sah));
    expect(unpackBytes32(out.payload.symbol)).toBe('SAH');
    expect(locked.message.messageId).toBe(messageId(hexToBytes(locked.message.message)));
    expect(await a.bridge.outboundMessageId(locked.message.nonce)).toBe(locked.message.messageId);
    expect(await balanceA(alice.address)).toBe(parseEther('999900'));
    expect(await balanceA(a.bridge.address)).toBe(parseEther('100'));

    // 2. the relayer set signs (3 of 5); anyone delivers on B
    const sigToB = relayerSign(keys, 1, ChainId.DevEthereumB, b, locked.message.message, [0, 2, 4]);
    expect(await revertName(a.bridge.receiveMessage(courierA, locked.message.message, 1, sigToB))).toBe(
      'WrongDestination',
    );
    await b.bridge.receiveMessage(courierB, locked.message.message, 1, sigToB);
    // the attacker's replay: a second bridge on B with the same protocol chain id and the same key (a
    // redeployment) refuses the delivered message, since the signature names the first bridge's address
    const redeployed = await deployEvmBridge({
      rpcUrl: chainB.rpcUrl,
      evmChainId: chainB.chainId,
      protocolChainId: ChainId.DevEthereumB,
      groupKey: keys.groupKey,
      deployerKey,
    });
    expect(await revertName(redeployed.bridge.receiveMessage(courierB, locked.message.message, 1, sigToB))).toBe(
      'InvalidSignature',
    );
    expect(await redeployed.bridge.isConsumed(ChainId.DevEthereumA, locked.message.nonce)).toBe(false);
    const wrapped = await b.bridge.wrappedTokenOf(ChainId.DevEthereumA, addressToBytes32(sah));
    const readB = (functionName: 'totalSupply' | 'name' | 'symbol' | 'decimals') =>
      b.clients.publicClient.readContract({ address: wrapped, abi: erc20, functionName });
    const balanceB = (who: Hex) =>
      b.clients.publicClient.readContract({ address: wrapped, abi: erc20, functionName: 'balanceOf', args: [who] });
    expect(await balanceB(bob.address)).toBe(parseEther('100'));
    expect(await readB('totalSupply')).toBe(parseEther('100'));
    expect(await readB('symbol')).toBe('SAH');
    expect(await readB('name')).toBe('SAH Token');
    expect(await readB('decimals')).toBe(18);
    expect(await b.bridge.isConsumed(ChainId.DevEthereumA, locked.message.nonce)).toBe(true);

    // 3. bob burns 40 on B, back to carol on A
    const burned = await b.bridge.burn(bobB, wrapped, parseEther('40'), ChainId.DevEthereumA, addressToBytes32(carol));
    expect(await readB('totalSupply')).toBe(parseEther('60'));
    // a signature from another epoch or for another destination does not pass
    const wrongEpoch = relayerSign(keys, 2, ChainId.DevEthereumA, a, burned.message.message, [0, 1, 2]);
    expect(await revertName(a.bridge.receiveMessage(courierA, burned.message.message, 2, wrongEpoch))).toBe(
      'UnknownEpoch',
    );
    const wrongChain = relayerSign(keys, 1, ChainId.DevEthereumB, a, burned.message.message, [0, 1, 2]);
    expect(await revertName(a.bridge.receiveMessage(courierA, burned.message.message, 1, wrongChain))).toBe(
      'InvalidSignature',
    );
    const sigToA = relayerSign(keys, 1, ChainId.DevEthereumA, a, burned.message.message, [1, 2, 3]);
    await a.bridge.receiveMessage(courierA, burned.message.message, 1, sigToA);
    expect(await balanceA(carol)).toBe(parseEther('40'));
    expect(await balanceA(a.bridge.address)).toBe(parseEther('60'));
    expect(await a.bridge.locked(sah)).toBe(parseEther('60'));

    // supply conservation: wrapped on B <= locked on A
    expect(await readB('totalSupply')).toBeLessThanOrEqual(await a.bridge.locked(sah));

    // 4. replays of either message revert, by anyone
    expect(await revertName(b.bridge.receiveMessage(courierB, locked.message.message, 1, sigToB))).toBe(
      'MessageAlreadyConsumed',
    );
    expect(await revertName(a.bridge.receiveMessage(courierA, burned.message.message, 1, sigToA))).toBe(
      'MessageAlreadyConsumed',
    );
    expect(await balanceA(carol)).toBe(parseEther('40'));
    expect(await balanceB(bob.address)).toBe(parseEther('60'));
  });

  it('t-1 operators cannot produce a signature', () => {
    expect(() => signInProcess(keys.keys.slice(0, 2), new Uint8Array(32))).toThrow(FrostError);
  });
});
