/**
 * The Substrate chain family: @polkadot/api over WebSocket against a runtime with `pallet-sah-bridge`
 * (contracts/substrate). Outbound messages are the pallet's `MessageSent` events, read block by block up to
 * the finalized head; verification re-reads the block's events and the pallet's `OutboundMessages(nonce)`;
 * delivery is a `receive_message` / `receive_batch` extrinsic signed by the operator's delivery key, an
 * ECDSA (secp256k1) account on this chain, with its nonce kept here (the chain's count lags the pool).
 */
import { ApiPromise, Keyring } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { SpRuntimeDispatchError } from '@polkadot/types/lookup';
import { cryptoWaitReady } from '@polkadot/util-crypto';
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
import { bitIsSet, consumedByWords, type MessageRef, wordIndexOf } from '../consumed.js';
import type { SubstrateChainConfig } from './config.js';
import type {} from './interfaces/augment-api.js';
import type {} from './interfaces/types-lookup.js';
import { wsProvider } from './wsProvider.js';

/** A delivery not in any block after this many blocks is taken as dropped. */
const MISSING_AFTER_BLOCKS = 20;
/**
 * Deliveries are mortal: valid for this many blocks from the head they were signed at, then never. So a
 * delivery the pool lost, once declared missing (MISSING_AFTER_BLOCKS, longer than this), cannot land
 * later beside its re-send. A power of two, as the era encoding wants.
 */
const DELIVERY_ERA_BLOCKS = 16;

interface BlockExtrinsic {
  hash: Hex;
  success: boolean;
  /** The dispatch error's name when it failed (e.g. MessageAlreadyConsumed). */
  error?: string;
  /** Bridge messages it emitted (hex encodings). */
  messages: Hex[];
  /** Message ids the bridge consumed in it (its MessageReceived events). */
  received: Hex[];
}

export class SubstrateChainAdapter implements ChainAdapter {
  readonly name: string;
  readonly protocolChainId: number;
  readonly pollIntervalMs: number;
  readonly maxBlockRange: number;
  readonly bridgeAccount: Hex;
  readonly instance: InstanceBinding;
  private nextNonce: number | undefined;
  private readonly finalCache = new TtlCache<'final', bigint>(FINAL_HEIGHT_TTL_MS);
  private readonly blocks = new TtlCache<bigint, BlockExtrinsic[]>(BLOCK_TTL_MS);
  /** Height at which this adapter submitted each delivery (where to start looking for it). */
  private readonly submitted = new Map<Hex, bigint>();

  private constructor(
    private readonly config: Omit<SubstrateChainConfig, 'verifier'>,
    private readonly api: ApiPromise,
    private readonly pair: KeyringPair,
  ) {
    this.name = config.name;
    this.protocolChainId = config.protocolChainId;
    this.pollIntervalMs = config.pollIntervalMs;
    this.maxBlockRange = config.maxBlockRange;
    this.bridgeAccount = api.createType('AccountId32', this.palletAccount()).toHex() as Hex;
    // the genesis hash (a fork keeps the pallet but not this) and the pallet's configured instance id
    this.instance = {
      chainBinding: api.genesisHash.toHex() as Hex,
      bridge: api.consts.sahBridge.instanceId.toHex() as Hex,
    };
  }

  static async connect(config: Omit<SubstrateChainConfig, 'verifier'>, walletKey: Hex): Promise<SubstrateChainAdapter> {
    await cryptoWaitReady();
    const api = await ApiPromise.create({
      provider: wsProvider(config.wsUrl),
      noInitWarn: true,
      throwOnConnect: true,
    });
    // the generated types say the runtime has the pallet; the endpoint's runtime may not
    const bridge = api.consts.sahBridge as typeof api.consts.sahBridge | undefined;
    if (!bridge) throw new Error(`${config.wsUrl} runs no sah-bridge pallet`);
    const chainId = Number(bridge.chainId.toString());
    if (chainId !== config.protocolChainId)
      throw new Error(`${config.wsUrl}: the pallet is chain ${chainId}, not ${config.protocolChainId}`);
    const pair = new Keyring({ type: 'ecdsa', ss58Format: config.ss58Prefix }).addFromSeed(hexToBytes(walletKey));
    return new SubstrateChainAdapter(config, api, pair);
  }

