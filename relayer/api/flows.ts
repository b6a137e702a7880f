/**
 * Attestations and compute jobs as this node saw them cross the bridge (docs/PROTOCOL.md §7): GET
 * /v1/attestations/:dataHash, /v1/attestations?owner=&chain=, /v1/jobs/:jobId, /v1/jobs?payer=&chain=; the
 * lists are paged (limit, cursor) and filtered inside Redis (FlowIndex), whatever the indices' sizes.
 * Built from the observed messages (FlowIndex) and their stages; the chains' registries and job boards
 * stay the authority for state, this is what a user follows a flow with.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Hex, hexToBytes } from 'viem';
import type { FlowIndex } from '../pipeline/flowIndex.js';
import type { MessageRecord, MessageStore } from '../pipeline/store.js';
import { decodeMessage } from '../protocol/message.js';
import { escrowStep, type JobOutcome } from '../protocol/rules.js';

/** Most items one page of a list query returns (and the page size when the client names none). */
export const FLOW_LIST_LIMIT = 100;

export interface AttestationMessageView {
  messageId: Hex;
  action: 'Register' | 'Revoke';
  ownerDid: string;
  sourceChain: number;
  destinationChain: number;
  nonce: string;
  timestamp: string;
  uri: string;
  license: string;
  stage: MessageRecord['stage'];
  deliveryTx?: Hex;
}

export interface AttestationView {
  dataHash: Hex;
  /** Distinct owner DIDs that attested this hash: more than one is a conflict on the chains. */
  owners: string[];
  messages: AttestationMessageView[];
}

export type JobStatus =
  | 'posted'
  | 'open'
  | 'cancel-requested'
  | 'completed'
  | 'expired'
  | 'cancelled'
  | 'paid'
  | 'refunded';

export interface JobView {
  jobId: Hex;
  status: JobStatus;
  escrowChain?: number;
  executorChain?: number;
  specHash?: Hex;
  payment?: { originChain: number; originToken: Hex; amount: string };
  deadline?: string;
  payer?: Hex;
  result?: { outcome: 'Completed' | 'Expired' | 'Cancelled'; resultHash: Hex; executor: Hex; timestamp: string };
  messages: { messageId: Hex; kind: 'post' | 'cancel' | 'result'; stage: MessageRecord['stage']; deliveryTx?: Hex }[];
}

async function records(store: MessageStore, ids: Hex[]): Promise<MessageRecord[]> {
  return (await store.getMany(ids)).filter((r): r is MessageRecord => r !== undefined);
}

/**
 * Loads the message records of many hashes' id lists in one round trip (one getMany over all ids), so a
 * page of 100 views costs two Redis round trips rather than two per view.
 */
async function recordsMany(store: MessageStore, idLists: Hex[][]): Promise<MessageRecord[][]> {
  const all = await store.getMany(idLists.flat());
  let at = 0;
  return idLists.map((ids) => {
    const mine = all.slice(at, at + ids.length);
    at += ids.length;
    return mine.filter((r): r is MessageRecord => r !== undefined);
  });
}

function buildAttestationView(dataHash: string, found: MessageRecord[]): AttestationView | undefined {
  if (found.length === 0) return undefined;
  const messages: AttestationMessageView[] = [];
  for (const r of found) {
    const m = decodeMessage(hexToBytes(r.message));
    if (m.kind !== 'DataAttestation') continue;
    messages.push({
      messageId: r.id,
      action: m.payload.action,
      ownerDid: m.payload.ownerDid,
      sourceChain: m.sourceChain,
      destinationChain: m.destinationChain,
      nonce: m.nonce.toString(),
      timestamp: m.payload.timestamp.toString(),
      uri: m.payload.uri,
      license: m.payload.license,
      stage: r.stage,
      ...(r.deliveryTx ? { deliveryTx: r.deliveryTx } : {}),
    });
  }
  // oldest first; ties (one attest call to several destinations) by route, then nonce
  messages.sort(
    (a, b) =>
      Number(BigInt(a.timestamp) - BigInt(b.timestamp)) ||
      a.sourceChain - b.sourceChain ||
      a.destinationChain - b.destinationChain ||
      Number(BigInt(a.nonce) - BigInt(b.nonce)),
  );
  return {
    dataHash: dataHash.toLowerCase() as Hex,
    owners: [...new Set(messages.map((m) => m.ownerDid))],
    messages,
  };
}

