/**
 * Polkadot leg benchmark on the devnet (the dev runtime under chopsticks, wasmd, two anvil chains, 5 nodes,
 * t = 3):
 *  - weight and fee of `receive_message` that mints (the first one also creates the wrapped asset), of
 *    `receive_batch` per message, and of `lock_native` / `burn`, from the runtime's own payment info;
 *  - Ethereum -> Polkadot latency, one transfer at a time (p50, p99).
 * Writes the "polkadot" section of docs/BENCHMARKS.md.  Run: `npm run bench:polkadot`
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { type Hex, parseEther } from 'viem';
import { startDevnet } from '../devnet/devnet.js';
import type {} from '../relayer/chains/substrate/interfaces/augment-api.js';
import { loadDevnetConfig } from '../relayer/config/devnetConfig.js';
import { addressToBytes32 } from '../relayer/protocol/strings.js';
import { DevnetClient } from '../test/helpers/devnetClient.js';
import { SubstrateClient } from '../test/helpers/substrateClient.js';
import { writeBenchmarkSection } from './report.js';

const TRANSFERS = Number(process.env.BENCH_POLKADOT_TRANSFERS ?? 100);
const UNIT = 10n ** 12n;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

type Call = SubmittableExtrinsic<'promise'>;

async function main() {
  const devnet = await startDevnet(loadDevnetConfig('config/devnet.json'), {
    dir: mkdtempSync(join(tmpdir(), 'sah-bench-polkadot-')),
    freePorts: true,
  });
  const c = new DevnetClient(devnet.info);
  const dot = await SubstrateClient.connect(devnet.info);
  const dotChain = dot.chain.protocolChainId;
  const bob = dot.account('//Bob');
  const lines: string[] = [];
  const out = (s: string) => {
    console.log(s);
    lines.push(s);
  };
  /** Weight (ref time, proof size) and fee the runtime charges for the extrinsic that delivered a message. */
  const deliveryCost = async (id: Hex) => {
    let record: { deliveryTx?: Hex } | undefined;
    for (let i = 0; i < 100 && !record?.deliveryTx; i++) {
      record = (await c.nodeRecord(devnet.nodes[0]?.api as string, id)) as typeof record;
      if (!record?.deliveryTx) await new Promise((r) => setTimeout(r, 100));
    }
    const head = (await dot.api.rpc.chain.getHeader()).number.toNumber();
    for (let h = head; h > head - 50 && h > 0; h--) {
      const hash = await dot.api.rpc.chain.getBlockHash(h);
      const block = await dot.api.rpc.chain.getBlock(hash);
      const index = block.block.extrinsics.findIndex((e) => e.hash.toHex() === record?.deliveryTx);
      if (index < 0) continue;
      const events = await dot.api.query.system.events.at(hash);
      const mine = events
        .filter((e) => e.phase.isApplyExtrinsic && e.phase.asApplyExtrinsic.toNumber() === index)
        .map((e) => e.event);
      const { events: ev } = dot.api;
      const success = mine.find((e) => ev.system.ExtrinsicSuccess.is(e));
      const fee = mine.find((e) => ev.transactionPayment.TransactionFeePaid.is(e));
      const received = mine.filter((e) => ev.sahBridge.MessageReceived.is(e)).length;
      if (
        !success ||
        !ev.system.ExtrinsicSuccess.is(success) ||
        !fee ||
        !ev.transactionPayment.TransactionFeePaid.is(fee)
      )
        throw new Error(`delivery of ${id}: no success or fee event`);
      const weight = success.data.dispatchInfo.weight;
      return {
        refTime: weight.refTime.toBigInt(),
        proofSize: weight.proofSize.toBigInt(),
        fee: fee.data.actualFee.toBigInt(),
        messages: received,
      };
    }
    throw new Error(`delivery of ${id} not found`);
  };
  try {
    await c.approveAll();
    const latencies: number[] = [];
    const costs: Awaited<ReturnType<typeof deliveryCost>>[] = [];
    for (let i = 0; i < TRANSFERS; i++) {
      const { message } = await c.bridgeA.lock(c.user, c.sah, parseEther('1'), dotChain, bob.form);
      const locked = performance.now();
      await dot.waitConsumed([message.messageId], 60_000);
      latencies.push(performance.now() - locked);
      if (i < 6) costs.push(await deliveryCost(message.messageId));
    }
    latencies.sort((a, b) => a - b);
    const asset = (await dot.wrappedAsset(c.chainA.protocolChainId, addressToBytes32(c.sah))) as number;
    const info = async (tx: Call) => {
      const p = await tx.paymentInfo(bob.pair);
      return `${p.weight.refTime.toString()} ref time, ${p.weight.proofSize.toString()} proof; fee ${p.partialFee.toString()}`;
    };
    const bridge = dot.api.tx.sahBridge;
    const user = addressToBytes32(c.user.account.address);
    const lockInfo = await info(bridge.lockNative(UNIT, c.chainA.protocolChainId, user));
    const burnInfo = await info(bridge.burn(asset, parseEther('1'), c.chainA.protocolChainId, user));
    const [first, ...later] = costs;
    const single = later.filter((x) => x.messages === 1);
    const mean = (xs: bigint[]) => (xs.length ? Number(xs.reduce((s, x) => s + x, 0n)) / xs.length : 0);
    out('| Measure | Result | Target |');
    out('|---|---|---|');
    if (first)
      out(
        `| \`receive_message\` that mints, first transfer (creates the asset): weight charged, fee | ${first.refTime} ref time, ${first.proofSize} proof; fee ${first.fee} (${Number(first.fee) / 1e12} UNIT) | |`,
      );
    out(
      `| \`receive_message\` that mints into an existing asset (mean of ${single.length}) | ${mean(single.map((x) => x.refTime)).toFixed(0)} ref time, ${mean(single.map((x) => x.proofSize)).toFixed(0)} proof; fee ${mean(single.map((x) => x.fee)).toFixed(0)} | |`,
    );
    out(`| \`lock_native\` (payment info) | ${lockInfo} | |`);
    out(`| \`burn\` of a wrapped asset (payment info) | ${burnInfo} | |`);
    out(
      `| Ethereum -> Polkadot latency, p50 (${TRANSFERS} transfers, one at a time) | ${(percentile(latencies, 50) / 1000).toFixed(2)} s | |`,
    );
    out(`| Ethereum -> Polkadot latency, p99 | ${(percentile(latencies, 99) / 1000).toFixed(2)} s | |`);
    writeBenchmarkSection(
      'polkadot',
      `## Polkadot leg (\`npm run bench:polkadot\`)

Measured ${new Date().toISOString().slice(0, 10)} on the devnet: the dev runtime (contracts/substrate, polkadot-sdk
stable2512 crates) under chopsticks 1.5.1 building a block per transaction, wasmd, two anvil chains, 5 relayer
nodes (t = 3), all on this 2-core machine. Weights are the pallet's hand-computed upper bounds (reads, writes
and 1 ms for the signature check; not benchmarked on reference hardware); the fee is what the dev runtime
charged (\`TransactionFeePaid\`, or payment info for the outbound calls) under its placeholder fee schedule,
in planck of its 12-decimal UNIT: not a price anyone should quote. Latency runs from the lock's receipt on Ethereum
to \`Consumed\` holding the message id on Polkadot.

${lines.join('\n')}

Reading: chopsticks builds a block as soon as the delivery arrives, so the Polkadot leg costs about what an
EVM -> EVM transfer does; on a real chain, add the block time and GRANDPA finality of the source or
destination.
`,
    );
  } finally {
    await dot.disconnect();
    await devnet.stop();
  }
}

await main();
