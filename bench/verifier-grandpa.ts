/**
 * GRANDPA verifier benchmark (no chain needed): how fast verifier/grandpa checks
 *  - a justification of 199 signers out of 297 authorities (Polkadot's shape: threshold 297 - 98 = 199),
 *    signed synthetically with ed25519 keys from fixed seeds;
 *  - a storage read proof of `SahBridge::OutboundMessages(nonce)` in a state trie (layout V1) of
 *    10,000 entries, as `state_getReadProof` returns it.
 * Writes the "verifier-grandpa" section of docs/BENCHMARKS.md.  Run: `npx tsx bench/verifier-grandpa.ts`
 */
import { cpus } from 'node:os';
import { headerHash } from '../verifier/grandpa/header.js';
import { encodeJustification, verifyJustification } from '../verifier/grandpa/justification.js';
import { encodeU32 } from '../verifier/grandpa/scale.js';
import { outboundMessageKey, storagePrefix } from '../verifier/grandpa/storageKey.js';
import { makeHeader, makeVoters, setOf, signJustification } from '../verifier/grandpa/testing.js';
import { buildTrie, proveRead } from '../verifier/grandpa/trie/build.js';
import { verifyReadProof } from '../verifier/grandpa/trie/readProof.js';
import { rate } from './measure.js';
import { writeBenchmarkSection } from './report.js';

const AUTHORITIES = 297;
const SIGNERS = 199;
const STATE_ENTRIES = 10_000;

function main() {
  const voters = makeVoters(AUTHORITIES);
  const set = setOf(voters, 1234n);
  const target = makeHeader(new Uint8Array(32), 25_000_000);
  const block = { hash: headerHash(target), number: target.number };
  const justification = encodeJustification(
    signJustification({ setId: 1234n, round: 9n, target: block, signers: voters.slice(0, SIGNERS) }),
  );
  const j = rate(() => verifyJustification(justification, set, { block }), 5_000, 3);

  // A state of 10,000 entries: 5,000 outbound messages, the rest spread over other pallets' maps, some
  // values over the 33-byte V1 threshold so value nodes appear.
  const entries: [Uint8Array, Uint8Array][] = [];
  for (let i = 0; i < STATE_ENTRIES / 2; i++)
    entries.push([outboundMessageKey(BigInt(i)), new Uint8Array(32).fill(i & 0xff)]);
  for (let i = 0; i < STATE_ENTRIES / 2; i++)
    entries.push([
      Uint8Array.of(...storagePrefix(`Pallet${i % 16}`, 'Map'), ...encodeU32(i)),
      new Uint8Array(i % 3 === 0 ? 80 : 16).fill(i & 0xff),
    ]);
  const trie = buildTrie(entries, 1);
  const keys = Array.from({ length: 64 }, (_, i) => outboundMessageKey(BigInt((i * 77) % (STATE_ENTRIES / 2))));
  const proofs = keys.map((k) => proveRead(trie, [k]));
  const avgNodes = proofs.reduce((s, p) => s + p.length, 0) / proofs.length;
  const avgBytes = proofs.reduce((s, p) => s + p.reduce((t, n) => t + n.length, 0), 0) / proofs.length;
  let i = 0;
  const r = rate(
    () => {
      const k = i++ % keys.length;
      if (!verifyReadProof(trie.root, proofs[k] as Uint8Array[], keys[k] as Uint8Array)) throw new Error('absent');
    },
    3_000,
    3,
  );

  const lines = [
    '| Measure | Result |',
    '|---|---|',
    `| Justification, ${SIGNERS} of ${AUTHORITIES} signers (ed25519: OpenSSL, ZIP-215 fallback), verified per second | ${j.perSecond.toFixed(2)} /s (${(1000 / j.perSecond).toFixed(0)} ms each; ${j.runs} runs) |`,
    `| Read proof of \`OutboundMessages(nonce)\`, ${STATE_ENTRIES.toLocaleString('en')}-entry V1 state (${avgNodes.toFixed(1)} nodes, ${avgBytes.toFixed(0)} bytes on average), verified per second | ${r.perSecond.toFixed(0)} /s (${r.runs} runs) |`,
  ];
  for (const l of lines) console.log(l);
  writeBenchmarkSection(
    'verifier-grandpa',
    `## Verifier: GRANDPA (\`npm run bench:verifier\`)

Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx bench/verifier-grandpa.ts\` on this 2-core machine (one core used,
Node ${process.versions.node}, ${cpus()[0]?.model ?? 'unknown CPU'}); no chain involved. The justification is synthetic, in Polkadot's shape:
${AUTHORITIES} equal-weight authorities, ${SIGNERS} precommits (the threshold ${AUTHORITIES} - floor(${AUTHORITIES - 1} / 3)), every signature checked, as
\`GrandpaSourceVerifier\` does once per walked justification. The read proof is the minimal \`state_getReadProof\`
answer for one key, checked against the state root.

${lines.join('\n')}

Reading: signature checks are all of the justification cost (~${(1000 / j.perSecond / SIGNERS).toFixed(2)} ms per ed25519 verification through
OpenSSL); the verifier reuses the last proven block for every claim at or below it, so one justification per
finalized head serves any number of messages. A read proof is a few blake2 hashes and costs nothing by comparison.
`,
  );
}

main();
