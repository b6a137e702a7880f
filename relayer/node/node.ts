/**
 * One relayer node: its chain adapters, its Redis-backed pipeline (watch -> verify -> sign -> deliver
 * -> confirm), its signer, and its HTTP service. `sah-bridge node start --config <file>` runs one.
 */
import { type Job, type Processor, Queue, Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Hex } from 'viem';
import type { SourceVerifier } from '../../verifier/types.js';
import { ApiError } from '../api/http.js';
import { type ApiDeps, buildApi, buildInternalApi } from '../api/server.js';
import type { ChainAdapter } from '../chains/adapter.js';
import { connectChain, connectProver } from '../chains/registry.js';
import type { NodeConfig } from '../config/nodeConfig.js';
import { checkTestSignatures } from '../dkg/testSign.js';
import { PeerAuthenticator } from '../peer/auth.js';
import { PeerClient } from '../peer/client.js';
import { createPeerServer } from '../peer/routes.js';
import { servesPeerTls } from '../peer/tlsIdentity.js';
import type { PipelineContext } from '../pipeline/context.js';
import { migrateFlowIndex } from '../pipeline/flowIndex.js';
import { Metrics } from '../pipeline/metrics.js';
import { pipelinePeerRoutes } from '../pipeline/peerRoutes.js';
import { jobOptions, queueName, STAGE_NAMES, type StageName } from '../pipeline/queues.js';
import { SigningQueue } from '../pipeline/signingQueue.js';
import { WORKER_CONCURRENCY } from '../pipeline/stageConfig.js';
import { confirmStage } from '../pipeline/stages/confirm.js';
import { deliverStage } from '../pipeline/stages/deliver.js';
import { type DeliveryReconciler, startReconcilers } from '../pipeline/stages/reconcile.js';
import { signStage } from '../pipeline/stages/sign.js';
import { verifyStage } from '../pipeline/stages/verify.js';
import { ChainWatcher } from '../pipeline/stages/watch.js';
import { MessageStore } from '../pipeline/store.js';
import { park } from '../pipeline/transitions.js';
import { VerifiedSeal } from '../pipeline/verifiedSeal.js';
import { VerifierStatus } from '../pipeline/verifierStatus.js';
import { SigningCoordinator } from '../signer/coordinator.js';
import { DestinationInstances } from '../signer/instances.js';
import { KeyRing } from '../signer/keyRing.js';
import { deserializeKey } from '../signer/keys.js';
import { SigningParticipant } from '../signer/participant.js';
import { signingPeerRoutes } from '../signer/peerRoutes.js';
import { createNodeLogger, logEvent, type NodeLogger } from './logger.js';
import { connectRedis } from './redis.js';
import { checkGroupFile, type GroupFile, GroupFileError, operatorKeystore, readGroupFile } from './secrets.js';

export class RelayerNode {
  private redis?: Redis;
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  private readonly watchers: ChainWatcher[] = [];
  private reconcilers: DeliveryReconciler[] = [];
  private api?: FastifyInstance;
  private peerApi?: FastifyInstance;
  private internalApi?: FastifyInstance;
  private balanceTimer?: NodeJS.Timeout;
  private ctx?: PipelineContext;
  private verifiers = new Map<number, SourceVerifier>();

  constructor(private readonly config: NodeConfig) {
    this.logger = createNodeLogger(config.operatorId);
  }

  get url(): string {
    const address = this.api?.server.address();
    return typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
  }

  readonly logger: NodeLogger;

  log(event: string, fields: Record<string, unknown> = {}): void {
    logEvent(this.logger, event, fields);
  }

