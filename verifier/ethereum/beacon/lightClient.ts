/**
 * A sync-committee light client (consensus specs: altair light-client/sync-protocol.md, with the
 * Capella execution header, Deneb blob fields and Electra's deeper state tree). It starts from a trusted
 * checkpoint (a finalized beacon block root the operator got out of band: weak subjectivity) and follows
 * the chain by checking, for every update, the sync committee's aggregate BLS signature over the attested
 * header and the SSZ branches tying the finalized header and the next committee to that header's state.
 *
 * Safety rule, stricter than the spec's: the spec may adopt a header signed by a bare majority of the
 * committee as "optimistic" and, after a timeout, force-apply the best update it saw. Here nothing moves
 * the finalized header or the sync committees unless a supermajority (sum(bits) * 3 >= 512 * 2, i.e. at
 * least 342 of 512 members) signed it, the same threshold the spec applies to finality; there is no force
 * update. When participation stays low the client stalls (and proofs fail as `not-final`) instead of
 * trusting a smaller set: a stall is recoverable, signing a message the chain never finalized is not.
 */
import type { Hex } from 'viem';
import { equalBytes } from '../../bytes.js';
import { ProofError } from '../../types.js';
import { bytesOf } from '../bytes.js';
import { isValidMerkleBranch, isValidNormalizedBranch } from '../ssz.js';
import {
  atLeast,
  type BeaconChainConfig,
  EXECUTION_PAYLOAD_GINDEX,
  gindices,
  periodAtSlot,
  SYNC_COMMITTEE_SIZE,
} from './config.js';
import {
  beaconHeaderRoot,
  decodePubkey,
  executionHeaderRoot,
  fastAggregateVerify,
  rootHex,
  signingRoot,
  syncCommitteeDomain,
  syncCommitteeRoot,
} from './containers.js';
import type {
  FinalizedExecution,
  LightClientBootstrap,
  LightClientHeader,
  LightClientUpdate,
  SyncCommittee,
} from './types.js';

const bad = (detail: string): never => {
  throw new ProofError('bad-sync-committee-update', detail);
};

type G1 = ReturnType<typeof decodePubkey>;

/**
 * Decoded keys by committee root. Decompressing and subgroup-checking 512 keys costs about a second
 * and a committee serves a whole period (~27 h), so each is decoded once; the root commits to the exact
 * key bytes, so a cached entry is valid wherever that root was proven.
 */
const decodedKeys = new Map<Hex, G1[]>();
const DECODED_KEYS_KEPT = 8;

/** A committee with its root and (decoded once, on first use) its public keys. */
class Committee {
  readonly root: Hex;
  constructor(readonly committee: SyncCommittee) {
    this.root = rootHex(syncCommitteeRoot(committee));
  }
  keys(): G1[] {
    let points = decodedKeys.get(this.root);
    if (!points) {
      try {
        points = this.committee.pubkeys.map(decodePubkey);
      } catch (e) {
        return bad(`sync committee holds an invalid public key: ${(e as Error).message}`);
      }
      if (decodedKeys.size >= DECODED_KEYS_KEPT) decodedKeys.delete(decodedKeys.keys().next().value as Hex);
      decodedKeys.set(this.root, points);
    }
    return points;
  }
}

export const participation = (bits: Uint8Array): number => {
  let n = 0;
  for (let i = 0; i < SYNC_COMMITTEE_SIZE; i++) n += ((bits[i >> 3] as number) >> (i & 7)) & 1;
  return n;
};

export const hasSupermajority = (bits: Uint8Array): boolean => participation(bits) * 3 >= SYNC_COMMITTEE_SIZE * 2;

/**
 * is_valid_light_client_header: the execution payload header is the one in the beacon block body,
 * in the form of the header's fork (Capella without blob fields, Deneb onwards with them).
 */
export function isValidLightClientHeader(config: BeaconChainConfig, h: LightClientHeader): boolean {
  if (!atLeast(config, h.beacon.slot, 'capella')) return false;
  const deneb = atLeast(config, h.beacon.slot, 'deneb');
  const hasBlobFields = h.execution.blobGasUsed !== undefined;
  // an older-fork header served in a newer form carries zero blob fields: hash it in its own form
  if (!deneb && hasBlobFields && (h.execution.blobGasUsed !== 0n || h.execution.excessBlobGas !== 0n)) return false;
  if (deneb && !hasBlobFields) return false;
  const { blobGasUsed, excessBlobGas, ...withoutBlobFields } = h.execution;
  return isValidMerkleBranch(
    executionHeaderRoot(deneb ? h.execution : withoutBlobFields),
    h.executionBranch.map((r) => bytesOf(r, 'execution_branch', 32)),
    EXECUTION_PAYLOAD_GINDEX,
    bytesOf(h.beacon.bodyRoot, 'body_root', 32),
  );
}

