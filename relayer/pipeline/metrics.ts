import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one node (GET /metrics). */
export class Metrics {
  readonly registry = new Registry();
  readonly stageLatency = new Histogram({
    name: 'sah_stage_latency_seconds',
    help: 'Time from the previous stage to the end of this one, per message',
    labelNames: ['stage'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'sah_queue_depth',
    help: 'Jobs waiting, delayed or active per stage queue',
    labelNames: ['queue'],
    registers: [this.registry],
  });
  readonly signingRounds = new Counter({
    name: 'sah_signing_rounds_total',
    help: 'FROST signing sessions run as coordinator, by outcome',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly blamed = new Counter({
    name: 'sah_blamed_peers_total',
    help: 'Peers that failed a signing session, by operator and reason',
    labelNames: ['operator', 'reason'],
    registers: [this.registry],
  });
  readonly walletBalance = new Gauge({
    name: 'sah_wallet_balance',
    help: 'Native balance of the delivery account per chain (base units)',
    labelNames: ['chain'],
    registers: [this.registry],
  });
  readonly messages = new Counter({
    name: 'sah_messages_total',
    help: 'Messages that reached a stage',
    labelNames: ['stage'],
    registers: [this.registry],
  });
  readonly proofs = new Counter({
    name: 'sah_verifier_proofs_total',
    help: 'Outbound messages this node proved final and in state, per source chain and finality mode',
    labelNames: ['chain', 'mode'],
    registers: [this.registry],
  });
  readonly proofFailures = new Counter({
    name: 'sah_verifier_failures_total',
    help: 'Proofs that failed, per source chain and reason (not-final and rpc-unavailable are retried)',
    labelNames: ['chain', 'reason'],
    registers: [this.registry],
  });
  readonly proofSeconds = new Histogram({
    name: 'sah_verifier_proof_seconds',
    help: 'Time to prove one outbound message (finality + state proof)',
    labelNames: ['chain'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: [this.registry],
  });
}
