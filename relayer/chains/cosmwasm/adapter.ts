/**
 * The CosmWasm chain family: CometBFT RPC for blocks and events, the bridge contract's smart queries for
 * its stored state, and signed MsgExecuteContract transactions for delivery. CometBFT commits are
 * final, so a committed block's events are final at once (confirmations only add margin).
 */
import { encodeSecp256k1Pubkey } from '@cosmjs/amino';
import { SigningCosmWasmClient, setupWasmExtension, type WasmExtension } from '@cosmjs/cosmwasm-stargate';
import { fromUtf8, toHex, toUtf8 } from '@cosmjs/encoding';
import { DirectSecp256k1Wallet, type EncodeObject } from '@cosmjs/proto-signing';
import {
  type BankExtension,
  calculateFee,
  GasPrice,
  QueryClient,
  setupBankExtension,
  setupTxExtension,
  type TxExtension,
} from '@cosmjs/stargate';
import { Comet38Client, HttpBatchClient } from '@cosmjs/tendermint-rpc';
import { sha256 } from '@noble/hashes/sha2.js';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { QuerySmartContractStateRequest, QuerySmartContractStateResponse } from 'cosmjs-types/cosmwasm/wasm/v1/query';
import { MsgExecuteContract } from 'cosmjs-types/cosmwasm/wasm/v1/tx';
import { type Hex, hexToBytes } from 'viem';
import type { InstanceBinding } from '../../protocol/digest.js';
import {
  type ChainAdapter,
  DeliveryRevertedError,
  type DeliveryState,
  type ObservedMessage,
  observedMessage,
  type SignedBatch,
} from '../adapter.js';
import { BLOCK_TTL_MS, FINAL_HEIGHT_TTL_MS, TtlCache } from '../cache.js';
import { consumedByWords, type MessageRef } from '../consumed.js';
import { bech32ToBytes32 } from './account.js';
import {
  type Answer,
  type BridgeConfig,
  bridgeErrorName,
  MESSAGE_RECEIVED_EVENT,
  MESSAGE_SENT_EVENT,
  queries,
  queryBridge,
  receiveBatchMsg,
  receiveMessageMsg,
} from './bridgeContract.js';
import type { CosmwasmChainConfig } from './config.js';
import { cosmwasmInstanceBinding } from './instance.js';
import type { QueryMsg } from './msg.js';

/** CometBFT's default `max_request_batch_size` (config.toml [rpc]). */
const COMET_MAX_BATCH = 10;
/** CometBFT's `blockchain` returns at most this many block metas per call. */
const BLOCKCHAIN_PAGE = 20;
/** Simulated gas times this: the estimate is exact for the simulated state, the block may differ a bit. */
const GAS_ADJUSTMENT = 1.4;
/** sdk ErrWrongSequence */
const WRONG_SEQUENCE_CODE = 32;

interface BlockTx {
  hash: Hex;
  code: number;
  /** Bridge messages this transaction emitted (hex encodings). */
  messages: Hex[];
}

type Queries = QueryClient & BankExtension & TxExtension & WasmExtension;

export class CosmwasmChainAdapter implements ChainAdapter {
  readonly name: string;
  readonly protocolChainId: number;
  readonly pollIntervalMs: number;
  readonly maxBlockRange: number;
  readonly bridgeAccount: Hex;
  readonly instance: InstanceBinding;
  private readonly gasPrice: GasPrice;
  private sequence: { accountNumber: number; next: number } | undefined;
  private readonly finalCache = new TtlCache<'final', bigint>(FINAL_HEIGHT_TTL_MS);
  private readonly blocks = new TtlCache<bigint, BlockTx[]>(BLOCK_TTL_MS);

  private constructor(
    private readonly config: Omit<CosmwasmChainConfig, 'verifier'>,
    private readonly comet: Comet38Client,
    private readonly query: Queries,
    private readonly signing: SigningCosmWasmClient,
    private readonly sender: { address: string; pubkey: Uint8Array },
  ) {
    this.name = config.name;
    this.protocolChainId = config.protocolChainId;
    this.pollIntervalMs = config.pollIntervalMs;
    this.maxBlockRange = config.maxBlockRange;
    this.bridgeAccount = bech32ToBytes32(config.bridge, config.prefix);
    // sha256 of the chain-id string (connect checks the node serves it) and the contract's canonical address
    this.instance = cosmwasmInstanceBinding(config.cosmosChainId, config.bridge, config.prefix);
    this.gasPrice = GasPrice.fromString(config.gasPrice);
  }

