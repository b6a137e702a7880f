import type { Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { flipHexBit, forEachHexListFlip } from '../testing/bits.js';
import { reasonOf } from '../testing/reason.js';
import { ProofError } from '../types.js';
import type { RpcHeader } from './header.js';
import { type RpcProof, verifyAccountProof, verifyEthGetProof, verifyStorageProof } from './stateProof.js';
import { fixture } from './testdata/fixtures.js';

const block = fixture<RpcHeader>('el-block-21925176/rpc_block.json');
const proof = fixture<RpcProof>('el-block-21925176/rpc_proof.json');
const slot = proof.storageProof[0]?.key as Hex;
const stored = proof.storageProof[0] as RpcProof['storageProof'][number];

describe('account and storage proofs (mainnet deposit contract, block 21,925,176)', () => {
  it('proves the account against the header state root and the slot against its storage root', () => {
    const account = verifyAccountProof(block.stateRoot, proof.address, proof.accountProof);
    expect(account).toEqual({
      nonce: 1n,
      balance: BigInt(proof.balance),
      storageRoot: proof.storageHash,
      codeHash: proof.codeHash,
    });
    expect(verifyStorageProof(proof.storageHash, slot, stored.proof)).toBe(BigInt(stored.value));
    const all = verifyEthGetProof(block.stateRoot, proof.address, [slot], proof);
    expect(all.values.get(slot)).toBe(BigInt(stored.value));
  });

  it('proves a slot absent when the nodes show its path leaving the trie (exclusion)', () => {
    // search for a key whose path leaves the proven nodes early: the same nodes then prove it absent
    let absentSlot: Hex | undefined;
    for (let i = 2n; i < 2000n && !absentSlot; i++) {
      const s = `0x${i.toString(16).padStart(64, '0')}` as Hex;
      try {
        if (verifyStorageProof(proof.storageHash, s, stored.proof) === 0n) absentSlot = s;
      } catch (e) {
        // this key needs nodes the proof does not have
        expect((e as ProofError).reason).toBe('bad-state-proof');
      }
    }
    expect(absentSlot).toBeDefined();
    // an absent value cannot be passed off as the stored one
    expect(
      reasonOf(() =>
        verifyEthGetProof(block.stateRoot, proof.address, [absentSlot as Hex], {
          ...proof,
          storageProof: [{ ...stored, key: absentSlot as Hex }],
        }),
      ),
    ).toBe('bad-state-proof');
    expect(
      verifyEthGetProof(block.stateRoot, proof.address, [absentSlot as Hex], {
        ...proof,
        storageProof: [{ ...stored, key: absentSlot as Hex, value: '0x0' }],
      }).values.get(absentSlot as Hex),
    ).toBe(0n);
  });

  it('every single-bit flip of every account and storage proof node fails', () => {
    let flips = forEachHexListFlip(proof.accountProof, (nodes) =>
      expect(reasonOf(() => verifyAccountProof(block.stateRoot, proof.address, nodes))).toMatch(
        /bad-state-proof|malformed-input/,
      ),
    );
    flips += forEachHexListFlip(stored.proof, (nodes) =>
      expect(reasonOf(() => verifyStorageProof(proof.storageHash, slot, nodes))).toMatch(
        /bad-state-proof|malformed-input/,
      ),
    );
    const bits = [...proof.accountProof, ...stored.proof].reduce((n, x) => n + (x.length - 2) * 4, 0);
    expect(flips).toBe(bits);
    expect(flips).toBeGreaterThan(30_000);
  });

  it('every single-bit flip of the state root, storage root, address or slot fails', () => {
    for (let bit = 0; bit < 256; bit++) {
      expect(
        reasonOf(() => verifyAccountProof(flipHexBit(block.stateRoot, bit), proof.address, proof.accountProof)),
      ).toBe('bad-state-proof');
      expect(reasonOf(() => verifyStorageProof(flipHexBit(proof.storageHash, bit), slot, stored.proof))).toBe(
        'bad-state-proof',
      );
      // a flipped slot walks another path: a proof node is missing, or the path shows it absent (value 0)
      const r = reasonOf(() => {
        if (verifyStorageProof(proof.storageHash, flipHexBit(slot, bit), stored.proof) !== BigInt(stored.value))
          throw new ProofError('value-mismatch', 'other value');
      });
      expect(r).toMatch(/bad-state-proof|value-mismatch/);
    }
    for (let bit = 0; bit < 160; bit++) {
      const r = reasonOf(() => {
        if (
          verifyAccountProof(block.stateRoot, flipHexBit(proof.address, bit), proof.accountProof)?.storageRoot !==
          proof.storageHash
        )
          throw new ProofError('value-mismatch', 'other account');
      });
      expect(r).toMatch(/bad-state-proof|value-mismatch/);
    }
  });

  it('rejects a node claim that differs from the proof, a missing node, an extra node', () => {
    expect(
      reasonOf(() => verifyEthGetProof(block.stateRoot, proof.address, [slot], { ...proof, balance: '0x1' })),
    ).toBe('bad-state-proof');
    const lie = { ...stored, value: '0x1' as Hex };
    expect(
      reasonOf(() => verifyEthGetProof(block.stateRoot, proof.address, [slot], { ...proof, storageProof: [lie] })),
    ).toBe('bad-state-proof');
    expect(reasonOf(() => verifyAccountProof(block.stateRoot, proof.address, proof.accountProof.slice(0, -1)))).toBe(
      'bad-state-proof',
    );
    expect(
      reasonOf(() =>
        verifyAccountProof(block.stateRoot, proof.address, [...proof.accountProof, stored.proof[0] as Hex]),
      ),
    ).toBe('bad-state-proof');
    expect(reasonOf(() => verifyAccountProof(block.stateRoot, proof.address, []))).toBe('bad-state-proof');
    expect(reasonOf(() => verifyEthGetProof(block.stateRoot, flipHexBit(proof.address, 3), [slot], proof))).toBe(
      'bad-state-proof',
    );
  });
});
