/**
 * What a node knows about each message, in its own Redis: the stage it reached, when, and the
 * evidence (source tx, signature, delivery tx). The API reads it; the stages write it.
 */
import type { Redis } from 'ioredis';
import type { Hex } from 'viem';
import type { ObservedMessage } from '../chains/adapter.js';
import { indexFlowMessage } from './flowIndex.js';
import type { VerifiedSeal } from './verifiedSeal.js';

export const STAGES = ['observed', 'verified', 'signed', 'submitted', 'delivered', 'rejected', 'parked'] as const;
export type Stage = (typeof STAGES)[number];
const ORDER: Record<Stage, number> = {
  observed: 0,
  verified: 1,
  signed: 2,
  submitted: 3,
  delivered: 4,
  rejected: 9,
  parked: 9,
};

export interface MessageRecord {
  id: Hex;
  message: Hex;
  sourceChain: number;
  destinationChain: number;
  nonce: string;
  sourceTx: Hex;
  sourceBlock: string;
  stage: Stage;
  observedAt?: number;
  verifiedAt?: number;
  signedAt?: number;
  submittedAt?: number;
  deliveredAt?: number;
  /** Batch root the signature covers. */
  root?: Hex;
  deliveryTx?: Hex;
  error?: string;
}

export interface BatchRecord {
  root: Hex;
  destinationChain: number;
  epoch: number;
  signature: Hex;
  ids: Hex[];
  messages: Hex[];
  /** The operator that ran the signing session (and delivers first). */
  coordinator: number;
  signers: number[];
}

const NUMERIC = new Set([
  'sourceChain',
  'destinationChain',
  'observedAt',
  'verifiedAt',
  'signedAt',
  'submittedAt',
  'deliveredAt',
]);

/** Set of the operators blame() has counted failures of (blames() reads it instead of scanning keys). */
const BLAMED_OPERATORS = 'blamed-operators';

/** Stages at which a proved message may still be (co-)signed. */
const SIGNABLE = new Set<Stage>(['verified', 'signed', 'submitted', 'delivered']);

/** Sorted set of the batch roots recently counted delivered on a destination, scored by when (ms). */
function recentDeliveriesKey(destinationChain: number): string {
  return `delivered-recently:${destinationChain}`;
}

/** KEYS[1] a message record, ARGV[1] the error: delivered -> signed, atomically (a concurrent write is not lost). */
const REOPEN_DELIVERED = `
if redis.call('HGET', KEYS[1], 'stage') ~= 'delivered' then return 0 end
redis.call('HSET', KEYS[1], 'stage', 'signed', 'error', ARGV[1])
redis.call('HDEL', KEYS[1], 'deliveredAt')
return 1
`;

function parseRecord(raw: Record<string, string>): MessageRecord | undefined {
  if (!raw.message) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (k !== 'verifiedMac') out[k] = NUMERIC.has(k) ? Number(v) : v;
  return out as unknown as MessageRecord;
}

export class MessageStore {
  /** @param seal present on a node: markVerified seals what its verifier proved. */
  constructor(
    readonly redis: Redis,
    private readonly seal?: VerifiedSeal,
  ) {}

  private key(id: string) {
    return `msg:${id.toLowerCase()}`;
  }

  /** Records a newly observed message; returns false if it was known already (nothing changes). */
  async observe(m: ObservedMessage): Promise<boolean> {
    const created = await this.redis.hsetnx(this.key(m.messageId), 'id', m.messageId);
    if (!created) return false;
    await this.recordObservation(this.redis.multi(), m).exec();
    return true;
  }

  private recordObservation(tx: ReturnType<Redis['multi']>, m: ObservedMessage): ReturnType<Redis['multi']> {
    // attestation and job messages are also indexed by data hash, owner, job id, payer and chain
    indexFlowMessage(tx, m);
    return tx
      .hset(this.key(m.messageId), {
        message: m.message,
        sourceChain: m.sourceChain,
        destinationChain: m.destinationChain,
        nonce: m.nonce.toString(),
        sourceTx: m.sourceTx,
        sourceBlock: m.sourceBlock.toString(),
        stage: 'observed',
        observedAt: Date.now(),
      })
      .sadd(`src:${m.sourceTx.toLowerCase()}`, m.messageId);
  }