  /** Connects to the node's RPC and checks it serves the configured chain. */
  static async connect(config: Omit<CosmwasmChainConfig, 'verifier'>, walletKey: Hex): Promise<CosmwasmChainAdapter> {
    // one HTTP request carries many JSON-RPC calls: a burst of verifications costs a few round trips. At
    // most 10 per batch: CometBFT's default max_request_batch_size; a larger batch gets one error object
    // back, which leaves every call of the batch waiting forever.
    const comet = Comet38Client.create(
      new HttpBatchClient(config.rpcUrl, { batchSizeLimit: COMET_MAX_BATCH, dispatchInterval: 5 }),
    );
    const status = await comet.status();
    if (status.nodeInfo.network !== config.cosmosChainId)
      throw new Error(`${config.rpcUrl} serves chain ${status.nodeInfo.network}, not ${config.cosmosChainId}`);
    const query = QueryClient.withExtensions(comet, setupBankExtension, setupTxExtension, setupWasmExtension);
    const wallet = await DirectSecp256k1Wallet.fromKey(hexToBytes(walletKey), config.prefix);
    const [account] = await wallet.getAccounts();
    if (!account) throw new Error('wallet has no account');
    const signing = SigningCosmWasmClient.createWithSigner(comet, wallet, {
      gasPrice: GasPrice.fromString(config.gasPrice),
    });
    return new CosmwasmChainAdapter(config, comet, query, signing, account);
  }

  /** The operator's delivery account on this chain. */
  get deliveryAddress(): string {
    return this.sender.address;
  }

  finalHeight(): Promise<bigint> {
    return this.finalCache.get('final', () =>
      this.comet
        .status()
        .then((s) => BigInt(s.syncInfo.latestBlockHeight) - BigInt(this.config.finality.confirmations)),
    );
  }

  async outboundMessages(from: bigint, to: bigint): Promise<ObservedMessage[]> {
    const withTxs: bigint[] = [];
    for (let low = from; low <= to; low += BigInt(BLOCKCHAIN_PAGE)) {
      const high = low + BigInt(BLOCKCHAIN_PAGE) - 1n < to ? low + BigInt(BLOCKCHAIN_PAGE) - 1n : to;
      const page = await this.comet.blockchain(Number(low), Number(high));
      for (const meta of page.blockMetas) if (meta.numTxs > 0) withTxs.push(BigInt(meta.header.height));
    }
    withTxs.sort((a, b) => (a < b ? -1 : 1));
    const blocks = await Promise.all(withTxs.map((h) => this.blockTxs(h)));
    const out: ObservedMessage[] = [];
    blocks.forEach((txs, i) => {
      for (const tx of txs)
        if (tx.code === 0)
          for (const message of tx.messages) out.push(observedMessage(message, tx.hash, withTxs[i] as bigint));
    });
    return out;
  }

  /**
   * The bridge's `outbound_nonce` in the state committed at `height` (an ABCI query at that height: the state
   * after that block): the number of messages it had sent by the end of it. No contract there yet (it was
   * instantiated later), or no block at all (height 0 or below): none.
   */
  async outboundCountAt(height: bigint): Promise<bigint> {
    // ABCI height 0 means "latest": never ask for it
    if (height < 1n) return 0n;
    // the schema says a number; a node's answer is still checked before it counts messages
    let nonce: unknown;
    try {
      nonce = await this.smartQueryAt(queries.outboundNonce(), height);
    } catch (e) {
      if (/no such contract/i.test((e as Error).message)) return 0n;
      throw e;
    }
    if (typeof nonce !== 'number' && typeof nonce !== 'string')
      throw new Error(`${this.name}: outbound_nonce at height ${height} answered ${JSON.stringify(nonce)}`);
    return BigInt(nonce);
  }