  async disconnect(): Promise<void> {
    await this.api.disconnect();
  }

  /** The operator's delivery account on this chain (SS58). */
  get deliveryAddress(): string {
    return this.pair.address;
  }

  /** `modl` ++ the pallet id ++ zeros: the pallet's AccountId32 (PalletId::into_account_truncating). */
  private palletAccount(): Uint8Array {
    const id = this.api.consts.sahBridge.palletId.toU8a();
    const out = new Uint8Array(32);
    out.set(new TextEncoder().encode('modl'));
    out.set(id.slice(0, 8), 4);
    return out;
  }

  private get pallet() {
    return this.api.query.sahBridge;
  }

  finalHeight(): Promise<bigint> {
    return this.finalCache.get('final', async () => {
      const header = await this.api.rpc.chain.getHeader(await this.api.rpc.chain.getFinalizedHead());
      return BigInt(header.number.toNumber()) - BigInt(this.config.finality.confirmations);
    });
  }

  /**
   * The pallet's `ConsumedWords` read at the block finalHeight names (the finalized head, less any
   * confirmations), a word per 256 nonces of a source in one multi-key read.
   */
  async deliveredFinal(messages: MessageRef[]): Promise<boolean[]> {
    if (messages.length === 0) return [];
    const height = await this.finalHeight();
    if (height < 0n) return messages.map(() => false);
    const hash = await this.api.rpc.chain.getBlockHash(height);
    const at = await this.api.at(hash);
    return consumedByWords(messages, async (words) => {
      const got = await at.query.sahBridge.consumedWords.multi(words.map((w) => [w.sourceChain, w.wordIndex]));
      return got.map((w) => BigInt(w.toHex()));
    });
  }

  async outboundMessages(from: bigint, to: bigint): Promise<ObservedMessage[]> {
    const out: ObservedMessage[] = [];
    for (let h = from; h <= to; h++)
      for (const ext of await this.blockExtrinsics(h))
        if (ext.success) for (const message of ext.messages) out.push(observedMessage(message, ext.hash, h));
    return out;
  }

  /**
   * The pallet's `OutboundNonce` read at the block `height` names (the state after that block): the number
   * of messages it had sent by the end of it. A ValueQuery, so a chain where it was never written reads 0;
   * below the genesis block: none.
   */
  async outboundCountAt(height: bigint): Promise<bigint> {
    if (height < 0n) return 0n;
    const hash = await this.api.rpc.chain.getBlockHash(height);
    if (hash.isEmpty) throw new Error(`${this.name}: no block at height ${height}`);
    const nonce = await this.pallet.outboundNonce.at(hash);
    return BigInt(nonce.toString());
  }

  /** A block's extrinsics with their hashes, outcome and the bridge messages they emitted (cached). */
  private blockExtrinsics(height: bigint): Promise<BlockExtrinsic[]> {
    return this.blocks.get(height, async () => {
      const hash = await this.api.rpc.chain.getBlockHash(height);
      const [block, events] = await Promise.all([
        this.api.rpc.chain.getBlock(hash),
        this.api.query.system.events.at(hash),
      ]);
      return block.block.extrinsics.map((ext, index): BlockExtrinsic => {
        const mine = events.filter((e) => e.phase.isApplyExtrinsic && e.phase.asApplyExtrinsic.toNumber() === index);
        const failed = mine.map((e) => e.event).find((e) => this.api.events.system.ExtrinsicFailed.is(e));
        const messages: Hex[] = [];
        const received: Hex[] = [];
        for (const { event } of mine) {
          if (this.api.events.sahBridge.MessageSent.is(event)) messages.push(event.data.message.toHex());
          if (this.api.events.sahBridge.MessageReceived.is(event))
            received.push(event.data.messageId.toHex().toLowerCase() as Hex);
        }
        return {
          hash: ext.hash.toHex() as Hex,
          success: !failed,
          ...(failed && this.api.events.system.ExtrinsicFailed.is(failed)
            ? { error: this.errorName(failed.data.dispatchError) }
            : {}),
          messages,
          received,
        };
      });
    });
  }

