/** The signing rounds as peer routes (the participant's side); the coordinator calls the same declarations. */
import { type PeerRouteLimits, signCommit, signShare } from '../peer/protocol.js';
import { type PeerRoute, servePeerRoute } from '../peer/routes.js';
import type { SigningParticipant } from './participant.js';

export function signingPeerRoutes(participant: SigningParticipant, limits: PeerRouteLimits): PeerRoute[] {
  return [
    servePeerRoute(signCommit, limits, (body, peer) => participant.commit(body, peer)),
    // the participant answers only the coordinator that opened the session
    servePeerRoute(signShare, limits, (body, peer) => participant.share(body, peer)),
  ];
}
