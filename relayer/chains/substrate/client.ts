/**
 * The Substrate family's user client (@polkadot/api, an sr25519 account from a URI: `//Alice` on the devnet),
 * all on the bridge pallet (contracts/substrate): the chain's own currency locked on its home (`lock_native`)
 * or a wrapped asset burned, data attestations and compute jobs. SAH here is the pallet's wrapped asset.
 * Loaded by `user.ts` on first use; the SDK and the CLI reach it through the registry.
 */
import { ApiPromise, Keyring } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { Bytes } from '@polkadot/types';
import type { DispatchError } from '@polkadot/types/interfaces';
import type { FrameSystemEventRecord } from '@polkadot/types/lookup';
import type { ISubmittableResult } from '@polkadot/types/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import type { Hex } from 'viem';
import { oneLine } from '../../cli/errors.js';
import { substrateOwnerDid } from '../../protocol/did.js';
import {
  type ChainJob,
  FlowCallError,
  type FlowClient,
  InvalidRequestError,
  type PostedJob,
  type PostJobRequest,
  parseAmount,
  type RegistryRecord,
  type Submitted,
  type TransferRequest,
  type TransferResult,
} from '../../sdk/flows.js';
import type { AssetId } from '../family.js';
import { bytes32ToSs58, ss58ToBytes32 } from './account.js';
import type {} from './interfaces/augment-api.js';
import type {} from './interfaces/types-lookup.js';
import type { DevnetSubstrateChainInfo } from './user.js';
import { wrappedAssetOf } from './wrappedAssets.js';
import { wsProvider } from './wsProvider.js';

type Call = SubmittableExtrinsic<'promise'>;

export interface SubstrateFlowOptions {
  /** The chain's name, which refusals name (`polkadot refused the lock: ...`). */
  name: string;
  protocolChainId: number;
  wsUrl: string;
  ss58Prefix: number;
  uri: string;
  /** SAH's home id (§3.1): the pallet's wrapped asset of it pays jobs. Jobs need it. */
  sah?: AssetId | undefined;
}

/** An SS58 address in the protocol's 32-byte form (§2): the AccountId32 itself. */
export function toBytes32(address: string): Hex {
  return ss58ToBytes32(address);
}

/** A 32-byte account form as an SS58 address with the chain's prefix. */
export function fromBytes32(form: Hex, chain: DevnetSubstrateChainInfo): string {
  return bytes32ToSs58(form, chain.ss58Prefix);
}

/** A client on a devnet Substrate chain. */
export function connect(chain: DevnetSubstrateChainInfo, uri: string, sah: AssetId | undefined): Promise<FlowClient> {
  return SubstrateFlowClient.connect({
    name: chain.name,
    protocolChainId: chain.protocolChainId,
    wsUrl: chain.wsUrl,
    ss58Prefix: chain.ss58Prefix,
    uri,
    sah,
  });
}

/** The dev runtime's native currency has 12 decimals. */
const NATIVE_DECIMALS = 12;

