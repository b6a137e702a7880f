/** The signing rounds as peer routes (the participant's side); the coordinator calls them by these paths. */
import type { PeerRoute } from '../peer/routes.js';
import type { CommitRequest, ShareRequest, SigningParticipant } from './participant.js';

export const SIGN_COMMIT_PATH = '/peer/v1/sign/commit';
export const SIGN_SHARE_PATH = '/peer/v1/sign/share';

export const MESSAGE_IDS_SCHEMA = {
  type: 'array',
  items: { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$' },
  minItems: 1,
  maxItems: 1024,
} as const;

const commitmentSchema = {
  type: 'object',
  required: ['identifier', 'hiding', 'binding'],
  additionalProperties: false,
  properties: {
    identifier: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    hiding: { type: 'string', pattern: '^0x[0-9a-f]{66}$' },
    binding: { type: 'string', pattern: '^0x[0-9a-f]{66}$' },
  },
};

export function signingPeerRoutes(participant: SigningParticipant): PeerRoute[] {
  return [
    {
      path: SIGN_COMMIT_PATH,
      // up to 1,024 ids of 66 hex characters
      bodyLimit: 128 * 1024,
      body: {
        type: 'object',
        required: ['sessionId', 'batchKey', 'destinationChain', 'epoch', 'ids'],
        additionalProperties: false,
        properties: {
          sessionId: { type: 'string', minLength: 8, maxLength: 64 },
          batchKey: { type: 'string', pattern: '^[0-9]{1,10}-[0-9]{1,10}-[0-9]{1,20}$' },
          destinationChain: { type: 'integer', minimum: 1, maximum: 4294967295 },
          epoch: { type: 'integer', minimum: 1, maximum: 4294967295 },
          ids: MESSAGE_IDS_SCHEMA,
        },
      },
      handler: (body: CommitRequest, peer: number) => participant.commit(body, peer),
    },
    {
      path: SIGN_SHARE_PATH,
      body: {
        type: 'object',
        required: ['sessionId', 'commitments'],
        additionalProperties: false,
        properties: {
          sessionId: { type: 'string', minLength: 8, maxLength: 64 },
          commitments: { type: 'array', items: commitmentSchema, minItems: 1, maxItems: 255 },
        },
      },
      // the participant answers only the coordinator that opened the session
      handler: (body: ShareRequest, peer: number) => JSON.stringify(participant.share(body, peer)),
    },
  ];
}
