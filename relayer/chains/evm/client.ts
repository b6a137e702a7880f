/**
 * The EVM family's user client (viem, one private key): SAH and other ERC-20s locked on their home chain or
 * their wrapped forms burned (the Bridge, contracts/evm), data attestations on the AttestationRegistry and
 * compute jobs on the JobBoard beside it. SAH here is the ERC-20 on its home chain, else the bridge's wrapped
 * SAH. Loaded by `user.ts` on first use; the SDK and the CLI reach it through the registry.
 */
import {
  type Abi,
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  erc20Abi,
  type Hex,
  isAddress,
  maxUint256,
  type PublicClient,
  parseAbi,
  parseEventLogs,
  type TransactionReceipt,
} from 'viem';
import { namedRevert, type TokenUnits } from '../../cli/revert.js';
import { addressToBytes32 } from '../../protocol/strings.js';
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
import { attestationRegistryAbi } from './abi/attestationRegistry.js';
import { jobBoardAbi } from './abi/jobBoard.js';
import { EvmBridge, type EvmWallet } from './bridgeContract.js';
import { evmClients } from './clients.js';
import { erc20ErrorsAbi } from './tokenErrors.js';
import type { DevnetEvmChainInfo } from './user.js';

export interface EvmFlowOptions {
  /** The chain's name, which refusals name (`ethereum-a refused the lock: ...`). */
  name: string;
  protocolChainId: number;
  evmChainId: number;
  rpcUrl: string;
  bridge: Address;
  /** The bridge's modules, if the chain has them: attestations and jobs need them, transfers do not. */
  attestations?: Address | undefined;
  jobBoard?: Address | undefined;
  key: Hex;
  /** SAH's home id (§3.1); on its home chain the token is `originToken`'s address. Jobs need it. */
  sah?: AssetId | undefined;
}

/** `0x` and 20 bytes of hex, in the protocol's 32-byte form (§2); an Error saying so otherwise. */
export function toBytes32(address: string): Hex {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) throw new Error(`${address} is not a 20-byte 0x address`);
  return addressToBytes32(address as Address);
}

/** A 32-byte account form as an EVM address (its last 20 bytes; the first 12 must be zero). */
export function fromBytes32(form: Hex): string {
  if (!/^0x0{24}[0-9a-fA-F]{40}$/.test(form)) throw new Error(`${form} is not the 32-byte form of an EVM address`);
  return `0x${form.slice(26)}`;
}

/** A client on a devnet EVM chain. */
export async function connect(chain: DevnetEvmChainInfo, key: string, sah: AssetId | undefined): Promise<FlowClient> {
  return new EvmFlowClient({
    name: chain.name,
    protocolChainId: chain.protocolChainId,
    evmChainId: chain.evmChainId,
    rpcUrl: chain.rpcUrl,
    bridge: chain.bridge,
    attestations: chain.attestations,
    jobBoard: chain.jobBoard,
    key: key as Hex,
    sah,
  });
}

const erc20 = [
  ...parseAbi(['function approve(address,uint256) returns (bool)', 'function decimals() view returns (uint8)']),
  ...erc20ErrorsAbi,
] as const;

