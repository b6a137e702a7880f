/**
 * Typed access to the EVM Bridge contract: deploy, lock, burn, deliver, and read outbound messages.
 */
import {
  type Account,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  parseEventLogs,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from 'viem';
import { type Artifact, loadArtifact } from './artifacts.js';

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

let bridgeArtifact: Artifact | undefined;
export function bridgeAbi() {
  bridgeArtifact ??= loadArtifact('Bridge');
  return bridgeArtifact.abi;
}

export async function deployContract(
  wallet: EvmWallet,
  client: PublicClient,
  artifact: Artifact,
  args: unknown[],
): Promise<Address> {
  const hash = await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success' || !receipt.contractAddress) throw new EvmTransactionRevertedError(receipt);
  return receipt.contractAddress;
}

export class EvmBridge {
  constructor(
    readonly address: Address,
    readonly client: PublicClient,
  ) {}

  private async send(wallet: EvmWallet, functionName: string, args: unknown[]): Promise<TransactionReceipt> {
    const { request } = await this.client.simulateContract({
      address: this.address,
      abi: bridgeAbi(),
      functionName,
      args,
      account: wallet.account,
    });
    const hash = await wallet.writeContract(request);
    const receipt = await this.client.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success') throw new EvmTransactionRevertedError(receipt);
    return receipt;
  }

  sentMessages(receipt: TransactionReceipt): SentMessage[] {
    return parseEventLogs({ abi: bridgeAbi(), logs: receipt.logs, eventName: 'MessageSent' })
      .filter((log) => log.address.toLowerCase() === this.address.toLowerCase())
      .map((log) => {
        const args = log.args as { nonce: bigint; destinationChain: number; messageId: Hex; message: Hex };
        return { ...args, blockNumber: log.blockNumber, transactionHash: log.transactionHash };
      });
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

  private read<T>(functionName: string, args: unknown[]): Promise<T> {
    return this.client.readContract({ address: this.address, abi: bridgeAbi(), functionName, args }) as Promise<T>;
  }

  isConsumed(messageId: Hex): Promise<boolean> {
    return this.read('consumed', [messageId]);
  }

  outboundMessageId(nonce: bigint): Promise<Hex> {
    return this.read('outboundMessageId', [nonce]);
  }

  /** Where the wrapped form of (originChain, originToken) lives (or will, once the first transfer lands). */
  wrappedTokenOf(originChain: number, originToken: Hex): Promise<Address> {
    return this.read('predictWrappedToken', [originChain, originToken]);
  }

  /** Home tokens the bridge holds for other chains. */
  locked(token: Address): Promise<bigint> {
    return this.read('locked', [token]);
  }

  private singleMessage(receipt: TransactionReceipt): SentMessage {
    const [message] = this.sentMessages(receipt);
    if (!message) throw new Error(`transaction ${receipt.transactionHash} emitted no MessageSent`);
    return message;
  }
}