const branchOf = (b: Hex[] | undefined, field: string): Uint8Array[] =>
  (b ?? []).map((r, i) => bytesOf(r, `${field}[${i}]`, 32));

export class SyncCommitteeLightClient {
  private finalized: LightClientHeader;
  private optimistic: LightClientHeader;
  private current: Committee;
  private next: Committee | undefined;

  private constructor(
    readonly config: BeaconChainConfig,
    bootstrap: LightClientBootstrap,
    current: Committee,
  ) {
    this.finalized = bootstrap.header;
    this.optimistic = bootstrap.header;
    this.current = current;
  }

  /**
   * initialize_light_client_store: the bootstrap header must be the trusted checkpoint block, and its
   * state must hold the served sync committee.
   */
  static fromBootstrap(
    config: BeaconChainConfig,
    trustedBlockRoot: Hex,
    bootstrap: LightClientBootstrap,
  ): SyncCommitteeLightClient {
    const header = bootstrap.header;
    if (!isValidLightClientHeader(config, header)) bad('bootstrap header: execution branch does not verify');
    const root = rootHex(beaconHeaderRoot(header.beacon));
    if (root !== rootHex(bytesOf(trustedBlockRoot, 'checkpoint', 32)))
      bad(`bootstrap header root ${root} is not the checkpoint ${trustedBlockRoot}`);
    const committee = new Committee(bootstrap.currentSyncCommittee);
    if (
      !isValidNormalizedBranch(
        bytesOf(committee.root, 'root', 32),
        branchOf(bootstrap.currentSyncCommitteeBranch, 'current_sync_committee_branch'),
        gindices(config, header.beacon.slot).currentSyncCommittee,
        bytesOf(header.beacon.stateRoot, 'state_root', 32),
      )
    )
      bad('current sync committee branch does not verify against the bootstrap state root');
    return new SyncCommitteeLightClient(config, bootstrap, committee);
  }

  get finalizedHeader(): LightClientHeader {
    return this.finalized;
  }
  get optimisticHeader(): LightClientHeader {
    return this.optimistic;
  }
  get period(): bigint {
    return periodAtSlot(this.finalized.beacon.slot);
  }
  get hasNextSyncCommittee(): boolean {
    return this.next !== undefined;
  }

  /** The execution block of the latest finalized beacon header: the root of trust for state proofs. */
  finalizedExecution(): FinalizedExecution {
    const e = this.finalized.execution;
    return {
      beaconSlot: this.finalized.beacon.slot,
      blockNumber: e.blockNumber,
      blockHash: e.blockHash,
      stateRoot: e.stateRoot,
    };
  }

  /**
   * validate_light_client_update followed by process_light_client_update under the safety rule above.
   * Returns whether the store changed (an older or equal update verifies but changes nothing).
   * Finality and optimistic updates are updates without the missing parts, as in the spec.
   */
  processUpdate(update: LightClientUpdate, currentSlot: bigint): boolean {
    const { syncCommitteeNext, finalityVerified } = this.validate(update, currentSlot);
    const supermajority = hasSupermajority(update.syncAggregate.bits);
    let changed = false;
    if (supermajority && update.attestedHeader.beacon.slot > this.optimistic.beacon.slot) {
      this.optimistic = update.attestedHeader;
      changed = true;
    }
    if (!supermajority || !finalityVerified || !update.finalizedHeader) return changed;
    const storePeriod = this.period;
    const finalizedPeriod = periodAtSlot(update.finalizedHeader.beacon.slot);
    const attestedPeriod = periodAtSlot(update.attestedHeader.beacon.slot);
    // the next committee is learned only from a finalized state (finalized and attested in one period)
    const finalizedNext = syncCommitteeNext && finalizedPeriod === attestedPeriod ? syncCommitteeNext : undefined;
    if (!this.next) {
      if (finalizedNext && finalizedPeriod === storePeriod) {
        this.next = finalizedNext;
        changed = true;
      }
    }
    let rotated = false;
    if (this.next && finalizedPeriod === storePeriod + 1n) {
      // crossing into the next period: it becomes current; its successor comes with this update (or later)
      this.current = this.next;
      this.next = finalizedNext;
      rotated = changed = true;
    }
    // a finalized header of the next period is adopted only together with the committee rotation above
    const reachable = finalizedPeriod === storePeriod || (finalizedPeriod === storePeriod + 1n && rotated);
    if (reachable && update.finalizedHeader.beacon.slot > this.finalized.beacon.slot) {
      this.finalized = update.finalizedHeader;
      if (this.finalized.beacon.slot > this.optimistic.beacon.slot) this.optimistic = this.finalized;
      changed = true;
    }
    return changed;
  }

