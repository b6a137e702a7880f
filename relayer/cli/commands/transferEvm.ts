/** The EVM side of `sah-bridge transfer`: approve + lock on the asset's home, burn of the wrapped ERC-20 elsewhere. */
import { type Address, type Hex, parseAbi, parseUnits } from 'viem';
import { EvmBridge } from '../../chains/evm/bridgeContract.js';
import { evmClients } from '../../chains/evm/clients.js';
import { erc20ErrorsAbi } from '../../chains/evm/tokenErrors.js';
import type { DevnetEvmChainInfo } from '../../sdk/devnetInfo.js';
import { UsageError } from '../errors.js';
import { namedRevert, type TokenUnits } from '../revert.js';
import type { TransferRequest, TransferResult } from './transfer.js';

const erc20 = [
  ...parseAbi(['function approve(address,uint256) returns (bool)', 'function decimals() view returns (uint8)']),
  ...erc20ErrorsAbi,
] as const;

/** Runs one step of the transfer; a revert comes back named (`ERC20InsufficientBalance: ...`), in one line. */
async function step<T>(what: string, units: TokenUnits, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw namedRevert(e, { what, units }) ?? e;
  }
}

export async function transferFromEvm(from: DevnetEvmChainInfo, key: Hex, r: TransferRequest): Promise<TransferResult> {
  const clients = evmClients(from.rpcUrl, from.evmChainId);
  const wallet = clients.wallet(key);
  const bridge = new EvmBridge(from.bridge, clients.publicClient);
  const isHome = r.asset.originChain === from.protocolChainId;
  if (isHome && !r.asset.homeErc20) throw new UsageError(`${r.asset.symbol} has no ERC-20 on ${from.name}`);
  const token = (
    isHome ? r.asset.homeErc20 : await bridge.wrappedTokenOf(r.asset.originChain, r.asset.originToken)
  ) as Address;
  if (!isHome && (await clients.publicClient.getCode({ address: token })) === undefined)
    throw new UsageError(`no wrapped ${r.asset.symbol} on ${from.name} yet: bring some there first`);
  const decimals = await clients.publicClient.readContract({ address: token, abi: erc20, functionName: 'decimals' });
  const amount = parseAmount(r.amount, decimals);
  const units = { decimals, symbol: r.asset.symbol };
  if (isHome) {
    await step(`${from.name} refused the approval`, units, async () =>
      clients.publicClient.waitForTransactionReceipt({
        hash: await wallet.writeContract({
          address: token,
          abi: erc20,
          functionName: 'approve',
          args: [from.bridge, amount],
        }),
      }),
    );
    const { receipt, message } = await step(`${from.name} refused the lock`, units, () =>
      bridge.lock(wallet, token, amount, r.destinationChain, r.recipient),
    );
    return { action: 'lock', sourceTx: receipt.transactionHash, messageId: message.messageId, nonce: message.nonce };
  }
  const { receipt, message } = await step(`${from.name} refused the burn`, units, () =>
    bridge.burn(wallet, token, amount, r.destinationChain, r.recipient),
  );
  return { action: 'burn', sourceTx: receipt.transactionHash, messageId: message.messageId, nonce: message.nonce };
}

export function parseAmount(text: string, decimals: number): bigint {
  let amount: bigint;
  try {
    amount = parseUnits(text, decimals);
  } catch {
    throw new UsageError(`--amount ${text} is not a number`);
  }
  if (amount <= 0n) throw new UsageError('--amount must be positive');
  return amount;
}
