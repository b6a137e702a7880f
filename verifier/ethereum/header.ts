/**
 * Execution block header hashing, London through Prague/Osaka: the block hash is keccak256 of the RLP
 * list of the header fields, and which fields exist depends on the fork. The fork is read from the fields
 * the JSON-RPC block carries (a node omits fields its chain has not activated), and combinations no fork
 * ever produced are rejected rather than guessed at, so a node cannot make us hash a header in a form
 * the chain never used.
 */
import { bytesToHex, type Hex, keccak256, toRlp } from 'viem';
import { ProofError } from '../types.js';
import { bytesOf, quantityOf, uintHex } from './bytes.js';

/** The header fields of an `eth_getBlockByNumber` result (hex strings as the node sent them). */
export interface RpcHeader {
  hash: Hex;
  parentHash: Hex;
  sha3Uncles: Hex;
  miner: Hex;
  stateRoot: Hex;
  transactionsRoot: Hex;
  receiptsRoot: Hex;
  logsBloom: Hex;
  difficulty: Hex;
  number: Hex;
  gasLimit: Hex;
  gasUsed: Hex;
  timestamp: Hex;
  extraData: Hex;
  mixHash: Hex;
  nonce: Hex;
  // the fields forks added: left out or undefined alike where the fork is not active (headerFork)
  baseFeePerGas?: Hex | undefined;
  withdrawalsRoot?: Hex | undefined;
  blobGasUsed?: Hex | undefined;
  excessBlobGas?: Hex | undefined;
  parentBeaconBlockRoot?: Hex | undefined;
  requestsHash?: Hex | undefined;
}

/** The header layouts this verifier accepts (Osaka/Fulu added no header field: it hashes as Prague). */
export type HeaderFork = 'london' | 'shanghai' | 'cancun' | 'prague';

/** Decides the layout from which optional fields are present; each fork's fields come all together. */
export function headerFork(h: Partial<RpcHeader>): HeaderFork {
  const has = (k: keyof RpcHeader) => h[k] !== undefined && h[k] !== null;
  if (!has('baseFeePerGas'))
    throw new ProofError('bad-header', 'no baseFeePerGas: pre-London headers are not accepted');
  const cancun = [has('blobGasUsed'), has('excessBlobGas'), has('parentBeaconBlockRoot')];
  if (cancun.some((x) => x) && !cancun.every((x) => x))
    throw new ProofError('bad-header', 'partial Cancun fields (blobGasUsed, excessBlobGas, parentBeaconBlockRoot)');
  const isCancun = cancun[0] === true;
  if (has('requestsHash')) {
    if (!isCancun) throw new ProofError('bad-header', 'requestsHash without the Cancun fields');
    if (!has('withdrawalsRoot')) throw new ProofError('bad-header', 'requestsHash without withdrawalsRoot');
    return 'prague';
  }
  if (isCancun) {
    if (!has('withdrawalsRoot')) throw new ProofError('bad-header', 'Cancun fields without withdrawalsRoot');
    return 'cancun';
  }
  return has('withdrawalsRoot') ? 'shanghai' : 'london';
}

/** The RLP list items of the header, in consensus order; fixed-size fields are length-checked. */
export function headerFields(h: RpcHeader): Hex[] {
  const fork = headerFork(h);
  const b = (k: keyof RpcHeader, len?: number): Hex => bytesToHex(bytesOf(h[k], k, len));
  const q = (k: keyof RpcHeader): Hex => uintHex(quantityOf(h[k], k));
  const fields: Hex[] = [
    b('parentHash', 32),
    b('sha3Uncles', 32),
    b('miner', 20),
    b('stateRoot', 32),
    b('transactionsRoot', 32),
    b('receiptsRoot', 32),
    b('logsBloom', 256),
    q('difficulty'),
    q('number'),
    q('gasLimit'),
    q('gasUsed'),
    q('timestamp'),
    b('extraData'),
    b('mixHash', 32),
    b('nonce', 8),
    q('baseFeePerGas'),
  ];
  if (fork === 'london') return fields;
  fields.push(b('withdrawalsRoot', 32));
  if (fork === 'shanghai') return fields;
  fields.push(q('blobGasUsed'), q('excessBlobGas'), b('parentBeaconBlockRoot', 32));
  if (fork === 'cancun') return fields;
  fields.push(b('requestsHash', 32));
  return fields;
}

export const headerRlp = (h: RpcHeader): Hex => toRlp(headerFields(h));

export const headerHash = (h: RpcHeader): Hex => keccak256(headerRlp(h));

/**
 * Recomputes the block hash from the fields and compares it with `h.hash` (and `expectedHash` when the
 * caller got the hash from somewhere it trusts, e.g. the light client). Every other field of the header,
 * the state root above all, is then as authentic as the hash.
 */
export function verifyHeader(h: RpcHeader, expectedHash?: Hex): Hex {
  const hash = headerHash(h);
  if (hash !== bytesToHex(bytesOf(h.hash, 'hash', 32)))
    throw new ProofError('bad-header', `header fields hash to ${hash}, the block says ${h.hash}`);
  if (expectedHash !== undefined && hash.toLowerCase() !== expectedHash.toLowerCase())
    throw new ProofError('bad-header', `block hash ${hash} is not the trusted ${expectedHash}`);
  return hash;
}