  private validate(
    update: LightClientUpdate,
    currentSlot: bigint,
  ): { syncCommitteeNext: Committee | undefined; finalityVerified: boolean } {
    const { attestedHeader: attested, syncAggregate, signatureSlot } = update;
    const participants = participation(syncAggregate.bits);
    if (participants < 1) bad('no sync committee participants');
    if (!isValidLightClientHeader(this.config, attested)) bad('attested header: execution branch does not verify');
    const attestedSlot = attested.beacon.slot;
    const finalizedSlot = update.finalizedHeader?.beacon.slot ?? 0n;
    if (!(currentSlot >= signatureSlot && signatureSlot > attestedSlot && attestedSlot >= finalizedSlot))
      bad(
        `slots out of order: current ${currentSlot}, signature ${signatureSlot}, attested ${attestedSlot}, finalized ${finalizedSlot}`,
      );
    const storePeriod = this.period;
    const signaturePeriod = periodAtSlot(signatureSlot);
    if (
      this.next
        ? signaturePeriod !== storePeriod && signaturePeriod !== storePeriod + 1n
        : signaturePeriod !== storePeriod
    )
      bad(`signature period ${signaturePeriod} is not verifiable from store period ${storePeriod}`);
    const attestedPeriod = periodAtSlot(attestedSlot);
    const isCommitteeUpdate = update.nextSyncCommittee !== undefined;
    const learnsNext = !this.next && isCommitteeUpdate && attestedPeriod === storePeriod;
    if (!(attestedSlot > this.finalized.beacon.slot || learnsNext))
      bad('update is not newer than the store and brings no new sync committee');

    const attestedState = bytesOf(attested.beacon.stateRoot, 'state_root', 32);
    const g = gindices(this.config, attestedSlot);
    let finalityVerified = false;
    if (update.finalizedHeader) {
      if (!isValidLightClientHeader(this.config, update.finalizedHeader))
        bad('finalized header: execution branch does not verify');
      if (
        !isValidNormalizedBranch(
          beaconHeaderRoot(update.finalizedHeader.beacon),
          branchOf(update.finalityBranch, 'finality_branch'),
          g.finalizedRoot,
          attestedState,
        )
      )
        bad('finality branch does not verify against the attested state root');
      finalityVerified = true;
    }
    let syncCommitteeNext: Committee | undefined;
    if (update.nextSyncCommittee) {
      syncCommitteeNext = new Committee(update.nextSyncCommittee);
      if (this.next && attestedPeriod === storePeriod && syncCommitteeNext.root !== this.next.root)
        bad('update brings another next sync committee than the one the store knows');
      if (
        !isValidNormalizedBranch(
          bytesOf(syncCommitteeNext.root, 'root', 32),
          branchOf(update.nextSyncCommitteeBranch, 'next_sync_committee_branch'),
          g.nextSyncCommittee,
          attestedState,
        )
      )
        bad('next sync committee branch does not verify against the attested state root');
      // keep the known object: its keys may already be decoded
      if (this.next && syncCommitteeNext.root === this.next.root) syncCommitteeNext = this.next;
    }

    const committee = signaturePeriod === storePeriod ? this.current : this.next;
    if (!committee) return bad('no committee for the signature period');
    const keys = committee.keys();
    const signers = keys.filter((_: G1, i: number) => ((syncAggregate.bits[i >> 3] as number) >> (i & 7)) & 1);
    const message = signingRoot(beaconHeaderRoot(attested.beacon), syncCommitteeDomain(this.config, signatureSlot));
    if (!fastAggregateVerify(signers, message, syncAggregate.signature))
      bad(`sync committee signature does not verify (${participants} participants)`);
    return { syncCommitteeNext, finalityVerified };
  }

  /** Whether the store's current committee is `committee` (for tests and diagnostics). */
  isCurrentCommittee(committee: SyncCommittee): boolean {
    return equalBytes(bytesOf(this.current.root, 'root', 32), syncCommitteeRoot(committee));
  }
}
