import type { Queue } from 'bullmq';
import type { ChainAdapter } from '../chains/adapter.js';
import type { NodeConfig } from '../config/nodeConfig.js';
import type { PeerClient } from '../peer/client.js';
import type { SigningCoordinator } from '../signer/coordinator.js';
import type { SigningKey } from '../signer/keys.js';
import type { Metrics } from './metrics.js';
import type { StageName } from './queues.js';
import type { MessageStore } from './store.js';

/** Everything a stage needs, shared by all stages of one node. */
export interface PipelineContext {
  config: NodeConfig;
  operatorId: number;
  operators: number[];
  store: MessageStore;
  adapters: Map<number, ChainAdapter>;
  coordinator: SigningCoordinator;
  peers: PeerClient;
  metrics: Metrics;
  currentKey: () => SigningKey;
  queue: (stage: StageName, destinationChain: number) => Queue;
  log: (event: string, fields?: Record<string, unknown>) => void;
}
