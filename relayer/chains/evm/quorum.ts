/**
 * Reads that decide what a node signs or skips, asked of every JSON-RPC endpoint configured for an EVM chain
 * and accepted only when `quorum` of them agree. One provider that lies, lags or sits behind a load balancer
 * whose backend is behind cannot then hide a bridge event or move the node's idea of the final block on its own.
 * Disagreements are reported to listeners (the watcher logs them as `watch.rpc_disagreement`); a read on which
 * no quorum agrees fails with RpcQuorumError and is retried by its caller, never settled by trusting one answer.
 */
import type { PublicClient } from 'viem';
import { type RpcDisagreement, RpcQuorumError } from '../adapter.js';

export interface RpcEndpoint {
  /** How logs name it: its place in rpcUrls and its host, never the URL (providers put API keys in the path). */
  label: string;
  client: PublicClient;
}

/** A quorum of 1..count endpoints is meaningless outside those bounds. */
export class RpcQuorumConfigError extends Error {
  override name = 'RpcQuorumConfigError';
}

/** The default quorum of `count` endpoints: a majority, so two disjoint groups can never both agree. */
export function majority(count: number): number {
  return Math.floor(count / 2) + 1;
}

/** An error as one line of a report. */
function errorLine(e: unknown): string {
  const message = e instanceof Error ? (e as { shortMessage?: string }).shortMessage || e.message : String(e);
  return `error: ${(message.split('\n')[0] ?? '').slice(0, 200)}`;
}

export class RpcQuorum {
  private readonly listeners: ((d: RpcDisagreement) => void)[] = [];

  constructor(
    readonly chain: string,
    readonly endpoints: RpcEndpoint[],
    readonly quorum: number,
  ) {
    if (!Number.isInteger(quorum) || quorum < 1 || quorum > endpoints.length)
      throw new RpcQuorumConfigError(`${chain}: quorum ${quorum} of ${endpoints.length} RPC endpoints`);
  }

  onDisagreement(listener: (d: RpcDisagreement) => void): void {
    this.listeners.push(listener);
  }

  /** No quorum for `read`: every endpoint's answer so far, copied (later answers must not change it). */
  private refusal(read: string, answers: { rpc: string; answer: string }[]): RpcQuorumError {
    return new RpcQuorumError(
      read,
      this.quorum,
      answers.map((a) => ({ ...a })),
    );
  }

  private report(d: RpcDisagreement): void {
    for (const listener of this.listeners) {
      try {
        listener(d);
      } catch {
        // a broken listener must not turn a read that succeeded into a failure
      }
    }
  }

  /**
   * A read whose honest answers are identical (the logs of a fixed block range, state at a fixed block). The
   * answer `quorum` endpoints gave (compared by `key`) is accepted once no other answer can still gather as
   * many: with a majority quorum that is as soon as the quorum agrees; with a smaller one the node waits for
   * enough endpoints that two different answers cannot both reach it, and refuses when they do.
   */
  agree<T>(
    read: string,
    ask: (client: PublicClient) => Promise<T>,
    key: (value: T) => string,
    summary: (value: T) => string,
  ): Promise<T> {
    const [only] = this.endpoints;
    if (this.endpoints.length === 1 && only) return ask(only.client);
    return new Promise<T>((resolve, reject) => {
      const votes = new Map<string, { value: T; summary: string; count: number }>();
      const answers: { rpc: string; answer: string }[] = this.endpoints.map((e) => ({
        rpc: e.label,
        answer: 'no answer yet',
      }));
      let pending = this.endpoints.length;
      let accepted: string | undefined;
      let decided = false;
      const decide = () => {
        if (decided) return;
        const all = [...votes.values()];
        const leaders = all.filter((v) => v.count >= this.quorum);
        const contenders = all.filter((v) => v.count + pending >= this.quorum);
        // an endpoint still to answer might bring an answer nobody gave yet
        const newcomerCouldWin = pending >= this.quorum;
        const [leader] = leaders;
        if (leader && leaders.length === 1 && contenders.length === 1 && !newcomerCouldWin) {
          decided = true;
          accepted = leader.summary;
          resolve(leader.value);
        } else if (leaders.length > 1 || (contenders.length === 0 && !newcomerCouldWin)) {
          decided = true;
          reject(this.refusal(read, answers));
        }
      };
      const settle = () => {
        pending--;
        decide();
        // every endpoint has answered: tell the listeners if they did not all say the same (errors alone are
        // unavailability, not disagreement: the RpcQuorumError, if any, names them)
        if (pending === 0 && votes.size > 1)
          this.report({
            chain: this.chain,
            read,
            quorum: this.quorum,
            answers,
            ...(accepted === undefined ? {} : { accepted }),
          });
      };
      this.endpoints.forEach((endpoint, i) => {
        ask(endpoint.client).then(
          (value) => {
            const k = key(value);
            const vote = votes.get(k) ?? { value, summary: summary(value), count: 0 };
            vote.count++;
            votes.set(k, vote);
            (answers[i] as { answer: string }).answer = vote.summary;
            settle();
          },
          (e: unknown) => {
            (answers[i] as { answer: string }).answer = errorLine(e);
            settle();
          },
        );
      });
    });
  }

  /**
   * A height that moves on while it is asked (the head, the final block). Each endpoint vouches that the chain
   * has reached its answer; the node takes the lowest of the first `quorum` answers, a height that many
   * endpoints vouch for. Fewer liars than the quorum cannot raise it above what an honest endpoint reported,
   * and a slow or dead endpoint does not hold the node up. Endpoints a block or two apart are normal, not a
   * disagreement: nothing is reported.
   */
  atLeast(read: string, ask: (client: PublicClient) => Promise<bigint>): Promise<bigint> {
    const [only] = this.endpoints;
    if (this.endpoints.length === 1 && only) return ask(only.client);
    return new Promise<bigint>((resolve, reject) => {
      const heights: bigint[] = [];
      const answers: { rpc: string; answer: string }[] = this.endpoints.map((e) => ({
        rpc: e.label,
        answer: 'no answer yet',
      }));
      let failed = 0;
      let decided = false;
      this.endpoints.forEach((endpoint, i) => {
        ask(endpoint.client).then(
          (height) => {
            (answers[i] as { answer: string }).answer = height.toString();
            if (decided) return;
            heights.push(height);
            if (heights.length === this.quorum) {
              decided = true;
              let lowest = height;
              for (const h of heights) if (h < lowest) lowest = h;
              resolve(lowest);
            }
          },
          (e: unknown) => {
            (answers[i] as { answer: string }).answer = errorLine(e);
            failed++;
            if (!decided && failed > this.endpoints.length - this.quorum) {
              decided = true;
              reject(this.refusal(read, answers));
            }
          },
        );
      });
    });
  }
}
