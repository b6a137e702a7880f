import { createHash } from 'node:crypto';
import {
  BaseError,
  ContractFunctionRevertedError,
  decodeFunctionResult,
  encodeFunctionData,
  getAbiItem,
  type Hex,
  type Log,
  type PublicClient,
} from 'viem';
import type { InstanceBinding } from '../../protocol/digest.js';
import { evmSignature } from '../../protocol/frost.js';
import { addressToBytes32 } from '../../protocol/strings.js';
import {
  type ChainAdapter,
  DeliveryRevertedError,
  type DeliveryState,
  type ObservedMessage,
  observedMessage,
  type RpcDisagreement,
  type SignedBatch,
} from '../adapter.js';
import { FINAL_HEIGHT_TTL_MS, TtlCache } from '../cache.js';
import { consumedByWords, type MessageRef } from '../consumed.js';
import { bridgeAbi } from './abi/bridge.js';
import type { EvmWallet } from './bridgeContract.js';
import { evmQuorumClients } from './clients.js';
import type { EvmChainConfig } from './config.js';
import { evmInstanceBinding } from './instance.js';
import { majority, RpcQuorum } from './quorum.js';

/**
 * The EVM chain family: viem over JSON-RPC. The reads that decide what the node signs or skips (the final
 * block, a range's MessageSent logs, the bridge's outbound nonce at a block, its consumed ids in the final
 * state) are asked of every configured RPC URL and accepted when `rpcQuorum` of them agree (quorum.ts); the
 * rest (receipts for verification, which the chain's verifier proves again; the head's state; deliveries) go to
 * the first URL that answers.
 */
export class EvmChainAdapter implements ChainAdapter {
  readonly name: string;
  readonly protocolChainId: number;
  readonly pollIntervalMs: number;
  readonly maxBlockRange: number;
  readonly bridgeAccount: Hex;
  readonly instance: InstanceBinding;
  private readonly client: PublicClient;
  private readonly wallet: EvmWallet;
  private readonly quorum: RpcQuorum;

  constructor(
    private readonly config: Omit<EvmChainConfig, 'verifier'>,
    walletKey: Hex,
  ) {
    this.name = config.name;
    this.protocolChainId = config.protocolChainId;
    this.pollIntervalMs = config.pollIntervalMs;
    this.maxBlockRange = config.maxBlockRange;
    this.bridgeAccount = addressToBytes32(config.bridge);
    // block.chainid as u256 and the Bridge's (proxy's) address: what the contract binds its digests to; the
    // clients below refuse an RPC that serves another chain id
    this.instance = evmInstanceBinding(config.evmChainId, config.bridge);
    // a config built in code may name one URL only (rpcUrl): a quorum of one
    const urls = config.rpcUrls ?? [config.rpcUrl];
    const clients = evmQuorumClients(urls, config.evmChainId);
    this.client = clients.publicClient;
    this.wallet = clients.wallet(walletKey);
    this.quorum = new RpcQuorum(config.name, clients.endpoints, config.rpcQuorum ?? majority(urls.length));
  }

  onRpcDisagreement(listener: (d: RpcDisagreement) => void): void {
    this.quorum.onDisagreement(listener);
  }

  private readonly finalCache = new TtlCache<'final', bigint>(FINAL_HEIGHT_TTL_MS);

  /**
   * The highest block `rpcQuorum` endpoints vouch is final (RpcQuorum.atLeast). Cached for a few milliseconds:
   * every verification asks, and under load thousands ask at once.
   */
  finalHeight(): Promise<bigint> {
    const { tag, confirmations } = this.config.finality;
    return this.finalCache.get('final', () =>
      this.quorum.atLeast('final height', (client) =>
        tag
          ? client.getBlock({ blockTag: tag }).then((b) => b.number as bigint)
          : client.getBlockNumber({ cacheTime: 0 }).then((head) => head - BigInt(confirmations)),
      ),
    );
  }

  /** The bridge's MessageSent logs of blocks [from, to], as `rpcQuorum` endpoints return them alike. */
  async outboundMessages(from: bigint, to: bigint): Promise<ObservedMessage[]> {
    const logs = await this.quorum.agree(
      `MessageSent logs of blocks ${from}..${to}`,
      (client) => client.getLogs({ address: this.config.bridge, event: MESSAGE_SENT, fromBlock: from, toBlock: to }),
      logSetKey,
      (ls) => `${ls.length} logs (${createHash('sha256').update(logSetKey(ls)).digest('hex').slice(0, 12)})`,
    );
    const out: ObservedMessage[] = [];
    for (const log of logs) {
      const { args } = log;
      if (!args.message || log.blockNumber === null || log.transactionHash === null) continue;
      out.push(observedMessage(args.message, log.transactionHash, log.blockNumber));
    }
    return out;
  }

  /**
   * The bridge's `outboundNonce` at the end of block `height`, as `rpcQuorum` endpoints read it alike: the
   * number of messages it had sent by then. No code there (the bridge was deployed later): none.
   */
  outboundCountAt(height: bigint): Promise<bigint> {
    if (height < 0n) return Promise.resolve(0n);
    const data = encodeFunctionData({ abi: bridgeAbi, functionName: 'outboundNonce' });
    return this.quorum.agree(
      `outboundNonce at block ${height}`,
      async (client) => {
        const result = await client.call({ to: this.config.bridge, data, blockNumber: height });
        if (result.data === undefined || result.data === '0x') return 0n;
        return decodeFunctionResult({ abi: bridgeAbi, functionName: 'outboundNonce', data: result.data });
      },
      String,
      String,
    );
  }

