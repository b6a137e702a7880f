import type { Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { flipHexBit, forEachHexListFlip } from '../testing/bits.js';
import { reasonOf } from '../testing/reason.js';
import type { RpcHeader } from './header.js';
import {
  encodeReceipt,
  findLog,
  type RpcLog,
  type RpcReceipt,
  receiptsRoot,
  verifyReceipt,
  verifyReceiptProof,
} from './receipts.js';
import { fixture } from './testdata/fixtures.js';

const block = fixture<RpcHeader>('el-block-21925176/rpc_block.json');
const receipts = fixture<RpcReceipt[]>('el-block-21925176/rpc_receipts.json');
const receipt = fixture<RpcReceipt>('el-block-21925176/rpc_receipt.json');
const logs = fixture<RpcLog[]>('el-block-21925176/rpc_logs.json');
const verifiable = fixture<{ receipt: RpcReceipt; receiptProof: Hex[] }>(
  'el-block-21925176/verifiable_api_receipt.json',
);
const DEPOSIT_CONTRACT = '0x00000000219ab540356cbb839cbe05303d7705fa';

describe('receipts trie (mainnet block 21,925,176)', () => {
  it('rebuilds receiptsRoot from all 202 receipts (legacy and EIP-1559)', () => {
    expect(receipts).toHaveLength(202);
    expect(new Set(receipts.map((r) => r.type))).toEqual(new Set(['0x0', '0x2']));
    expect(receiptsRoot(receipts)).toBe(block.receiptsRoot);
    // and in another order: the index is the key
    expect(receiptsRoot(receipts.slice().reverse())).toBe(block.receiptsRoot);
  });

  it('any changed receipt changes the root', () => {
    const changed = receipts.slice();
    changed[5] = { ...(changed[5] as RpcReceipt), status: '0x0' };
    expect(receiptsRoot(changed)).not.toBe(block.receiptsRoot);
    expect(receiptsRoot(receipts.slice(1))).not.toBe(block.receiptsRoot);
    const swapped = receipts.slice();
    swapped[3] = { ...(receipts[3] as RpcReceipt), transactionIndex: '0x4' };
    swapped[4] = { ...(receipts[4] as RpcReceipt), transactionIndex: '0x3' };
    expect(receiptsRoot(swapped)).not.toBe(block.receiptsRoot);
  });

  it("verifies the verifiable API's receipt proof and finds the deposit log in the proven receipt", () => {
    expect(verifiable.receipt.transactionIndex).toBe('0x27');
    verifyReceipt(block.receiptsRoot, verifiable.receipt, verifiable.receiptProof);
    const proven = verifyReceiptProof(block.receiptsRoot, 0x27n, verifiable.receiptProof);
    expect(proven).toEqual(encodeReceipt(receipt));
    const log = logs[0] as RpcLog;
    expect(log.address).toBe(DEPOSIT_CONTRACT);
    expect(findLog(proven, log)).toBe(receipt.logs.findIndex((l) => l.data === log.data));
    expect(reasonOf(() => findLog(proven, { ...log, data: flipHexBit(log.data, 1000) }))).toBe('value-mismatch');
    expect(reasonOf(() => findLog(proven, { ...log, topics: [] }))).toBe('value-mismatch');
  });

  it('rejects the proof for another index, another root, a changed receipt', () => {
    expect(reasonOf(() => verifyReceiptProof(block.receiptsRoot, 0x26n, verifiable.receiptProof))).toBe(
      'bad-state-proof',
    );
    expect(reasonOf(() => verifyReceiptProof(block.stateRoot, 0x27n, verifiable.receiptProof))).toBe('bad-state-proof');
    expect(
      reasonOf(() =>
        verifyReceipt(block.receiptsRoot, { ...receipt, cumulativeGasUsed: '0x1' }, verifiable.receiptProof),
      ),
    ).toBe('value-mismatch');
  });

  it('every single-bit flip of every receipt proof node and of the receipts root fails', () => {
    const flips = forEachHexListFlip(verifiable.receiptProof, (nodes) =>
      expect(reasonOf(() => verifyReceiptProof(block.receiptsRoot, 0x27n, nodes))).toMatch(
        /bad-state-proof|malformed-input/,
      ),
    );
    for (let bit = 0; bit < 256; bit++)
      expect(
        reasonOf(() => verifyReceiptProof(flipHexBit(block.receiptsRoot, bit), 0x27n, verifiable.receiptProof)),
      ).toBe('bad-state-proof');
    expect(flips).toBe(verifiable.receiptProof.reduce((n, x) => n + (x.length - 2) * 4, 0));
  });
});
