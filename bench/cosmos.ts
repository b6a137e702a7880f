/**
 * Cosmos leg benchmark on the devnet (wasmd with ~300 ms blocks, two anvil chains, 5 nodes, t = 3):
 *  - SDK gas on the real chain of lock, burn (cw20 Send to the bridge) and receive_message that mints
 *    (the first one also instantiates the wrapped cw20), and of receive_batch per message;
 *  - Ethereum -> Cosmos latency, one transfer at a time (p50, p99), and Cosmos -> Ethereum for comparison.
 * Writes the "cosmos" section of docs/BENCHMARKS.md.  Run: `npm run bench:cosmos`
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFunctionData, getAbiItem, type Hex, parseEther } from 'viem';
import { startDevnet } from '../devnet/devnet.js';
import { bridgeAbi } from '../relayer/chains/evm/abi/bridge.js';
import { loadDevnetConfig } from '../relayer/config/devnetConfig.js';
import { addressToBytes32 } from '../relayer/protocol/strings.js';
import { CosmosClient } from '../test/helpers/cosmosClient.js';
import { DevnetClient } from '../test/helpers/devnetClient.js';
import { rememberMessage } from '../test/helpers/messageRefs.js';
import { writeBenchmarkSection } from './report.js';

const TRANSFERS = Number(process.env.BENCH_COSMOS_TRANSFERS ?? 100);
const MESSAGE_SENT = getAbiItem({ abi: bridgeAbi, name: 'MessageSent' });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function main() {
  const devnet = await startDevnet(loadDevnetConfig('config/devnet.json'), {
    dir: mkdtempSync(join(tmpdir(), 'sah-bench-cosmos-')),
    freePorts: true,
  });
  const c = new DevnetClient(devnet.info);
  const cosmos = await CosmosClient.connect(devnet.info);
  const cosmosChain = cosmos.chain.protocolChainId;
  const dev1 = cosmos.account('dev1');
  const lines: string[] = [];
  const out = (s: string) => {
    console.log(s);
    lines.push(s);
  };
  /** The transaction on the Cosmos chain that delivered a message, found by its event (not by any node's records). */
  const deliveryGas = async (id: Hex): Promise<{ tx: string; gas: bigint; messages: number }> => {
    for (let i = 0; i < 100; i++) {
      const [tx] = await cosmos.query.searchTx(`wasm-sah_message_received.message_id='${id}'`);
      if (tx) {
        const received = tx.events.filter((e) => e.type === 'wasm-sah_message_received').length;
        return { tx: tx.hash, gas: tx.gasUsed, messages: received };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no delivery transaction found for ${id}`);
  };
  try {
    await c.approveAll();
    const lockTo = async (amount: bigint) => {
      const { message } = await c.bridgeA.lock(c.user, c.sah, amount, cosmosChain, dev1.form);
      return rememberMessage(message.messageId, message.message).id;
    };

    // ------------------------------------------------------------------ latency Ethereum -> Cosmos
    const latencies: number[] = [];
    const mintGas: bigint[] = [];
    let firstMint: bigint | undefined;
    for (let i = 0; i < TRANSFERS; i++) {
      const id = await lockTo(parseEther('1'));
      const locked = performance.now();
      await cosmos.waitConsumed([id], 60_000);
      latencies.push(performance.now() - locked);
      if (i < 6) {
        const { gas, messages } = await deliveryGas(id);
        if (messages === 1) {
          if (i === 0) firstMint = gas;
          else mintGas.push(gas);
        }
      }
    }
    latencies.sort((a, b) => a - b);

    // ------------------------------------------------------------------ lock / burn gas, Cosmos -> Ethereum latency
    const token = (await cosmos.wrappedToken(c.chainA.protocolChainId, addressToBytes32(c.sah))) as string;
    const user = addressToBytes32(c.user.account.address);
    const back: number[] = [];
    for (let i = 0; i < Math.min(20, TRANSFERS); i++) {
      const hash = await cosmos.burnSync('dev1', token, parseEther('1'), c.chainA.protocolChainId, user);
      // from the mempool taking the burn to the message consumed on Ethereum
      const sent = performance.now();
      let tx = await cosmos.query.getTx(hash);
      while (!tx) {
        await new Promise((r) => setTimeout(r, 20));
        tx = await cosmos.query.getTx(hash);
      }
      const id = tx.events
        .find((e) => e.type === 'wasm-sah_message_sent')
        ?.attributes.find((a) => a.key === 'message_id')?.value as Hex;
      await c.waitDelivered(c.bridgeA, [id], 60_000);
      back.push(performance.now() - sent);
    }
    back.sort((a, b) => a - b);
    const lockRes = await cosmos.lockTx('dev0', 1_000_000n, c.chainA.protocolChainId, user);
    const burnRes = await cosmos.burnTx('dev1', token, parseEther('1'), c.chainA.protocolChainId, user);

    // ------------------------------------------------------------------ batch delivery gas
    const pub = c.a.publicClient;
    await pub.request({ method: 'evm_setAutomine' as never, params: [false] as never });
    let nonce = await pub.getTransactionCount({ address: c.user.account.address, blockTag: 'pending' });
    const data = encodeFunctionData({
      abi: bridgeAbi,
      functionName: 'lock',
      args: [c.sah, parseEther('1'), cosmosChain, dev1.form],
    });
    for (let i = 0; i < 20; i++)
      await c.user.sendTransaction({ to: c.chainA.bridge, data, gas: 300_000n, nonce: nonce++, chain: c.user.chain });
    const from = (await pub.getBlockNumber()) + 1n;
    await pub.request({ method: 'evm_mine' as never, params: [] as never });
    await pub.request({ method: 'evm_setAutomine' as never, params: [true] as never });
    const sent = await pub.getLogs({ address: c.chainA.bridge, event: MESSAGE_SENT, fromBlock: from });
    const burst = sent.map((l) => l.args.messageId as Hex);
    await cosmos.waitConsumed(burst, 60_000);
    const batches = new Map<string, { gas: bigint; messages: number }>();
    for (const id of burst) {
      const d = await deliveryGas(id);
      batches.set(d.tx, d);
    }
    const batchGas = [...batches.values()].filter((b) => b.messages > 1);
    const perMessage = batchGas.length
      ? Number(batchGas.reduce((s, b) => s + b.gas, 0n)) / batchGas.reduce((s, b) => s + b.messages, 0)
      : undefined;

    const avg = (xs: bigint[]) => (xs.length ? Number(xs.reduce((s, x) => s + x, 0n)) / xs.length : 0);
    out('| Measure | Result | Target |');
    out('|---|---|---|');
    out(
      `| \`receive_message\` that mints, first transfer of a token (instantiates its cw20) | ${firstMint ?? 'n/a'} gas | |`,
    );
    out(
      `| \`receive_message\` that mints into an existing cw20 (mean of ${mintGas.length}) | ${avg(mintGas).toFixed(0)} gas | |`,
    );
    out(
      `| \`receive_batch\`, gas per message | ${perMessage ? `${perMessage.toFixed(0)} gas (${batchGas.length} batch(es), ${batchGas.reduce((s, b) => s + b.messages, 0)} messages)` : 'n/a (no batch formed)'} | |`,
    );
    out(`| \`lock\` (1 stake, native bank coin) | ${lockRes.gasUsed} gas | |`);
    out(`| \`burn\` (cw20 Send of wrapped SAH to the bridge) | ${burnRes.gasUsed} gas | |`);
    out(
      `| Ethereum -> Cosmos latency, p50 (${TRANSFERS} transfers, one at a time) | ${(percentile(latencies, 50) / 1000).toFixed(2)} s | |`,
    );
    out(`| Ethereum -> Cosmos latency, p99 | ${(percentile(latencies, 99) / 1000).toFixed(2)} s | |`);
    out(
      `| Cosmos -> Ethereum latency, p50 / p99 (${back.length} transfers) | ${(percentile(back, 50) / 1000).toFixed(2)} / ${(percentile(back, 99) / 1000).toFixed(2)} s | |`,
    );
    writeBenchmarkSection(
      'cosmos',
      `## Cosmos leg (\`npm run bench:cosmos\`)

Measured ${new Date().toISOString().slice(0, 10)} on the devnet: wasmd v0.61 (CometBFT 0.38, ~300 ms blocks, minimum gas
price 0.025stake) with the CosmWasm bridge and cw20-base wrapped tokens, two anvil chains, 5 relayer nodes
(t = 3), all on this 2-core machine. Gas is the SDK's \`gas_used\` of the real transactions (the relayer pays
1.4 x the simulated amount). Latency runs from the lock's receipt on Ethereum to \`is_consumed\` on the Cosmos
bridge, and from a burn's acceptance into the Cosmos mempool to \`consumed\` on Ethereum.

${lines.join('\n')}

Reading: Ethereum -> Cosmos adds about one Cosmos block (~300 ms) to the EVM -> EVM path: the delivery waits
for the next block to include it. Cosmos -> Ethereum waits for the burn's block, then the relayers see it at
once (CometBFT commits are final) and anvil mines the delivery instantly. The first transfer of a token pays
for instantiating its cw20; a batch spreads the signature check and the transaction overhead over its messages.
`,
    );
  } finally {
    cosmos.disconnect();
    await devnet.stop();
  }
}

await main();
