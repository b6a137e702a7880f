/**
 * EthereumSourceVerifier: proves that the EVM bridge stored `messageId` under `nonce`
 * (`outboundMessageId[nonce]`) in the committed state of a final block, before the relayer signs.
 *
 * Two ways to decide which block is final:
 *  - `sync-committee` (Ethereum proper): a light client follows the beacon chain from a trusted
 *    checkpoint; the finalized beacon header names the execution block (number, hash, state root) and
 *    that block's header fetched from the RPC must hash to exactly that hash. The RPC is trusted for
 *    nothing: it serves data, and every byte is checked against the finalized header.
 *  - `confirmations` (devnets without a beacon chain, e.g. anvil): the block `confirmations` below the
 *    RPC's head. EXPLICITLY WEAKER: the header is hashed and the storage proof checked against its state
 *    root, which proves the node's answer is self-consistent, but which chain is canonical, and whether
 *    that block is final at all, is the RPC's word. Use only where the RPC is the operator's own node.
 *
 * Either way the value comes out of an eth_getProof checked against the block's state root, not from
 * an eth_call the node could answer as it likes.
 */
import { type Address, bytesToHex, createPublicClient, type Hex, hexToBigInt, http, type PublicClient } from 'viem';
import type { OutboundClaim, OutboundProof, SourceVerifier } from '../types.js';
import { ProofError } from '../types.js';
import { BeaconApi, type LightClientSource, MAX_UPDATES_PER_REQUEST } from './beacon/api.js';
import { type BeaconChainConfig, currentSlot, MAINNET, periodAtSlot } from './beacon/config.js';
import { SyncCommitteeLightClient } from './beacon/lightClient.js';
import type { FinalizedExecution } from './beacon/types.js';
import { outboundMessageIdSlot } from './bridgeSlot.js';
import { bytesOf } from './bytes.js';
import { verifyHeader } from './header.js';
import { headerAt, latestBlockNumber, proofAt } from './rpc.js';
import { verifyEthGetProof } from './stateProof.js';

interface CommonOptions {
  /** Protocol chain id of this source chain (claims for another chain are refused). */
  protocolChainId: number;
  /** Execution-layer JSON-RPC: a URL or a viem public client. */
  rpc: string | PublicClient;
  /** The Bridge contract. */
  bridge: Address;
}

export interface ConfirmationsOptions extends CommonOptions {
  mode: 'confirmations';
  /** Blocks below the head a block must be to count as final (0 on an auto-mining devnet). */
  confirmations: number;
}

export interface SyncCommitteeOptions extends CommonOptions {
  mode: 'sync-committee';
  /** Beacon node REST API URL, or another source of light-client data. */
  beacon: string | LightClientSource;
  /** Trusted finalized beacon block root to start from (weak subjectivity checkpoint). */
  checkpoint: Hex;
  /** Fork schedule and genesis of the beacon chain (default: mainnet). */
  chain?: BeaconChainConfig;
  /** Clock in ms (tests pin it); the light client refuses updates signed after "now". */
  now?: () => number;
  /** How long a sync is reused before asking the beacon node again (default 6 s: half a slot). */
  resyncMs?: number;
}

export type EthereumVerifierOptions = ConfirmationsOptions | SyncCommitteeOptions;

/** The block the proof is made at, already authenticated (hash recomputed from the header fields). */
interface TrustedBlock {
  number: bigint;
  hash: Hex;
  stateRoot: Hex;
}

export class EthereumSourceVerifier implements SourceVerifier {
  readonly mode: 'confirmations' | 'sync-committee';
  private readonly client: PublicClient;
  private lightClient?: SyncCommitteeLightClient;
  private syncing: Promise<FinalizedExecution> | undefined;
  private syncedAt = 0;

  constructor(private readonly options: EthereumVerifierOptions) {
    this.mode = options.mode;
    this.client =
      typeof options.rpc === 'string'
        ? (createPublicClient({ transport: http(options.rpc, { retryCount: 0 }) }) as PublicClient)
        : options.rpc;
  }

