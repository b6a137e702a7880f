/**
 * Header hashing as CometBFT does it (types.Header.Hash): each of the 14 fields is protobuf-encoded on its own
 * (scalars wrapped in gogoproto's StringValue/Int64Value/BytesValue) and the encodings are the leaves of a
 * simple Merkle tree. The block id hash a commit signs is this root.
 */
import type { BlockId, Commit, Header, Timestamp } from './lightBlock.js';
import { merkleRoot } from './merkle.js';
import { ProtoWriter } from './protobuf.js';

export function encodeTimestamp(t: Timestamp): Uint8Array {
  return new ProtoWriter().varint(1, t.seconds).varint(2, t.nanos).finish();
}

/** types.BlockID; part_set_header is non-nullable, so it is written even when empty. */
export function encodeBlockId(id: BlockId): Uint8Array {
  const parts = new ProtoWriter().varint(1, id.partSetHeader.total).bytes(2, id.partSetHeader.hash).finish();
  return new ProtoWriter().bytes(1, id.hash).message(2, parts, true).finish();
}

const wrapString = (s: string) => new ProtoWriter().string(1, s).finish();
const wrapInt64 = (v: bigint) => new ProtoWriter().varint(1, v).finish();
const wrapBytes = (b: Uint8Array) => new ProtoWriter().bytes(1, b).finish();

/** The leaves of the header's Merkle tree, in CometBFT's field order. */
export function headerLeaves(h: Header): Uint8Array[] {
  return [
    new ProtoWriter().varint(1, h.version.block).varint(2, h.version.app).finish(),
    wrapString(h.chainId),
    wrapInt64(h.height),
    encodeTimestamp(h.time),
    encodeBlockId(h.lastBlockId),
    wrapBytes(h.lastCommitHash),
    wrapBytes(h.dataHash),
    wrapBytes(h.validatorsHash),
    wrapBytes(h.nextValidatorsHash),
    wrapBytes(h.consensusHash),
    wrapBytes(h.appHash),
    wrapBytes(h.lastResultsHash),
    wrapBytes(h.evidenceHash),
    wrapBytes(h.proposerAddress),
  ];
}

/** The block hash (= commit.block_id.hash of a commit for this header). */
export function hashHeader(h: Header): Uint8Array {
  return merkleRoot(headerLeaves(h));
}

/** A commit's hash (types.Commit.Hash), what the next header's last_commit_hash holds: root over its CommitSigs. */
export function hashCommit(commit: Commit): Uint8Array {
  return merkleRoot(
    commit.signatures.map((s) =>
      new ProtoWriter()
        .varint(1, s.blockIdFlag)
        .bytes(2, s.validatorAddress)
        .message(3, encodeTimestamp(s.timestamp), true)
        .bytes(4, s.signature)
        .finish(),
    ),
  );
}