  isDelivered(message: MessageRef): Promise<boolean> {
    return this.client.readContract({
      address: this.config.bridge,
      abi: bridgeAbi,
      functionName: 'isConsumed',
      args: [message.sourceChain, message.nonce],
    });
  }

  /**
   * The consumed words read at the final block finalHeight names (the configured tag's block, or head -
   * confirmations), every word at that one block number, so the answers are one consistent final state; what
   * counts as delivered (and is not sent again) is what `rpcQuorum` endpoints read alike.
   */
  async deliveredFinal(messages: MessageRef[]): Promise<boolean[]> {
    if (messages.length === 0) return [];
    const final = await this.finalHeight();
    // fewer blocks than confirmations: nothing is final yet
    if (final < 0n) return messages.map(() => false);
    return consumedByWords(messages, (words) =>
      this.quorum.agree(
        `consumed words (${words.length}) at block ${final}`,
        (client) =>
          Promise.all(
            words.map((w) =>
              client.readContract({
                address: this.config.bridge,
                abi: bridgeAbi,
                functionName: 'consumedWord',
                args: [w.sourceChain, w.wordIndex],
                blockNumber: final,
              }),
            ),
          ),
        (got) => got.map((w) => w.toString(16)).join(','),
        (got) => `${got.length} word(s)`,
      ),
    );
  }

  /** The bridge's MessageReceived logs for these ids (an indexed topic) in the final blocks of the window. */
  async deliveryTransactions(ids: Hex[]): Promise<Map<Hex, Hex>> {
    const found = new Map<Hex, Hex>();
    if (ids.length === 0) return found;
    const final = await this.finalHeight();
    if (final < 0n) return found;
    const from = final > BigInt(this.maxBlockRange) ? final - BigInt(this.maxBlockRange) : 0n;
    const logs = await this.client.getLogs({
      address: this.config.bridge,
      event: MESSAGE_RECEIVED,
      args: { messageId: ids },
      fromBlock: from,
      toBlock: final,
    });
    const wanted = new Set(ids.map((id) => id.toLowerCase()));
    for (const log of logs) {
      const id = log.args.messageId?.toLowerCase() as Hex | undefined;
      if (id && wanted.has(id) && log.transactionHash && !found.has(id)) found.set(id, log.transactionHash);
    }
    return found;
  }

  async deliver(batch: SignedBatch): Promise<Hex> {
    const signature = evmSignature(batch.signature);
    const [only] = batch.messages;
    const to = { address: this.config.bridge, abi: bridgeAbi, account: this.wallet.account } as const;
    try {
      if (batch.messages.length === 1 && only) {
        const { request } = await this.client.simulateContract({
          ...to,
          functionName: 'receiveMessage',
          args: [only, batch.epoch, signature],
        });
        return await this.wallet.writeContract(request);
      }
      const { request } = await this.client.simulateContract({
        ...to,
        functionName: 'receiveBatch',
        args: [batch.messages, batch.epoch, signature],
      });
      return await this.wallet.writeContract(request);
    } catch (e) {
      throw new DeliveryRevertedError(revertName(e) ?? (e as Error).message.split('\n')[0] ?? 'unknown');
    }
  }

  async deliveryState(tx: Hex): Promise<DeliveryState> {
    const receipt = await this.client.getTransactionReceipt({ hash: tx }).catch(() => undefined);
    if (!receipt) {
      const pending = await this.client.getTransaction({ hash: tx }).catch(() => undefined);
      return pending ? { state: 'pending' } : { state: 'missing' };
    }
    if (receipt.status !== 'success') return { state: 'reverted', blockNumber: receipt.blockNumber };
    return {
      state: 'included',
      blockNumber: receipt.blockNumber,
      final: receipt.blockNumber <= (await this.finalHeight()),
    };
  }

  async governanceState(): Promise<{ epoch: number; governanceNonce: bigint }> {
    const [epoch, , , , , governanceNonce] = await this.client.readContract({
      address: this.config.bridge,
      abi: bridgeAbi,
      functionName: 'config',
    });
    return { epoch, governanceNonce };
  }

  walletBalance(): Promise<bigint> {
    return this.client.getBalance({ address: this.wallet.account.address });
  }
}

/**
 * What identifies a set of logs, whatever order an endpoint listed them in: two honest endpoints give the same
 * key for the same final blocks.
 */
function logSetKey<L extends Log>(logs: L[]): string {
  const rows = logs.map((l) => ({
    block: l.blockNumber ?? -1n,
    index: l.logIndex ?? -1,
    fields: [l.blockHash, l.transactionHash, l.address.toLowerCase(), l.topics, l.data],
  }));
  rows.sort((a, b) => (a.block === b.block ? a.index - b.index : a.block < b.block ? -1 : 1));
  return JSON.stringify(rows.map((r) => [r.block.toString(), r.index, ...r.fields]));
}

function revertName(e: unknown): string | undefined {
  if (!(e instanceof BaseError)) return undefined;
  const revert = e.walk((x) => x instanceof ContractFunctionRevertedError);
  return revert instanceof ContractFunctionRevertedError ? (revert.data?.errorName ?? revert.reason) : undefined;
}

const MESSAGE_SENT = getAbiItem({ abi: bridgeAbi, name: 'MessageSent' });
const MESSAGE_RECEIVED = getAbiItem({ abi: bridgeAbi, name: 'MessageReceived' });
