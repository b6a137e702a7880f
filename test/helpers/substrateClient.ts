/** Test helpers over the devnet's Polkadot chain (the dev runtime under chopsticks): pallet state, balances, dev-account calls. */
import { ApiPromise, Keyring } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { Codec, ISubmittableResult } from '@polkadot/types/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import type { Hex } from 'viem';
import { bitIsSet, wordIndexOf } from '../../relayer/chains/consumed.js';
import { ss58ToBytes32 } from '../../relayer/chains/substrate/account.js';
import type {} from '../../relayer/chains/substrate/interfaces/augment-api.js';
import type {} from '../../relayer/chains/substrate/interfaces/types-lookup.js';
import { wrappedAssetOf } from '../../relayer/chains/substrate/wrappedAssets.js';
import { wsProvider } from '../../relayer/chains/substrate/wsProvider.js';
import { chainsOf, type DevnetChainInfoOf, type DevnetInfo } from '../../relayer/sdk/devnetInfo.js';
import { refOf, rememberMessage } from './messageRefs.js';

type Call = SubmittableExtrinsic<'promise'>;

export class SubstrateClient {
  /** Next nonce per account: the chain's count can lag right after a block. */
  private readonly nonces = new Map<string, number>();

  private constructor(
    readonly info: DevnetInfo,
    readonly chain: DevnetChainInfoOf<'substrate'>,
    readonly api: ApiPromise,
    private readonly keyring: Keyring,
  ) {}

  static async connect(info: DevnetInfo): Promise<SubstrateClient> {
    const chain = chainsOf(info, 'substrate')[0];
    if (!chain) throw new Error('the devnet has no Polkadot chain');
    await cryptoWaitReady();
    const api = await ApiPromise.create({ provider: wsProvider(chain.wsUrl), noInitWarn: true });
    return new SubstrateClient(info, chain, api, new Keyring({ type: 'sr25519', ss58Format: chain.ss58Prefix }));
  }

  async disconnect(): Promise<void> {
    await this.api.disconnect();
  }

  private async nextNonce(address: string): Promise<number> {
    const chain = (await this.api.rpc.system.accountNextIndex(address)).toNumber();
    const nonce = Math.max(chain, this.nonces.get(address) ?? 0);
    this.nonces.set(address, nonce + 1);
    return nonce;
  }

  account(uri: string): { pair: KeyringPair; address: string; form: Hex } {
    const pair = this.keyring.addFromUri(uri);
    return { pair, address: pair.address, form: ss58ToBytes32(pair.address) };
  }

  private get pallet() {
    return this.api.query.sahBridge;
  }

  /** Whether the pallet consumed message `id` (its replay bit; false while no node has observed it). */
  async isConsumed(id: Hex): Promise<boolean> {
    const ref = await refOf(this.info, id);
    if (!ref) return false;
    const word = await this.pallet.consumedWords(ref.sourceChain, wordIndexOf(ref.nonce));
    return bitIsSet(BigInt(word.toHex()), ref.nonce);
  }

  async waitConsumed(ids: Hex[], timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ((await Promise.all(ids.map((id) => this.isConsumed(id)))).every(Boolean)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`not delivered on ${this.chain.name} within ${timeoutMs} ms`);
  }

  /** The asset the pallet minted for (originChain, originToken), if any. */
  wrappedAsset(originChain: number, originToken: Hex): Promise<number | undefined> {
    return wrappedAssetOf(this.api, originChain, originToken);
  }

  async assetBalance(asset: number, address: string): Promise<bigint> {
    const a = await this.api.query.assets.account(asset, address);
    return a.isSome ? BigInt(a.unwrap().balance.toString()) : 0n;
  }

  async assetSupply(asset: number): Promise<bigint> {
    const d = await this.api.query.assets.asset(asset);
    return d.isSome ? BigInt(d.unwrap().supply.toString()) : 0n;
  }

  async free(address: string): Promise<bigint> {
    return BigInt((await this.api.query.system.account(address)).data.free.toString());
  }