  /** A block's transactions with their hashes, results and the bridge messages they emitted (cached). */
  private blockTxs(height: bigint): Promise<BlockTx[]> {
    return this.blocks.get(height, async () => {
      const [block, results] = await Promise.all([
        this.comet.block(Number(height)),
        this.comet.blockResults(Number(height)),
      ]);
      return block.block.txs.map((raw, i): BlockTx => {
        const result = results.results[i];
        const messages: Hex[] = [];
        for (const event of result?.events ?? []) {
          if (event.type !== MESSAGE_SENT_EVENT) continue;
          const attr = (key: string) => event.attributes.find((a) => a.key === key)?.value;
          const message = attr('message');
          if (attr('_contract_address') === this.config.bridge && message && /^0x[0-9a-f]+$/.test(message))
            messages.push(message as Hex);
        }
        return { hash: `0x${toHex(sha256(raw))}`, code: result?.code ?? -1, messages };
      });
    });
  }

  isDelivered(message: MessageRef): Promise<boolean> {
    return queryBridge(this.query.wasm, this.config.bridge, queries.isConsumed(message.sourceChain, message.nonce));
  }

  /**
   * A committed block is final (CometBFT), so with no confirmations the latest committed state answers; with
   * confirmations the bridge is asked at the final height itself (an ABCI query at that height).
   */
  async deliveredFinal(messages: MessageRef[]): Promise<boolean[]> {
    if (messages.length === 0) return [];
    const height = this.config.finality.confirmations === 0 ? undefined : await this.finalHeight();
    if (height !== undefined && height < 1n) return messages.map(() => false);
    return consumedByWords(messages, (words) =>
      Promise.all(
        words.map(async (w) => {
          const query = queries.consumedWord(w.sourceChain, w.wordIndex);
          const word =
            height === undefined
              ? await queryBridge(this.query.wasm, this.config.bridge, query)
              : await this.smartQueryAt(query, height);
          return BigInt(`0x${word || '0'}`);
        }),
      ),
    );
  }

  /**
   * CometBFT's tx index searched by the bridge's received event, one id at a time (its query language has no
   * OR); the transaction found names every id it consumed, so a batch's ids take one search.
   */
  async deliveryTransactions(ids: Hex[]): Promise<Map<Hex, Hex>> {
    const found = new Map<Hex, Hex>();
    const wanted = new Set(ids.map((id) => id.toLowerCase() as Hex));
    if (wanted.size === 0) return found;
    const final = await this.finalHeight();
    for (const id of wanted) {
      if (found.has(id)) continue;
      const { txs } = await this.comet.txSearch({
        query: `${MESSAGE_RECEIVED_EVENT}.message_id='${id}' AND tx.height<=${final}`,
        per_page: 10,
      });
      for (const tx of txs) {
        if (tx.result.code !== 0) continue;
        for (const event of tx.result.events) {
          if (event.type !== MESSAGE_RECEIVED_EVENT) continue;
          const attr = (key: string) => event.attributes.find((a) => a.key === key)?.value;
          const consumed = attr('message_id')?.toLowerCase() as Hex | undefined;
          if (attr('_contract_address') !== this.config.bridge || !consumed || !wanted.has(consumed)) continue;
          if (!found.has(consumed)) found.set(consumed, `0x${toHex(tx.hash)}`);
        }
      }
    }
    return found;
  }

  /** A smart query of the bridge answered from the state committed at `height` (typed as queryBridge's). */
  private async smartQueryAt<Q extends QueryMsg>(query: Q, height: bigint): Promise<Answer<Q>> {
    const request = QuerySmartContractStateRequest.encode({
      address: this.config.bridge,
      queryData: toUtf8(JSON.stringify(query)),
    }).finish();
    const response = await this.query.queryAbci('/cosmwasm.wasm.v1.Query/SmartContractState', request, Number(height));
    return JSON.parse(fromUtf8(QuerySmartContractStateResponse.decode(response.value).data)) as Answer<Q>;
  }

  bridgeConfig(): Promise<BridgeConfig> {
    return queryBridge(this.query.wasm, this.config.bridge, queries.config());
  }