  private errorName(dispatchError: SpRuntimeDispatchError): string {
    if (dispatchError.isModule) return this.api.registry.findMetaError(dispatchError.asModule).name;
    return dispatchError.toString();
  }

  /** The pallet's MessageReceived events, final blocks scanned newest first (a delivery is recent). */
  async deliveryTransactions(ids: Hex[]): Promise<Map<Hex, Hex>> {
    const found = new Map<Hex, Hex>();
    const wanted = new Set(ids.map((id) => id.toLowerCase() as Hex));
    const final = await this.finalHeight();
    const oldest = final > BigInt(this.maxBlockRange) ? final - BigInt(this.maxBlockRange) : 1n;
    for (let h = final; h >= oldest && found.size < wanted.size; h--)
      for (const ext of await this.blockExtrinsics(h))
        if (ext.success) for (const id of ext.received) if (wanted.has(id) && !found.has(id)) found.set(id, ext.hash);
    return found;
  }

  async isDelivered(message: MessageRef): Promise<boolean> {
    const word = await this.pallet.consumedWords(message.sourceChain, wordIndexOf(message.nonce));
    return bitIsSet(BigInt(word.toHex()), message.nonce);
  }

  async governanceState(): Promise<{ epoch: number; governanceNonce: bigint }> {
    const [epoch, nonce] = await Promise.all([this.pallet.epoch(), this.pallet.governanceNonce()]);
    return { epoch: Number(epoch.toString()), governanceNonce: BigInt(nonce.toString()) };
  }

  async deliver(batch: SignedBatch): Promise<Hex> {
    const [first] = batch.messages;
    if (!first) throw new DeliveryRevertedError('EmptyBatch');
    const tx = this.api.tx.sahBridge;
    const call =
      batch.messages.length === 1
        ? tx.receiveMessage(first, batch.epoch, batch.signature)
        : tx.receiveBatch(batch.messages, batch.epoch, batch.signature);
    for (let attempt = 0; attempt < 3; attempt++) {
      const chainNext = (await this.api.rpc.system.accountNextIndex(this.pair.address)).toNumber();
      const nonce = Math.max(chainNext, this.nextNonce ?? 0);
      const signed = await call.signAsync(this.pair, { nonce, era: DELIVERY_ERA_BLOCKS });
      const head = await this.api.rpc.chain.getHeader();
      try {
        const hash = (await this.api.rpc.author.submitExtrinsic(signed)).toHex() as Hex;
        this.nextNonce = nonce + 1;
        this.submitted.set(hash, BigInt(head.number.toNumber()));
        return hash;
      } catch (e) {
        const text = (e as Error).message;
        // the pool refused the nonce (stale or used): count again from the chain
        if (/Stale|Future|1010|priority is too low/i.test(text)) {
          this.nextNonce = undefined;
          continue;
        }
        throw new DeliveryRevertedError(text.split('\n')[0] ?? 'submission refused');
      }
    }
    throw new Error(`${this.name}: the pool kept refusing the delivery's nonce`);
  }

  async deliveryState(tx: Hex): Promise<DeliveryState> {
    const head = BigInt((await this.api.rpc.chain.getHeader()).number.toNumber());
    const from = this.submitted.get(tx) ?? (head > 50n ? head - 50n : 1n);
    for (let h = from; h <= head; h++) {
      const ext = (await this.blockExtrinsics(h)).find((e) => e.hash === tx.toLowerCase());
      if (!ext) continue;
      if (!ext.success) return { state: 'reverted', blockNumber: h };
      return { state: 'included', blockNumber: h, final: h <= (await this.finalHeight()) };
    }
    return head - from > BigInt(MISSING_AFTER_BLOCKS) ? { state: 'missing' } : { state: 'pending' };
  }

  async walletBalance(): Promise<bigint> {
    const account = await this.api.query.system.account(this.pair.address);
    return BigInt(account.data.free.toString());
  }
}