  async proveOutbound(claim: OutboundClaim): Promise<OutboundProof> {
    if (claim.sourceChain !== this.options.protocolChainId)
      throw new ProofError(
        'wrong-chain',
        `claim is for chain ${claim.sourceChain}, this is ${this.options.protocolChainId}`,
      );
    const expected = hexToBigInt(bytesToHex(bytesOf(claim.messageId, 'messageId', 32)));
    if (claim.nonce < 0n || claim.nonce >= 1n << 64n) throw new ProofError('malformed-input', `nonce ${claim.nonce}`);
    const block =
      this.options.mode === 'confirmations' ? await this.confirmedBlock(claim) : await this.finalizedBlock(claim);
    const slot = outboundMessageIdSlot(claim.nonce);
    const proof = await proofAt(this.client, this.options.bridge, [slot], block.number);
    let value: bigint | undefined;
    try {
      value = verifyEthGetProof(block.stateRoot, this.options.bridge, [slot], proof).values.get(slot);
    } catch (e) {
      if (e instanceof ProofError) throw e;
      throw new ProofError('malformed-input', `eth_getProof answer: ${(e as Error).message}`);
    }
    if (value !== expected)
      throw new ProofError(
        'value-mismatch',
        `bridge stores 0x${(value ?? 0n).toString(16).padStart(64, '0')} under nonce ${claim.nonce} at block ${block.number}, not ${claim.messageId}`,
      );
    return { mode: this.mode, height: block.number, blockHash: block.hash, stateRoot: block.stateRoot };
  }

  /** Confirmations mode: the RPC's head minus `confirmations`, header hashed (see the caveat above). */
  private async confirmedBlock(claim: OutboundClaim): Promise<TrustedBlock> {
    const { confirmations } = this.options as ConfirmationsOptions;
    const final = (await latestBlockNumber(this.client)) - BigInt(confirmations);
    if (final < claim.sourceBlock)
      throw new ProofError(
        'not-final',
        `block ${claim.sourceBlock} has not ${confirmations} confirmations yet (final: ${final})`,
      );
    return this.authenticated(await headerAt(this.client, final), final);
  }

  /** Sync-committee mode: the light client's finalized execution block, its header matched to it. */
  private async finalizedBlock(claim: OutboundClaim): Promise<TrustedBlock> {
    const finalized = await this.sync();
    if (finalized.blockNumber < claim.sourceBlock)
      throw new ProofError(
        'not-final',
        `block ${claim.sourceBlock} is not finalized yet (finalized: ${finalized.blockNumber})`,
      );
    const header = await headerAt(this.client, finalized.blockNumber);
    const block = this.authenticated(header, finalized.blockNumber, finalized.blockHash);
    if (block.stateRoot !== finalized.stateRoot.toLowerCase())
      throw new ProofError('bad-header', `state root ${block.stateRoot} is not the finalized ${finalized.stateRoot}`);
    return block;
  }

  private authenticated(header: Awaited<ReturnType<typeof headerAt>>, number: bigint, trustedHash?: Hex): TrustedBlock {
    const hash = verifyHeader(header, trustedHash);
    if (BigInt(header.number) !== number)
      throw new ProofError('bad-header', `asked for block ${number}, got ${BigInt(header.number)}`);
    return { number, hash, stateRoot: bytesToHex(bytesOf(header.stateRoot, 'stateRoot', 32)) };
  }

  /**
   * Brings the light client to the current period and applies the latest finality update. One sync
   * at a time, reused for `resyncMs`, since every claim in a burst asks.
   */
  sync(): Promise<FinalizedExecution> {
    const options = this.options as SyncCommitteeOptions;
    const now = options.now ?? Date.now;
    if (this.syncing && now() - this.syncedAt < (options.resyncMs ?? 6_000)) return this.syncing;
    this.syncedAt = now();
    this.syncing = this.runSync(options, now).catch((e) => {
      this.syncing = undefined;
      throw e;
    });
    return this.syncing;
  }

  private async runSync(options: SyncCommitteeOptions, now: () => number): Promise<FinalizedExecution> {
    const chain = options.chain ?? MAINNET;
    const source = typeof options.beacon === 'string' ? new BeaconApi(options.beacon) : options.beacon;
    if (!this.lightClient) {
      const bootstrap = await source.bootstrap(options.checkpoint);
      this.lightClient = SyncCommitteeLightClient.fromBootstrap(chain, options.checkpoint, bootstrap);
    }
    const lc = this.lightClient;
    const slot = currentSlot(chain, now());
    const period = periodAtSlot(slot);
    // period by period: each update proves the committee that signs the next one
    while (lc.period < period || !lc.hasNextSyncCommittee) {
      const from = lc.hasNextSyncCommittee ? lc.period + 1n : lc.period;
      if (from > period) break;
      const count = Number(
        period - from + 1n > BigInt(MAX_UPDATES_PER_REQUEST) ? MAX_UPDATES_PER_REQUEST : period - from + 1n,
      );
      const updates = await source.updates(from, count);
      const before = [lc.period, lc.hasNextSyncCommittee];
      for (const u of updates) lc.processUpdate(u, slot);
      // the node has nothing newer (or only updates that do not finalize): carry on with what we have
      if (lc.period === before[0] && lc.hasNextSyncCommittee === before[1]) break;
    }
    lc.processUpdate(await source.finalityUpdate(), slot);
    return lc.finalizedExecution();
  }
}
