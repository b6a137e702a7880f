/**
 * Hashing against recorded chains: header hashes equal the block ids their commits sign, validator sets hash to
 * validators_hash, a commit hashes to the next header's last_commit_hash, transactions prove into data_hash.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { CommitSignatures, verifyCommitLight } from './commit.js';
import { hashCommit, hashHeader } from './header.js';
import { checkLightBlock } from './lightClient.js';
import { merkleRoot, rootFromAunts, splitPoint, verifyMerkleProof } from './merkle.js';
import { parseCommit, parseHeader, parseSignedHeader, parseValidator } from './rpcJson.js';
import { MOCHA_HEIGHTS, mochaBlock, sharedCometbftJson } from './testdata/fixtures.js';
import { hashValidatorSet, validatorAddress } from './validatorSet.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

describe('simple Merkle tree (RFC 6962 as CometBFT uses it)', () => {
  it('hashes the empty tree, one leaf and the split at the largest power of two below n', () => {
    expect(hex(merkleRoot([]))).toBe(hex(sha256(new Uint8Array(0))));
    const [a, b, c] = [Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)];
    const leaf = (x: Uint8Array) => sha256(Uint8Array.of(0, ...x));
    const inner = (l: Uint8Array, r: Uint8Array) => sha256(Uint8Array.of(1, ...l, ...r));
    expect(hex(merkleRoot([a]))).toBe(hex(leaf(a)));
    expect(hex(merkleRoot([a, b, c]))).toBe(hex(inner(inner(leaf(a), leaf(b)), leaf(c))));
    expect([2, 3, 4, 5, 8, 9, 14].map(splitPoint)).toEqual([1, 2, 2, 4, 4, 8, 8]);
  });

  it('recomputes every root from every leaf and its aunts, and rejects wrong positions', () => {
    for (let n = 1; n <= 9; n++) {
      const items = Array.from({ length: n }, (_, i) => Uint8Array.of(i));
      const root = merkleRoot(items);
      for (let i = 0; i < n; i++) {
        // aunts by brute force: the unique list that reproduces the root is what CometBFT would send
        const aunts = auntsOf(items, i);
        const leaf = sha256(Uint8Array.of(0, i));
        expect(hex(rootFromAunts(i, n, leaf, aunts) as Uint8Array)).toBe(hex(root));
        if (n > 1) expect(hex(rootFromAunts((i + 1) % n, n, leaf, aunts) ?? new Uint8Array())).not.toBe(hex(root));
      }
    }
  });
});

function auntsOf(items: Uint8Array[], index: number): Uint8Array[] {
  if (items.length <= 1) return [];
  const k = splitPoint(items.length);
  return index < k
    ? [...auntsOf(items.slice(0, k), index), merkleRoot(items.slice(k))]
    : [...auntsOf(items.slice(k), index - k), merkleRoot(items.slice(0, k))];
}

describe('Celestia mocha-4 blocks', () => {
  it.each(MOCHA_HEIGHTS)('block %i: header hash = commit block id, validator set hash = validators_hash', (h) => {
    const { signedHeader, validators } = mochaBlock(h);
    expect(hex(hashHeader(signedHeader.header))).toBe(hex(signedHeader.commit.blockId.hash));
    expect(hex(hashValidatorSet(validators))).toBe(hex(signedHeader.header.validatorsHash));
    for (const v of validators) expect(hex(validatorAddress(v.pubKey))).toBe(hex(v.address));
  });

  it('chains: each adjacent header names its parent in last_block_id', () => {
    for (const [a, b] of [
      [10000, 10001],
      [10500, 10501],
      [11000, 11001],
      [157000, 157001],
    ] as const) {
      const parent = mochaBlock(a).signedHeader.header;
      const child = mochaBlock(b).signedHeader.header;
      expect(hex(child.lastBlockId.hash)).toBe(hex(hashHeader(parent)));
    }
  });
});

describe('tendermint-rs kvstore fixtures (CometBFT 0.38)', () => {
  interface BlockJson {
    result: { block: { header: unknown; last_commit: unknown }; block_id: { hash: string } };
  }
  const block = sharedCometbftJson<BlockJson>('tendermint-rs-kvstore/block_at_height_10.json').result;
  const commit = sharedCometbftJson<{ result: { signed_header: unknown } }>(
    'tendermint-rs-kvstore/commit_at_height_10.json',
  );

  it('hashes header 10 to its block id, and the commit at 10 signs that hash', () => {
    const header = parseHeader(block.block.header);
    expect(hex(hashHeader(header))).toBe(block.block_id.hash);
    const signed = parseSignedHeader(commit.result.signed_header);
    expect(hex(hashHeader(signed.header))).toBe(hex(signed.commit.blockId.hash));
    expect(hex(signed.commit.blockId.hash)).toBe(block.block_id.hash);
    expect(signed.commit.signatures).toHaveLength(1);
  });

  it('hashes the last commit (for 9) to header 10 last_commit_hash', () => {
    const header = parseHeader(block.block.header);
    expect(hex(hashCommit(parseCommit(block.block.last_commit)))).toBe(hex(header.lastCommitHash));
  });

  it('the commit at 10 and the last commit (9) in block 10 are signed by the chain validator', () => {
    const status = sharedCometbftJson<{ result: { validator_info: unknown } }>('tendermint-rs-kvstore/status.json');
    const validators = [parseValidator(status.result.validator_info)];
    const signed = parseSignedHeader(commit.result.signed_header);
    const sigs = checkLightBlock({ signedHeader: signed, validators }, 'dockerchain');
    expect(() => verifyCommitLight(sigs, validators, signed.commit.blockId, 10n)).not.toThrow();
    const header = parseHeader(block.block.header);
    const last = new CommitSignatures('dockerchain', parseCommit(block.block.last_commit));
    expect(() => verifyCommitLight(last, validators, header.lastBlockId, 9n)).not.toThrow();
    const wrongChain = new CommitSignatures('dockerchain-2', parseCommit(block.block.last_commit));
    expect(() => verifyCommitLight(wrongChain, validators, header.lastBlockId, 9n)).toThrow(/invalid under chain id/);
  });

  interface TxJson {
    tx: string;
    proof: { root_hash: string; proof: { aunts: string[]; index: string; total: string; leaf_hash: string } };
  }
  const txs = sharedCometbftJson<{ result: { txs: TxJson[] } }>('tendermint-rs-kvstore/tx_search_with_prove.json')
    .result.txs;

  it.each(txs.map((t, i) => [i, t] as const))('tx %i proves into its block data_hash', (_, t) => {
    const tx = Buffer.from(t.tx, 'base64');
    const proof = {
      total: Number(t.proof.proof.total),
      index: Number(t.proof.proof.index),
      leafHash: Buffer.from(t.proof.proof.leaf_hash, 'base64'),
      aunts: t.proof.proof.aunts.map((a) => Buffer.from(a, 'base64')),
    };
    const root = Buffer.from(t.proof.root_hash, 'hex');
    // a block's data hash is the tree over sha256(tx) of each transaction
    expect(verifyMerkleProof(proof, root, sha256(tx))).toBe(true);
    expect(verifyMerkleProof(proof, root, sha256(Buffer.concat([tx, Buffer.of(0)])))).toBe(false);
    const otherRoot = Buffer.from(root);
    otherRoot[0] = (otherRoot[0] as number) ^ 1;
    expect(verifyMerkleProof(proof, otherRoot, sha256(tx))).toBe(false);
  });
});
