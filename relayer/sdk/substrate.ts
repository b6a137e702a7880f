/**
 * FlowClient on a Substrate chain: the bridge pallet's attestation and job calls (contracts/substrate),
 * signed by an sr25519 account from a URI (`//Alice` on the devnet). SAH here is the pallet's wrapped asset.
 */
import { ApiPromise, Keyring } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import type { Hex } from 'viem';
import { ss58ToBytes32 } from '../chains/substrate/account.js';
import { wrappedAssetOf } from '../chains/substrate/wrappedAssets.js';
import { wsProvider } from '../chains/substrate/wsProvider.js';
import { substrateOwnerDid } from '../protocol/did.js';
import {
  type ChainJob,
  FlowCallError,
  type FlowClient,
  type PostedJob,
  type PostJobRequest,
  type RegistryRecord,
  type Submitted,
} from './flows.js';

// biome-ignore lint/suspicious/noExplicitAny: the bridge pallet is not in @polkadot/api's generated types
type Untyped = any;

export interface SubstrateFlowOptions {
  protocolChainId: number;
  wsUrl: string;
  ss58Prefix: number;
  uri: string;
  sah: { originChain: number; originToken: Hex };
}

const utf8 = (bytes: Untyped): string => new TextDecoder().decode(bytes.toU8a(true));
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

  private get query(): Untyped {
    return (this.api.query as Untyped).sahBridge;
  }

  private get tx(): Untyped {
    return (this.api.tx as Untyped).sahBridge;
  }

  async ownerDid(): Promise<string> {
    const genesis = (await this.api.rpc.chain.getBlockHash(0)).toHex() as Hex;
    return substrateOwnerDid(genesis, this.account, this.o.ss58Prefix);
  }

  async chainTime(): Promise<bigint> {
    return BigInt((await (this.api.query as Untyped).timestamp.now()).toString()) / 1000n;
  }

  async sahBalance(): Promise<bigint> {
    const asset = await wrappedAssetOf(this.api, this.o.sah.originChain, this.o.sah.originToken);
    if (asset === undefined) return 0n;
    const a = await (this.api.query as Untyped).assets.account(asset, this.pair.address);
    return a.isSome ? BigInt(a.unwrap().balance.toString()) : 0n;
  }

  /**
   * Signs and submits; resolves once in a block (or final, whichever is reported first), with the pallet's
   * events of the extrinsic. A dispatch error (the extrinsic is in a block, its call refused) comes back by
   * the pallet's error name; an extrinsic the pool refuses or drops is `TransactionFailed`, and the next
   * call reads the nonce from the chain again (the one taken here was never used).
   */
  private async send(call: Untyped): Promise<{ tx: Hex; events: Untyped[] }> {
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
        .signAndSend(this.pair, { nonce }, ({ status, events, dispatchError, txHash }: Untyped) => {
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
            const name = dispatchError.isModule
              ? this.api.registry.findMetaError(dispatchError.asModule).name
              : dispatchError.toString();
            const block = (status.isInBlock ? status.asInBlock : status.asFinalized).toHex();
            settle(() => reject(new FlowCallError(name, `extrinsic ${tx} failed in block ${block}`)));
            return;
          }
          settle(() => resolve({ tx, events: events.filter((e: Untyped) => e.event.section === 'sahBridge') }));
        })
        .then((u: () => void) => {
          unsubscribe = u;
          if (settled) u();
        })
        .catch((e: Error) => {
          unused();
          settle(() => reject(new FlowCallError('TransactionFailed', e.message)));
        });
    });
  }

  private submitted(r: { tx: Hex; events: Untyped[] }): Submitted {
    const messageIds = r.events
      .filter((e) => e.event.method === 'MessageSent')
      .map((e) => e.event.data.messageId.toHex() as Hex);
    return { tx: r.tx, messageIds };
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
    const asset = await wrappedAssetOf(this.api, this.o.sah.originChain, this.o.sah.originToken);
    if (asset === undefined)
      throw new FlowCallError('NoWrappedSah', `no wrapped SAH on chain ${this.o.protocolChainId} yet`);
    const sent = await this.send(this.tx.postJob({ Asset: asset }, r.amount, r.specHash, r.executorChain, r.deadline));
    const posted = sent.events.find((e) => e.event.method === 'JobPosted');
    if (!posted) throw new FlowCallError('NoJobId', `extrinsic ${sent.tx} posted no job`);
    return { ...this.submitted(sent), jobId: posted.event.data.jobId.toHex() as Hex };
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
