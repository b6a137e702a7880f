/**
 * FlowClient on an EVM chain: the AttestationRegistry and JobBoard beside the Bridge (contracts/evm),
 * called with one private key. SAH here is the ERC-20 on its home chain, else the bridge's wrapped SAH.
 */
import {
  type Abi,
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  erc20Abi,
  type Hex,
  maxUint256,
  type PublicClient,
  parseEventLogs,
  type TransactionReceipt,
} from 'viem';
import { loadArtifact } from '../chains/evm/artifacts.js';
import { EvmBridge, type EvmWallet } from '../chains/evm/bridgeContract.js';
import { evmClients } from '../chains/evm/clients.js';
import { addressToBytes32 } from '../protocol/strings.js';
import {
  type ChainJob,
  FlowCallError,
  type FlowClient,
  type PostedJob,
  type PostJobRequest,
  type RegistryRecord,
  type Submitted,
} from './flows.js';

export interface EvmFlowOptions {
  protocolChainId: number;
  evmChainId: number;
  rpcUrl: string;
  bridge: Address;
  attestations: Address;
  jobBoard: Address;
  key: Hex;
  /** SAH's home id (§3.1); on its home chain the token is `originToken`'s address. */
  sah: { originChain: number; originToken: Hex };
}

/** The contract's error name in a failed call or simulation, if it reverted with a custom error. */
function revertName(e: unknown): string | undefined {
  const reverted = e instanceof BaseError ? e.walk((x) => x instanceof ContractFunctionRevertedError) : undefined;
  return (reverted as ContractFunctionRevertedError | undefined)?.data?.errorName;
}

const ESCROW = ['none', 'posted', 'cancel-requested', 'paid', 'refunded'] as const;
const EXECUTION = ['none', 'open', 'claimed', 'completed', 'expired', 'cancelled'] as const;
const ZERO32 = `0x${'00'.repeat(32)}` as Hex;

