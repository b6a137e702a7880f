/**
 * Putting transactions into a block of a chosen time on the devnet's chains, for the deadline races of
 * PROTOCOL §7.3 (a result in a block whose time is the deadline is on time, one second later it is not):
 *
 * - anvil: automining off, the transactions wait in the pool, then one block is mined at the time asked
 *   (`evm_setNextBlockTimestamp`);
 * - chopsticks: every block adds exactly 12 s; blocks are built by hand (`Manual` mode), empty ones
 *   (`dev_newBlock`) up to 12 s before the time asked, then the one that holds the transactions;
 * - wasmd (one validator, real time): the next block's time is the validator's precommit time for the
 *   latest block, known as soon as that block is committed, so transactions sent then land in a block of
 *   a known time.
 */
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { decodeAddress } from '@polkadot/util-crypto';
import type { Address, PublicClient } from 'viem';

export type Outcome<T> = { ok: T; error?: undefined } | { ok?: undefined; error: Error };

const settle = <T>(p: Promise<T>): Promise<Outcome<T>> =>
  p.then(
    (ok) => ({ ok }),
    (error: Error) => ({ error }),
  );

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value other than undefined/false. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Runs `calls` (each from its own account in `from`) so that they are all mined in one block of time `time`. */
export async function inAnvilBlockAt<T>(
  client: PublicClient,
  time: bigint,
  calls: { from: Address; run: () => Promise<T> }[],
): Promise<Outcome<T>[]> {
  // biome-ignore lint/suspicious/noExplicitAny: anvil's own methods are not in viem's RPC schema
  const rpc = (method: string, params: unknown[] = []) => client.request({ method, params } as any);
  const latest = (await client.getBlock()).timestamp;
  if (latest >= time) throw new Error(`anvil is at ${latest}, past the block time ${time} asked for`);
  const count = (a: Address) => client.getTransactionCount({ address: a, blockTag: 'pending' });
  const before = await Promise.all(calls.map((c) => count(c.from)));
  await rpc('evm_setAutomine', [false]);
  let outcomes: Promise<Outcome<T>[]>;
  try {
    outcomes = Promise.all(calls.map((c) => settle(c.run())));
    await until('the transactions in the pool', async () => {
      const now = await Promise.all(calls.map((c) => count(c.from)));
      return now.every((n, i) => n > (before[i] as number));
    });
    await rpc('evm_setNextBlockTimestamp', [Number(time)]);
    await rpc('evm_mine');
  } finally {
    await rpc('evm_setAutomine', [true]);
  }
  return outcomes;
}

/** Mines one empty anvil block at `time` (moves the chain's clock there). */
export async function anvilBlockAt(client: PublicClient, time: bigint): Promise<void> {
  // biome-ignore lint/suspicious/noExplicitAny: anvil's own methods are not in viem's RPC schema
  const rpc = (method: string, params: unknown[] = []) => client.request({ method, params } as any);
  await rpc('evm_setNextBlockTimestamp', [Number(time)]);
  await rpc('evm_mine');
}

/** Raw JSON-RPC to chopsticks over the API's own connection (dev_* methods). */
export function chopsticksRpc(api: ApiPromise, method: string, params: unknown[] = []): Promise<unknown> {
  // biome-ignore lint/suspicious/noExplicitAny: the provider is not part of ApiPromise's public type
  return (api as any)._rpcCore.provider.send(method, params);
}

/** The chopsticks chain's time: unix seconds of its best block. */
export async function chopsticksTime(api: ApiPromise): Promise<bigint> {
  return (await api.query.timestamp.now()).toBigInt() / 1000n;
}

/** Builds empty blocks until the chain's time is at least `time` (12 s each). */
export async function chopsticksAdvanceTo(api: ApiPromise, time: bigint): Promise<void> {
  const now = await chopsticksTime(api);
  if (now >= time) return;
  const count = Number((time - now + 11n) / 12n);
  await chopsticksRpc(api, 'dev_newBlock', [{ count }]);
}

/**
 * Runs `calls` (each signed by one of `signers`, SS58) so that they are all in the one block of time
 * `time`: blocks are built by hand meanwhile, so no other transaction moves the clock.
 */
export async function inChopsticksBlockAt<T>(
  api: ApiPromise,
  time: bigint,
  calls: { signer: string; run: () => Promise<T> }[],
): Promise<Outcome<T>[]> {
  await chopsticksRpc(api, 'dev_setBlockBuildMode', ['Manual']);
  let outcomes: Promise<Outcome<T>[]>;
  try {
    const now = await chopsticksTime(api);
    if (time <= now || (time - now) % 12n !== 0n)
      throw new Error(`chopsticks is at ${now}: no block of it can have the time ${time}`);
    const empty = Number((time - now) / 12n) - 1;
    if (empty > 0) await chopsticksRpc(api, 'dev_newBlock', [{ count: empty }]);
    outcomes = Promise.all(calls.map((c) => settle(c.run())));
    await until('the extrinsics in the pool', async () => {
      const pending = await api.rpc.author.pendingExtrinsics();
      const key = (address: string) => u8aToHex(decodeAddress(address));
      const signers = new Set(pending.map((x) => key(x.signer.toString())));
      return calls.every((c) => signers.has(key(c.signer)));
    });
    await chopsticksRpc(api, 'dev_newBlock', [{ count: 1 }]);
    const at = await chopsticksTime(api);
    if (at !== time) throw new Error(`the block was built at ${at}, not ${time}`);
  } finally {
    await chopsticksRpc(api, 'dev_setBlockBuildMode', ['Instant']);
  }
  return outcomes;
}

const seconds = (iso: string) => BigInt(Math.floor(Date.parse(iso) / 1000));

/** The latest wasmd block's time and the next one's (the validator's precommit time of the latest). */
export async function wasmdClock(rpcUrl: string): Promise<{ height: number; time: bigint; next: bigint }> {
  const res = (await (await fetch(`${rpcUrl}/commit`)).json()) as {
    result: {
      signed_header: { header: { height: string; time: string }; commit: { signatures: { timestamp: string }[] } };
    };
  };
  const { header, commit } = res.result.signed_header;
  const next = commit.signatures.map((s) => s.timestamp).find((t) => t && !t.startsWith('0001')) ?? header.time;
  return { height: Number(header.height), time: seconds(header.time), next: seconds(next) };
}

/** Waits for the first wasmd block whose successor has the time `time`, then runs `calls` at once. */
export async function inWasmdBlockAt<T>(
  rpcUrl: string,
  time: bigint,
  calls: (() => Promise<T>)[],
): Promise<Outcome<T>[]> {
  for (;;) {
    const clock = await wasmdClock(rpcUrl);
    if (clock.next > time) throw new Error(`wasmd's next block is at ${clock.next}, past ${time}`);
    if (clock.next === time) break;
    await sleep(Number(time - clock.next) > 2 ? 500 : 15);
  }
  return Promise.all(calls.map((run) => settle(run())));
}

/** Waits until wasmd's latest block is later than `time`. */
export async function wasmdPast(rpcUrl: string, time: bigint): Promise<void> {
  await until(`wasmd past ${time}`, async () => (await wasmdClock(rpcUrl)).time > time, 120_000);
}