  /**
   * Records many observed messages in two round trips.
   * @returns the ones still at the observed stage (new, or seen before a crash but never queued).
   */
  async observeMany(ms: ObservedMessage[]): Promise<ObservedMessage[]> {
    if (ms.length === 0) return [];
    const created = await this.redis.multi(ms.map((m) => ['hsetnx', this.key(m.messageId), 'id', m.messageId])).exec();
    const write = this.redis.multi();
    ms.forEach((m, i) => {
      if (created?.[i]?.[1] === 1) this.recordObservation(write, m);
    });
    for (const m of ms) write.hget(this.key(m.messageId), 'stage');
    const results = (await write.exec()) ?? [];
    const stages = results.slice(results.length - ms.length).map((r) => r?.[1]);
    return ms.filter((_, i) => stages[i] === 'observed');
  }

  async get(id: string): Promise<MessageRecord | undefined> {
    return parseRecord(await this.redis.hgetall(this.key(id)));
  }

  /** Many records in one round trip (undefined for unknown ids), in the order asked. */
  async getMany(ids: string[]): Promise<(MessageRecord | undefined)[]> {
    if (ids.length === 0) return [];
    const rows = (await this.redis.multi(ids.map((id) => ['hgetall', this.key(id)])).exec()) ?? [];
    return rows.map((r) => parseRecord((r?.[1] ?? {}) as Record<string, string>));
  }

  /**
   * Moves messages this node verified to the verified stage (two round trips; never back from a later
   * stage). @returns for each, the root of a signed batch covering it if this node has heard of one.
   */
  async markVerified(ids: Hex[], destinationChains: number[]): Promise<(Hex | undefined)[]> {
    if (!this.seal) throw new Error('this store cannot seal verifications (no keystore key)');
    const read = this.redis.multi();
    for (const id of ids) read.hmget(this.key(id), 'stage', 'root');
    const rows = (await read.exec()) ?? [];
    const write = this.redis.multi();
    const now = Date.now();
    const roots = ids.map((id, i) => {
      const [stage, root] = (rows[i]?.[1] ?? []) as (string | null)[];
      const verifiedMac = this.seal?.mac(id, destinationChains[i] as number) as string;
      if (!stage || ORDER[stage as Stage] <= ORDER.verified || ORDER[stage as Stage] === 9)
        write.hset(this.key(id), { stage: 'verified', verifiedAt: now, verifiedMac });
      else write.hset(this.key(id), { verifiedMac });
      return (root ?? undefined) as Hex | undefined;
    });
    await write.exec();
    return roots;
  }

  /**
   * Marks a signed batch's messages (two round trips): each remembers the root, even one this node has
   * not observed yet (when it does, it skips signing); those at observed/verified move to signed and
   * leave the pending set of their batch key.
   */
  async markSigned(
    ids: Hex[],
    root: Hex,
    batchKeyOf: (m: { sourceChain: number; destinationChain: number; nonce: string }) => string,
  ): Promise<number[]> {
    const read = this.redis.multi();
    for (const id of ids)
      read
        .hset(this.key(id), 'root', root)
        .hmget(this.key(id), 'stage', 'sourceChain', 'destinationChain', 'nonce', 'verifiedAt');
    const rows = (await read.exec()) ?? [];
    const write = this.redis.multi();
    const verifiedAt: number[] = [];
    ids.forEach((id, i) => {
      const [stage, sourceChain, destinationChain, nonce, verified] = (rows[2 * i + 1]?.[1] ?? []) as (string | null)[];
      if (!stage || !nonce) return;
      if (stage === 'observed' || stage === 'verified')
        write.hset(this.key(id), { stage: 'signed', signedAt: Date.now() });
      write.zrem(
        `pending:${batchKeyOf({ sourceChain: Number(sourceChain), destinationChain: Number(destinationChain), nonce })}`,
        id,
      );
      if (verified) verifiedAt.push(Number(verified));
    });
    await write.exec();
    return verifiedAt;
  }

