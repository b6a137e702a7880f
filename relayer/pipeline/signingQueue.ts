/**
 * When a batch key gets a sign job. Jobs run per batch key (consecutive nonces, one source, one destination)
 * and at most one waits at a time, so a burst of messages makes a few signing jobs, not one per message.
 */
import { DelayedError, type Job, type Queue } from 'bullmq';
import { jobId } from './queues.js';

export interface SignJob {
  batchKey: string;
  destinationChain: number;
}

export class SigningQueue {
  /**
   * Batch keys with a sign job that has yet to read the key's pending set. A verification while one is
   * waiting needs no new job: that job will see it. Once a job has read the set, the next verification
   * queues a new one, so a message verified just after the read is never left without a job.
   */
  private readonly awaitingRead = new Set<string>();
  private sequence = 0;

  constructor(private readonly queueOf: (destinationChain: number) => Queue) {}

  /** Queues the sign job of a batch key, unless one that will still read its pending set is queued already. */
  async queue(batchKey: string, destinationChain: number): Promise<void> {
    if (this.awaitingRead.has(batchKey)) return;
    this.awaitingRead.add(batchKey);
    try {
      await this.queueOf(destinationChain).add('sign', { batchKey, destinationChain } satisfies SignJob, {
        jobId: jobId('k', batchKey, Date.now(), this.sequence++),
        delay: 50,
      });
    } catch (e) {
      this.awaitingRead.delete(batchKey);
      throw e;
    }
  }

  /** The job is about to read the key's pending set: a verification from now on needs a job of its own. */
  reading(batchKey: string): void {
    this.awaitingRead.delete(batchKey);
  }

  /** The job goes back to wait: it reads the pending set again when it wakes. */
  async delay(job: Job<SignJob>, ms: number, token?: string): Promise<never> {
    this.awaitingRead.add(job.data.batchKey);
    await job.moveToDelayed(Date.now() + ms, token);
    throw new DelayedError();
  }
}
