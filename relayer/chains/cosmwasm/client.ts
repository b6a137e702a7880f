/**
 * The CosmWasm family's user client (@cosmjs, a mnemonic's first account), all on the bridge contract
 * (contracts/cosmwasm): a native denom locked with the call on its home chain or a wrapped cw20 burned (a cw20
 * Send to the bridge, its burn hook), data attestations and compute jobs. SAH here is the bridge's wrapped cw20
 * of SAH's home id. Loaded by `user.ts` on first use; the SDK and the CLI reach it through the registry.
 */
import { type ExecuteResult, SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { toBase64, toUtf8 } from '@cosmjs/encoding';
import type { Coin } from '@cosmjs/proto-signing';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice } from '@cosmjs/stargate';
import type { Hex } from 'viem';
import { chainDetail, oneLine } from '../../cli/errors.js';
import { cosmosOwnerDid } from '../../protocol/did.js';
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
import { bech32ToBytes32, bytes32ToBech32 } from './account.js';
import {
  type AttestationResponse,
  attestMsg,
  bridgeErrorName,
  burnHookMsg,
  cancelJobMsg,
  claimJobMsg,
  expireJobMsg,
  type JobResponse,
  lockMsg,
  MESSAGE_SENT_EVENT,
  postJobHookMsg,
  queries,
  revokeMsg,
  submitResultMsg,
} from './bridgeContract.js';
import type { DevnetCosmwasmChainInfo } from './user.js';

export interface CosmwasmFlowOptions {
  /** The chain's name, which refusals name (`wasmd refused the lock: ...`). */
  name: string;
  protocolChainId: number;
  rpcUrl: string;
  cosmosChainId: string;
  bridge: string;
  prefix: string;
  gasPrice: string;
  mnemonic: string;
  /** SAH's home id (§3.1): the cw20 the bridge wrapped it into pays jobs. Jobs need it. */
  sah?: AssetId | undefined;
  /** How often a call looks for its transaction in a block; default 500 ms. */
  pollMs?: number;
}

/** A bech32 address with the chain's prefix, in the protocol's 32-byte form (§2). */
export function toBytes32(address: string, chain: DevnetCosmwasmChainInfo): Hex {
  return bech32ToBytes32(address, chain.prefix);
}

/** A 32-byte account form as a bech32 address of the chain. */
export function fromBytes32(form: Hex, chain: DevnetCosmwasmChainInfo): string {
  return bytes32ToBech32(form, chain.prefix);
}

/** A client on a devnet CosmWasm chain. */
export function connect(
  chain: DevnetCosmwasmChainInfo,
  mnemonic: string,
  sah: AssetId | undefined,
): Promise<FlowClient> {
  return CosmwasmFlowClient.connect({
    name: chain.name,
    protocolChainId: chain.protocolChainId,
    rpcUrl: chain.rpcUrl,
    cosmosChainId: chain.cosmosChainId,
    bridge: chain.bridge,
    prefix: chain.prefix,
    gasPrice: chain.gasPrice,
    mnemonic,
    sah,
  });
}

/** Native denoms the devnet configures carry 6 decimals (see the bridge's native_denoms). */
const NATIVE_DECIMALS = 6;

/**
 * A refused transfer, named: the bridge's (or cw20's) error from wasmd's log (`failed to execute message;
 * message index: 0: <Name>: <detail>: execute wasm contract failed`), or the SDK's (`... insufficient funds`).
 * Anything else (the node unreachable) is not a refusal: undefined.
 */
function transferRefusal(e: unknown, what: string): FlowCallError | undefined {
  const text = oneLine(e instanceof Error ? e.message : String(e));
  const inContract = /message index: \d+: /.test(text) ? chainDetail(text) : undefined;
  const sdk = /([^:;=]*: insufficient funds)/.exec(text)?.[1]?.trim();
  const name = bridgeErrorName(text) ?? (sdk ? 'InsufficientFunds' : inContract ? 'ContractError' : undefined);
  if (!name) return undefined;
  const detail = (name === 'InsufficientFunds' ? sdk : inContract)?.replace(new RegExp(`^${name}: `), '') ?? text;
  return new FlowCallError(name, `${what}: ${detail}`, { cause: e });
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

  /** The bridge's wrapped cw20 of an asset from another chain, once the first transfer created it. */
  private async wrappedToken(asset: AssetId): Promise<string | undefined> {
    const token = (await this.client.queryContractSmart(
      this.o.bridge,
      queries.wrappedToken(asset.originChain, asset.originToken),
    )) as string | null;
    return token ?? undefined;
  }

  private async sahToken(): Promise<string | undefined> {
    if (!this.o.sah) throw new FlowCallError('NoSah', 'the devnet has no SAH home chain');
    return this.wrappedToken(this.o.sah);
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
    return this.serial(() => this.executeNow(contract, msg));
  }

  /** Runs `run` once every execute before it is done: one account sequence at a time. */
  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run);
    this.queue = next.catch(() => undefined);
    return next;
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

  /**
   * On the asset's home chain: `lock` with the native denom attached; elsewhere: a cw20 Send of the wrapped
   * token to the bridge, whose burn hook burns it. A refusal is named from wasmd's log (transferRefusal).
   */
  async transfer(r: TransferRequest): Promise<TransferResult> {
    const { name, bridge } = this.o;
    const isHome = r.asset.originChain === this.protocolChainId;
    let contract: string;
    let msg: object;
    let funds: Coin[] = [];
    if (isHome) {
      const amount = parseAmount(r.amount, NATIVE_DECIMALS);
      contract = bridge;
      msg = lockMsg(r.destinationChain, r.recipient);
      funds = [{ denom: r.asset.home, amount: amount.toString() }];
    } else {
      const token = await this.wrappedToken(r.asset);
      if (!token)
        throw new InvalidRequestError(undefined, `no wrapped ${r.asset.symbol} on ${name} yet: bring some there first`);
      const { decimals } = (await this.client.queryContractSmart(token, { token_info: {} })) as { decimals: number };
      const amount = parseAmount(r.amount, decimals);
      contract = token;
      msg = {
        send: {
          contract: bridge,
          amount: amount.toString(),
          msg: toBase64(toUtf8(JSON.stringify(burnHookMsg(r.destinationChain, r.recipient)))),
        },
      };
    }
    const what = `${name} refused the ${isHome ? 'lock' : 'burn'}`;
    const result = await this.serial(async () => {
      try {
        return await this.client.execute(this.address, contract, msg, 'auto', '', funds);
      } catch (e) {
        throw transferRefusal(e, what) ?? e;
      }
    });
    const event = result.events.find((e) => e.type === MESSAGE_SENT_EVENT);
    const attr = (k: string) => event?.attributes.find((a) => a.key === k)?.value;
    const messageId = attr('message_id');
    const nonce = attr('nonce');
    if (!messageId || !nonce) throw new Error(`transaction ${result.transactionHash} emitted no bridge message`);
    return {
      action: isHome ? 'lock' : 'burn',
      sourceTx: `0x${result.transactionHash.toLowerCase()}`,
      messageId: messageId as Hex,
      nonce: BigInt(nonce),
    };
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