/** Runs one step of a transfer; a revert comes back named (`ERC20InsufficientBalance: ...`), in one line. */
async function step<T>(what: string, units: TokenUnits, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const named = namedRevert(e, { what, units });
    throw named ? new FlowCallError(named.errorName, named.message, { cause: e }) : e;
  }
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

  private get attestations(): Address {
    if (!this.o.attestations) throw new FlowCallError('NoModules', `${this.o.name} has no attestation registry`);
    return this.o.attestations;
  }

  private get jobBoard(): Address {
    if (!this.o.jobBoard) throw new FlowCallError('NoModules', `${this.o.name} has no job board`);
    return this.o.jobBoard;
  }

  private get sah(): AssetId {
    if (!this.o.sah) throw new FlowCallError('NoSah', 'the devnet has no SAH home chain');
    return this.o.sah;
  }

  ownerDid(): Promise<string> {
    return this.client.readContract({
      address: this.attestations,
      abi: attestationRegistryAbi,
      functionName: 'ownerDidOf',
      args: [this.address],
    });
  }

  async chainTime(): Promise<bigint> {
    return (await this.client.getBlock()).timestamp;
  }

  private async sahToken(): Promise<Address> {
    const sah = this.sah;
    return sah.originChain === this.o.protocolChainId
      ? (`0x${sah.originToken.slice(-40)}` as Address)
      : this.bridge.wrappedTokenOf(sah.originChain, sah.originToken);
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
    return this.serial(() => this.sendNow(address, abi, functionName, args));
  }

  /** Runs `run` once every call before it is done: one nonce at a time. */
  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run);
    this.queue = next.catch(() => undefined);
    return next;
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

  transfer(r: TransferRequest): Promise<TransferResult> {
    return this.serial(() => this.transferNow(r));
  }

  /** Approve + lock of the ERC-20 on the asset's home chain, burn of its wrapped token elsewhere. */
  private async transferNow(r: TransferRequest): Promise<TransferResult> {
    const { name } = this.o;
    const isHome = r.asset.originChain === this.protocolChainId;
    if (isHome && !isAddress(r.asset.home))
      throw new InvalidRequestError(undefined, `${r.asset.symbol} has no ERC-20 on ${name}`);
    const token = isHome
      ? (r.asset.home as Address)
      : await this.bridge.wrappedTokenOf(r.asset.originChain, r.asset.originToken);
    if (!isHome && (await this.client.getCode({ address: token })) === undefined)
      throw new InvalidRequestError(undefined, `no wrapped ${r.asset.symbol} on ${name} yet: bring some there first`);
    const decimals = await this.client.readContract({ address: token, abi: erc20, functionName: 'decimals' });
    const amount = parseAmount(r.amount, decimals);
    const units = { decimals, symbol: r.asset.symbol };
    if (isHome) {
      await step(`${name} refused the approval`, units, async () =>
        this.client.waitForTransactionReceipt({
          hash: await this.wallet.writeContract({
            address: token,
            abi: erc20,
            functionName: 'approve',
            args: [this.o.bridge, amount],
          }),
        }),
      );
      const { receipt, message } = await step(`${name} refused the lock`, units, () =>
        this.bridge.lock(this.wallet, token, amount, r.destinationChain, r.recipient),
      );
      return { action: 'lock', sourceTx: receipt.transactionHash, messageId: message.messageId, nonce: message.nonce };
    }
    const { receipt, message } = await step(`${name} refused the burn`, units, () =>
      this.bridge.burn(this.wallet, token, amount, r.destinationChain, r.recipient),
    );
    return { action: 'burn', sourceTx: receipt.transactionHash, messageId: message.messageId, nonce: message.nonce };
  }

  async attest(dataHash: Hex, uri: string, license: string, destinations: number[]): Promise<Submitted> {
    const receipt = await this.send(this.attestations, attestationRegistryAbi, 'attest', [
      dataHash,
      uri,
      license,
      destinations,
    ]);
    return this.submitted(receipt);
  }

  async revoke(dataHash: Hex, destinations: number[]): Promise<Submitted> {
    return this.submitted(
      await this.send(this.attestations, attestationRegistryAbi, 'revoke', [dataHash, destinations]),
    );
  }

  async attestation(dataHash: Hex): Promise<RegistryRecord | undefined> {
    const at = { address: this.attestations, abi: attestationRegistryAbi, args: [dataHash] } as const;
    const [record, conflicts] = await Promise.all([
      this.client.readContract({ ...at, functionName: 'record' }),
      this.client.readContract({ ...at, functionName: 'conflictCount' }),
    ]);
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
      args: [this.address, this.jobBoard],
    });
    if (allowance < r.amount) await this.send(token, erc20Abi, 'approve', [this.jobBoard, maxUint256]);
    const receipt = await this.send(this.jobBoard, jobBoardAbi, 'postJob', [
      token,
      r.amount,
      r.specHash,
      r.executorChain,
      r.deadline,
    ]);
    const [posted] = parseEventLogs({ abi: jobBoardAbi, logs: receipt.logs, eventName: 'JobPosted' }).filter(
      (l) => l.address.toLowerCase() === this.jobBoard.toLowerCase(),
    );
    const jobId = (posted?.args as { jobId?: Hex } | undefined)?.jobId;
    if (!jobId) throw new FlowCallError('NoJobId', `transaction ${receipt.transactionHash} posted no job`);
    return { ...this.submitted(receipt), jobId };
  }

  async cancelJob(jobId: Hex): Promise<Submitted> {
    return this.submitted(await this.send(this.jobBoard, jobBoardAbi, 'cancel', [jobId]));
  }

  async claimJob(jobId: Hex): Promise<Submitted> {
    return this.submitted(await this.send(this.jobBoard, jobBoardAbi, 'claim', [jobId]));
  }

  async submitResult(jobId: Hex, resultHash: Hex, payTo: Hex): Promise<Submitted> {
    return this.submitted(await this.send(this.jobBoard, jobBoardAbi, 'submitResult', [jobId, resultHash, payTo]));
  }

  async expireJob(jobId: Hex): Promise<Submitted> {
    return this.submitted(await this.send(this.jobBoard, jobBoardAbi, 'expire', [jobId]));
  }

  async job(jobId: Hex): Promise<ChainJob> {
    const at = { address: this.jobBoard, abi: jobBoardAbi, args: [jobId] } as const;
    const [escrow, execution] = await Promise.all([
      this.client.readContract({ ...at, functionName: 'escrowJob' }),
      this.client.readContract({ ...at, functionName: 'executionJob' }),
    ]);
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