  async governanceState(): Promise<{ epoch: number; governanceNonce: bigint }> {
    const c = await this.bridgeConfig();
    return { epoch: c.epoch, governanceNonce: BigInt(c.governance_nonce) };
  }

  async deliver(batch: SignedBatch): Promise<Hex> {
    const [first] = batch.messages;
    if (!first) throw new DeliveryRevertedError('EmptyBatch');
    const msg =
      batch.messages.length === 1
        ? receiveMessageMsg(first, batch.epoch, batch.signature)
        : receiveBatchMsg(batch.messages, batch.epoch, batch.signature);
    const execute: EncodeObject = {
      typeUrl: '/cosmwasm.wasm.v1.MsgExecuteContract',
      value: MsgExecuteContract.fromPartial({
        sender: this.sender.address,
        contract: this.config.bridge,
        msg: toUtf8(JSON.stringify(msg)),
        funds: [],
      }),
    };
    return this.broadcast([execute]);
  }

  /**
   * Simulates, signs and broadcasts (sync: returns once the mempool took it). The account sequence is
   * kept here, not read from the chain each time, because a transaction in the mempool is not in the
   * committed state yet; on "account sequence mismatch" it takes the sequence the chain expects and retries.
   */
  private async broadcast(messages: EncodeObject[]): Promise<Hex> {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (!this.sequence) {
        const acc = await this.signing.getSequence(this.sender.address);
        this.sequence = { accountNumber: acc.accountNumber, next: acc.sequence };
      }
      const { accountNumber, next } = this.sequence;
      let gas: number;
      try {
        const sim = await this.query.tx.simulate(
          messages.map((m) => this.signing.registry.encodeAsAny(m)),
          '',
          encodeSecp256k1Pubkey(this.sender.pubkey),
          next,
        );
        gas = Number(sim.gasInfo?.gasUsed ?? 0n);
      } catch (e) {
        const text = (e as Error).message;
        if (this.resync(text)) continue;
        throw new DeliveryRevertedError(bridgeErrorName(text) ?? text.split('\n')[0] ?? 'simulation failed');
      }
      const fee = calculateFee(Math.ceil(gas * GAS_ADJUSTMENT), this.gasPrice);
      const signed = await this.signing.sign(this.sender.address, messages, fee, '', {
        accountNumber,
        sequence: next,
        chainId: this.config.cosmosChainId,
      });
      const bytes = TxRaw.encode(signed).finish();
      const res = await this.comet.broadcastTxSync({ tx: bytes });
      if (res.code === 0) {
        this.sequence = { accountNumber, next: next + 1 };
        return `0x${toHex(sha256(bytes))}`;
      }
      if (res.code === WRONG_SEQUENCE_CODE || this.resync(res.log ?? '')) {
        this.resync(res.log ?? '', true);
        continue;
      }
      throw new DeliveryRevertedError(bridgeErrorName(res.log ?? '') ?? `CheckTx code ${res.code}: ${res.log}`);
    }
    throw new Error(`${this.name}: account sequence mismatch persisted after 3 attempts`);
  }

  /** On a sequence mismatch, adopt the sequence the chain expects (or re-read it). */
  private resync(log: string, force = false): boolean {
    const mismatch = /account sequence mismatch, expected (\d+)/.exec(log);
    if (!mismatch && !force) return false;
    this.sequence =
      mismatch && this.sequence ? { accountNumber: this.sequence.accountNumber, next: Number(mismatch[1]) } : undefined;
    return true;
  }

  async deliveryState(tx: Hex): Promise<DeliveryState> {
    let found: Awaited<ReturnType<Comet38Client['tx']>>;
    try {
      found = await this.comet.tx({ hash: hexToBytes(tx) });
    } catch {
      // not in a block (yet): CometBFT's mempool is not indexed, so "pending" until the confirm stage's limit
      return { state: 'pending' };
    }
    const blockNumber = BigInt(found.height);
    if (found.result.code !== 0) return { state: 'reverted', blockNumber };
    return { state: 'included', blockNumber, final: blockNumber <= (await this.finalHeight()) };
  }

  async walletBalance(): Promise<bigint> {
    const coin = await this.query.bank.balance(this.sender.address, this.gasPrice.denom);
    return BigInt(coin.amount);
  }
}
