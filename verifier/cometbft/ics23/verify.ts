/**
 * ICS23 membership and non-membership checks, and the two-level proof a Cosmos SDK `abci_query` returns
 * (`ics23:iavl` for the key in its module store, then `ics23:simple` for that store's root in the app hash).
 */
import { CommitmentProof, type ExistenceProof, type NonExistenceProof } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import { equalBytes } from '../../bytes.js';
import { ProofError } from '../../types.js';
import { checkExistenceProof, childPosition } from './checkSpec.js';
import { applyInner, applyLeaf } from './ops.js';
import { IAVL_SPEC, type ProofSpec, TENDERMINT_SPEC } from './specs.js';

const bad = (why: string) => new ProofError('bad-state-proof', why);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

/** The root an existence proof leads to, after checking its shape against the spec. */
export function existenceRoot(spec: ProofSpec, proof: ExistenceProof): Uint8Array {
  checkExistenceProof(spec, proof);
  let hash = applyLeaf(proof.leaf as NonNullable<ExistenceProof['leaf']>, proof.key, proof.value);
  for (const op of proof.path) hash = applyInner(op, hash);
  return hash;
}

/** `proof` shows `key` -> `value` under `root`. */
export function verifyExistence(
  spec: ProofSpec,
  proof: ExistenceProof,
  root: Uint8Array,
  key: Uint8Array,
  value: Uint8Array,
): void {
  if (!equalBytes(proof.key, key)) throw bad(`${spec.name} proof is for key ${hex(proof.key)}, not ${hex(key)}`);
  if (!equalBytes(proof.value, value)) throw bad(`${spec.name} proof is for another value`);
  const computed = existenceRoot(spec, proof);
  if (!equalBytes(computed, root))
    throw bad(`${spec.name} proof of key ${hex(key)} leads to root ${hex(computed)}, expected ${hex(root)}`);
}

const positions = (spec: ProofSpec, proof: ExistenceProof) => proof.path.map((op) => childPosition(spec, op));
const last = (spec: ProofSpec) => spec.inner.childOrder.length - 1;

/** Left and right are adjacent leaves: same path above their split, left going right below it and vice versa. */
function areNeighbours(spec: ProofSpec, left: ExistenceProof, right: ExistenceProof): boolean {
  const l = [...left.path];
  const r = [...right.path];
  let topL = l.pop();
  let topR = r.pop();
  while (topL && topR && equalBytes(topL.prefix, topR.prefix) && equalBytes(topL.suffix, topR.suffix)) {
    topL = l.pop();
    topR = r.pop();
  }
  if (!topL || !topR) return false;
  if (childPosition(spec, topR) !== childPosition(spec, topL) + 1) return false;
  return l.every((op) => childPosition(spec, op) === last(spec)) && r.every((op) => childPosition(spec, op) === 0);
}

/** `proof` shows that `key` is absent under `root`: its neighbours are adjacent leaves around it. */
export function verifyNonExistence(spec: ProofSpec, proof: NonExistenceProof, root: Uint8Array, key: Uint8Array): void {
  const { left, right } = proof;
  if (!left && !right) throw bad('non-existence proof without neighbours');
  for (const side of [left, right]) {
    if (side && !equalBytes(existenceRoot(spec, side), root))
      throw bad('non-existence neighbour is not under the root');
  }
  if (left && compareBytes(left.key, key) >= 0) throw bad('left neighbour is not below the key');
  if (right && compareBytes(right.key, key) <= 0) throw bad('right neighbour is not above the key');
  const ok =
    left && right
      ? areNeighbours(spec, left, right)
      : left
        ? positions(spec, left).every((p) => p === last(spec))
        : positions(spec, right as ExistenceProof).every((p) => p === 0);
  if (!ok) throw bad('non-existence neighbours are not adjacent leaves');
}

export function decodeCommitmentProof(data: Uint8Array): CommitmentProof {
  try {
    return CommitmentProof.decode(data);
  } catch (e) {
    throw bad(`commitment proof does not decode: ${(e as Error).message}`);
  }
}

/** One op of CometBFT's ProofOps as abci_query returns it. */
export interface ProofOp {
  type: string;
  key: Uint8Array;
  data: Uint8Array;
}

export type StoreProofResult = { exists: true; value: Uint8Array } | { exists: false };

/**
 * Verifies an SDK store query proof: `ops` = [ics23:iavl for `key` in store `storeName`, ics23:simple for
 * `storeName` in the multistore] against `appHash`. Returns the proven value, or that the key is proven absent.
 */
export function verifyStoreProof(
  ops: readonly ProofOp[],
  appHash: Uint8Array,
  storeName: string,
  key: Uint8Array,
  value: Uint8Array | undefined,
): StoreProofResult {
  const [storeOp, rootOp] = ops;
  if (ops.length !== 2 || !storeOp || !rootOp) throw bad(`expected 2 proof ops, got ${ops.length}`);
  if (storeOp.type !== 'ics23:iavl') throw bad(`first proof op is ${storeOp.type}, expected ics23:iavl`);
  if (rootOp.type !== 'ics23:simple') throw bad(`second proof op is ${rootOp.type}, expected ics23:simple`);
  if (!equalBytes(storeOp.key, key)) throw bad(`store proof op is for key ${hex(storeOp.key)}, not ${hex(key)}`);
  const name = new TextEncoder().encode(storeName);
  if (!equalBytes(rootOp.key, name)) throw bad(`multistore proof op is for store "${Buffer.from(rootOp.key)}"`);

  const rootProof = decodeCommitmentProof(rootOp.data).exist;
  if (!rootProof) throw bad(`multistore proof of store "${storeName}" is not an existence proof`);
  // the store's root is the value the multistore commits to under the store's name
  const storeRoot = rootProof.value;
  verifyExistence(TENDERMINT_SPEC, rootProof, appHash, name, storeRoot);

  const storeProof = decodeCommitmentProof(storeOp.data);
  if (storeProof.exist) {
    if (value === undefined || value.length === 0)
      throw bad('existence proof given for a value the node says is empty');
    verifyExistence(IAVL_SPEC, storeProof.exist, storeRoot, key, value);
    return { exists: true, value };
  }
  if (storeProof.nonexist) {
    if (value && value.length > 0) throw bad('non-existence proof given with a value');
    if (!equalBytes(storeProof.nonexist.key, key)) throw bad('non-existence proof is for another key');
    verifyNonExistence(IAVL_SPEC, storeProof.nonexist, storeRoot, key);
    return { exists: false };
  }
  throw bad('store proof is neither an existence nor a non-existence proof');
}
