/**
 * FlowClient on a CosmWasm chain: the bridge contract's attestation and job messages (contracts/cosmwasm),
 * signed with a mnemonic's first account. SAH here is the bridge's wrapped cw20 of SAH's home id.
 */
import { type ExecuteResult, SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { toBase64, toUtf8 } from '@cosmjs/encoding';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice } from '@cosmjs/stargate';
import type { Hex } from 'viem';
import { bech32ToBytes32 } from '../chains/cosmwasm/account.js';
import {
  type AttestationResponse,
  attestMsg,
  bridgeErrorName,
  cancelJobMsg,
  claimJobMsg,
  expireJobMsg,
  type JobResponse,
  MESSAGE_SENT_EVENT,
  postJobHookMsg,
  queries,
  revokeMsg,
  submitResultMsg,
} from '../chains/cosmwasm/bridgeContract.js';
import { cosmosOwnerDid } from '../protocol/did.js';
import {
  type ChainJob,
  FlowCallError,
  type FlowClient,
  type PostedJob,
  type PostJobRequest,
  type RegistryRecord,
  type Submitted,
} from './flows.js';

export interface CosmwasmFlowOptions {
  protocolChainId: number;
  rpcUrl: string;
  cosmosChainId: string;
  bridge: string;
  prefix: string;
  gasPrice: string;
  mnemonic: string;
  /** SAH's home id (§3.1): the cw20 the bridge wrapped it into pays jobs. */
  sah: { originChain: number; originToken: Hex };
  /** How often a call looks for its transaction in a block; default 500 ms. */
  pollMs?: number;
}

const hex = (plain: string | null | undefined): Hex | undefined => (plain ? (`0x${plain}` as Hex) : undefined);

