/**
 * Index of the attestation and compute-job messages (kinds 2, 3, 4) a node has observed, so the API can
 * answer "what crossed the bridge" by data hash, owner DID, job id, payer and chain (docs/PROTOCOL.md §7).
 * The chains hold the authoritative registry and job state; this is the relayer's view of the messages
 * and how far each got. Entries are written in the same Redis transaction that records the observation.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import { type Hex, hexToBytes } from 'viem';
import type { ObservedMessage } from '../chains/adapter.js';
import { decodeMessage } from '../protocol/message.js';

const key = {
  attestation: (dataHash: string) => `flow:att:${dataHash.toLowerCase()}`,
  owner: (did: string) => `flow:owner:${did}`,
  attestationsOfChain: (chain: number) => `flow:att-chain:${chain}`,
  job: (jobId: string) => `flow:job:${jobId.toLowerCase()}`,
  payer: (payer: string) => `flow:payer:${payer.toLowerCase()}`,
  jobsOfChain: (chain: number) => `flow:job-chain:${chain}`,
};

/** Adds the index entries of one observed message to a transaction; other kinds add nothing. */
export function indexFlowMessage(tx: ChainableCommander, m: ObservedMessage): void {
  const decoded = decodeMessage(hexToBytes(m.message));
  if (decoded.kind === 'DataAttestation') {
    const { dataHash, ownerDid } = decoded.payload;
    tx.sadd(key.attestation(dataHash), m.messageId)
      .sadd(key.owner(ownerDid), dataHash.toLowerCase())
      .sadd(key.attestationsOfChain(m.sourceChain), dataHash.toLowerCase())
      .sadd(key.attestationsOfChain(m.destinationChain), dataHash.toLowerCase());
  } else if (decoded.kind === 'ComputeJob' || decoded.kind === 'ComputeResult') {
    const { jobId } = decoded.payload;
    tx.sadd(key.job(jobId), m.messageId)
      .sadd(key.jobsOfChain(m.sourceChain), jobId.toLowerCase())
      .sadd(key.jobsOfChain(m.destinationChain), jobId.toLowerCase());
    if (decoded.kind === 'ComputeJob' && decoded.payload.action === 'Post')
      tx.sadd(key.payer(decoded.payload.payer), jobId.toLowerCase());
  }
}

/** Reads of the index (ids only; the API loads the message records). */
export class FlowIndex {
  constructor(private readonly redis: Redis) {}

  attestationMessages(dataHash: string): Promise<Hex[]> {
    return this.redis.smembers(key.attestation(dataHash)) as Promise<Hex[]>;
  }

  dataHashesOfOwner(did: string): Promise<Hex[]> {
    return this.redis.smembers(key.owner(did)) as Promise<Hex[]>;
  }

  dataHashesOfChain(chain: number): Promise<Hex[]> {
    return this.redis.smembers(key.attestationsOfChain(chain)) as Promise<Hex[]>;
  }

  jobMessages(jobId: string): Promise<Hex[]> {
    return this.redis.smembers(key.job(jobId)) as Promise<Hex[]>;
  }

  jobsOfPayer(payer: string): Promise<Hex[]> {
    return this.redis.smembers(key.payer(payer)) as Promise<Hex[]>;
  }

  jobsOfChain(chain: number): Promise<Hex[]> {
    return this.redis.smembers(key.jobsOfChain(chain)) as Promise<Hex[]>;
  }
}
