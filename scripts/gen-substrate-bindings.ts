/**
 * Typed bindings of the dev runtime (contracts/substrate/runtime, with the bridge pallet), generated from its
 * metadata by @polkadot/typegen: the runtime's storage, calls, events, errors and constants augment @polkadot/api's
 * interfaces, and its types (the pallet's records and enums) are named in `types-lookup.ts`. So
 * `api.query.sahBridge.consumedWords(source, wordIndex)` is typed as the pallet declares it: a renamed storage item, call argument or
 * event field fails tsc, not an e2e run.
 *
 *   npm run gen:substrate-bindings                      (writes relayer/chains/substrate/interfaces/)
 *   tsx scripts/gen-substrate-bindings.ts --out DIR     (scripts/test.sh compares DIR with the committed files)
 *
 * The metadata is read from the committed runtime (contracts/substrate/artifacts/genesis.json holds its wasm) by
 * running it under chopsticks for a moment: `state_getMetadata`, nothing else.
 */
import { type ExecFileSyncOptions, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startChopsticks } from '../devnet/chopsticks.js';
import { SUBSTRATE_GENESIS } from '../devnet/substrateDevnet.js';
import { formatTs, generatedHeader, ROOT } from './formatGenerated.js';

const COMMITTED = 'relayer/chains/substrate/interfaces';
/** The module name the generated files use for themselves (see tsconfig.json `paths`: never resolved at run time). */
const PACKAGE = '@sah-bridge/substrate-interfaces';

/** The generated files that declare types (augmentations of @polkadot/api's interfaces, the runtime's types). */
const DECLARATIONS = /^(augment-api(-[a-z]+)?|augment-types|registry|types-lookup)\.ts$/;

const outFlag = process.argv.indexOf('--out');
const outDir = resolve(ROOT, outFlag >= 0 ? (process.argv[outFlag + 1] ?? '') : COMMITTED);

async function runtimeMetadata(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sah-typegen-'));
  const node = await startChopsticks({ genesisFile: join(ROOT, SUBSTRATE_GENESIS), dir });
  try {
    const res = await fetch(`http://127.0.0.1:${node.port}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'state_getMetadata', params: [] }),
    });
    const { result } = (await res.json()) as { result?: string };
    if (!result?.startsWith('0x')) throw new Error('chopsticks answered state_getMetadata without metadata');
    return result;
  } finally {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const work = mkdtempSync(join(tmpdir(), 'sah-typegen-out-'));
try {
  const endpoint = join(work, 'metadata.json');
  writeFileSync(endpoint, JSON.stringify({ jsonrpc: '2.0', id: 1, result: await runtimeMetadata() }));
  const interfaces = join(work, 'interfaces');
  mkdirSync(interfaces);
  // no hand-written type definitions: everything comes from the metadata's type registry
  writeFileSync(join(interfaces, 'definitions.ts'), 'export {};\n');
  const bin = (name: string) => join(ROOT, 'node_modules/.bin', name);
  // the CLIs import the .ts definitions they wrote (lookup.ts): through tsx
  const quiet: ExecFileSyncOptions = {
    cwd: work,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: `--import ${import.meta.resolve('tsx')}` },
  };
  // the typegen CLIs take paths relative to their working directory
  execFileSync(
    bin('polkadot-types-from-defs'),
    ['--package', PACKAGE, '--input', 'interfaces', '--endpoint', 'metadata.json'],
    quiet,
  );
  execFileSync(
    bin('polkadot-types-from-chain'),
    ['--package', PACKAGE, '--output', 'interfaces', '--endpoint', 'metadata.json', '--strict'],
    quiet,
  );
  rmSync(join(interfaces, 'definitions.ts'));

  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) if (f.endsWith('.ts')) rmSync(join(outDir, f));
  // the declarations only, as .d.ts: they type the code and are never emitted into dist/ (the generated .ts
  // would compile to modules importing @polkadot/api-base and friends, which production does not depend on);
  // lookup.ts (the type definitions as a runtime object), index.ts and types.ts are the generator's own input
  for (const f of readdirSync(interfaces)
    .filter((x) => DECLARATIONS.test(x))
    .sort()) {
    const source =
      generatedHeader('npm run gen:substrate-bindings', "the dev runtime's metadata (contracts/substrate/artifacts)") +
      readFileSync(join(interfaces, f), 'utf8');
    const out = f.replace(/\.ts$/, '.d.ts');
    writeFileSync(join(outDir, out), formatTs(join(COMMITTED, out), source));
  }
  console.log(`wrote ${outDir}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
