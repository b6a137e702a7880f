/**
 * The SDK as a user installs it: `npm pack` of the workspace packages/sdk (its prepack builds dist/), the tarball
 * installed into a scratch project outside the repository, imported by its package name from a plain .mjs run
 * with node (and nothing but the entry point reachable: the exports map), a .ts consumer typechecked with tsc
 * against the package's .d.ts, and the README's example run on a real devnet (anvil, wasmd, Redis, five relayer
 * nodes): its transfer, attestation and job followed to their delivery by the relayers, then read on wasmd.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Devnet, startDevnet } from '../../devnet/devnet.js';
import { WASMD_DEV_ACCOUNTS } from '../../devnet/wasmd.js';
import { loadDevnetConfig, onlyFamilies } from '../../relayer/config/devnetConfig.js';
import { type FlowClient, parseAmount } from '../../relayer/sdk/flows.js';
import { flowClientFor } from '../../relayer/sdk/index.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGE = '@sah-bridge/sdk';
const dir = mkdtempSync(join(tmpdir(), 'sah-sdk-package-'));
const app = join(dir, 'app');
// plain node and npm, as a user has them: nothing from the repository's node_modules or its npm settings
const env = { ...process.env, NODE_PATH: '', NODE_OPTIONS: '' };

async function node(file: string, extraEnv: Record<string, string> = {}) {
  return run(process.execPath, [file], { cwd: app, env: { ...env, ...extraEnv }, timeout: 120_000 });
}

beforeAll(async () => {
  // the tarball a user would get: prepack builds dist/ from the repository's sources
  await run('npm', ['pack', '-w', PACKAGE, '--pack-destination', dir, '--loglevel=error'], {
    cwd: ROOT,
    env,
    timeout: 300_000,
  });
  const [tarball] = readdirSync(dir).filter((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball in ${dir}`);
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'sdk-user', private: true, type: 'module' }));
  await run(
    'npm',
    [
      'install',
      join(dir, tarball),
      '--prefer-offline',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
    ],
    { cwd: app, env, timeout: 600_000 },
  );
}, 900_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe(`${PACKAGE} from its tarball`, () => {
  it('holds its built entry point, declarations and README, and no test, bench or devnet code', () => {
    const installed = join(app, 'node_modules', '@sah-bridge', 'sdk');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(manifest.exports['.']).toEqual({
      types: './dist/relayer/sdk/index.d.ts',
      default: './dist/relayer/sdk/index.js',
    });
    const files = (readdirSync(installed, { recursive: true }) as string[]).map((f) => f.replaceAll('\\', '/'));
    expect(files).toContain('dist/relayer/sdk/index.js');
    expect(files).toContain('dist/relayer/sdk/index.d.ts');
    expect(files).toContain('README.md');
    expect(files.filter((f) => /^dist\/(test|bench|devnet|scripts)\/|\.test\.(js|d\.ts)$/.test(f))).toEqual([]);
    // the runtime dependencies, pinned as the repository pins them (@scure/base: as its overrides pin it for
    // @cosmjs/encoding, which npm applies to the root project only; see packages/sdk/README.md)
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const pinned = { ...root.dependencies, ...root.overrides['@cosmjs/encoding'] };
    for (const [name, version] of Object.entries(manifest.dependencies)) expect(pinned[name], name).toBe(version);
  });

  it('imports by its package name from a plain .mjs run with node; only the entry point is exported', async () => {
    writeFileSync(
      join(app, 'import.mjs'),
      `import * as sdk from '${PACKAGE}';
const names = ['transfer', 'flowClientFor', 'followMessages', 'readDevnetInfo', 'parseDevnetInfo', 'resolveAsset',
  'addressToBytes32', 'bytes32ToAddress', 'parseAmount', 'FlowCallError', 'InvalidRequestError', 'MessageNotDeliveredError'];
const missing = names.filter((n) => typeof sdk[n] !== 'function');
let deep = 'resolved';
try { await import('${PACKAGE}/dist/relayer/sdk/transfer.js'); } catch (e) { deep = e.code; }
console.log(JSON.stringify({ missing, deep, amount: String(sdk.parseAmount('2.5', 6)) }));
`,
    );
    const { stdout } = await node('import.mjs');
    expect(JSON.parse(stdout)).toEqual({ missing: [], deep: 'ERR_PACKAGE_PATH_NOT_EXPORTED', amount: '2500000' });
  });

  it("typechecks a TypeScript consumer against the package's .d.ts", async () => {
    writeFileSync(
      join(app, 'consumer.ts'),
      `import {
  type DevnetInfo,
  type FlowClient,
  flowClientFor,
  followMessages,
  InvalidRequestError,
  type ProgressEvent,
  readDevnetInfo,
  type Transfer,
  transfer,
} from '${PACKAGE}';

export async function main(file: string): Promise<ProgressEvent[]> {
  const info: DevnetInfo = readDevnetInfo(file);
  let t: Transfer;
  try {
    t = await transfer(info, { from: 'ethereum-a', to: 'wasmd', amount: '1' }, { key: '0x..' });
  } catch (e) {
    if (e instanceof InvalidRequestError) console.log(e.field, e.detail);
    throw e;
  }
  const id: \`0x\${string}\` = t.messageId;
  const nonce: bigint = t.nonce;
  const client: FlowClient = await flowClientFor(info, 'ethereum-a', { mnemonic: 'words' });
  const posted = await client.postJob({ specHash: id, executorChain: 10003, amount: nonce, deadline: 1n });
  await client.close();
  // @ts-expect-error a transfer needs an amount: the declarations are types, not any
  await transfer(info, { from: 'ethereum-a', to: 'wasmd' });
  // @ts-expect-error a message id is hex
  const notHex: typeof id = 'abc';
  return followMessages(info.nodes[0]?.api ?? notHex, [posted.jobId]);
}
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          exactOptionalPropertyTypes: true,
          noEmit: true,
          // the package's own declarations are checked too; the dependencies' are theirs
          skipLibCheck: false,
          types: [],
          typeRoots: [],
        },
        files: ['consumer.ts'],
      }),
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--listFilesOnly'], { cwd: app, env });
    // the consumer's program holds the package's declarations, resolved by name from node_modules
    expect(result.stdout).toMatch(/node_modules\/@sah-bridge\/sdk\/dist\/relayer\/sdk\/index\.d\.ts/);
    const check = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app, env }).then(
      () => ({ code: 0, out: '' }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );
    expect(check.out).toBe('');
    expect(check.code).toBe(0);
  });
});

describe("the README's example on the devnet: anvil, wasmd, Redis and 5 relayer nodes, t = 3", () => {
  let devnet: Devnet;
  let wasmd: FlowClient;

  beforeAll(async () => {
    devnet = await startDevnet(onlyFamilies(loadDevnetConfig(join(ROOT, 'config/devnet.json')), 'evm', 'cosmwasm'), {
      dir: join(dir, 'devnet'),
      freePorts: true,
    });
    // the dev account the example's transfer pays by default (the first one on wasmd)
    wasmd = await flowClientFor(devnet.info, 'wasmd');
  }, 300_000);

  afterAll(async () => {
    await wasmd?.close();
    await devnet?.stop();
  });

  it('transfers 10 SAH to wasmd, attests a data hash and posts a job; the relayers deliver each, wasmd holds them', async () => {
    const readme = readFileSync(join(ROOT, 'packages', 'sdk', 'README.md'), 'utf8');
    const example = /```js\n(\/\/ example\.mjs[\s\S]*?)```/.exec(readme)?.[1];
    expect(example, 'the README has an example.mjs block').toBeDefined();
    writeFileSync(join(app, 'example.mjs'), example as string);
    const before = await wasmd.sahBalance();

    const { stdout } = await node('example.mjs', { SAH_DEVNET: join(dir, 'devnet', 'devnet.json') });
    const dev0 = (WASMD_DEV_ACCOUNTS[0] as { address: string }).address;
    expect(stdout).toMatch(new RegExp(`^lock 10 SAH -> ${dev0}: tx 0x[0-9a-f]{64}$`, 'm'));
    const delivered = [...stdout.matchAll(/^(transfer|attest|job) (0x[0-9a-f]{64}): delivered/gm)].map((m) => m[1]);
    expect(delivered).toEqual(['transfer', 'attest', 'job']);

    // what the relayers delivered, read on wasmd: the wrapped SAH minted to the dev account, the attestation
    // with its owner on ethereum-a, the job open for an executor
    expect((await wasmd.sahBalance()) - before).toBe(parseAmount('10', 18));
    const attested = /^attest (0x[0-9a-f]{64}) by (did:pkh:eip155:31001:0x[0-9a-fA-F]{40}): tx /m.exec(stdout);
    expect(attested).not.toBeNull();
    const record = await wasmd.attestation(attested?.[1] as Hex);
    expect(record?.ownerDid).toBe(attested?.[2]);
    expect(record?.uri).toBe('ipfs://example');
    const jobId = /^job (0x[0-9a-f]{64}): tx 0x[0-9a-f]{64}$/m.exec(stdout)?.[1] as Hex;
    expect((await wasmd.job(jobId)).executor?.status).toBe('open');
  });
});
