/**
 * ICS23 CheckAgainstSpec, plus the IAVL node-header rules: each op of an existence proof must be the kind of
 * node the spec's tree has. Without this a proof could, for example, present an inner node as a leaf (the
 * prefixes keep those apart) or hash with an operation the tree never uses.
 */
import type { ExistenceProof, InnerOp, LeafOp } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import { ProofError } from '../../types.js';
import type { ProofSpec } from './specs.js';

const bad = (spec: ProofSpec, why: string) => new ProofError('bad-state-proof', `${spec.name} proof: ${why}`);

const startsWith = (bytes: Uint8Array, prefix: Uint8Array) =>
  bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);

/** Go's binary.Varint (zigzag); undefined when the bytes end early or it exceeds 64 bits. */
function readVarint(bytes: Uint8Array, at: number): { value: bigint; next: number } | undefined {
  let raw = 0n;
  for (let i = 0; i < 10 && at + i < bytes.length; i++) {
    const b = bytes[at + i] as number;
    raw |= BigInt(b & 0x7f) << BigInt(7 * i);
    if (b < 0x80) return { value: raw & 1n ? -(raw >> 1n) - 1n : raw >> 1n, next: at + i + 1 };
  }
  return undefined;
}

/** IAVL node header: height, size, version (all zigzag varints); returns where the header ends. */
function iavlHeader(spec: ProofSpec, prefix: Uint8Array, what: string) {
  const height = readVarint(prefix, 0);
  const size = height && readVarint(prefix, height.next);
  const version = size && readVarint(prefix, size.next);
  if (!height || !size || !version) throw bad(spec, `${what}: prefix does not hold height, size and version`);
  if (version.value < 0n) throw bad(spec, `${what}: negative version ${version.value}`);
  return { height: height.value, size: size.value, end: version.next };
}

/**
 * Where the child being proved sits in a node, from the lengths of prefix and suffix (ics23's padding rule):
 * position p has p siblings before it (in the prefix, after the node header) and the rest after it.
 */
export function childPosition(spec: ProofSpec, op: InnerOp): number {
  const { childSize, childOrder, minPrefixLength, maxPrefixLength } = spec.inner;
  if (op.suffix.length % childSize !== 0) throw bad(spec, `inner suffix of ${op.suffix.length} bytes`);
  const after = op.suffix.length / childSize;
  const position = childOrder.length - 1 - after;
  if (position < 0) throw bad(spec, `inner suffix holds ${after} children`);
  const header = op.prefix.length - position * childSize;
  if (header < minPrefixLength || header > maxPrefixLength)
    throw bad(spec, `inner prefix of ${op.prefix.length} bytes does not fit child position ${position}`);
  return childOrder[position] as number;
}

function checkLeaf(spec: ProofSpec, op: LeafOp): void {
  const l = spec.leaf;
  if (op.hash !== l.hash || op.prehashKey !== l.prehashKey || op.prehashValue !== l.prehashValue)
    throw bad(spec, 'leaf hash operations differ from the spec');
  if (op.length !== l.length) throw bad(spec, 'leaf length operation differs from the spec');
  if (!startsWith(op.prefix, l.prefix)) throw bad(spec, 'leaf prefix does not start with the leaf marker');
  if (spec.iavl) {
    const h = iavlHeader(spec, op.prefix, 'leaf');
    // an IAVL leaf is a node of height 0 and size 1; its prefix is exactly that header
    if (h.height !== 0n || h.size !== 1n || h.end !== op.prefix.length)
      throw bad(spec, `leaf header (height ${h.height}, size ${h.size}) is not an IAVL leaf's`);
  }
}

function checkInner(spec: ProofSpec, op: InnerOp, layer: number): void {
  if (op.hash !== spec.inner.hash) throw bad(spec, `inner op ${layer} hash operation differs from the spec`);
  if (startsWith(op.prefix, spec.leaf.prefix)) throw bad(spec, `inner op ${layer} prefix starts like a leaf's`);
  const position = childPosition(spec, op);
  if (spec.iavl) {
    const h = iavlHeader(spec, op.prefix, `inner op ${layer}`);
    if (h.height < BigInt(layer) || h.size < 2n)
      throw bad(spec, `inner op ${layer} header (height ${h.height}, size ${h.size}) cannot be on this path`);
    // the rest is length-prefixed child hashes: [0x20] (+ sibling, 0x20) before ours, 0x20 || sibling after it
    const rest = op.prefix.length - h.end;
    const lengthByte = spec.inner.childSize - 1;
    const ok =
      position === 0
        ? rest === 1 && op.prefix.at(-1) === lengthByte && op.suffix[0] === lengthByte
        : rest === 1 + spec.inner.childSize && op.prefix[h.end] === lengthByte && op.prefix.at(-1) === lengthByte;
    if (!ok) throw bad(spec, `inner op ${layer} does not frame its children as IAVL does`);
  }
}

/** The whole existence proof has this spec's shape. */
export function checkExistenceProof(spec: ProofSpec, proof: ExistenceProof): void {
  if (!proof.leaf) throw bad(spec, 'existence proof without a leaf op');
  checkLeaf(spec, proof.leaf);
  proof.path.forEach((op, i) => {
    checkInner(spec, op, i + 1);
  });
}