export async function attestationView(
  store: MessageStore,
  index: FlowIndex,
  dataHash: string,
): Promise<AttestationView | undefined> {
  return buildAttestationView(dataHash, await records(store, await index.attestationMessages(dataHash)));
}

/** The views of many data hashes in two Redis round trips, in the order asked (unknown hashes left out). */
export async function attestationViews(
  store: MessageStore,
  index: FlowIndex,
  dataHashes: Hex[],
): Promise<AttestationView[]> {
  const found = await recordsMany(store, await index.attestationMessagesMany(dataHashes));
  return dataHashes
    .map((h, i) => buildAttestationView(h, found[i] ?? []))
    .filter((v): v is AttestationView => v !== undefined);
}

export async function jobView(store: MessageStore, index: FlowIndex, jobId: string): Promise<JobView | undefined> {
  return buildJobView(jobId, await records(store, await index.jobMessages(jobId)));
}

/** The views of many jobs in two Redis round trips, in the order asked (unknown jobs left out). */
export async function jobViews(store: MessageStore, index: FlowIndex, jobIds: Hex[]): Promise<JobView[]> {
  const found = await recordsMany(store, await index.jobMessagesMany(jobIds));
  return jobIds.map((id, i) => buildJobView(id, found[i] ?? [])).filter((v): v is JobView => v !== undefined);
}

function buildJobView(jobId: string, found: MessageRecord[]): JobView | undefined {
  if (found.length === 0) return undefined;
  const view: JobView = { jobId: jobId.toLowerCase() as Hex, status: 'posted', messages: [] };
  let postDelivered = false;
  let cancelSeen = false;
  let resultDelivered = false;
  for (const r of found) {
    const m = decodeMessage(hexToBytes(r.message));
    const entry = { messageId: r.id, stage: r.stage, ...(r.deliveryTx ? { deliveryTx: r.deliveryTx } : {}) };
    if (m.kind === 'ComputeJob' && m.payload.action === 'Post') {
      const p = m.payload;
      view.escrowChain = m.sourceChain;
      view.executorChain = m.destinationChain;
      view.specHash = p.specHash;
      view.payment = {
        originChain: p.paymentOriginChain,
        originToken: p.paymentOriginToken,
        amount: p.paymentAmount.toString(),
      };
      view.deadline = p.deadline.toString();
      view.payer = p.payer;
      postDelivered = r.stage === 'delivered';
      view.messages.push({ ...entry, kind: 'post' });
    } else if (m.kind === 'ComputeJob') {
      cancelSeen = true;
      view.messages.push({ ...entry, kind: 'cancel' });
    } else if (m.kind === 'ComputeResult') {
      const p = m.payload;
      view.result = {
        outcome: p.outcome,
        resultHash: p.resultHash,
        executor: p.executor,
        timestamp: p.timestamp.toString(),
      };
      resultDelivered = r.stage === 'delivered';
      view.messages.push({ ...entry, kind: 'result' });
    }
  }
  if (view.result) {
    const outcome = view.result.outcome;
    view.status = resultDelivered
      ? settledStatus(outcome)
      : (outcome.toLowerCase() as 'completed' | 'expired' | 'cancelled');
  } else if (cancelSeen) view.status = 'cancel-requested';
  else if (postDelivered) view.status = 'open';
  return view;
}

/**
 * A job's status on A once B's result was delivered there (so A took it): the escrow rule's state after the
 * result, from `CancelRequested`, the state that takes every outcome.
 */
function settledStatus(outcome: JobOutcome): 'paid' | 'refunded' {
  const step = escrowStep('CancelRequested', { event: 'Result', outcome, fromExecutorChain: true }, 0n);
  return step.ok && step.state === 'Paid' ? 'paid' : 'refunded';
}

