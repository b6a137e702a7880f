/**
 * Receipts and their trie: the consensus encoding of a JSON-RPC receipt (EIP-2718 typed: type byte ||
 * rlp([status, cumulativeGasUsed, logsBloom, logs]); legacy: the bare list), the trie of
 * rlp(txIndex) -> receipt whose root is the header's receiptsRoot, proofs against that root, and finding
 * a log inside a proven receipt.
 */
import { type Address, bytesToHex, type Hex, hexToBytes, toRlp } from 'viem';
import { concatBytes, equalBytes } from '../bytes.js';
import { ProofError } from '../types.js';
import { bytesOf, quantityOf, uintHex } from './bytes.js';
import { verifyMptProof } from './mpt.js';
import { decodeRlp, type RlpItem } from './rlp.js';
import { trieRoot } from './trie.js';

export interface RpcLog {
  address: Address;
  topics: Hex[];
  data: Hex;
}

export interface RpcReceipt {
  type: Hex;
  status: Hex;
  cumulativeGasUsed: Hex;
  logsBloom: Hex;
  logs: RpcLog[];
  transactionIndex: Hex;
}

/** Transaction types whose receipts share the post-Byzantium layout: legacy, 2930, 1559, 4844, 7702. */
const RECEIPT_TYPES = new Set([0, 1, 2, 3, 4]);

export function encodeReceipt(r: RpcReceipt): Uint8Array {
  const type = Number(quantityOf(r.type, 'type'));
  if (!RECEIPT_TYPES.has(type)) throw new ProofError('malformed-input', `unknown receipt type ${type}`);
  const status = quantityOf(r.status, 'status');
  if (status > 1n) throw new ProofError('malformed-input', `status ${status}`);
  const body = hexToBytes(
    toRlp([
      uintHex(status),
      uintHex(quantityOf(r.cumulativeGasUsed, 'cumulativeGasUsed')),
      bytesToHex(bytesOf(r.logsBloom, 'logsBloom', 256)),
      r.logs.map((l) => [
        bytesToHex(bytesOf(l.address, 'log.address', 20)),
        l.topics.map((t) => bytesToHex(bytesOf(t, 'log.topic', 32))),
        bytesToHex(bytesOf(l.data, 'log.data')),
      ]),
    ]),
  );
  return type === 0 ? body : concatBytes(new Uint8Array([type]), body);
}

/** The trie key of the receipt (or transaction) at `index`: rlp(index). */
export const receiptKey = (index: bigint): Uint8Array => hexToBytes(toRlp(uintHex(index)));

/** Rebuilds the receipts root of a block from all of its receipts (in any order: the index is the key). */
export function receiptsRoot(receipts: readonly RpcReceipt[]): Hex {
  const seen = new Set<bigint>();
  return trieRoot(
    receipts.map((r) => {
      const index = quantityOf(r.transactionIndex, 'transactionIndex');
      if (seen.has(index)) throw new ProofError('malformed-input', `two receipts at index ${index}`);
      seen.add(index);
      return { key: receiptKey(index), value: encodeReceipt(r) };
    }),
  );
}

/** Proves the receipt at `index` under `root`; returns its consensus encoding. */
export function verifyReceiptProof(root: Hex, index: bigint, proof: readonly Hex[]): Uint8Array {
  const value = verifyMptProof(root, receiptKey(index), proof);
  if (!value) throw new ProofError('bad-state-proof', `the proof shows no receipt at index ${index}`);
  return value;
}

/** Proves `receipt` is the one at its transactionIndex under `root` (its encoding equals the proven leaf). */
export function verifyReceipt(root: Hex, receipt: RpcReceipt, proof: readonly Hex[]): void {
  const proven = verifyReceiptProof(root, quantityOf(receipt.transactionIndex, 'transactionIndex'), proof);
  if (!equalBytes(proven, encodeReceipt(receipt)))
    throw new ProofError('value-mismatch', 'receipt fields differ from the proven receipt');
}

export interface DecodedLog {
  address: Hex;
  topics: Hex[];
  data: Hex;
}

/** Decodes the logs of a receipt's consensus encoding. */
export function receiptLogs(encoded: Uint8Array): DecodedLog[] {
  const first = encoded[0];
  if (first === undefined) throw new ProofError('malformed-input', 'empty receipt');
  // typed receipts start with their type byte (< 0x7f); a legacy receipt is an RLP list (>= 0xc0)
  const body = decodeRlp(first < 0x7f ? encoded.subarray(1) : encoded);
  if (!Array.isArray(body) || body.length !== 4 || !Array.isArray(body[3]))
    throw new ProofError('malformed-input', 'receipt is not [status, gas, bloom, logs]');
  return (body[3] as RlpItem[]).map((log) => {
    if (!Array.isArray(log) || log.length !== 3) throw new ProofError('malformed-input', 'log is not [a, t, d]');
    const [address, topics, data] = log as [RlpItem, RlpItem, RlpItem];
    if (!(address instanceof Uint8Array) || !Array.isArray(topics) || !(data instanceof Uint8Array))
      throw new ProofError('malformed-input', 'bad log fields');
    return {
      address: bytesToHex(address),
      topics: topics.map((t) => bytesToHex(t as Uint8Array)),
      data: bytesToHex(data),
    };
  });
}

/** Index of `log` among the logs of a proven receipt; throws `value-mismatch` when it is not there. */
export function findLog(encodedReceipt: Uint8Array, log: RpcLog): number {
  const want = {
    address: bytesToHex(bytesOf(log.address, 'address', 20)),
    topics: log.topics.map((t) => bytesToHex(bytesOf(t, 'topic', 32))),
    data: bytesToHex(bytesOf(log.data, 'data')),
  };
  const index = receiptLogs(encodedReceipt).findIndex(
    (l) =>
      l.address === want.address &&
      l.data === want.data &&
      l.topics.length === want.topics.length &&
      l.topics.every((t, i) => t === want.topics[i]),
  );
  if (index < 0) throw new ProofError('value-mismatch', 'the log is not in the proven receipt');
  return index;
}
