/**
 * Index of the attestation and compute-job messages (kinds 2, 3, 4) a node has observed, so the API can
 * answer "what crossed the bridge" by data hash, owner DID, job id, payer and chain (docs/PROTOCOL.md §7).
 * The chains hold the authoritative registry and job state; this is the relayer's view of the messages
 * and how far each got. Entries are written in the same Redis transaction that records the observation.
 *
 * The list indices (owner, payer, chain) are sorted sets whose members all score 0, so Redis keeps them in
 * lexicographic order of the (lowercase, fixed-length) hash: a page is a ZRANGE BYLEX from the last hash of
 * the previous page, and a filter on two indices is intersected inside Redis (a Lua walk over the smaller
 * one, ZINTERCARD for the total). Nothing ever loads a whole index into the node.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import { type Hex, hexToBytes } from 'viem';
import type { ObservedMessage } from '../chains/adapter.js';
import { decodeMessage } from '../protocol/message.js';

const key = {
  /** Set: ids of the messages attesting one data hash (a handful). */
  attestation: (dataHash: string) => `flow:att:${dataHash.toLowerCase()}`,
  /** Set: ids of the post, cancel and result messages of one job (a handful). */
  job: (jobId: string) => `flow:job:${jobId.toLowerCase()}`,
  // sorted sets (score 0); new names, because these were plain sets before and a ZADD on an old set key
  // would fail inside the observation transaction (migrateFlowIndex moves the old ones)
  owner: (did: string) => `flow:idx:att-owner:${did}`,
  attestationsOfChain: (chain: number) => `flow:idx:att-chain:${chain}`,
  payer: (payer: string) => `flow:idx:job-payer:${payer.toLowerCase()}`,
  jobsOfChain: (chain: number) => `flow:idx:job-chain:${chain}`,
};

/** Adds the index entries of one observed message to a transaction; other kinds add nothing. */
export function indexFlowMessage(tx: ChainableCommander, m: ObservedMessage): void {
  const decoded = decodeMessage(hexToBytes(m.message));
  if (decoded.kind === 'DataAttestation') {
    const { dataHash, ownerDid } = decoded.payload;
    const h = dataHash.toLowerCase();
    tx.sadd(key.attestation(dataHash), m.messageId)
      .zadd(key.owner(ownerDid), 0, h)
      .zadd(key.attestationsOfChain(m.sourceChain), 0, h)
      .zadd(key.attestationsOfChain(m.destinationChain), 0, h);
  } else if (decoded.kind === 'ComputeJob' || decoded.kind === 'ComputeResult') {
    const { jobId } = decoded.payload;
    const j = jobId.toLowerCase();
    tx.sadd(key.job(jobId), m.messageId)
      .zadd(key.jobsOfChain(m.sourceChain), 0, j)
      .zadd(key.jobsOfChain(m.destinationChain), 0, j);
    if (decoded.kind === 'ComputeJob' && decoded.payload.action === 'Post')
      tx.zadd(key.payer(decoded.payload.payer), 0, j);
  }
}

/** One page of an index query: hashes in ascending order, how many match in all, where the next page starts. */
export interface IndexPage {
  items: Hex[];
  total: number;
  /** Pass back as `cursor` for the next page; absent on the last page. */
  nextCursor?: Hex;
}

/**
 * One page of the intersection of lex-ordered sorted sets, computed in Redis.
 * KEYS: the index keys (members all score 0). ARGV[1]: exclusive lower bound ('' = from the start);
 * ARGV[2]: most members to return; ARGV[3]: members read per step of the walk.
 * Returns {total, {members}}. The walk goes over the smallest set from the cursor and keeps a member only if
 * every other set has it (ZMSCORE), so its cost is bounded by the members it reads until the page is full,
 * never by the product of the sets' sizes.
 */
const PAGE_SCRIPT = `
local limit = tonumber(ARGV[2])
local step = tonumber(ARGV[3])
local smallest, size = 1, -1
for i, k in ipairs(KEYS) do
  local n = redis.call('ZCARD', k)
  if size < 0 or n < size then smallest, size = i, n end
end
if size == 0 then return {0, {}} end
local total = size
if #KEYS > 1 then total = redis.call('ZINTERCARD', #KEYS, unpack(KEYS)) end
local out = {}
local from = '-'
if ARGV[1] ~= '' then from = '(' .. ARGV[1] end
while #out < limit do
  local batch = redis.call('ZRANGE', KEYS[smallest], from, '+', 'BYLEX', 'LIMIT', 0, step)
  if #batch == 0 then break end
  local keep = {}
  for j = 1, #batch do keep[j] = true end
  for i, k in ipairs(KEYS) do
    if i ~= smallest then
      local scores = redis.call('ZMSCORE', k, unpack(batch))
      for j = 1, #batch do
        if not scores[j] then keep[j] = false end
      end
    end
  end
  for j = 1, #batch do
    if keep[j] then
      out[#out + 1] = batch[j]
      if #out == limit then break end
    end
  end
  if #batch < step then break end
  from = '(' .. batch[#batch]
end
return {total, out}
`;

