import type { Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { flipHexBit } from '../testing/bits.js';
import { reasonOf } from '../testing/reason.js';
import { headerFields, headerFork, headerHash, type RpcHeader, verifyHeader } from './header.js';
import { fixture } from './testdata/fixtures.js';

const block = fixture<RpcHeader>('el-block-21925176/rpc_block.json');

describe('execution header hashing', () => {
  it('hashes the mainnet Cancun block 21,925,176 to its hash', () => {
    expect(headerFork(block)).toBe('cancun');
    expect(headerFields(block)).toHaveLength(20);
    expect(headerHash(block)).toBe(block.hash);
    expect(verifyHeader(block, block.hash)).toBe(block.hash);
  });

  it('rejects a header against another trusted hash', () => {
    expect(reasonOf(() => verifyHeader(block, flipHexBit(block.hash, 0)))).toBe('bad-header');
  });

  it('every single-bit flip of any hashed header field changes the hash', () => {
    const fields: (keyof RpcHeader)[] = [
      'parentHash',
      'sha3Uncles',
      'miner',
      'stateRoot',
      'transactionsRoot',
      'receiptsRoot',
      'mixHash',
      'nonce',
      'parentBeaconBlockRoot',
      'extraData',
    ];
    let flips = 0;
    for (const field of fields) {
      const value = block[field] as Hex;
      for (let bit = 0; bit < (value.length - 2) * 4; bit++) {
        expect(reasonOf(() => verifyHeader({ ...block, [field]: flipHexBit(value, bit) }))).toBe('bad-header');
        flips++;
      }
    }
    // quantities: flipping bits of number/gas/timestamp/fee fields
    for (const field of ['number', 'gasLimit', 'gasUsed', 'timestamp', 'baseFeePerGas', 'blobGasUsed'] as const) {
      const n = BigInt(block[field] as Hex);
      for (let bit = 0; bit < 32; bit++) {
        expect(reasonOf(() => verifyHeader({ ...block, [field]: `0x${(n ^ (1n << BigInt(bit))).toString(16)}` }))).toBe(
          'bad-header',
        );
        flips++;
      }
    }
    expect(flips).toBeGreaterThan(2000);
  });

  it('every single-bit flip of the block hash is rejected', () => {
    for (let bit = 0; bit < 256; bit++)
      expect(reasonOf(() => verifyHeader({ ...block, hash: flipHexBit(block.hash, bit) }))).toBe('bad-header');
  });

  it('decides the layout from the fields present and rejects combinations no fork had', () => {
    const { withdrawalsRoot, blobGasUsed, excessBlobGas, parentBeaconBlockRoot, ...london } = block;
    expect(headerFork(london)).toBe('london');
    expect(headerFields(london)).toHaveLength(16);
    expect(headerFork({ ...london, withdrawalsRoot })).toBe('shanghai');
    expect(headerFields({ ...london, withdrawalsRoot })).toHaveLength(17);
    const prague = { ...block, requestsHash: block.parentHash };
    expect(headerFork(prague)).toBe('prague');
    expect(headerFields(prague)).toHaveLength(21);
    // the Cancun hash no longer matches once a field is dropped or added
    expect(reasonOf(() => verifyHeader(prague))).toBe('bad-header');
    expect(reasonOf(() => verifyHeader({ ...block, withdrawalsRoot: undefined }))).toBe('bad-header');
    // inconsistent combinations
    expect(reasonOf(() => headerFork({ ...block, excessBlobGas: undefined }))).toBe('bad-header');
    expect(reasonOf(() => headerFork({ ...london, blobGasUsed, excessBlobGas, parentBeaconBlockRoot }))).toBe(
      'bad-header',
    );
    expect(reasonOf(() => headerFork({ ...london, withdrawalsRoot, requestsHash: block.parentHash }))).toBe(
      'bad-header',
    );
    expect(reasonOf(() => headerFork({ ...london, baseFeePerGas: undefined }))).toBe('bad-header');
    void excessBlobGas;
  });

  it('rejects malformed fields as malformed input', () => {
    expect(reasonOf(() => headerHash({ ...block, stateRoot: `${block.stateRoot}00` as Hex }))).toBe('malformed-input');
    expect(reasonOf(() => headerHash({ ...block, number: '0x01' }))).toBe('malformed-input');
    expect(reasonOf(() => headerHash({ ...block, miner: '0x12' }))).toBe('malformed-input');
  });
});
