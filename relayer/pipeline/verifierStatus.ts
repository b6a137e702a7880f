/**
 * What this node's verifiers proved and refused, per source chain, for GET /v1/verifier: an operator
 * sees at a glance which chain's proofs fail and why (the metrics count the same by reason).
 */
import type { Hex } from 'viem';
import type { OutboundProof, ProofFailureReason } from '../../verifier/types.js';

export interface ChainVerifierStatus {
  chain: string;
  protocolChainId: number;
  mode: string;
  proved: number;
  /** Proofs that failed for good: those messages are never signed by this node. */
  refused: number;
  /** Attempts that will be retried (block not final yet, RPC trouble). */
  retried: number;
  lastProof?: { messageId: Hex; height: string; blockHash: Hex; at: string };
  lastFailure?: { messageId: Hex; reason: ProofFailureReason; message: string; transient: boolean; at: string };
}

export class VerifierStatus {
  private readonly chains = new Map<number, ChainVerifierStatus>();

  register(protocolChainId: number, chain: string, mode: string): void {
    this.chains.set(protocolChainId, { chain, protocolChainId, mode, proved: 0, refused: 0, retried: 0 });
  }

  proved(protocolChainId: number, messageId: Hex, proof: OutboundProof): void {
    const s = this.chains.get(protocolChainId);
    if (!s) return;
    s.proved++;
    s.lastProof = {
      messageId,
      height: proof.height.toString(),
      blockHash: proof.blockHash,
      at: new Date().toISOString(),
    };
  }

  failed(
    protocolChainId: number,
    messageId: Hex,
    failure: { reason: ProofFailureReason; message: string; transient: boolean },
  ): void {
    const s = this.chains.get(protocolChainId);
    if (!s) return;
    if (failure.transient) s.retried++;
    else s.refused++;
    s.lastFailure = { messageId, ...failure, at: new Date().toISOString() };
  }

  snapshot(): ChainVerifierStatus[] {
    return [...this.chains.values()].map((s) => structuredClone(s));
  }
}
