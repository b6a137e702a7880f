import { type Hex, keccak256 } from 'viem';
import { ByteWriter, fixedBytes } from './bytes.js';
import { EncodeError } from './errors.js';

/** Domain tag of the signed digest (13 ASCII bytes). A new protocol version gets a new tag. */
export const DIGEST_TAG = 'SAH-BRIDGE-V1';

/** Message id: keccak256 of the canonical encoding. Consumed once per destination. */
export function messageId(encoded: Uint8Array): Hex {
  return keccak256(encoded);
}

/**
 * What the relayer set signs: keccak256(tag || epoch u32 || destinationChain u32 || root).
 * `root` is the message id for a single message, or the Merkle root of a batch of message ids that all
 * go to `destinationChain`. Binding the epoch and destination keeps a signature from being reused under
 * another key epoch or on another chain.
 */
export function signingDigest(epoch: number, destinationChain: number, root: Hex): Hex {
  const bytes = new ByteWriter()
    .raw(new TextEncoder().encode(DIGEST_TAG))
    .u32(epoch, 'epoch')
    .u32(destinationChain, 'destinationChain')
    .raw(fixedBytes(root, 32, 'root'))
    .bytes();
  return keccak256(bytes);
}

function hashPair(a: Hex, b: Hex): Hex {
  const [lo, hi] = BigInt(a) <= BigInt(b) ? [a, b] : [b, a];
  return keccak256(`0x${lo.slice(2)}${hi.slice(2)}`);
}

export interface MessageBatch {
  root: Hex;
  /** proofs[i] are the sibling hashes from leaf i up to the root. */
  proofs: Hex[][];
}

/**
 * Merkle tree over message ids with sorted-pair keccak256 nodes; an odd node moves up unchanged.
 * Leaves are ids of >= 82-byte messages and nodes hash 64 bytes, so a node never passes for a leaf.
 */
export function buildBatch(ids: Hex[]): MessageBatch {
  if (ids.length === 0) throw new EncodeError('batch', 'no message ids');
  const proofs: Hex[][] = ids.map(() => []);
  let level = ids.map((id, i) => ({ hash: id, members: [i] }));
  while (level.length > 1) {
    const next: typeof level = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i];
      const right = level[i + 1];
      if (!left) break;
      if (!right) {
        next.push(left);
        continue;
      }
      for (const m of left.members) proofs[m]?.push(right.hash);
      for (const m of right.members) proofs[m]?.push(left.hash);
      next.push({ hash: hashPair(left.hash, right.hash), members: [...left.members, ...right.members] });
    }
    level = next;
  }
  return { root: level[0]?.hash as Hex, proofs };
}

export function batchRootFromProof(id: Hex, proof: Hex[]): Hex {
  return proof.reduce<Hex>((acc, sibling) => hashPair(acc, sibling), id);
}