  async start(): Promise<void> {
    const config = this.config;
    const secrets = operatorKeystore(config).read();
    const group = readGroupFile(config.groupFile);
    const share = secrets.shares[String(group.epoch)];
    checkGroupFile(group, config.operatorId, share);
    // every epoch the keystore holds: each destination is signed for under the epoch its bridge is at
    const keys = new KeyRing(
      Object.entries(secrets.shares).map(([epoch, s]) => {
        if (s.threshold !== config.threshold || s.signers !== config.operators.length)
          throw new GroupFileError(
            `the key share of epoch ${epoch} is ${s.threshold}-of-${s.signers}; the config says ${config.threshold}-of-${config.operators.length}`,
          );
        return deserializeKey(Number(epoch), s);
      }),
    );

    this.redis = connectRedis(config);
    const store = new MessageStore(this.redis, new VerifiedSeal(secrets.identity.secretKey));
    const metrics = new Metrics();
    const adapters = new Map<number, ChainAdapter>();
    for (const chain of config.chains) {
      const wallet = secrets.wallets[chain.name];
      if (!wallet) throw new Error(`the keystore holds no delivery wallet for chain ${chain.name}`);
      adapters.set(chain.protocolChainId, await connectChain(chain, wallet));
    }
    const refreshEpochs = async () => {
      for (const [chainId, a] of adapters) {
        const { epoch } = await a.governanceState();
        if (keys.expectedEpoch(chainId) !== epoch) this.log('keys.epoch', { chain: a.name, epoch });
        keys.setExpected(chainId, epoch);
      }
    };
    await refreshEpochs();
    // a node signs only what its own verifier proved final and in state (verifier/, docs/VERIFIER.md)
    const verifiers = new Map<number, SourceVerifier>();
    const verifierStatus = new VerifierStatus();
    for (const chain of config.chains) {
      const verifier = await connectProver(chain);
      verifiers.set(chain.protocolChainId, verifier);
      verifierStatus.register(chain.protocolChainId, chain.name, verifier.mode);
      this.log('verifier.ready', { chain: chain.name, mode: verifier.mode });
    }
    this.verifiers = verifiers;
    const operators = config.operators.map((o) => o.id);
    const self = { operatorId: config.operatorId, identity: secrets.identity };
    const peers = new PeerClient(self, config.operators, config.timeouts.peerRequestMs);
    const instances = new DestinationInstances(adapters.values());
    for (const a of adapters.values()) this.log('instance', { chain: a.name, ...a.instance });
    const participant = new SigningParticipant(
      store,
      (epoch) => keys.ofEpoch(epoch),
      config.batch.maxMessages,
      instances,
    );
    const coordinator = new SigningCoordinator({
      instances,
      operatorId: config.operatorId,
      operators,
      threshold: config.threshold,
      participant,
      peers,
      onBlame: (operator, reason) => {
        metrics.blamed.inc({ operator: String(operator), reason });
        store.blame(operator, reason).catch((e: Error) => this.log('sign.blame_unrecorded', { error: e.message }));
        this.log('sign.blame', { operator, reason });
      },
      onRound: (outcome) => metrics.signingRounds.inc({ outcome }),
    });
    const connection = this.redis;
    const queue = (stage: StageName, destinationChain: number) => {
      const name = queueName(stage, destinationChain);
      let q = this.queues.get(name);
      if (!q) {
        q = new Queue(name, {
          connection,
          defaultJobOptions: jobOptions(config.retry.attempts, config.retry.baseDelayMs),
        });
        this.queues.set(name, q);
      }
      return q;
    };
    const ctx: PipelineContext = {
      config,
      operatorId: config.operatorId,
      operators,
      store,
      adapters,
      instances,
      verifiers,
      verifierStatus,
      coordinator,
      peers,
      metrics,
      keys,
      queue,
      signing: new SigningQueue((destinationChain) => queue('sign', destinationChain)),
      log: (event, fields) => this.log(event, fields),
    };
    this.ctx = ctx;

    const processors: Record<StageName, Processor> = {
      verify: verifyStage(ctx) as Processor,
      sign: signStage(ctx) as Processor,
      deliver: deliverStage(ctx) as Processor,
      confirm: confirmStage(ctx) as Processor,
    };
    for (const chain of config.chains)
      for (const stage of STAGE_NAMES) {
        queue(stage, chain.protocolChainId);
        const worker = new Worker(queueName(stage, chain.protocolChainId), processors[stage], {
          connection: this.redis.duplicate(),
          concurrency: WORKER_CONCURRENCY[stage],
        });
        worker.on('failed', (job, err) => {
          this.onFailed(stage, job, err).catch((e: Error) => this.log('job.park_failed', { stage, error: e.message }));
        });
        worker.on('error', (err) => this.log('worker.error', { stage, error: err.message }));
        this.workers.push(worker);
      }

    await migrateFlowIndex(this.redis);
    const apiDeps: ApiDeps = {
      store,
      health: async () => {
        const signingEpochs = keys.snapshot();
        // the oldest epoch a destination still expects; per chain in signingEpochs
        const epoch = Math.min(...Object.values(signingEpochs));
        return {
          status: 'ok',
          operatorId: config.operatorId,
          epoch,
          groupKey: keys.ofEpoch(epoch)?.groupKey.compressed ?? null,
          signingEpochs,
          chains: await Promise.all(
            config.chains.map(async (c) => ({
              name: c.name,
              protocolChainId: c.protocolChainId,
              nextBlock: (await store.checkpoint(c.name))?.toString() ?? null,
            })),
          ),
        };
      },
      metrics: async () => {
        for (const [name, q] of this.queues) {
          const counts = await q.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
          metrics.queueDepth.set(
            { queue: name },
            Object.values(counts).reduce((a, b) => a + b, 0),
          );
        }
        return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
      },
      verifier: () => verifierStatus.snapshot(),
    };
    // /metrics and /v1/blame on their own (internal) listener when the config gives one
    const { internalPort } = config.listen;
    this.api = await buildApi(apiDeps, {
      logger: this.logger.child({ listener: 'public' }),
      internalRoutes: internalPort === undefined,
      rateLimit: config.api.rateLimit,
      underPressure: config.api.underPressure,
    });
    if (internalPort !== undefined)
      this.internalApi = await buildInternalApi(apiDeps, this.logger.child({ listener: 'internal' }));
    const limits = { threshold: config.threshold, operators: operators.length, maxBatch: config.batch.maxMessages };
    this.peerApi = await createPeerServer(
      self,
      new PeerAuthenticator(config.operatorId, new Map(config.operators.map((o) => [o.id, o.identityKey]))),
      [
        ...signingPeerRoutes(participant, limits),
        ...pipelinePeerRoutes(ctx, { limits, checkRotation: (epoch, key) => this.checkRotation(epoch, key) }),
      ],
      // TLS when this operator's peer URL (as the others reach it) is https://
      { tls: servesPeerTls(config), logger: this.logger.child({ listener: 'peer' }) },
    );
    await this.api.listen({ host: config.listen.host, port: config.listen.port });
    await this.peerApi.listen({ host: config.listen.peerHost, port: config.listen.peerPort });
    if (internalPort !== undefined)
      await this.internalApi?.listen({ host: config.listen.internalHost, port: internalPort });

    for (const chain of config.chains) {
      const adapter = adapters.get(chain.protocolChainId) as ChainAdapter;
      const watcher = new ChainWatcher(ctx, adapter, chain.startBlock);
      watcher.start();
      this.watchers.push(watcher);
    }
    // re-checks recent deliveries on each destination's final state; a reorg's victims are delivered again
    this.reconcilers = startReconcilers(ctx);
    const refreshBalances = async () => {
      for (const [, a] of adapters)
        metrics.walletBalance.set({ chain: a.name }, Number(await a.walletBalance().catch(() => 0n)));
    };
    const refresh = () => {
      refreshBalances().catch((e: Error) => this.log('metrics.balance_failed', { error: e.message }));
      // a rotation landing on a destination moves that destination to the new epoch's share
      refreshEpochs().catch((e: Error) => this.log('keys.epoch_unread', { error: e.message }));
    };
    void refresh();
    this.balanceTimer = setInterval(refresh, 15_000);
    this.log('node.started', { url: this.url, epochs: keys.snapshot(), chains: config.chains.map((c) => c.name) });
  }

