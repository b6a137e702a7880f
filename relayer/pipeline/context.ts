import type { Queue } from 'bullmq';
import type { SourceVerifier } from '../../verifier/types.js';
import type { ChainAdapter } from '../chains/adapter.js';
import type { NodeConfig } from '../config/nodeConfig.js';
import type { PeerClient } from '../peer/client.js';
import type { SigningCoordinator } from '../signer/coordinator.js';
/** Everything a stage needs, shared by all stages of one node. */
import type { DestinationInstances } from '../signer/instances.js';
import type { KeyRing } from '../signer/keyRing.js';
import type { Metrics } from './metrics.js';
import type { StageName } from './queues.js';
import type { SigningQueue } from './signingQueue.js';
import type { MessageStore } from './store.js';
import type { VerifierStatus } from './verifierStatus.js';
export interface PipelineContext {
  config: NodeConfig;
  operatorId: number;
  operators: number[];
  store: MessageStore;
  adapters: Map<number, ChainAdapter>;
  /** The bridge instance of each destination (the digest binds it), from the adapters. */
  instances: DestinationInstances;
  /** Per source chain: proves an event final and in committed state before this node signs it. */
  verifiers: Map<number, SourceVerifier>;
  verifierStatus: VerifierStatus;
  coordinator: SigningCoordinator;
  peers: PeerClient;
  metrics: Metrics;
  /** Key shares by epoch, and the epoch each destination expects. */
  keys: KeyRing;
  queue: (stage: StageName, destinationChain: number) => Queue;
  /** When batch keys get sign jobs. */
  signing: SigningQueue;
  log: (event: string, fields?: Record<string, unknown>) => void;
}
