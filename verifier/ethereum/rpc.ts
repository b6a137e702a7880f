/**
 * The few raw JSON-RPC calls the verifier makes. Raw (not viem's formatted actions) because the header
 * must be hashed from the exact fields the node sent. Transport failures become `rpc-unavailable`
 * (transient, retried); answers of the wrong shape are the node's fault and become `malformed-input`.
 */
import { type Address, type Hex, numberToHex, type PublicClient } from 'viem';
import { ProofError } from '../types.js';
import type { RpcHeader } from './header.js';
import type { RpcProof } from './stateProof.js';

async function call<T>(client: PublicClient, method: string, params: unknown[]): Promise<T> {
  try {
    return (await client.request({ method, params } as never)) as T;
  } catch (e) {
    throw new ProofError('rpc-unavailable', `${method}: ${(e as Error).message.split('\n')[0]}`);
  }
}

export async function latestBlockNumber(client: PublicClient): Promise<bigint> {
  const n = await call<Hex>(client, 'eth_blockNumber', []);
  if (typeof n !== 'string') throw new ProofError('malformed-input', 'eth_blockNumber answer is not a quantity');
  return BigInt(n);
}

export async function headerAt(client: PublicClient, number: bigint): Promise<RpcHeader> {
  const block = await call<RpcHeader | null>(client, 'eth_getBlockByNumber', [numberToHex(number), false]);
  if (!block) throw new ProofError('rpc-unavailable', `the node has no block ${number}`);
  if (typeof block !== 'object') throw new ProofError('malformed-input', 'eth_getBlockByNumber answer is not a block');
  return block;
}

export function proofAt(client: PublicClient, address: Address, slots: Hex[], number: bigint): Promise<RpcProof> {
  return call<RpcProof>(client, 'eth_getProof', [address, slots, numberToHex(number)]);
}