  /**
   * A rotation is approved only to a key this operator holds a share of (from its own DKG) and that
   * has made valid test signatures from subsets covering every operator: never to a key nobody tested.
   */
  private checkRotation(newEpoch: number, newGroupKey: Hex): void {
    let group: GroupFile;
    try {
      group = readGroupFile(this.config.groupFile);
      if (group.epoch !== newEpoch || group.groupKey.toLowerCase() !== newGroupKey.toLowerCase())
        throw new Error(`the group file holds epoch ${group.epoch} key ${group.groupKey}`);
      checkTestSignatures(group, group.testSignatures);
      checkGroupFile(group, this.config.operatorId, operatorKeystore(this.config).read().shares[String(newEpoch)]);
    } catch (e) {
      throw new ApiError(409, `rotation to epoch ${newEpoch} key ${newGroupKey} refused: ${(e as Error).message}`);
    }
  }

  /** A job out of attempts: its messages are parked (visible in the API), not lost. */
  private async onFailed(stage: StageName, job: Job | undefined, err: Error): Promise<void> {
    if (!job || !this.ctx) return;
    const attempts = job.opts.attempts ?? 1;
    const unrecoverable = err.name === 'UnrecoverableError';
    this.log('job.failed', { stage, job: job.id, attempt: job.attemptsMade, error: err.message });
    if (job.attemptsMade < attempts && !unrecoverable) return;
    const ids: Hex[] = Array.isArray(job.data.ids)
      ? job.data.ids
      : job.data.root
        ? ((await this.ctx.store.getBatch(job.data.root))?.ids ?? [])
        : [];
    await park(this.ctx, stage, ids, err.message);
  }

  async stop(): Promise<void> {
    clearInterval(this.balanceTimer);
    await Promise.all(this.watchers.map((w) => w.stop()));
    await Promise.all(this.reconcilers.map((r) => r.stop()));
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await this.api?.close();
    await this.peerApi?.close();
    await this.internalApi?.close();
    await Promise.all([...this.verifiers.values()].map((v) => v.close?.()));
    this.redis?.disconnect();
  }
}
