/**
 * The peer protocol, declared once: every route operators call on each other, with its path, the JSON
 * schema its body must meet, the largest body it takes, and the request and response types. The server
 * (`servePeerRoute` in routes.ts) and every client (`PeerClient.call`) take the same declaration, so a
 * path or a field cannot differ between the two sides.
 *
 * Bodies are bounded per route: the limit is checked before the body is read (after the headers'
 * signature), so an operator cannot make another parse megabytes it could never need.
 */
import type { Hex } from 'viem';
import type { Complaint, Round1Package, SharePackage } from '../dkg/transcript.js';
import type { BatchRecord } from '../pipeline/store.js';
import type { CommitRequest, ShareRequest, WireCommitment } from '../signer/participant.js';

/** What a route's schema and body limit depend on: the set's size and threshold, and the largest batch. */
export interface PeerRouteLimits {
  threshold: number;
  operators: number;
  maxBatch: number;
}

type Schema = Record<string, unknown>;

export interface PeerRouteSpec<Request, Response> {
  readonly path: `/peer/v1/${string}`;
  readonly schema: (limits: PeerRouteLimits) => Schema;
  /** Largest body in bytes (sized to the schema). */
  readonly bodyLimit: (limits: PeerRouteLimits) => number;
  /** Phantom fields carrying the types; never set. */
  readonly request?: Request;
  readonly response?: Response;
}

/** Bodies that fit a small fixed schema. */
export const DEFAULT_PEER_BODY_LIMIT = 64 * 1024;

function route<Request, Response>(
  path: `/peer/v1/${string}`,
  schema: Schema | ((limits: PeerRouteLimits) => Schema),
  bodyLimit: number | ((limits: PeerRouteLimits) => number) = DEFAULT_PEER_BODY_LIMIT,
): PeerRouteSpec<Request, Response> {
  return {
    path,
    schema: typeof schema === 'function' ? schema : () => schema,
    bodyLimit: typeof bodyLimit === 'function' ? bodyLimit : () => bodyLimit,
  };
}

// --- field schemas -------------------------------------------------------------------------------

const hex32 = { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$' };
const hexPoint = { type: 'string', pattern: '^0x[0-9a-f]{66}$' };
const ed25519Signature = { type: 'string', pattern: '^0x[0-9a-f]{128}$' };
const operatorField = { type: 'integer', minimum: 1, maximum: 255 };
const chainField = { type: 'integer', minimum: 1, maximum: 4294967295 };
const epochField = { type: 'integer', minimum: 1, maximum: 4294967295 };
const signingSession = { type: 'string', minLength: 8, maxLength: 64 };
const dkgSession = { type: 'string', pattern: '^[0-9]{1,10}-[0-9]{1,2}$' };

/** Hex characters of the longest message a peer may send (PROTOCOL.md §3: < 2,800 bytes). */
export const MAX_MESSAGE_HEX = 2 + 2 * 3072;

export const MESSAGE_IDS_SCHEMA = {
  type: 'array',
  items: hex32,
  minItems: 1,
  maxItems: 1024,
} as const;

const wireCommitment = {
  type: 'object',
  required: ['identifier', 'hiding', 'binding'],
  additionalProperties: false,
  properties: { identifier: { type: 'string', pattern: '^[0-9a-f]{64}$' }, hiding: hexPoint, binding: hexPoint },
};

function round1PackageSchema(maxCoefficients: number): Schema {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['session', 'sender', 'identifier', 'commitment', 'proofOfKnowledge', 'signature'],
    properties: {
      session: dkgSession,
      sender: operatorField,
      identifier: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      commitment: { type: 'array', items: hexPoint, maxItems: maxCoefficients },
      proofOfKnowledge: { type: 'string', pattern: '^0x[0-9a-f]{130}$' },
      signature: ed25519Signature,
    },
  };
}

const sharePackageSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['session', 'sender', 'recipient', 'ephemeral', 'box', 'signature'],
  properties: {
    session: dkgSession,
    sender: operatorField,
    recipient: operatorField,
    ephemeral: hex32,
    box: { type: 'string', maxLength: 256 },
    signature: ed25519Signature,
  },
};

// --- signing (signer/) ---------------------------------------------------------------------------

/** The coordinator asks a participant to commit nonces for a batch it verified. */
export const signCommit = route<CommitRequest, WireCommitment>(
  '/peer/v1/sign/commit',
  {
    type: 'object',
    required: ['sessionId', 'batchKey', 'destinationChain', 'epoch', 'ids'],
    additionalProperties: false,
    properties: {
      sessionId: signingSession,
      batchKey: { type: 'string', pattern: '^[0-9]{1,10}-[0-9]{1,10}-[0-9]{1,20}$' },
      destinationChain: chainField,
      epoch: epochField,
      ids: MESSAGE_IDS_SCHEMA,
    },
  },
  // up to 1,024 ids of 66 hex characters
  128 * 1024,
);

