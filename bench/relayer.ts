/**
 * Relayer network benchmark on the devnet (5 nodes, t = 3, two anvil chains with auto-mining):
 *  - latency: lock on A -> minted on B, one transfer at a time, 200 transfers (p50, p99);
 *  - throughput: 1,000 locks mined at once on A, until all 1,000 are delivered on B;
 *  - memory: RSS of each node process, sampled during the throughput run;
 *  - gas per message of the batched delivery.
 * Writes the "relayer" section of docs/BENCHMARKS.md.  Run: `npm run bench:relayer`
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFunctionData, getAbiItem, type Hex } from 'viem';
import { startDevnet } from '../devnet/devnet.js';
import { bridgeAbi } from '../relayer/chains/evm/abi/bridge.js';
import { loadDevnetConfig, onlyFamilies } from '../relayer/config/devnetConfig.js';
import { addressToBytes32 } from '../relayer/protocol/strings.js';
import { DevnetClient } from '../test/helpers/devnetClient.js';
import { writeBenchmarkSection } from './report.js';

const LATENCY_TRANSFERS = Number(process.env.BENCH_LATENCY_TRANSFERS ?? 200);
const THROUGHPUT_TRANSFERS = Number(process.env.BENCH_THROUGHPUT_TRANSFERS ?? 1000);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function rssMiB(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return Number(line?.match(/(\d+)/)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

async function main() {
  const config = onlyFamilies(loadDevnetConfig('config/devnet.json'), 'evm');
  const devnet = await startDevnet(config, { dir: mkdtempSync(join(tmpdir(), 'sah-bench-')), freePorts: true });
  const c = new DevnetClient(devnet.info);
  const lines: string[] = [];
  const out = (s: string) => {
    console.log(s);
    lines.push(s);
  };
  try {
    await c.approveAll();
    const recipient = '0x000000000000000000000000000000000000b0b0' as const;

    // ------------------------------------------------------------------ latency
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_TRANSFERS; i++) {
      const t0 = performance.now();
      const id = await c.lock(1n, recipient);
      const mined = performance.now();
      while (!(await c.isConsumed(c.bridgeB, id))) await new Promise((r) => setTimeout(r, 10));
      latencies.push(performance.now() - mined);
      if (i === 0)
        console.log(
          `first transfer: lock ${(mined - t0).toFixed(0)} ms, then ${(latencies[0] as number).toFixed(0)} ms to mint`,
        );
    }
    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);

    // ------------------------------------------------------------------ throughput
    const pub = c.a.publicClient;
    await pub.request({ method: 'evm_setAutomine' as never, params: [false] as never });
    const account = c.user.account;
    let nonce = await pub.getTransactionCount({ address: account.address, blockTag: 'pending' });
    const data = encodeFunctionData({
      abi: bridgeAbi,
      functionName: 'lock',
      args: [c.sah, 1n, c.chainB.protocolChainId, addressToBytes32(recipient)],
    });
    const hashes: Hex[] = [];
    for (let i = 0; i < THROUGHPUT_TRANSFERS; i++)
      hashes.push(
        await c.user.sendTransaction({ to: c.chainA.bridge, data, gas: 200_000n, nonce: nonce++, chain: c.user.chain }),
      );
    const rss: Record<number, number> = {};
    const sample = setInterval(() => {
      for (const n of devnet.nodes) rss[n.id] = Math.max(rss[n.id] ?? 0, rssMiB(n.process?.pid));
    }, 200);
    const supplyBefore = await c.supplyB();
    // mine everything that is queued: blocks fill up to the gas limit
    while (
      ((await pub.request({ method: 'txpool_status' as never, params: [] as never })) as { pending: string })
        .pending !== '0x0'
    )
      await pub.request({ method: 'evm_mine' as never, params: [] as never });
    await pub.request({ method: 'evm_setAutomine' as never, params: [true] as never });
    const minedAt = performance.now();
    const target = supplyBefore + BigInt(THROUGHPUT_TRANSFERS);
    while ((await c.supplyB()) < target) {
      if (performance.now() - minedAt > 600_000) throw new Error('throughput run did not finish in 10 minutes');
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - minedAt) / 1000;
    clearInterval(sample);

    // ------------------------------------------------------------------ gas per delivered message
    const logs = await c.b.publicClient.getLogs({
      address: c.chainB.bridge,
      event: getAbiItem({ abi: bridgeAbi, name: 'MessageReceived' }),
      fromBlock: 0n,
    });
    const byTx = new Map<Hex, number>();
    for (const l of logs) byTx.set(l.transactionHash as Hex, (byTx.get(l.transactionHash as Hex) ?? 0) + 1);
    let gas = 0n;
    let msgs = 0;
    let batches = 0;
    for (const [tx, count] of byTx) {
      if (count < 2) continue;
      gas += (await c.b.publicClient.getTransactionReceipt({ hash: tx })).gasUsed;
      msgs += count;
      batches++;
    }

    out(`| Measure | Result | Target |`);
    out(`|---|---|---|`);
    out(
      `| Lock -> mint latency, p50 (${LATENCY_TRANSFERS} transfers, one at a time) | ${(p50 / 1000).toFixed(2)} s | <= 1.5 s |`,
    );
    out(`| Lock -> mint latency, p99 | ${(p99 / 1000).toFixed(2)} s | <= 3 s |`);
    out(
      `| Throughput, ${THROUGHPUT_TRANSFERS} locks mined at once until all minted on B | ${(THROUGHPUT_TRANSFERS / seconds).toFixed(0)} msg/s (${seconds.toFixed(1)} s) | >= 100 msg/s |`,
    );
    out(
      `| Node RSS during the throughput run (max per node) | ${Object.values(rss)
        .map((v) => `${v.toFixed(0)}`)
        .join(' / ')} MiB | |`,
    );
    out(
      `| Batched delivery (\`receiveBatch\`), gas per message | ${msgs ? (Number(gas) / msgs).toFixed(0) : 'n/a'} gas (${batches} batches, ${msgs} messages, ${(msgs / Math.max(batches, 1)).toFixed(1)} per batch) | |`,
    );
    writeBenchmarkSection(
      'relayer',
      `## Relayer network (\`npm run bench:relayer\`)

Measured ${new Date().toISOString().slice(0, 10)} on the devnet: 5 \`sah-bridge node\` processes (t = 3) with keys
from the networked DKG, one Redis (a database per node, AOF on), two anvil chains with auto-mining, all on
this 2-core machine. Latency runs from the lock's receipt on A to the message being consumed on B. For
throughput, ${THROUGHPUT_TRANSFERS} lock transactions are queued on A with mining paused, then mined in as few
blocks as the gas limit allows; the clock runs from the last of those blocks to the last mint on B. Messages
with consecutive nonces share a coordinator, which signs up to 64 of them under one FROST signature (a Merkle
root) and delivers them in one \`receiveBatch\` transaction.

${lines.join('\n')}

Reading: throughput is CPU-bound here: five nodes, anvil and Redis share two cores, and every node
proves every message with its own verifier (that is the security model), so the machine does each
proof five times; in production each operator runs on its own machine. This run ${THROUGHPUT_TRANSFERS / seconds >= 100 ? 'meets' : 'does NOT meet'} the
100 msg/s target. What moved throughput most: a verify job carries all messages one watch range found for a destination (up to 64), with pipelined Redis
writes and JSON-RPC batched reads, instead of one job per message. Runs vary by ~30% on this shared VM.
`,
    );
  } finally {
    await devnet.stop();
  }
}

await main();