  /**
   * Of many messages (one round trip): whether this node's own verifier proved each for `destinationChain`,
   * by the record's MAC (VerifiedSeal), whatever its stage field says.
   */
  async provedHere(ids: string[], destinationChain: number): Promise<boolean[]> {
    const m = this.redis.multi();
    for (const id of ids) m.hmget(this.key(id), 'stage', 'destinationChain', 'verifiedMac');
    const rows = (await m.exec()) ?? [];
    return rows.map((r, i) => {
      const [stage, destination, mac] = (r?.[1] ?? []) as (string | null)[];
      if (!stage || !SIGNABLE.has(stage as Stage) || Number(destination) !== destinationChain) return false;
      return this.seal?.holds(ids[i] as string, destinationChain, mac) ?? false;
    });
  }

  /** The root of a signed batch covering the message, if this node has heard of one. */
  async signedRoot(id: string): Promise<Hex | undefined> {
    return ((await this.redis.hget(this.key(id), 'root')) ?? undefined) as Hex | undefined;
  }

  async bySourceTx(tx: string): Promise<MessageRecord[]> {
    const ids = await this.redis.smembers(`src:${tx.toLowerCase()}`);
    const records = await Promise.all(ids.map((id) => this.get(id)));
    return records.filter((r): r is MessageRecord => r !== undefined);
  }

