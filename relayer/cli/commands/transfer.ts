import { type Address, type Hex, parseAbi, parseUnits } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { EvmBridge } from '../../chains/evm/bridgeContract.js';
import { evmClients } from '../../chains/evm/clients.js';
import { readDevnetInfo } from '../../devnet/info.js';
import { addressToBytes32 } from '../../protocol/strings.js';
import { UsageError } from '../main.js';

const erc20 = parseAbi([
  'function approve(address,uint256) returns (bool)',
  'function decimals() view returns (uint8)',
]);

/**
 * Moves SAH between devnet chains from a dev account: lock on SAH's home chain, burn of wrapped SAH
 * elsewhere. Prints the source transaction and the message id to follow with `sah-bridge status`.
 */
export async function transferCommand(o: {
  devnet: string;
  from: string;
  to: string;
  amount: string;
  recipient?: string;
  key?: string;
  token?: string;
  json: boolean;
}): Promise<number> {
  const info = readDevnetInfo(o.devnet);
  const from = info.chains.find((c) => c.name === o.from || String(c.protocolChainId) === o.from);
  const to = info.chains.find((c) => c.name === o.to || String(c.protocolChainId) === o.to);
  if (!from)
    throw new UsageError(`--from ${o.from}: no such devnet chain (${info.chains.map((c) => c.name).join(', ')})`);
  if (!to) throw new UsageError(`--to ${o.to}: no such devnet chain`);
  if (from === to) throw new UsageError('--from and --to are the same chain');
  const key = (o.key ?? info.devAccounts[0]?.key) as Hex;
  if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new UsageError('--key must be a 32-byte hex private key');
  const account = privateKeyToAccount(key);
  const recipient = o.recipient ?? account.address;
  if (!/^0x[0-9a-fA-F]{40}$/.test(recipient)) throw new UsageError('--recipient must be a 20-byte address');
  const home = info.chains.find((c) => c.sah);
  if (!home?.sah) throw new UsageError('the devnet has no SAH home chain');
  const clients = evmClients(from.rpcUrl, from.evmChainId);
  const wallet = clients.wallet(key);
  const bridge = new EvmBridge(from.bridge, clients.publicClient);
  const isHome = from === home;
  const token = (o.token ??
    (isHome ? home.sah : await bridge.wrappedTokenOf(home.protocolChainId, addressToBytes32(home.sah)))) as Address;
  const decimals = await clients.publicClient.readContract({ address: token, abi: erc20, functionName: 'decimals' });
  let amount: bigint;
  try {
    amount = parseUnits(o.amount, decimals);
  } catch {
    throw new UsageError(`--amount ${o.amount} is not a number`);
  }
  if (amount <= 0n) throw new UsageError('--amount must be positive');
  let result: Awaited<ReturnType<EvmBridge['lock']>>;
  if (isHome) {
    await clients.publicClient.waitForTransactionReceipt({
      hash: await wallet.writeContract({
        address: token,
        abi: erc20,
        functionName: 'approve',
        args: [from.bridge, amount],
      }),
    });
    result = await bridge.lock(wallet, token, amount, to.protocolChainId, addressToBytes32(recipient as Address));
  } else {
    result = await bridge.burn(wallet, token, amount, to.protocolChainId, addressToBytes32(recipient as Address));
  }
  const out = {
    action: isHome ? 'lock' : 'burn',
    from: from.name,
    to: to.name,
    amount: o.amount,
    recipient,
    sourceTx: result.receipt.transactionHash,
    messageId: result.message.messageId,
    nonce: result.message.nonce.toString(),
  };
  if (o.json) console.log(JSON.stringify(out));
  else {
    console.log(`${out.action} ${o.amount} SAH on ${from.name} -> ${recipient} on ${to.name}`);
    console.log(`  source tx   ${out.sourceTx}`);
    console.log(`  message id  ${out.messageId}`);
    console.log(`follow it:  sah-bridge status ${out.messageId} --follow`);
  }
  return 0;
}