const utf8 = (bytes: Bytes): string => new TextDecoder().decode(bytes.toU8a(true));
const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const kebab = (s: string) => lower(s).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export class SubstrateFlowClient implements FlowClient {
  private nonce = 0;

  private constructor(
    private readonly o: SubstrateFlowOptions,
    private readonly api: ApiPromise,
    private readonly pair: KeyringPair,
    readonly account: Hex,
  ) {}

  get protocolChainId(): number {
    return this.o.protocolChainId;
  }

  static async connect(o: SubstrateFlowOptions): Promise<SubstrateFlowClient> {
    await cryptoWaitReady();
    const api = await ApiPromise.create({ provider: wsProvider(o.wsUrl), noInitWarn: true });
    const pair = new Keyring({ type: 'sr25519', ss58Format: o.ss58Prefix }).addFromUri(o.uri);
    return new SubstrateFlowClient(o, api, pair, ss58ToBytes32(pair.address));
  }

  private get query() {
    return this.api.query.sahBridge;
  }

  private get tx() {
    return this.api.tx.sahBridge;
  }

  async ownerDid(): Promise<string> {
    const genesis = (await this.api.rpc.chain.getBlockHash(0)).toHex() as Hex;
    return substrateOwnerDid(genesis, this.account, this.o.ss58Prefix);
  }

  async chainTime(): Promise<bigint> {
    return BigInt((await this.api.query.timestamp.now()).toString()) / 1000n;
  }

  private get sah(): AssetId {
    if (!this.o.sah) throw new FlowCallError('NoSah', 'the devnet has no SAH home chain');
    return this.o.sah;
  }

  async sahBalance(): Promise<bigint> {
    const asset = await wrappedAssetOf(this.api, this.sah.originChain, this.sah.originToken);
    if (asset === undefined) return 0n;
    const a = await this.api.query.assets.account(asset, this.pair.address);
    return a.isSome ? BigInt(a.unwrap().balance.toString()) : 0n;
  }

  /**
   * Signs and submits; resolves once in a block (or final, whichever is reported first), with the pallet's
   * events of the extrinsic. A dispatch error (the extrinsic is in a block, its call refused) comes back by
   * the pallet's error name; an extrinsic the pool refuses or drops is `TransactionFailed`, and the next
   * call reads the nonce from the chain again (the one taken here was never used). With `what` (`polkadot
   * refused the lock`), a refusal says it: `<what>: <pallet>.<Error> (<its doc line>)`, and a pool's refusal
   * is named by its reason (`1010: Invalid Transaction: Inability to pay some fees` -> InvalidTransaction).
   */
  private async send(call: Call, what?: string): Promise<{ tx: Hex; events: FrameSystemEventRecord[] }> {
    const next = (await this.api.rpc.system.accountNextIndex(this.pair.address)).toNumber();
    const nonce = Math.max(next, this.nonce);
    this.nonce = nonce + 1;
    const unused = () => {
      if (this.nonce === nonce + 1) this.nonce = nonce;
    };
    return new Promise((resolve, reject) => {
      let tx: Hex;
      let unsubscribe: (() => void) | undefined;
      let settled = false;
      const settle = (f: () => void) => {
        if (settled) return;
        settled = true;
        unsubscribe?.();
        f();
      };
      call
        .signAndSend(this.pair, { nonce }, ({ status, events, dispatchError, txHash }: ISubmittableResult) => {
          tx = txHash.toHex() as Hex;
          if (status.isInvalid || status.isDropped || status.isUsurped) {
            unused();
            settle(() => reject(new FlowCallError('TransactionFailed', `extrinsic ${tx} ${status.type}`)));
            return;
          }
          // in a block, or already final: @polkadot/api drops the in-block result when the finalized
          // status comes before that block's events are read (chopsticks finalizes 100 ms after)
          if (!status.isInBlock && !status.isFinalized) return;
          if (dispatchError) {
            const block = (status.isInBlock ? status.asInBlock : status.asFinalized).toHex();
            const name = dispatchError.isModule
              ? this.api.registry.findMetaError(dispatchError.asModule).name
              : dispatchError.toString();
            const refused = what
              ? this.dispatchRefusal(dispatchError, what)
              : new FlowCallError(name, `extrinsic ${tx} failed in block ${block}`);
            settle(() => reject(refused));
            return;
          }
          const bridgeEvents = events.filter((e) => e.event.section === 'sahBridge') as FrameSystemEventRecord[];
          settle(() => resolve({ tx, events: bridgeEvents }));
        })
        .then((u: () => void) => {
          unsubscribe = u;
          if (settled) u();
        })
        .catch((e: Error) => {
          unused();
          settle(() => reject((what && submitRefusal(e, what)) || new FlowCallError('TransactionFailed', e.message)));
        });
    });
  }

  /**
   * A dispatch error, named: a pallet's error by its metadata (`sahBridge.UnknownWrappedAsset`, `balances.
   * InsufficientBalance`) with its doc line, or a system one by its variant (`Token: FundsUnavailable`).
   */
  private dispatchRefusal(dispatchError: DispatchError, what: string): FlowCallError {
    if (dispatchError.isModule) {
      const meta = this.api.registry.findMetaError(dispatchError.asModule);
      const docs = oneLine(meta.docs.join(' '));
      return new FlowCallError(meta.name, `${what}: ${meta.section}.${meta.name}${docs ? ` (${docs})` : ''}`);
    }
    const kind = String(dispatchError.type);
    // an enum's inner error (Token: FundsUnavailable, Arithmetic: Overflow) is its `as<Kind>` accessor
    const inner = (dispatchError as unknown as Record<string, { type?: unknown } | undefined>)[`as${kind}`];
    const name = typeof inner?.type === 'string' ? inner.type : kind;
    return new FlowCallError(name, `${what}: ${name === kind ? kind : `${kind}: ${name}`}`);
  }

  private submitted(r: { tx: Hex; events: FrameSystemEventRecord[] }): Submitted {
    const messageIds: Hex[] = [];
    for (const { event } of r.events)
      if (this.api.events.sahBridge.MessageSent.is(event)) messageIds.push(event.data.messageId.toHex());
    return { tx: r.tx, messageIds };
  }

  /** `lock_native` of the chain's own currency on its home, `burn` of the pallet's wrapped asset elsewhere. */
  async transfer(r: TransferRequest): Promise<TransferResult> {
    const { name } = this.o;
    const isHome = r.asset.originChain === this.protocolChainId;
    let call: Call;
    if (isHome) {
      if (r.asset.home !== 'native')
        throw new InvalidRequestError(undefined, `${r.asset.symbol} is not the native currency of ${name}`);
      call = this.tx.lockNative(parseAmount(r.amount, NATIVE_DECIMALS), r.destinationChain, r.recipient);
    } else {
      const assetId = await wrappedAssetOf(this.api, r.asset.originChain, r.asset.originToken);
      if (assetId === undefined)
        throw new InvalidRequestError(undefined, `no wrapped ${r.asset.symbol} on ${name} yet: bring some there first`);
      const origin = (await this.query.wrappedOrigins(assetId)).unwrap();
      const amount = parseAmount(r.amount, Number(origin.decimals.toString()));
      call = this.tx.burn(assetId, amount, r.destinationChain, r.recipient);
    }
    const sent = await this.send(call, `${name} refused the ${isHome ? 'lock' : 'burn'}`);
    const message = sent.events.map((e) => e.event).find((e) => this.api.events.sahBridge.MessageSent.is(e));
    if (!message || !this.api.events.sahBridge.MessageSent.is(message))
      throw new Error(`extrinsic ${sent.tx} emitted no bridge message`);
    return {
      action: isHome ? 'lock' : 'burn',
      sourceTx: sent.tx,
      messageId: message.data.messageId.toHex(),
      nonce: message.data.nonce.toBigInt(),
    };
  }

  async attest(dataHash: Hex, uri: string, license: string, destinations: number[]): Promise<Submitted> {
    return this.submitted(await this.send(this.tx.attest(dataHash, uri, license, destinations)));
  }

  async revoke(dataHash: Hex, destinations: number[]): Promise<Submitted> {
    return this.submitted(await this.send(this.tx.revoke(dataHash, destinations)));
  }

  async attestation(dataHash: Hex): Promise<RegistryRecord | undefined> {
    const [record, conflicts] = await Promise.all([
      this.query.attestations(dataHash),
      this.query.conflictCount(dataHash),
    ]);
    if (record.isNone) return undefined;
    const r = record.unwrap();
    return {
      ownerDid: utf8(r.ownerDid),
      originChain: r.originChain.toNumber(),
      originNonce: BigInt(r.originNonce.toString()),
      uri: utf8(r.uri),
      license: utf8(r.license),
      timestamp: BigInt(r.timestamp.toString()),
      revoked: r.revoked.isTrue,
      conflicts: conflicts.toNumber(),
    };
  }

  async postJob(r: PostJobRequest): Promise<PostedJob> {
    const asset = await wrappedAssetOf(this.api, this.sah.originChain, this.sah.originToken);
    if (asset === undefined)
      throw new FlowCallError('NoWrappedSah', `no wrapped SAH on chain ${this.o.protocolChainId} yet`);
    const sent = await this.send(this.tx.postJob({ Asset: asset }, r.amount, r.specHash, r.executorChain, r.deadline));
    const posted = sent.events.map((e) => e.event).find((e) => this.api.events.sahBridge.JobPosted.is(e));
    if (!posted || !this.api.events.sahBridge.JobPosted.is(posted))
      throw new FlowCallError('NoJobId', `extrinsic ${sent.tx} posted no job`);
    return { ...this.submitted(sent), jobId: posted.data.jobId.toHex() };
  }

  async cancelJob(jobId: Hex): Promise<Submitted> {
    return this.submitted(await this.send(this.tx.cancelJob(jobId)));
  }

  async claimJob(jobId: Hex): Promise<Submitted> {
    return this.submitted(await this.send(this.tx.claimJob(jobId)));
  }

  async submitResult(jobId: Hex, resultHash: Hex, payTo: Hex): Promise<Submitted> {
    return this.submitted(await this.send(this.tx.submitResult(jobId, resultHash, payTo)));
  }

  async expireJob(jobId: Hex): Promise<Submitted> {
    return this.submitted(await this.send(this.tx.expireJob(jobId)));
  }

  async job(jobId: Hex): Promise<ChainJob> {
    const [posted, received] = await Promise.all([this.query.postedJobs(jobId), this.query.receivedJobs(jobId)]);
    const out: ChainJob = {};
    if (posted.isSome) {
      const p = posted.unwrap();
      out.escrow = {
        status: kebab(p.state.type) as NonNullable<ChainJob['escrow']>['status'],
        payer: ss58ToBytes32(p.payer.toString()),
        executorChain: p.executorChain.toNumber(),
        amount: BigInt(p.amount.toString()),
        deadline: BigInt(p.deadline.toString()),
      };
    }
    if (received.isSome) {
      const j = received.unwrap();
      const resultHash = j.resultHash.toHex() as Hex;
      out.executor = {
        status: lower(j.state.type) as NonNullable<ChainJob['executor']>['status'],
        escrowChain: j.escrowChain.toNumber(),
        deadline: BigInt(j.deadline.toString()),
        ...(j.claimer.isSome ? { claimer: ss58ToBytes32(j.claimer.unwrap().toString()) } : {}),
        ...(/^0x0+$/.test(resultHash) ? {} : { resultHash }),
      };
    }
    return out;
  }

  async close(): Promise<void> {
    await this.api.disconnect();
  }
}

/** The pool refused the extrinsic (`1010: Invalid Transaction: Inability to pay some fees ...`): named. */
function submitRefusal(e: Error, what: string): FlowCallError | undefined {
  const m = /^\d+: ([A-Za-z ]+?): (.*)$/.exec(oneLine(e.message));
  if (!m?.[1] || !m[2]) return undefined;
  const name = m[1].replace(/(?:^|\s+)(\w)/g, (_s, c: string) => c.toUpperCase());
  return new FlowCallError(name, `${what}: ${m[2]}`, { cause: e });
}
