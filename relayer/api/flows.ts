/**
 * Attestations and compute jobs as this node saw them cross the bridge (docs/PROTOCOL.md §7): GET
 * /v1/attestations/:dataHash, /v1/attestations?owner=&chain=, /v1/jobs/:jobId, /v1/jobs?payer=&chain=.
 * Built from the observed messages (FlowIndex) and their stages; the chains' registries and job boards
 * stay the authority for state, this is what a user follows a flow with.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Hex, hexToBytes } from 'viem';
import type { FlowIndex } from '../pipeline/flowIndex.js';
import type { MessageRecord, MessageStore } from '../pipeline/store.js';
import { decodeMessage } from '../protocol/message.js';

/** Most items a list query returns. */
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

export async function attestationView(
  store: MessageStore,
  index: FlowIndex,
  dataHash: string,
): Promise<AttestationView | undefined> {
  const found = await records(store, await index.attestationMessages(dataHash));
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

export async function jobView(store: MessageStore, index: FlowIndex, jobId: string): Promise<JobView | undefined> {
  const found = await records(store, await index.jobMessages(jobId));
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
      ? outcome === 'Completed'
        ? 'paid'
        : 'refunded'
      : (outcome.toLowerCase() as 'completed' | 'expired' | 'cancelled');
  } else if (cancelSeen) view.status = 'cancel-requested';
  else if (postDelivered) view.status = 'open';
  return view;
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

function intersect(sets: Hex[][]): Hex[] {
  const [first, ...rest] = sets;
  if (!first) return [];
  return first.filter((x) => rest.every((s) => s.includes(x)));
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
        summary: `Attestations by owner DID and/or chain (source or destination), at most ${FLOW_LIST_LIMIT}`,
        querystring: {
          type: 'object',
          additionalProperties: false,
          anyOf: [{ required: ['owner'] }, { required: ['chain'] }],
          properties: { owner: { type: 'string', minLength: 8, maxLength: 256, pattern: '^did:' }, chain: CHAIN },
        },
        response: {
          200: { type: 'object', properties: { attestations: { type: 'array', items: attestationSchema } } },
        },
      },
    },
    async (req: FastifyRequest<{ Querystring: { owner?: string; chain?: number } }>) => {
      const sets: Hex[][] = [];
      if (req.query.owner !== undefined) sets.push(await index.dataHashesOfOwner(req.query.owner));
      if (req.query.chain !== undefined) sets.push(await index.dataHashesOfChain(req.query.chain));
      const hashes = intersect(sets).sort().slice(0, FLOW_LIST_LIMIT);
      const views = await Promise.all(hashes.map((h) => attestationView(store, index, h)));
      return { attestations: views.filter((v): v is AttestationView => v !== undefined) };
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
        summary: `Jobs by payer (32-byte form) and/or chain (escrow or executor), at most ${FLOW_LIST_LIMIT}`,
        querystring: {
          type: 'object',
          additionalProperties: false,
          anyOf: [{ required: ['payer'] }, { required: ['chain'] }],
          properties: { payer: HASH, chain: CHAIN },
        },
        response: { 200: { type: 'object', properties: { jobs: { type: 'array', items: jobSchema } } } },
      },
    },
    async (req: FastifyRequest<{ Querystring: { payer?: string; chain?: number } }>) => {
      const sets: Hex[][] = [];
      if (req.query.payer !== undefined) sets.push(await index.jobsOfPayer(req.query.payer));
      if (req.query.chain !== undefined) sets.push(await index.jobsOfChain(req.query.chain));
      const ids = intersect(sets).sort().slice(0, FLOW_LIST_LIMIT);
      const views = await Promise.all(ids.map((id) => jobView(store, index, id)));
      return { jobs: views.filter((v): v is JobView => v !== undefined) };
    },
  );
}
