import type { PublicClient } from 'viem';
import { describe, expect, it } from 'vitest';
import { type RpcDisagreement, RpcQuorumError } from '../adapter.js';
import { type RpcEndpoint, RpcQuorum, RpcQuorumConfigError } from './quorum.js';

/** An endpoint whose answer to every read is given by the test: a value after a delay, an error, or never. */
type Script<T> = { value: T; afterMs?: number } | { error: string; afterMs?: number } | 'never';

function endpoints(n: number): RpcEndpoint[] {
  // the reads below never touch the client: each endpoint is told apart by its label
  return Array.from({ length: n }, (_, i) => ({ label: `rpcUrls[${i}] host${i}`, client: { i } as never }));
}

function scripted<T>(scripts: Script<T>[]): (client: PublicClient) => Promise<T> {
  return (client) => {
    const s = scripts[(client as unknown as { i: number }).i] as Script<T>;
    if (s === 'never') return new Promise<T>(() => {});
    return new Promise<T>((resolve, reject) =>
      setTimeout(() => ('error' in s ? reject(new Error(s.error)) : resolve(s.value)), s.afterMs ?? 0),
    );
  };
}

function quorumOf(n: number, q: number) {
  const quorum = new RpcQuorum('ethereum-a', endpoints(n), q);
  const reports: RpcDisagreement[] = [];
  quorum.onDisagreement((d) => reports.push(d));
  return { quorum, reports };
}

const same = (v: string) => v;
const settle = () => new Promise((r) => setTimeout(r, 30));

describe('RPC quorum reads', () => {
  it('2 of 3: the answer two endpoints give is taken; the one that dropped events is reported, named by host', async () => {
    const { quorum, reports } = quorumOf(3, 2);
    const logs = await quorum.agree(
      'logs',
      scripted([{ value: 'no logs' }, { value: '3 logs', afterMs: 5 }, { value: '3 logs', afterMs: 10 }]),
      same,
      same,
    );
    expect(logs).toBe('3 logs');
    await settle();
    expect(reports).toEqual([
      {
        chain: 'ethereum-a',
        read: 'logs',
        quorum: 2,
        accepted: '3 logs',
        answers: [
          { rpc: 'rpcUrls[0] host0', answer: 'no logs' },
          { rpc: 'rpcUrls[1] host1', answer: '3 logs' },
          { rpc: 'rpcUrls[2] host2', answer: '3 logs' },
        ],
      },
    ]);
  });

  it('2 of 3: three different answers are refused (RpcQuorumError naming each), never settled by picking one', async () => {
    const { quorum, reports } = quorumOf(3, 2);
    const e = await quorum
      .agree('nonce', scripted([{ value: '10' }, { value: '13' }, { error: 'header not found' }]), same, same)
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RpcQuorumError);
    expect((e as RpcQuorumError).message).toMatch(/no 2 RPC endpoints agreed on nonce/);
    expect((e as RpcQuorumError).answers.map((a) => a.answer)).toEqual(['10', '13', 'error: header not found']);
    await settle();
    expect(reports).toHaveLength(1);
    expect(reports[0]?.accepted).toBeUndefined();
  });

  it('2 of 3: an endpoint that never answers does not hold up a quorum; one that fails is not a disagreement', async () => {
    const hung = quorumOf(3, 2);
    expect(await hung.quorum.agree('logs', scripted([{ value: 'a' }, 'never', { value: 'a' }]), same, same)).toBe('a');
    const failing = quorumOf(3, 2);
    expect(
      await failing.quorum.agree('logs', scripted([{ error: 'timeout' }, { value: 'a' }, { value: 'a' }]), same, same),
    ).toBe('a');
    await settle();
    expect(failing.reports).toEqual([]);
  });

  it('a quorum of at most half waits until no second quorum can form, and refuses a split', async () => {
    // 1 of 3: every endpoint must have answered, and all alike
    const one = quorumOf(3, 1);
    expect(
      await one.quorum.agree('x', scripted([{ value: 'a' }, { value: 'a' }, { value: 'a', afterMs: 20 }]), same, same),
    ).toBe('a');
    await expect(
      quorumOf(3, 1).quorum.agree(
        'x',
        scripted([{ value: 'a' }, { value: 'a' }, { value: 'b', afterMs: 20 }]),
        same,
        same,
      ),
    ).rejects.toBeInstanceOf(RpcQuorumError);
    // 2 of 4: two and two
    await expect(
      quorumOf(4, 2).quorum.agree(
        'x',
        scripted([{ value: 'a' }, { value: 'b' }, { value: 'a' }, { value: 'b' }]),
        same,
        same,
      ),
    ).rejects.toBeInstanceOf(RpcQuorumError);
  });

  it('heights: the lowest of the first quorum answers, so a minority cannot claim a later final block', async () => {
    const { quorum } = quorumOf(3, 2);
    // the liar answers first with a far future block; the honest endpoints follow
    const h = await quorum.atLeast(
      'final height',
      scripted([{ value: 10_000n }, { value: 120n, afterMs: 5 }, { value: 121n, afterMs: 40 }]),
    );
    expect(h).toBe(120n);
    // one endpoint hung: two answers suffice
    expect(await quorum.atLeast('final height', scripted(['never', { value: 7n }, { value: 8n }]))).toBe(7n);
    // two of three failing: no quorum
    await expect(
      quorum.atLeast('final height', scripted([{ error: 'down' }, { value: 7n }, { error: 'down' }])),
    ).rejects.toBeInstanceOf(RpcQuorumError);
  });

  it('one endpoint is asked directly; a quorum outside 1..count is refused', async () => {
    expect(await quorumOf(1, 1).quorum.agree('x', scripted([{ value: 'a' }]), same, same)).toBe('a');
    expect(() => new RpcQuorum('c', endpoints(3), 0)).toThrow(RpcQuorumConfigError);
    expect(() => new RpcQuorum('c', endpoints(3), 4)).toThrow(RpcQuorumConfigError);
  });
});
