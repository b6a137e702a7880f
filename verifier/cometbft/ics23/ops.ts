/**
 * ICS23 leaf and inner operations: how a proof step turns a (key, value) or a child hash into its parent's
 * hash. Only the operations the two specs allow are implemented; anything else is refused before hashing.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { HashOp, type InnerOp, type LeafOp, LengthOp } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import { concatBytes } from '../../bytes.js';
import { ProofError } from '../../types.js';
import { uvarint } from '../protobuf.js';

const bad = (why: string) => new ProofError('bad-state-proof', why);

export function doHash(op: HashOp, data: Uint8Array): Uint8Array {
  switch (op) {
    case HashOp.NO_HASH:
      return data;
    case HashOp.SHA256:
      return sha256(data);
    default:
      throw bad(`unsupported hash op ${op}`);
  }
}

function doLength(op: LengthOp, data: Uint8Array): Uint8Array {
  switch (op) {
    case LengthOp.NO_PREFIX:
      return data;
    case LengthOp.VAR_PROTO:
      return concatBytes(uvarint(data.length), data);
    default:
      throw bad(`unsupported length op ${op}`);
  }
}

/** hash(prefix || length(prehash(key)) || length(prehash(value))) */
export function applyLeaf(op: LeafOp, key: Uint8Array, value: Uint8Array): Uint8Array {
  if (key.length === 0) throw bad('leaf without a key');
  if (value.length === 0) throw bad('leaf without a value');
  const k = doLength(op.length, doHash(op.prehashKey, key));
  const v = doLength(op.length, doHash(op.prehashValue, value));
  return doHash(op.hash, concatBytes(op.prefix, k, v));
}

/** hash(prefix || child || suffix) */
export function applyInner(op: InnerOp, child: Uint8Array): Uint8Array {
  if (child.length === 0) throw bad('inner op over an empty child');
  return doHash(op.hash, concatBytes(op.prefix, child, op.suffix));
}