  /** Moves a message forward (never back, except to the terminal rejected/parked states). */
  async advance(id: string, stage: Stage, fields: Partial<MessageRecord> = {}): Promise<void> {
    const current = (await this.redis.hget(this.key(id), 'stage')) as Stage | null;
    if (current && ORDER[current] > ORDER[stage] && ORDER[current] < 9) return;
    const at = `${stage}At`;
    const update: Record<string, string | number> = { stage };
    if (['verified', 'signed', 'submitted', 'delivered'].includes(stage)) update[at] = Date.now();
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) update[k] = String(v);
    await this.redis.hset(this.key(id), update);
  }

  /**
   * Sets (or, with undefined, forgets) the transaction that delivered a message, whatever its stage: a node
   * that counted a delivery final before it learned who delivered it hears the transaction later.
   */
  async setDeliveryTx(id: string, tx: Hex | undefined): Promise<void> {
    if (tx) await this.redis.hset(this.key(id), 'deliveryTx', tx);
    else await this.redis.hdel(this.key(id), 'deliveryTx');
  }

  /** Notes that `coordinator` is running a signing session for a batch key now. */
  async claimKey(batchKey: string, coordinator: number): Promise<void> {
    await this.redis
      .multi()
      .hset(`claims:${batchKey}`, String(coordinator), String(Date.now()))
      .expire(`claims:${batchKey}`, 3600)
      .exec();
  }

  /** When each coordinator was last seen at work on a batch key. */
  async keyClaims(batchKey: string): Promise<{ coordinator: number; at: number }[]> {
    const raw = await this.redis.hgetall(`claims:${batchKey}`);
    return Object.entries(raw).map(([coordinator, at]) => ({ coordinator: Number(coordinator), at: Number(at) }));
  }

  async saveBatch(batch: BatchRecord): Promise<void> {
    await this.redis.set(`batch:${batch.root.toLowerCase()}`, JSON.stringify(batch));
  }

  async getBatch(root: string): Promise<BatchRecord | undefined> {
    const raw = await this.redis.get(`batch:${root.toLowerCase()}`);
    return raw ? (JSON.parse(raw) as BatchRecord) : undefined;
  }

  /** Verified, not yet signed messages waiting for a signing session, by batch key. */
  async addPending(batchKey: string, id: Hex, nonce: bigint): Promise<void> {
    await this.redis.zadd(`pending:${batchKey}`, nonce.toString(), id);
  }

  async addPendingMany(entries: { key: string; id: Hex; nonce: bigint }[]): Promise<void> {
    if (entries.length === 0) return;
    const write = this.redis.multi();
    for (const e of entries) write.zadd(`pending:${e.key}`, e.nonce.toString(), e.id);
    await write.exec();
  }

  async pending(batchKey: string, limit: number): Promise<Hex[]> {
    return (await this.redis.zrange(`pending:${batchKey}`, 0, limit - 1)) as Hex[];
  }

  async removePending(batchKey: string, ids: Hex[]): Promise<void> {
    if (ids.length) await this.redis.zrem(`pending:${batchKey}`, ...ids);
  }

  async checkpoint(chain: string): Promise<bigint | undefined> {
    const v = await this.redis.get(`watch:${chain}`);
    return v === null ? undefined : BigInt(v);
  }

  async setCheckpoint(chain: string, next: bigint): Promise<void> {
    await this.redis.set(`watch:${chain}`, next.toString());
  }

  /**
   * Notes that a batch counted as delivered on its destination now (reconciliation re-checks the recent ones).
   * The first time counts: noting it again (a peer's word, a takeover job) does not move it.
   */
  async noteDelivered(destinationChain: number, root: Hex, at = Date.now()): Promise<void> {
    await this.redis.zadd(recentDeliveriesKey(destinationChain), 'NX', at, root.toLowerCase());
  }

  /** Forgets recent deliveries noted before `before` (ms); @returns how many went. */
  async pruneDeliveries(destinationChain: number, before: number): Promise<number> {
    return this.redis.zremrangebyscore(recentDeliveriesKey(destinationChain), '-inf', `(${before}`);
  }

  /** Up to `limit` recently delivered batch roots from position `offset`, oldest first. */
  async recentDeliveries(destinationChain: number, offset: number, limit: number): Promise<Hex[]> {
    return (await this.redis.zrange(recentDeliveriesKey(destinationChain), offset, offset + limit - 1)) as Hex[];
  }

  async forgetDelivery(destinationChain: number, root: Hex): Promise<void> {
    await this.redis.zrem(recentDeliveriesKey(destinationChain), root.toLowerCase());
  }

  /**
   * A delivered message whose delivery the destination no longer holds goes back to signed (its batch is still
   * signed), `error` saying why, so the API shows it. Atomic, and only from delivered: @returns whether it moved.
   */
  async reopenDelivered(id: string, error: string): Promise<boolean> {
    const moved = await this.redis.eval(REOPEN_DELIVERED, 1, this.key(id), error);
    return moved === 1;
  }

  /** Counts the re-sends of a batch (their job ids must not collapse into an earlier one's). */
  async nextResendRound(root: Hex): Promise<number> {
    const key = `resends:${root.toLowerCase()}`;
    const [[, round] = []] =
      (await this.redis
        .multi()
        .incr(key)
        .expire(key, 7 * 86_400)
        .exec()) ?? [];
    return Number(round);
  }

  /** Counts a signing failure of `operator`; the operator joins the blamed set blames() lists from. */
  async blame(operator: number, reason: string): Promise<void> {
    await this.redis.multi().hincrby(`blame:${operator}`, reason, 1).sadd(BLAMED_OPERATORS, String(operator)).exec();
  }

  /**
   * Signing failures per blamed operator and reason, in two round trips: the operators come from the set
   * blame() writes, never from KEYS (which walks the whole keyspace and stalls Redis for every client).
   */
  async blames(): Promise<Record<string, Record<string, number>>> {
    const operators = (await this.redis.smembers(BLAMED_OPERATORS)).sort((a, b) => Number(a) - Number(b));
    if (operators.length === 0) return {};
    const rows = (await this.redis.pipeline(operators.map((o) => ['hgetall', `blame:${o}`])).exec()) ?? [];
    const out: Record<string, Record<string, number>> = {};
    operators.forEach((operator, i) => {
      const [err, raw] = rows[i] ?? [null, {}];
      if (err) throw err;
      out[operator] = Object.fromEntries(
        Object.entries((raw ?? {}) as Record<string, string>).map(([r, n]) => [r, Number(n)]),
      );
    });
    return out;
  }
}
