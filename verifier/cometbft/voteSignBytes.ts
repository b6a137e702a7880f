/**
 * What a validator signs for a precommit (types.VoteSignBytes): uvarint length || CanonicalVote
 * {1: type, 2: height sfixed64, 3: round sfixed64, 4: CanonicalBlockID (absent for nil votes),
 * 5: timestamp (always written, non-nullable), 6: chain_id}.
 */
import { concatBytes } from '../bytes.js';
import { encodeTimestamp } from './header.js';
import type { BlockId, Timestamp } from './lightBlock.js';
import { ProtoWriter, uvarint } from './protobuf.js';

/** tmproto.SignedMsgType */
export const SignedMsgType = { Unknown: 0, Prevote: 1, Precommit: 2, Proposal: 32 } as const;

export interface CanonicalVote {
  type: number;
  height: bigint;
  round: bigint;
  /** Undefined for a vote for nil (no block). */
  blockId?: BlockId;
  timestamp: Timestamp;
  chainId: string;
}

/** CanonicalBlockID: same fields as BlockID; part_set_header non-nullable. */
function encodeCanonicalBlockId(id: BlockId): Uint8Array {
  const parts = new ProtoWriter().varint(1, id.partSetHeader.total).bytes(2, id.partSetHeader.hash).finish();
  return new ProtoWriter().bytes(1, id.hash).message(2, parts, true).finish();
}

export function voteSignBytes(vote: CanonicalVote): Uint8Array {
  const body = new ProtoWriter()
    .varint(1, vote.type)
    .sfixed64(2, vote.height)
    .sfixed64(3, vote.round)
    .message(4, vote.blockId && encodeCanonicalBlockId(vote.blockId), true)
    .message(5, encodeTimestamp(vote.timestamp), true)
    .string(6, vote.chainId)
    .finish();
  return concatBytes(uvarint(body.length), body);
}