export class CosmwasmFlowClient implements FlowClient {
  /** The last execute in flight: the next one waits for it (one account sequence at a time). */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly o: CosmwasmFlowOptions,
    private readonly client: SigningCosmWasmClient,
    private readonly address: string,
    readonly account: Hex,
  ) {}

  get protocolChainId(): number {
    return this.o.protocolChainId;
  }

  static async connect(o: CosmwasmFlowOptions): Promise<CosmwasmFlowClient> {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(o.mnemonic, { prefix: o.prefix });
    const [first] = await wallet.getAccounts();
    if (!first) throw new FlowCallError('NoAccount', 'the mnemonic gives no account');
    const client = await SigningCosmWasmClient.connectWithSigner(o.rpcUrl, wallet, {
      gasPrice: GasPrice.fromString(o.gasPrice),
      // cosmjs looks for the transaction every 3 s by default: every call would take 3 s or more
      broadcastPollIntervalMs: o.pollMs ?? 500,
    });
    return new CosmwasmFlowClient(o, client, first.address, bech32ToBytes32(first.address));
  }

  async ownerDid(): Promise<string> {
    return cosmosOwnerDid(this.o.cosmosChainId, this.address);
  }

  async chainTime(): Promise<bigint> {
    const block = await this.client.getBlock();
    return BigInt(Math.floor(Date.parse(block.header.time) / 1000));
  }

  private async sahToken(): Promise<string | undefined> {
    const token = (await this.client.queryContractSmart(
      this.o.bridge,
      queries.wrappedToken(this.o.sah.originChain, this.o.sah.originToken),
    )) as string | null;
    return token ?? undefined;
  }

  async sahBalance(): Promise<bigint> {
    const token = await this.sahToken();
    if (!token) return 0n;
    const { balance } = (await this.client.queryContractSmart(token, { balance: { address: this.address } })) as {
      balance: string;
    };
    return BigInt(balance);
  }

  /**
   * Executes (simulated first for the gas: a refusal comes back by the bridge's error name, nothing sent; a
   * transaction that fails in its block is named from its log). Calls from one client go out one at a
   * time: concurrent calls would sign with the same account sequence and all but one would be refused.
   */
  private execute(contract: string, msg: object): Promise<ExecuteResult> {
    const run = this.queue.then(() => this.executeNow(contract, msg));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async executeNow(contract: string, msg: object): Promise<ExecuteResult> {
    try {
      return await this.client.execute(this.address, contract, msg, 'auto');
    } catch (e) {
      const text = (e as Error).message;
      throw new FlowCallError(bridgeErrorName(text) ?? 'TransactionFailed', text.split('\n')[0] ?? text);
    }
  }

  private submitted(result: ExecuteResult): Submitted {
    const messageIds = result.events
      .filter((e) => e.type === MESSAGE_SENT_EVENT)
      .map((e) => e.attributes.find((a) => a.key === 'message_id')?.value as Hex)
      .filter(Boolean);
    return { tx: `0x${result.transactionHash.toLowerCase()}` as Hex, messageIds };
  }

  async attest(dataHash: Hex, uri: string, license: string, destinations: number[]): Promise<Submitted> {
    return this.submitted(await this.execute(this.o.bridge, attestMsg(dataHash, uri, license, destinations)));
  }

  async revoke(dataHash: Hex, destinations: number[]): Promise<Submitted> {
    return this.submitted(await this.execute(this.o.bridge, revokeMsg(dataHash, destinations)));
  }

  async attestation(dataHash: Hex): Promise<RegistryRecord | undefined> {
    const r = (await this.client.queryContractSmart(
      this.o.bridge,
      queries.attestation(dataHash),
    )) as AttestationResponse;
    if (!r.record) return undefined;
    return {
      ownerDid: r.record.owner_did,
      originChain: r.record.origin_chain,
      originNonce: BigInt(r.record.origin_nonce),
      uri: r.record.uri,
      license: r.record.license,
      timestamp: BigInt(r.record.timestamp),
      revoked: r.record.revoked,
      conflicts: r.conflict_count,
    };
  }

  async postJob(r: PostJobRequest): Promise<PostedJob> {
    const token = await this.sahToken();
    if (!token) throw new FlowCallError('NoWrappedSah', `no wrapped SAH on chain ${this.o.protocolChainId} yet`);
    const result = await this.execute(token, {
      send: {
        contract: this.o.bridge,
        amount: r.amount.toString(),
        msg: toBase64(toUtf8(JSON.stringify(postJobHookMsg(r.specHash, r.executorChain, r.deadline)))),
      },
    });
    const posted = result.events.find((e) => e.type === 'wasm-sah_job_posted' || e.type === 'sah_job_posted');
    const jobId = hex(posted?.attributes.find((a) => a.key === 'job_id')?.value.replace(/^0x/, ''));
    if (!jobId) throw new FlowCallError('NoJobId', `transaction ${result.transactionHash} posted no job`);
    return { ...this.submitted(result), jobId };
  }

  async cancelJob(jobId: Hex): Promise<Submitted> {
    return this.submitted(await this.execute(this.o.bridge, cancelJobMsg(jobId)));
  }

  async claimJob(jobId: Hex): Promise<Submitted> {
    return this.submitted(await this.execute(this.o.bridge, claimJobMsg(jobId)));
  }

  async submitResult(jobId: Hex, resultHash: Hex, payTo: Hex): Promise<Submitted> {
    return this.submitted(await this.execute(this.o.bridge, submitResultMsg(jobId, resultHash, payTo)));
  }

  async expireJob(jobId: Hex): Promise<Submitted> {
    return this.submitted(await this.execute(this.o.bridge, expireJobMsg(jobId)));
  }

  async job(jobId: Hex): Promise<ChainJob> {
    const r = (await this.client.queryContractSmart(this.o.bridge, queries.job(jobId))) as JobResponse;
    const out: ChainJob = {};
    if (r.posted)
      out.escrow = {
        status: r.posted.status === 'cancel_requested' ? 'cancel-requested' : r.posted.status,
        payer: bech32ToBytes32(r.posted.payer),
        executorChain: r.posted.executor_chain,
        amount: BigInt(r.posted.amount),
        deadline: BigInt(r.posted.deadline),
      };
    if (r.received) {
      const resultHash = hex(r.received.result_hash);
      out.executor = {
        status: r.received.status,
        escrowChain: r.received.escrow_chain,
        deadline: BigInt(r.received.deadline),
        ...(r.received.claimer ? { claimer: bech32ToBytes32(r.received.claimer) } : {}),
        ...(resultHash ? { resultHash } : {}),
      };
    }
    return out;
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