  async locked(originToken: Hex): Promise<bigint> {
    const l = await this.pallet.locked(originToken);
    return l.isSome ? BigInt(l.unwrap().toString()) : 0n;
  }

  /** Sends a pallet call from a dev account and returns the bridge message id it emitted. */
  private async send(uri: string, call: Call): Promise<Hex> {
    const { pair } = this.account(uri);
    const nonce = await this.nextNonce(pair.address);
    return new Promise<Hex>((resolve, reject) => {
      call
        .signAndSend(pair, { nonce }, ({ status, events, dispatchError }: ISubmittableResult) => {
          if (dispatchError) {
            const name = dispatchError.isModule
              ? this.api.registry.findMetaError(dispatchError.asModule).name
              : dispatchError.toString();
            reject(new Error(`refused: ${name}`));
            return;
          }
          if (!status.isInBlock && !status.isFinalized) return; // finalized can be reported first
          const sent = events.map((e) => e.event).find((e) => this.api.events.sahBridge.MessageSent.is(e));
          if (sent && this.api.events.sahBridge.MessageSent.is(sent)) {
            const id = sent.data.messageId.toHex();
            rememberMessage(id, sent.data.message.toHex());
            resolve(id);
          } else reject(new Error('no bridge message emitted'));
        })
        .catch(reject);
    });
  }

  /** The arguments of a `receive_message` / `receive_batch` extrinsic in a recent block, found by its hash. */
  async deliveryCall(txHash: Hex): Promise<{ method: string; args: Codec[] }> {
    const head = (await this.api.rpc.chain.getHeader()).number.toNumber();
    for (let h = head; h > 0 && h > head - 200; h--) {
      const block = await this.api.rpc.chain.getBlock(await this.api.rpc.chain.getBlockHash(h));
      const ext = block.block.extrinsics.find((e) => e.hash.toHex() === txHash.toLowerCase());
      if (ext) return { method: ext.method.method, args: ext.method.args };
    }
    throw new Error(`extrinsic ${txHash} not in the last 200 blocks`);
  }

  /** Submits `receive_message` from a dev account; resolves to the pallet's error name, or 'ok'. */
  receiveMessage(uri: string, message: Hex, epoch: number, signature: Hex): Promise<string> {
    return this.submitCall(uri, 'receiveMessage', [message, epoch, signature]);
  }

  /** Submits a bridge pallet call (e.g. a delivery read back with `deliveryCall`) from a dev account; resolves to the pallet's error name, or 'ok'. */
  async submitCall(uri: string, method: string, args: unknown[]): Promise<string> {
    const { pair } = this.account(uri);
    // a call named at run time (read back from a block): the pallet's calls by name
    const calls = this.api.tx.sahBridge as unknown as Record<string, ((...a: unknown[]) => Call) | undefined>;
    const build = calls[method];
    if (!build) throw new Error(`the bridge pallet has no call ${method}`);
    const call = build(...args);
    const nonce = await this.nextNonce(pair.address);
    return new Promise<string>((resolve, reject) => {
      call
        .signAndSend(pair, { nonce }, ({ status, dispatchError }: ISubmittableResult) => {
          if (!status.isInBlock && !status.isFinalized) return; // finalized can be reported first
          if (!dispatchError) resolve('ok');
          else if (dispatchError.isModule) resolve(this.api.registry.findMetaError(dispatchError.asModule).name);
          else resolve(dispatchError.toString());
        })
        .catch(reject);
    });
  }

  lockNative(uri: string, amount: bigint, destinationChain: number, recipient: Hex): Promise<Hex> {
    return this.send(uri, this.api.tx.sahBridge.lockNative(amount, destinationChain, recipient));
  }

  burn(uri: string, asset: number, amount: bigint, destinationChain: number, recipient: Hex): Promise<Hex> {
    return this.send(uri, this.api.tx.sahBridge.burn(asset, amount, destinationChain, recipient));
  }
}
