/**
 * Account and storage proofs (`eth_getProof`, EIP-1186): the account leaf under keccak(address) in the
 * state trie, then the storage leaf under keccak(slot) in that account's storage trie. The node's claimed
 * balance, storageHash, value etc. are never trusted: everything returned here was read out of the
 * proven leaves themselves, and the claims are only compared with it.
 */
import { type Address, bytesToHex, type Hex, hexToBigInt, keccak256 } from 'viem';
import { ProofError } from '../types.js';
import { bytesOf, quantityOf } from './bytes.js';
import { EMPTY_TRIE_ROOT, verifyMptProof } from './mpt.js';
import { decodeRlp } from './rlp.js';

/** The shape of an `eth_getProof` result (as the node sent it). */
export interface RpcProof {
  address: Address;
  accountProof: Hex[];
  balance: Hex;
  codeHash: Hex;
  nonce: Hex;
  storageHash: Hex;
  storageProof: { key: Hex; value: Hex; proof: Hex[] }[];
}

export interface Account {
  nonce: bigint;
  balance: bigint;
  storageRoot: Hex;
  codeHash: Hex;
}

/** keccak256 of empty code: the code hash of an account without code. */
export const EMPTY_CODE_HASH: Hex = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470';

/** Proves the account at `address` under `stateRoot`; `undefined` when the proof shows it does not exist. */
export function verifyAccountProof(stateRoot: Hex, address: Address, proof: readonly Hex[]): Account | undefined {
  const leaf = verifyMptProof(stateRoot, bytesOf(keccak256(bytesOf(address, 'address', 20)), 'key'), proof);
  if (!leaf) return undefined;
  const fields = decodeRlp(leaf);
  if (!Array.isArray(fields) || fields.length !== 4 || !fields.every((f) => f instanceof Uint8Array))
    throw new ProofError('bad-state-proof', 'account leaf is not [nonce, balance, storageRoot, codeHash]');
  const [nonce, balance, storageRoot, codeHash] = fields as Uint8Array[];
  if (storageRoot?.length !== 32 || codeHash?.length !== 32)
    throw new ProofError('bad-state-proof', 'account roots are not 32 bytes');
  return {
    nonce: canonicalUint(nonce as Uint8Array),
    balance: canonicalUint(balance as Uint8Array),
    storageRoot: bytesToHex(storageRoot),
    codeHash: bytesToHex(codeHash),
  };
}

/** Proves the 32-byte word at `slot` under an account's `storageRoot`; absent slots are 0. */
export function verifyStorageProof(storageRoot: Hex, slot: Hex, proof: readonly Hex[]): bigint {
  const key = bytesOf(keccak256(bytesOf(slot, 'slot', 32)), 'key');
  const leaf = verifyMptProof(storageRoot, key, proof);
  if (!leaf) return 0n;
  const value = decodeRlp(leaf);
  if (!(value instanceof Uint8Array) || value.length > 32)
    throw new ProofError('bad-state-proof', 'storage leaf is not an RLP string of at most 32 bytes');
  const word = canonicalUint(value);
  // the trie deletes zeroed slots, so a stored zero is a malformed trie
  if (word === 0n) throw new ProofError('bad-state-proof', 'storage leaf holds zero');
  return word;
}

function canonicalUint(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  if (bytes[0] === 0) throw new ProofError('bad-state-proof', 'integer with a leading zero byte');
  return hexToBigInt(bytesToHex(bytes));
}

export interface ProvenSlots {
  account: Account;
  /** Proven values, by the slot as requested (lower-case 32-byte hex). */
  values: Map<Hex, bigint>;
}

/**
 * Checks a whole `eth_getProof` answer against a trusted state root: the account proof, each storage
 * proof against the proven storage root, and that every field the node claimed equals what was proved.
 * `slots` are the slots the caller asked for; the answer must cover exactly those.
 */
export function verifyEthGetProof(stateRoot: Hex, address: Address, slots: readonly Hex[], rpc: RpcProof): ProvenSlots {
  if (typeof rpc !== 'object' || rpc === null || !Array.isArray(rpc.accountProof) || !Array.isArray(rpc.storageProof))
    throw new ProofError('malformed-input', 'not an eth_getProof result');
  if (bytesToHex(bytesOf(rpc.address, 'address', 20)) !== bytesToHex(bytesOf(address, 'address', 20)))
    throw new ProofError('bad-state-proof', `proof is for ${rpc.address}, not ${address}`);
  const account = verifyAccountProof(stateRoot, address, rpc.accountProof) ?? {
    nonce: 0n,
    balance: 0n,
    storageRoot: EMPTY_TRIE_ROOT,
    codeHash: EMPTY_CODE_HASH,
  };
  const claimed: [string, bigint | Hex, bigint | Hex][] = [
    ['nonce', quantityOf(rpc.nonce, 'nonce'), account.nonce],
    ['balance', quantityOf(rpc.balance, 'balance'), account.balance],
    ['storageHash', bytesToHex(bytesOf(rpc.storageHash, 'storageHash', 32)), account.storageRoot],
    ['codeHash', bytesToHex(bytesOf(rpc.codeHash, 'codeHash', 32)), account.codeHash],
  ];
  for (const [field, said, proved] of claimed)
    if (said !== proved) throw new ProofError('bad-state-proof', `${field}: node says ${said}, proof says ${proved}`);
  if (rpc.storageProof.length !== slots.length)
    throw new ProofError('bad-state-proof', `${rpc.storageProof.length} storage proofs for ${slots.length} slots`);
  const values = new Map<Hex, bigint>();
  slots.forEach((slot, i) => {
    const entry = rpc.storageProof[i];
    const want = bytesToHex(bytesOf(slot, 'slot', 32));
    if (!entry || !Array.isArray(entry.proof)) throw new ProofError('malformed-input', `storageProof[${i}] missing`);
    // nodes answer with the key as given or trimmed of leading zeros: compare as numbers
    if (quantityOrWord(entry.key) !== hexToBigInt(want))
      throw new ProofError('bad-state-proof', `storageProof[${i}] is for ${entry.key}, not ${want}`);
    const value = verifyStorageProof(account.storageRoot, want, entry.proof);
    if (quantityOrWord(entry.value) !== value)
      throw new ProofError('bad-state-proof', `slot ${want}: node says ${entry.value}, proof says ${value}`);
    values.set(want, value);
  });
  return { account, values };
}

/** Storage keys and values come as quantities from some nodes and as padded words from others. */
function quantityOrWord(v: unknown): bigint {
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{1,64}$/.test(v))
    throw new ProofError('malformed-input', `not a storage key/value: ${String(v)}`);
  return BigInt(v);
}
