/**
 * The coordinator side of a FROST session over HTTP: round 1 (commit) to every operator, round 2 (sign
 * share) to the t least blamed of those that agreed, every share checked with verifyShare;
 * non-responders and bad shares are blamed (BlameBook: remembered, with decay, across sessions and
 * batch keys) and left out of the next attempt. Up to n - t + 1 attempts, each with other signers.
 */
import { randomUUID } from 'node:crypto';
import { bytesToHex, type Hex, hexToBytes } from 'viem';
import { type PeerClient, PeerRequestError } from '../peer/client.js';
import { type PeerRouteSpec, signCommit, signShare } from '../peer/protocol.js';
import { buildBatch } from '../protocol/digest.js';
import { frost, verifyFrost } from '../protocol/frost.js';
import { BlameBook } from './blameBook.js';
import type { DestinationInstances } from './instances.js';
import type { SigningKey } from './keys.js';
import {
  type CommitRequest,
  type ShareRequest,
  type SigningParticipant,
  SigningRefusedError,
  type WireCommitment,
} from './participant.js';

export interface SigningResult {
  root: Hex;
  signature: Hex;
  ids: Hex[];
  signers: number[];
}

export type BlameReason = 'unresponsive' | 'bad-share' | 'refused';

export class SigningFailedError extends Error {
  override name = 'SigningFailedError';
  constructor(
    message: string,
    /** Ids that fewer than t operators have verified yet. */
    readonly notReady: Hex[] = [],
  ) {
    super(message);
  }
}

export interface CoordinatorDeps {
  operatorId: number;
  operators: number[];
  threshold: number;
  participant: SigningParticipant;
  /** The bridge instance of each destination: what the digest binds. */
  instances: DestinationInstances;
  peers: PeerClient;
  onBlame: (operator: number, reason: BlameReason) => void;
  onRound: (outcome: 'ok' | 'retry' | 'failed') => void;
}

export class SigningCoordinator {
  readonly blames = new BlameBook();

  constructor(private readonly d: CoordinatorDeps) {}

  /** A round's call: to this node's own participant directly, to the others over the peer protocol. */
  private async call<Request, Response>(
    operator: number,
    spec: PeerRouteSpec<Request, Response>,
    body: Request,
    local: () => Promise<Response> | Response,
  ): Promise<Response> {
    if (operator === this.d.operatorId) return local();
    return this.d.peers.call(spec, operator, body);
  }

  /**
   * Signs the batch of `ids` for `destinationChain` under `key`. Ids that too few operators verified are
   * dropped from the batch (and reported) so the others do not wait for them.
   */
  async sign(
    key: SigningKey,
    batchKey: string,
    destinationChain: number,
    ids: Hex[],
    attempts = this.d.operators.length - this.d.threshold + 1,
  ): Promise<SigningResult> {
    let batch = [...ids];
    const excluded = new Set<number>();
    for (let attempt = 0; attempt < attempts; attempt++) {
      const sessionId = randomUUID();
      const commitReq: CommitRequest = { sessionId, batchKey, destinationChain, epoch: key.epoch, ids: batch };
      const candidates = this.d.operators.filter((o) => !excluded.has(o));
      const missingVotes = new Map<string, number>();
      const committed: { operator: number; commitment: WireCommitment }[] = [];
      await Promise.all(
        candidates.map(async (operator) => {
          try {
            const commitment = await this.call(operator, signCommit, commitReq, () =>
              this.d.participant.commit(commitReq, this.d.operatorId),
            );
            committed.push({ operator, commitment });
          } catch (e) {
            const missing = missingOf(e);
            if (missing)
              for (const id of missing)
                missingVotes.set(id.toLowerCase(), (missingVotes.get(id.toLowerCase()) ?? 0) + 1);
            else this.blame(operator, e);
          }
        }),
      );
      if (committed.length < this.d.threshold) {
        // keep the ids that enough operators have verified; the rest go to a later session
        const ready = batch.filter(
          (id) => candidates.length - (missingVotes.get(id.toLowerCase()) ?? 0) >= this.d.threshold,
        );
        const notReady = batch.filter((id) => !ready.includes(id));
        this.d.onRound('retry');
        if (ready.length > 0 && ready.length < batch.length) {
          batch = ready;
          continue;
        }
        throw new SigningFailedError(
          `${committed.length} of ${candidates.length} operators committed, threshold ${this.d.threshold}`,
          notReady,
        );
      }
      // the least blamed first (commit order among equals): a fast failer is passed over next time
      const chosen = this.blames.leastBlamed(committed, (c) => c.operator).slice(0, this.d.threshold);
      const list = chosen.map((c) => c.commitment);
      const shareReq: ShareRequest = { sessionId, commitments: list };
      const root = buildBatch(batch).root;
      const digest = hexToBytes(this.d.instances.digest(key.epoch, destinationChain, root));
      const wireList = list.map((c) => ({
        identifier: c.identifier,
        hiding: hexToBytes(c.hiding),
        binding: hexToBytes(c.binding),
      }));
      const shares: Record<string, Uint8Array> = {};
      let failed = false;
      await Promise.all(
        chosen.map(async ({ operator, commitment }) => {
          try {
            const share = await this.call(operator, signShare, shareReq, () =>
              this.d.participant.share(shareReq, this.d.operatorId),
            );
            const bytes = hexToBytes(share);
            if (!frost.verifyShare(key.key.public, wireList, digest, commitment.identifier, bytes)) {
              this.blames.blame(operator);
              this.d.onBlame(operator, 'bad-share');
              excluded.add(operator);
              failed = true;
              return;
            }
            shares[commitment.identifier] = bytes;
          } catch (e) {
            this.blame(operator, e);
            excluded.add(operator);
            failed = true;
          }
        }),
      );
      if (failed) {
        this.d.onRound('retry');
        continue;
      }
      const signature = frost.aggregate(key.key.public, wireList, digest, shares);
      if (!verifyFrost(signature, digest, key.groupKey.compressed))
        throw new SigningFailedError('aggregate signature does not verify');
      this.d.onRound('ok');
      return {
        root,
        signature: bytesToHex(signature),
        ids: batch,
        signers: chosen.map((c) => c.operator),
      };
    }
    this.d.onRound('failed');
    throw new SigningFailedError(`no signature after ${attempts} attempts`);
  }

  private blame(operator: number, e: unknown): void {
    this.blames.blame(operator);
    if (e instanceof PeerRequestError && (e.status === 'timeout' || e.status === 'unreachable'))
      this.d.onBlame(operator, 'unresponsive');
    else this.d.onBlame(operator, 'refused');
  }
}

function missingOf(e: unknown): Hex[] | undefined {
  if (e instanceof SigningRefusedError && e.missing.length) return e.missing;
  if (e instanceof PeerRequestError && e.status === 409) {
    const body = e.body as { missing?: Hex[] } | undefined;
    if (Array.isArray(body?.missing) && body.missing.length) return body.missing;
  }
  return undefined;
}
