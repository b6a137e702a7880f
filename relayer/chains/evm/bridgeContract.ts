/**
 * Typed access to the EVM Bridge contract: deploy, lock, burn, deliver, and read outbound messages.
 */
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  type ContractConstructorArgs,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type Hex,
  type PublicClient,
  parseEventLogs,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from 'viem';
import { bridgeAbi as abi } from './abi/bridge.js';
import type { Artifact } from './artifacts.js';

export type EvmWallet = WalletClient<Transport, Chain, Account>;

export interface SentMessage {
  nonce: bigint;
  destinationChain: number;
  messageId: Hex;
  message: Hex;
  blockNumber: bigint;
  transactionHash: Hex;
}

export class EvmTransactionRevertedError extends Error {
  override name = 'EvmTransactionRevertedError';
  constructor(readonly receipt: TransactionReceipt) {
    super(`transaction ${receipt.transactionHash} reverted`);
  }
}

/** Functions of the Bridge that send a transaction. */
type BridgeWrite = ContractFunctionName<typeof abi, 'nonpayable' | 'payable'>;

export async function deployContract<const A extends Abi>(
  wallet: EvmWallet,
  client: PublicClient,
  artifact: Artifact<A>,
  args: ContractConstructorArgs<A>,
): Promise<Address> {
  const hash = await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args } as never);
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success' || !receipt.contractAddress) throw new EvmTransactionRevertedError(receipt);
  return receipt.contractAddress;
}

export class EvmBridge {
  constructor(
    readonly address: Address,
    readonly client: PublicClient,
  ) {}

  private async send<F extends BridgeWrite>(
    wallet: EvmWallet,
    functionName: F,
    args: ContractFunctionArgs<typeof abi, 'nonpayable' | 'payable', F>,
  ): Promise<TransactionReceipt> {
    const { request } = await this.client.simulateContract({
      address: this.address,
      abi,
      functionName,
      args,
      account: wallet.account,
    } as never);
    const hash = await wallet.writeContract(request);
    const receipt = await this.client.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success') throw new EvmTransactionRevertedError(receipt);
    return receipt;
  }

  sentMessages(receipt: TransactionReceipt): SentMessage[] {
    return parseEventLogs({ abi, logs: receipt.logs, eventName: 'MessageSent' })
      .filter((log) => log.address.toLowerCase() === this.address.toLowerCase())
      .map((log) => ({ ...log.args, blockNumber: log.blockNumber, transactionHash: log.transactionHash }));
  }

  async lock(wallet: EvmWallet, token: Address, amount: bigint, destinationChain: number, recipient: Hex) {
    const receipt = await this.send(wallet, 'lock', [token, amount, destinationChain, recipient]);
    return { receipt, message: this.singleMessage(receipt) };
  }

  async burn(wallet: EvmWallet, token: Address, amount: bigint, destinationChain: number, recipient: Hex) {
    const receipt = await this.send(wallet, 'burn', [token, amount, destinationChain, recipient]);
    return { receipt, message: this.singleMessage(receipt) };
  }

  /** Delivery is permissionless: any funded wallet may submit a signed message. */
  receiveMessage(wallet: EvmWallet, message: Hex, epoch: number, signature: Hex): Promise<TransactionReceipt> {
    return this.send(wallet, 'receiveMessage', [message, epoch, signature]);
  }

  /** Whether the bridge consumed the message `nonce` of `sourceChain` (its replay bit). */
  isConsumed(sourceChain: number, nonce: bigint): Promise<boolean> {
    return this.client.readContract({
      address: this.address,
      abi,
      functionName: 'isConsumed',
      args: [sourceChain, nonce],
    });
  }

  outboundMessageId(nonce: bigint): Promise<Hex> {
    return this.client.readContract({ address: this.address, abi, functionName: 'outboundMessageId', args: [nonce] });
  }

  /** Where the wrapped form of (originChain, originToken) lives (or will, once the first transfer lands). */
  wrappedTokenOf(originChain: number, originToken: Hex): Promise<Address> {
    return this.client.readContract({
      address: this.address,
      abi,
      functionName: 'predictWrappedToken',
      args: [originChain, originToken],
    });
  }

  /** Home tokens the bridge holds for other chains. */
  locked(token: Address): Promise<bigint> {
    return this.client.readContract({ address: this.address, abi, functionName: 'locked', args: [token] });
  }

  private singleMessage(receipt: TransactionReceipt): SentMessage {
    const [message] = this.sentMessages(receipt);
    if (!message) throw new Error(`transaction ${receipt.transactionHash} emitted no MessageSent`);
    return message;
  }
}