export class EvmFlowClient implements FlowClient {
  readonly protocolChainId: number;
  readonly account: Hex;
  private readonly client: PublicClient;
  private readonly wallet: EvmWallet;
  private readonly bridge: EvmBridge;
  private readonly registryAbi = loadArtifact('AttestationRegistry').abi as Abi;
  private readonly jobBoardAbi = loadArtifact('JobBoard').abi as Abi;
  /** The last send in flight: the next one waits for it (one nonce at a time). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: EvmFlowOptions) {
    const { publicClient, wallet } = evmClients(o.rpcUrl, o.evmChainId);
    this.client = publicClient;
    this.wallet = wallet(o.key);
    this.protocolChainId = o.protocolChainId;
    this.account = addressToBytes32(this.wallet.account.address);
    this.bridge = new EvmBridge(o.bridge, publicClient);
  }

  private get address(): Address {
    return this.wallet.account.address;
  }

  ownerDid(): Promise<string> {
    return this.client.readContract({
      address: this.o.attestations,
      abi: this.registryAbi,
      functionName: 'ownerDidOf',
      args: [this.address],
    }) as Promise<string>;
  }

  async chainTime(): Promise<bigint> {
    return (await this.client.getBlock()).timestamp;
  }

  private async sahToken(): Promise<Address> {
    return this.o.sah.originChain === this.o.protocolChainId
      ? (`0x${this.o.sah.originToken.slice(-40)}` as Address)
      : this.bridge.wrappedTokenOf(this.o.sah.originChain, this.o.sah.originToken);
  }

  async sahBalance(): Promise<bigint> {
    const token = await this.sahToken();
    if ((await this.client.getCode({ address: token })) === undefined) return 0n;
    return this.client.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [this.address] });
  }

  /**
   * Simulates first so a refusal comes back as the contract's error name, with nothing sent. A transaction
   * the simulation let through can still revert in its block (the block's time or state differs: a result
   * mined after the deadline); its error name is then read by running the same call again at that block.
   * Calls from one client go out one at a time, so concurrent calls never take the same nonce.
   */
  private send(address: Address, abi: Abi, functionName: string, args: unknown[]): Promise<TransactionReceipt> {
    const run = this.queue.then(() => this.sendNow(address, abi, functionName, args));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async sendNow(
    address: Address,
    abi: Abi,
    functionName: string,
    args: unknown[],
  ): Promise<TransactionReceipt> {
    const call = { address, abi, functionName, args, account: this.wallet.account };
    try {
      const { request } = await this.client.simulateContract(call);
      const hash = await this.wallet.writeContract(request);
      const receipt = await this.client.waitForTransactionReceipt({ hash });
      if (receipt.status !== 'success') {
        const reason = await this.client
          .simulateContract({ ...call, blockNumber: receipt.blockNumber })
          .then(() => undefined, revertName);
        throw new FlowCallError(reason ?? 'Reverted', `transaction ${hash} reverted in block ${receipt.blockNumber}`);
      }
      return receipt;
    } catch (e) {
      if (e instanceof FlowCallError) throw e;
      throw new FlowCallError(revertName(e) ?? 'TransactionFailed', (e as Error).message.split('\n')[0] ?? '');
    }
  }

  private submitted(receipt: TransactionReceipt): Submitted {
    return { tx: receipt.transactionHash, messageIds: this.bridge.sentMessages(receipt).map((m) => m.messageId) };
  }

  async attest(dataHash: Hex, uri: string, license: string, destinations: number[]): Promise<Submitted> {
    const receipt = await this.send(this.o.attestations, this.registryAbi, 'attest', [
      dataHash,
      uri,
      license,
      destinations,
    ]);
    return this.submitted(receipt);
  }

  async revoke(dataHash: Hex, destinations: number[]): Promise<Submitted> {
    return this.submitted(await this.send(this.o.attestations, this.registryAbi, 'revoke', [dataHash, destinations]));
  }

  async attestation(dataHash: Hex): Promise<RegistryRecord | undefined> {
    const read = (functionName: string) =>
      this.client.readContract({ address: this.o.attestations, abi: this.registryAbi, functionName, args: [dataHash] });
    const [record, conflicts] = (await Promise.all([read('record'), read('conflictCount')])) as [
      {
        ownerDid: string;
        originChain: number;
        originNonce: bigint;
        uri: string;
        license: string;
        timestamp: bigint;
        revoked: boolean;
      },
      bigint,
    ];
    if (!record.ownerDid) return undefined;
    return {
      ownerDid: record.ownerDid,
      originChain: record.originChain,
      originNonce: record.originNonce,
      uri: record.uri,
      license: record.license,
      timestamp: record.timestamp,
      revoked: record.revoked,
      conflicts: Number(conflicts),
    };
  }

  async postJob(r: PostJobRequest): Promise<PostedJob> {
    const token = await this.sahToken();
    const allowance = await this.client.readContract({
      address: token,
      abi: erc20Abi,
      functionName: 'allowance',
      args: [this.address, this.o.jobBoard],
    });
    if (allowance < r.amount) await this.send(token, erc20Abi, 'approve', [this.o.jobBoard, maxUint256]);
    const receipt = await this.send(this.o.jobBoard, this.jobBoardAbi, 'postJob', [
      token,
      r.amount,
      r.specHash,
      r.executorChain,
      r.deadline,
    ]);
    const [posted] = parseEventLogs({ abi: this.jobBoardAbi, logs: receipt.logs, eventName: 'JobPosted' }).filter(
      (l) => l.address.toLowerCase() === this.o.jobBoard.toLowerCase(),
    );
    const jobId = (posted?.args as { jobId?: Hex } | undefined)?.jobId;
    if (!jobId) throw new FlowCallError('NoJobId', `transaction ${receipt.transactionHash} posted no job`);
    return { ...this.submitted(receipt), jobId };
  }

  async cancelJob(jobId: Hex): Promise<Submitted> {
    return this.submitted(await this.send(this.o.jobBoard, this.jobBoardAbi, 'cancel', [jobId]));
  }

  async claimJob(jobId: Hex): Promise<Submitted> {
    return this.submitted(await this.send(this.o.jobBoard, this.jobBoardAbi, 'claim', [jobId]));
  }

  async submitResult(jobId: Hex, resultHash: Hex, payTo: Hex): Promise<Submitted> {
    return this.submitted(
      await this.send(this.o.jobBoard, this.jobBoardAbi, 'submitResult', [jobId, resultHash, payTo]),
    );
  }

  async expireJob(jobId: Hex): Promise<Submitted> {
    return this.submitted(await this.send(this.o.jobBoard, this.jobBoardAbi, 'expire', [jobId]));
  }

  async job(jobId: Hex): Promise<ChainJob> {
    const read = (functionName: string) =>
      this.client.readContract({ address: this.o.jobBoard, abi: this.jobBoardAbi, functionName, args: [jobId] });
    const [escrow, execution] = (await Promise.all([read('escrowJob'), read('executionJob')])) as [
      { payer: Address; deadline: bigint; executorChain: number; state: number; amount: bigint },
      { claimer: Address; deadline: bigint; sourceChain: number; state: number; resultHash: Hex },
    ];
    const out: ChainJob = {};
    const escrowStatus = ESCROW[escrow.state];
    if (escrowStatus && escrowStatus !== 'none')
      out.escrow = {
        status: escrowStatus,
        payer: addressToBytes32(escrow.payer),
        executorChain: escrow.executorChain,
        amount: escrow.amount,
        deadline: escrow.deadline,
      };
    const executionStatus = EXECUTION[execution.state];
    if (executionStatus && executionStatus !== 'none')
      out.executor = {
        status: executionStatus,
        escrowChain: execution.sourceChain,
        deadline: execution.deadline,
        ...(execution.claimer !== '0x0000000000000000000000000000000000000000'
          ? { claimer: addressToBytes32(execution.claimer) }
          : {}),
        ...(execution.resultHash !== ZERO32 ? { resultHash: execution.resultHash } : {}),
      };
    return out;
  }

  async close(): Promise<void> {}
}
