/**
 * Typed ABIs of the EVM contracts the TypeScript calls: reads forge's output (contracts/evm/out/<File>.sol/<Name>.json,
 * `npm run build:evm` first) and writes relayer/chains/evm/abi/<name>.ts with `export const <name>Abi = [...] as const`,
 * so viem infers every call's function names, arguments and results from the contract: a renamed function, event or
 * field fails tsc. Bytecode is a build output and stays in out/ (relayer/chains/evm/artifacts.ts loads it).
 *
 *   npm run gen:evm-bindings                            (forge build, then this)
 *   tsx scripts/gen-evm-bindings.ts [--out DIR]         (DIR: default relayer/chains/evm/abi)
 *
 * scripts/test.sh regenerates into a temporary directory and compares it with the committed files.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatTs, generatedHeader, ROOT } from './formatGenerated.js';

/** The contracts the TypeScript uses (deploys, calls or decodes): out/<file>.sol/<contract>.json -> abi/<name>.ts. */
const CONTRACTS = [
  { contract: 'Bridge', name: 'bridge' },
  { contract: 'AttestationRegistry', name: 'attestationRegistry' },
  { contract: 'JobBoard', name: 'jobBoard' },
  { contract: 'SAHToken', name: 'sahToken' },
  { contract: 'WrappedToken', name: 'wrappedToken' },
] as const;

const COMMITTED = 'relayer/chains/evm/abi';
const outFlag = process.argv.indexOf('--out');
const outDir = resolve(ROOT, outFlag >= 0 ? (process.argv[outFlag + 1] ?? '') : COMMITTED);

mkdirSync(outDir, { recursive: true });
// a contract dropped from the list leaves no stale file behind
for (const f of readdirSync(outDir)) if (f.endsWith('.ts')) rmSync(join(outDir, f));

for (const { contract, name } of CONTRACTS) {
  const artifact = `contracts/evm/out/${contract}.sol/${contract}.json`;
  let abi: unknown;
  try {
    abi = (JSON.parse(readFileSync(join(ROOT, artifact), 'utf8')) as { abi: unknown }).abi;
  } catch (e) {
    console.error(`${artifact}: ${(e as Error).message}; run \`npm run build:evm\` first`);
    process.exit(1);
  }
  if (!Array.isArray(abi)) throw new Error(`${artifact} has no abi array`);
  const source = [
    generatedHeader('npm run gen:evm-bindings', artifact),
    `/** The ABI of ${contract} (contracts/evm/src), typed for viem. */`,
    `export const ${name}Abi = ${JSON.stringify(abi)} as const;`,
    '',
  ].join('\n');
  writeFileSync(join(outDir, `${name}.ts`), formatTs(`${COMMITTED}/${name}.ts`, source));
}
console.log(`wrote ${CONTRACTS.length} ABIs to ${outDir}`);
