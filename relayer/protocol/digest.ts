import { type Hex, keccak256 } from 'viem';
import { ByteWriter, fixedBytes } from './bytes.js';
import { EncodeError } from './errors.js';

/** Domain tag of the signed digest (13 ASCII bytes). A new protocol version gets a new tag. */
export const DIGEST_TAG = 'SAH-BRIDGE-V2';

/** Length of the digest preimage (docs/PROTOCOL.md §2): tag 13, epoch 4, destination 4, binding 32, bridge 32, root 32. */
export const DIGEST_PREIMAGE_LENGTH = 117;

/**
 * Which verifying instance a signature is for, as the destination itself knows it (docs/PROTOCOL.md §2):
 * `chainBinding` is what the destination's runtime says it is (EVM: block.chainid as u256; CosmWasm:
 * sha256 of the chain-id string; the pallet: the genesis hash), `bridge` the verifying contract (EVM address
 * left-padded; CosmWasm canonical contract address; the pallet: its configured instance id).
 */
export interface InstanceBinding {
  chainBinding: Hex;
  bridge: Hex;
}

/** Message id: keccak256 of the canonical encoding. Consumed once per destination. */
export function messageId(encoded: Uint8Array): Hex {
  return keccak256(encoded);
}

/** The 117 bytes the relayer set signs the keccak256 of. */
export function digestPreimage(epoch: number, destinationChain: number, instance: InstanceBinding, root: Hex) {
  return new ByteWriter()
    .raw(new TextEncoder().encode(DIGEST_TAG))
    .u32(epoch, 'epoch')
    .u32(destinationChain, 'destinationChain')
    .raw(fixedBytes(instance.chainBinding, 32, 'chainBinding'))
    .raw(fixedBytes(instance.bridge, 32, 'bridge'))
    .raw(fixedBytes(root, 32, 'root'))
    .bytes();
}

/**
 * What the relayer set signs: keccak256(tag || epoch || destinationChain || chainBinding || bridge || root).
 * `root` is the Merkle root of a batch of message ids that all go to `destinationChain` (a single message is a
 * batch of one). Binding the epoch, the destination and the verifying instance keeps a signature from being
 * reused under another key epoch, on another chain, or on another bridge of the same chain (a redeployment).
 */
export function signingDigest(epoch: number, destinationChain: number, instance: InstanceBinding, root: Hex): Hex {
  return keccak256(digestPreimage(epoch, destinationChain, instance, root));
}

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** Merkle leaf of a message id: keccak256(0x00 || id). */
export function leafHash(id: Hex): Hex {
  return keccak256(new Uint8Array([LEAF_PREFIX, ...fixedBytes(id, 32, 'message id')]));
}

/** Inner node: keccak256(0x01 || min(a, b) || max(a, b)); the prefix keeps a node from passing for a leaf. */
export function nodeHash(a: Hex, b: Hex): Hex {
  const [lo, hi] = BigInt(a) <= BigInt(b) ? [a, b] : [b, a];
  return keccak256(new Uint8Array([NODE_PREFIX, ...fixedBytes(lo, 32, 'node'), ...fixedBytes(hi, 32, 'node')]));
}

export interface MessageBatch {
  root: Hex;
  /** proofs[i] are the sibling hashes from leaf i up to the root. */
  proofs: Hex[][];
}

/**
 * Merkle tree over the leaves of message ids (leafHash), sorted-pair nodes (nodeHash), pairing left to right on
 * each level, an odd node moving up unchanged. A batch of one has root = leafHash(id) and an empty proof.
 */
export function buildBatch(ids: Hex[]): MessageBatch {
  if (ids.length === 0) throw new EncodeError('batch', 'no message ids');
  const proofs: Hex[][] = ids.map(() => []);
  let level = ids.map((id, i) => ({ hash: leafHash(id), members: [i] }));
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
      next.push({ hash: nodeHash(left.hash, right.hash), members: [...left.members, ...right.members] });
    }
    level = next;
  }
  return { root: level[0]?.hash as Hex, proofs };
}

/** The root that message `id` and its sibling path lead to. */
export function batchRootFromProof(id: Hex, proof: Hex[]): Hex {
  return proof.reduce<Hex>((acc, sibling) => nodeHash(acc, sibling), leafHash(id));
}