/** The coordinator sends the session's commitments; the participant answers with its signature share. */
export const signShare = route<ShareRequest, Hex>('/peer/v1/sign/share', {
  type: 'object',
  required: ['sessionId', 'commitments'],
  additionalProperties: false,
  properties: {
    sessionId: signingSession,
    commitments: { type: 'array', items: wireCommitment, minItems: 1, maxItems: 255 },
  },
});

// --- the pipeline (pipeline/) --------------------------------------------------------------------

/** A coordinator tells the others of a batch it had signed (they check it, keep it, line up to deliver). */
export const signedBatch = route<BatchRecord, { ok: true }>(
  '/peer/v1/signed',
  {
    type: 'object',
    required: ['root', 'destinationChain', 'epoch', 'signature', 'ids', 'messages', 'coordinator', 'signers'],
    // kept whole in Redis: nothing beyond the batch's own fields
    additionalProperties: false,
    properties: {
      root: hex32,
      destinationChain: chainField,
      epoch: epochField,
      signature: { type: 'string', pattern: '^0x[0-9a-fA-F]{130}$' },
      ids: MESSAGE_IDS_SCHEMA,
      messages: {
        type: 'array',
        items: { type: 'string', pattern: '^0x[0-9a-fA-F]+$', maxLength: MAX_MESSAGE_HEX },
        minItems: 1,
        maxItems: 1024,
      },
      coordinator: operatorField,
      signers: { type: 'array', items: operatorField, maxItems: 255 },
    },
  },
  ({ maxBatch }) => maxBatch * (MAX_MESSAGE_HEX + 80) + 8192,
);

/** A deliverer tells the others which transaction delivered a batch (they check the chain, not its word). */
export const deliveredBatch = route<{ root: Hex; tx: Hex }, { ok: true; final: boolean }>('/peer/v1/delivered', {
  type: 'object',
  required: ['root', 'tx'],
  additionalProperties: false,
  properties: { root: hex32, tx: hex32 },
});

/** An operator approves a governance message on its own node (never on another's). */
export const approveGovernance = route<{ message: Hex }, { id: Hex }>('/peer/v1/governance/approve', {
  type: 'object',
  required: ['message'],
  additionalProperties: false,
  properties: { message: { type: 'string', pattern: '^0x[0-9a-fA-F]+$', maxLength: 4096 } },
});

// --- the DKG (dkg/): answers carry nothing but the answer's signature -------------------------------

export const dkgRound1 = route<Round1Package, void>(
  '/peer/v1/dkg/round1',
  ({ threshold }) => round1PackageSchema(threshold),
  ({ threshold }) => 64 * 1024 + threshold * 72,
);

export const dkgEcho = route<{ session: string; packages: Round1Package[] }, void>(
  '/peer/v1/dkg/echo',
  ({ threshold, operators }) => ({
    type: 'object',
    additionalProperties: false,
    required: ['session', 'packages'],
    properties: {
      session: dkgSession,
      packages: { type: 'array', items: round1PackageSchema(threshold), minItems: operators, maxItems: operators },
    },
  }),
  // n packages of t points each
  ({ threshold, operators }) => 64 * 1024 + operators * (threshold * 72 + 1024),
);

export const dkgRound2 = route<SharePackage, void>('/peer/v1/dkg/round2', sharePackageSchema);

export const dkgComplaints = route<{ session: string; complaints: Complaint[] }, void>(
  '/peer/v1/dkg/complaints',
  {
    type: 'object',
    additionalProperties: false,
    required: ['session', 'complaints'],
    properties: {
      session: dkgSession,
      complaints: {
        type: 'array',
        maxItems: 255,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['against', 'share', 'reveal'],
          properties: {
            against: operatorField,
            share: sharePackageSchema,
            reveal: {
              type: 'object',
              additionalProperties: false,
              required: ['sharedPoint', 'challenge', 'response'],
              properties: { sharedPoint: hex32, challenge: hex32, response: hex32 },
            },
          },
        },
      },
    },
  },
  ({ operators }) => 64 * 1024 + operators * 1024,
);

export const dkgDone = route<{ session: string; groupKey: Hex; transcript: Hex }, void>('/peer/v1/dkg/done', {
  type: 'object',
  additionalProperties: false,
  required: ['session', 'groupKey', 'transcript'],
  properties: { session: dkgSession, groupKey: hexPoint, transcript: hex32 },
});

export const dkgTestSignCommit = route<{ session: string; commitments: Record<string, WireCommitment> }, void>(
  '/peer/v1/dkg/testsign-commit',
  {
    type: 'object',
    additionalProperties: false,
    required: ['session', 'commitments'],
    properties: {
      session: dkgSession,
      commitments: {
        type: 'object',
        additionalProperties: false,
        patternProperties: { '^[0-9]{1,3}$': wireCommitment },
      },
    },
  },
);

export const dkgTestSignShare = route<{ session: string; shares: Record<string, Hex> }, void>(
  '/peer/v1/dkg/testsign-share',
  {
    type: 'object',
    additionalProperties: false,
    required: ['session', 'shares'],
    properties: {
      session: dkgSession,
      shares: { type: 'object', additionalProperties: false, patternProperties: { '^[0-9]{1,3}$': hex32 } },
    },
  },
);