const HASH = { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$' } as const;
const CHAIN = { type: 'integer', minimum: 1, maximum: 4294967295 } as const;
const errorSchema = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' } },
} as const;
const attestationSchema = {
  type: 'object',
  additionalProperties: true,
  required: ['dataHash', 'owners', 'messages'],
  properties: {
    dataHash: { type: 'string' },
    owners: { type: 'array', items: { type: 'string' } },
    messages: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
} as const;
const jobSchema = {
  type: 'object',
  additionalProperties: true,
  required: ['jobId', 'status', 'messages'],
  properties: {
    jobId: { type: 'string' },
    status: {
      type: 'string',
      enum: ['posted', 'open', 'cancel-requested', 'completed', 'expired', 'cancelled', 'paid', 'refunded'],
    },
    escrowChain: { type: 'integer' },
    executorChain: { type: 'integer' },
    messages: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
} as const;

/** Paging parameters every list query takes. */
const PAGING = {
  limit: { type: 'integer', minimum: 1, maximum: FLOW_LIST_LIMIT, default: FLOW_LIST_LIMIT },
  // keyset paging: the last hash of the previous page, so a page stays right while new entries arrive
  cursor: HASH,
} as const;
const pageFields = {
  total: { type: 'integer', minimum: 0 },
  nextCursor: { type: 'string' },
} as const;

interface PageQuery {
  limit: number;
  cursor?: string;
}

function pageOf(query: PageQuery): { limit: number; cursor?: string } {
  return { limit: query.limit, ...(query.cursor !== undefined ? { cursor: query.cursor } : {}) };
}

export function addFlowRoutes(app: FastifyInstance, store: MessageStore, index: FlowIndex): void {
  app.get(
    '/v1/attestations/:dataHash',
    {
      schema: {
        summary: 'The attestation messages of a data hash (registrations, revocations, conflicting owners)',
        params: { type: 'object', required: ['dataHash'], properties: { dataHash: HASH } },
        response: { 200: attestationSchema, 404: errorSchema },
      },
    },
    async (req: FastifyRequest<{ Params: { dataHash: string } }>, reply: FastifyReply) => {
      const view = await attestationView(store, index, req.params.dataHash);
      if (!view)
        return reply.status(404).send({ error: 'NotFound', message: `no attestation of ${req.params.dataHash}` });
      return view;
    },
  );

  app.get(
    '/v1/attestations',
    {
      schema: {
        summary: `Attestations by owner DID and/or chain (source or destination), by data hash, ${FLOW_LIST_LIMIT} a page at most; pass nextCursor back as cursor for the next page`,
        querystring: {
          type: 'object',
          additionalProperties: false,
          anyOf: [{ required: ['owner'] }, { required: ['chain'] }],
          properties: {
            owner: { type: 'string', minLength: 8, maxLength: 256, pattern: '^did:' },
            chain: CHAIN,
            ...PAGING,
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['attestations', 'total'],
            properties: { attestations: { type: 'array', items: attestationSchema }, ...pageFields },
          },
        },
      },
    },
    async (req: FastifyRequest<{ Querystring: { owner?: string; chain?: number } & PageQuery }>) => {
      const { owner, chain } = req.query;
      const page = await index.attestationPage(
        { ...(owner !== undefined ? { owner } : {}), ...(chain !== undefined ? { chain } : {}) },
        pageOf(req.query),
      );
      return {
        attestations: await attestationViews(store, index, page.items),
        total: page.total,
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      };
    },
  );

  app.get(
    '/v1/jobs/:jobId',
    {
      schema: {
        summary: 'A compute job: its post, cancel and result messages and the status they give',
        params: { type: 'object', required: ['jobId'], properties: { jobId: HASH } },
        response: { 200: jobSchema, 404: errorSchema },
      },
    },
    async (req: FastifyRequest<{ Params: { jobId: string } }>, reply: FastifyReply) => {
      const view = await jobView(store, index, req.params.jobId);
      if (!view) return reply.status(404).send({ error: 'NotFound', message: `no job ${req.params.jobId}` });
      return view;
    },
  );

  app.get(
    '/v1/jobs',
    {
      schema: {
        summary: `Jobs by payer (32-byte form) and/or chain (escrow or executor), by job id, ${FLOW_LIST_LIMIT} a page at most; pass nextCursor back as cursor for the next page`,
        querystring: {
          type: 'object',
          additionalProperties: false,
          anyOf: [{ required: ['payer'] }, { required: ['chain'] }],
          properties: { payer: HASH, chain: CHAIN, ...PAGING },
        },
        response: {
          200: {
            type: 'object',
            required: ['jobs', 'total'],
            properties: { jobs: { type: 'array', items: jobSchema }, ...pageFields },
          },
        },
      },
    },
    async (req: FastifyRequest<{ Querystring: { payer?: string; chain?: number } & PageQuery }>) => {
      const { payer, chain } = req.query;
      const page = await index.jobPage(
        { ...(payer !== undefined ? { payer } : {}), ...(chain !== undefined ? { chain } : {}) },
        pageOf(req.query),
      );
      return {
        jobs: await jobViews(store, index, page.items),
        total: page.total,
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      };
    },
  );
}