/** Members the Lua walk reads per step (kept well under Lua's unpack limit). */
const WALK_STEP = 512;

/** Reads of the index (ids only; the API loads the message records). */
export class FlowIndex {
  constructor(private readonly redis: Redis) {}

  attestationMessages(dataHash: string): Promise<Hex[]> {
    return this.redis.smembers(key.attestation(dataHash)) as Promise<Hex[]>;
  }

  /** The message ids of many data hashes in one round trip, in the order asked. */
  attestationMessagesMany(dataHashes: string[]): Promise<Hex[][]> {
    return this.membersMany(dataHashes.map(key.attestation));
  }

  jobMessages(jobId: string): Promise<Hex[]> {
    return this.redis.smembers(key.job(jobId)) as Promise<Hex[]>;
  }

  /** The message ids of many jobs in one round trip, in the order asked. */
  jobMessagesMany(jobIds: string[]): Promise<Hex[][]> {
    return this.membersMany(jobIds.map(key.job));
  }

  /** Data hashes attested by `owner` and/or touching `chain` (source or destination), a page at a time. */
  attestationPage(filter: { owner?: string; chain?: number }, page: { limit: number; cursor?: string }) {
    const keys: string[] = [];
    if (filter.owner !== undefined) keys.push(key.owner(filter.owner));
    if (filter.chain !== undefined) keys.push(key.attestationsOfChain(filter.chain));
    return this.page(keys, page);
  }

  /** Job ids posted by `payer` and/or touching `chain` (escrow or executor), a page at a time. */
  jobPage(filter: { payer?: string; chain?: number }, page: { limit: number; cursor?: string }) {
    const keys: string[] = [];
    if (filter.payer !== undefined) keys.push(key.payer(filter.payer));
    if (filter.chain !== undefined) keys.push(key.jobsOfChain(filter.chain));
    return this.page(keys, page);
  }

  private async membersMany(keys: string[]): Promise<Hex[][]> {
    if (keys.length === 0) return [];
    const rows = (await this.redis.pipeline(keys.map((k) => ['smembers', k])).exec()) ?? [];
    return rows.map(([err, ids]) => {
      if (err) throw err;
      return ids as Hex[];
    });
  }

  private async page(keys: string[], page: { limit: number; cursor?: string }): Promise<IndexPage> {
    if (keys.length === 0) throw new Error('an index query needs at least one filter');
    if (!Number.isInteger(page.limit) || page.limit < 1) throw new Error(`page limit ${page.limit} is not positive`);
    // one more than asked tells whether a next page exists without a second query
    const [total, members] = (await this.redis.eval(
      PAGE_SCRIPT,
      keys.length,
      ...keys,
      page.cursor?.toLowerCase() ?? '',
      page.limit + 1,
      WALK_STEP,
    )) as [number, Hex[]];
    const items = members.slice(0, page.limit);
    const more = members.length > page.limit;
    return { items, total, ...(more ? { nextCursor: items[items.length - 1] as Hex } : {}) };
  }
}

/** The list indices as plain sets (before they became sorted sets), and their sorted-set names now. */
const LEGACY: { pattern: string; rename: (old: string) => string }[] = [
  { pattern: 'flow:owner:*', rename: (k) => `flow:idx:att-owner:${k.slice('flow:owner:'.length)}` },
  { pattern: 'flow:att-chain:*', rename: (k) => `flow:idx:att-chain:${k.slice('flow:att-chain:'.length)}` },
  { pattern: 'flow:payer:*', rename: (k) => `flow:idx:job-payer:${k.slice('flow:payer:'.length)}` },
  { pattern: 'flow:job-chain:*', rename: (k) => `flow:idx:job-chain:${k.slice('flow:job-chain:'.length)}` },
];

/**
 * Moves list indices written by an older node (plain sets) into the sorted sets the queries read, so an
 * upgraded node still lists what it observed before. Idempotent; SCAN and SSCAN in batches, never KEYS or a
 * whole-set read, so Redis stays responsive on a large index. Run once at startup, before the API listens.
 * @returns how many old keys it moved.
 */
export async function migrateFlowIndex(redis: Redis): Promise<number> {
  let moved = 0;
  for (const { pattern, rename } of LEGACY) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500, 'TYPE', 'set');
      cursor = next;
      for (const old of keys) {
        let inner = '0';
        do {
          const [n, members] = await redis.sscan(old, inner, 'COUNT', 1000);
          inner = n;
          if (members.length > 0)
            await redis.zadd(rename(old), ...members.flatMap((m) => [0, m.toLowerCase()] as [number, string]));
        } while (inner !== '0');
        await redis.del(old);
        moved++;
      }
    } while (cursor !== '0');
  }
  return moved;
}
