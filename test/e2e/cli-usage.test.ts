/**
 * The `sah-bridge` command line as a user runs it (the compiled CLI in a child process, stdout and stderr
 * apart): every command's `--help` lists its options with their descriptions and defaults, every invocation
 * the README and docs/ show is one the CLI knows, a usage error is one line on stderr with exit code 2, and a
 * lock refused by the token on a real anvil chain is one line naming the contract's error, with no stack.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Abi, parseEther, toFunctionSelector } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANVIL_KEYS, type AnvilNode, startAnvil } from '../../devnet/anvil.js';
import { deployEvmBridge, type EvmDeployment } from '../../devnet/deployEvm.js';
import { exited, spawnCli } from '../../devnet/processes.js';
import { sahTokenAbi } from '../../relayer/chains/evm/abi/sahToken.js';
import { wrappedTokenAbi } from '../../relayer/chains/evm/abi/wrappedToken.js';
import { tokenErrorsAbi } from '../../relayer/chains/evm/tokenErrors.js';
import { ChainId } from '../../relayer/protocol/chains.js';
import { runDkgInProcess } from '../../relayer/protocol/frost.js';
import type { DevnetInfo } from '../../relayer/sdk/devnetInfo.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/relayer/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'sah-cli-usage-'));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The compiled CLI (what bin/sah-bridge runs), its two streams kept apart. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, SAH_DEBUG: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

/** Every command and subcommand, with the options its help must list (each with a description). */
const COMMANDS: Record<string, string[]> = {
  keygen: ['--config <file>', '--wallet <chain=file>'],
  dkg: ['--config <file>', '--epoch <N>', '--timeout <seconds>', '--port-offset <P>'],
  governance: [],
  'governance rotate': ['--config <file>', '--grace <seconds>'],
  'governance approve': ['--config <file>', '--message <0x..>'],
  node: [],
  'node start': ['--config <file>'],
  config: [],
  'config validate': [],
  transfer: [
    '--devnet <file>',
    '--from <chain>',
    '--to <chain>',
    '--amount <n>',
    '--asset <asset>',
    '--recipient <address>',
    '--key <0x..>',
    '--mnemonic <words>',
    '--uri <uri>',
    '--json',
  ],
  status: ['--api <url>', '--devnet <file>', '--follow'],
  attest: [
    '--on <chain>',
    '--data-hash <0x..>',
    '--data-uri <uri>',
    '--license <license>',
    '--to <chains>',
    '--revoke',
  ],
  job: [],
  'job post': ['--on <chain>', '--executor <chain>', '--amount <SAH>', '--spec-hash <0x..>', '--deadline <+s|unix>'],
  'job claim': ['--on <chain>', '--job <0x..>'],
  'job result': ['--on <chain>', '--job <0x..>', '--result-hash <0x..>', '--pay-to <0x..>'],
  'job expire': ['--on <chain>', '--job <0x..>'],
  'job cancel': ['--on <chain>', '--job <0x..>'],
  'job status': ['--job <0x..>', '--on <chain>'],
};
const FLOW = ['--devnet <file>', '--key <0x..>', '--mnemonic <words>', '--uri <uri>', '--no-wait', '--json'];
for (const name of ['attest', 'job post', 'job claim', 'job result', 'job expire', 'job cancel', 'job status'])
  COMMANDS[name]?.push(...FLOW);

const helps = new Map<string, string>();

beforeAll(async () => {
  // spawnCli runs `npm run build` first (once per test process, under the build lock): dist/ is current
  expect(await exited(spawnCli(['--help'], { log: join(dir, 'build.log') }), 120_000, 'sah-bridge --help')).toBe(0);
  for (const name of Object.keys(COMMANDS)) {
    const r = await cli([...name.split(' '), '--help']);
    expect(r, name).toMatchObject({ code: 0, stderr: '' });
    helps.set(name, r.stdout);
  }
}, 180_000);

describe('sah-bridge --help', () => {
  it('the overview lists every command, on stdout, exit 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^usage: sah-bridge \[options\] \[command\]/);
    for (const name of ['keygen', 'dkg', 'governance', 'node', 'config', 'transfer', 'status', 'attest', 'job'])
      expect(r.stdout).toMatch(new RegExp(`^  ${name}\\b.* {2,}\\S`, 'm'));
  });

  it('each command and subcommand has its own help listing its options with descriptions', () => {
    for (const [name, options] of Object.entries(COMMANDS)) {
      const help = helps.get(name) as string;
      expect(help, name).toMatch(new RegExp(`^usage: sah-bridge ${name} `));
      for (const flags of options) {
        // the option, then (after at least two spaces) its description
        const line = help.split('\n').find((l) => l.trimStart().startsWith(`${flags} `));
        expect(line, `${name}: ${flags}`).toMatch(/ {2,}\S/);
      }
    }
    expect(helps.get('governance')).toMatch(/^ {2}rotate .*\n {2}approve /m);
    expect(helps.get('job')).toMatch(
      /^ {2}post .*\n {2}claim .*\n {2}result .*\n {2}expire .*\n {2}cancel .*\n {2}status /m,
    );
    expect(helps.get('config validate')).toMatch(/arguments:\n {2}file +the node\.json or devnet\.json to check/);
  });

  it('shows defaults and which options are required', () => {
    const option = (name: string, flags: string) =>
      (helps.get(name) as string)
        .split(/\n(?= {2}-)/)
        .find((l) => l.trimStart().startsWith(`${flags} `))
        ?.replace(/\s+/g, ' ');
    expect(option('transfer', '--devnet <file>')).toMatch(/\(default: "\.devnet\/devnet\.json"\)$/);
    expect(option('transfer', '--asset <asset>')).toMatch(/\(default: "sah"\)$/);
    expect(option('transfer', '--amount <n>')).toMatch(/\(required\)$/);
    expect(option('transfer', '--recipient <address>')).not.toMatch(/\(required\)/);
    expect(option('dkg', '--epoch <N>')).toMatch(/\(required\)$/);
    expect(option('dkg', '--timeout <seconds>')).toMatch(/\(default: 120\)$/);
    expect(option('dkg', '--port-offset <P>')).toMatch(/\(default: 0\)$/);
    expect(option('governance rotate', '--grace <seconds>')).toMatch(/\(default: 86400\)$/);
    expect(option('job status', '--on <chain>')).not.toMatch(/\(required\)/);
  });

  it('every sah-bridge invocation in the README and docs/ names a command whose help lists its options', () => {
    const files = ['README.md', ...readdirSync(join(ROOT, 'docs')).map((f) => `docs/${f}`)].filter((f) =>
      f.endsWith('.md'),
    );
    const invocations: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      // shell lines (a trailing \ continues one), without their comments; and inline `sah-bridge ...` spans
      const lines = text.replace(/\\\n\s*/g, ' ').split('\n');
      for (const l of lines) {
        const shell = /^npx sah-bridge (.*)$/.exec(l.trim());
        if (shell) invocations.push((shell[1] as string).replace(/\s+#.*$/, ''));
      }
      for (const m of text.matchAll(/`(?:npx )?sah-bridge ([^`\n]+)`/g)) invocations.push(m[1] as string);
    }
    const checked: string[] = [];
    for (const inv of invocations) {
      const words = inv.split(/\s+/);
      const path = [2, 1].map((n) => words.slice(0, n).join(' ')).find((p) => p in COMMANDS || ['--help'].includes(p));
      if (!path) {
        // only a placeholder (`sah-bridge ...`, `sah-bridge <command> --help`) names no command
        expect(inv, 'an invocation of no known command').toMatch(/^(\.\.\.|<command>)/);
        continue;
      }
      if (path === '--help') continue;
      for (const flag of inv.match(/--[a-z][a-z-]*/g) ?? []) {
        if (flag === '--help') continue;
        expect(helps.get(path), `${inv}: ${flag}`).toMatch(new RegExp(`^ {2}${flag}\\b`, 'm'));
        checked.push(`${path} ${flag}`);
      }
    }
    // the README's transfer, attest and job examples, the operator guide's dkg, governance and node
    for (const seen of [
      'transfer --asset',
      'transfer --recipient',
      'attest --data-uri',
      'job post --spec-hash',
      'job result --pay-to',
      'job claim --mnemonic',
      'dkg --port-offset',
      'governance rotate --grace',
      'node start --config',
      'status --follow',
    ])
      expect(checked).toContain(seen);
  });
});

describe('usage errors: one line on stderr, exit code 2', () => {
  const usage: [string[], string][] = [
    [['transfer', '--bogus'], "error: UsageError: transfer: unknown option '--bogus'"],
    [
      ['transfer', '--from', 'a', '--to', 'b', '--amout', '1'],
      "error: UsageError: transfer: unknown option '--amout' (Did you mean --amount?)",
    ],
    [['--bogus'], "error: UsageError: unknown option '--bogus'"],
    [
      ['job', 'claim', '--on', 'wasmd', '--jobs', '0x00'],
      "error: UsageError: job claim: unknown option '--jobs' (Did you mean --job?)",
    ],
    [['transfer', '--from', 'a', '--to', 'b'], 'error: UsageError: transfer: --amount is required'],
    [['dkg', '--config', 'config/devnet.json'], 'error: UsageError: dkg: --epoch is required'],
    [['job', 'post', '--on', 'ethereum-a'], 'error: UsageError: job post: --executor is required'],
    [['keygen', '--config'], "error: UsageError: keygen: option '--config <file>' argument missing"],
    [['config', 'validate'], "error: UsageError: config validate: missing required argument 'file'"],
    [['tranfer'], "error: UsageError: unknown command 'tranfer' (Did you mean transfer?)"],
    [
      ['governance'],
      'error: UsageError: governance: a subcommand is needed: rotate, approve (sah-bridge governance --help)',
    ],
    [
      ['dkg', '--config', 'x', '--epoch', '1', '--timeout', 'soon'],
      "error: UsageError: dkg: option '--timeout <seconds>' argument 'soon' is invalid. must be an integer in 1..86400",
    ],
  ];
  for (const [args, line] of usage)
    it(`sah-bridge ${args.join(' ')}`, async () => {
      const r = await cli(args);
      expect(r).toEqual({ code: 2, stdout: '', stderr: `${line}\n` });
    });

  it('no command at all: the overview on stdout, one error line on stderr', async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^usage: sah-bridge \[options\] \[command\]\n[\s\S]*\n {2}transfer /);
    expect(r.stderr).toBe('error: UsageError: no command given\n');
  });
});

describe('a refused transfer on a real anvil chain', () => {
  const [deployerKey, userKey] = ANVIL_KEYS;
  const user = privateKeyToAccount(userKey);
  const devnetFile = join(dir, 'devnet.json');
  let anvil: AnvilNode;
  let deployment: EvmDeployment;

  beforeAll(async () => {
    anvil = await startAnvil({ chainId: 31_337 });
    deployment = await deployEvmBridge({
      rpcUrl: anvil.rpcUrl,
      evmChainId: anvil.chainId,
      protocolChainId: ChainId.DevEthereumA,
      groupKey: runDkgInProcess(2, 3).groupKey,
      deployerKey,
      sah: { holder: user.address, supply: parseEther('5') },
    });
    // the devnet description the user commands read: this chain, and a destination that is never contacted
    const info: DevnetInfo = {
      groupKey: '0x',
      epoch: 1,
      threshold: 2,
      chains: [
        {
          family: 'evm',
          name: 'ethereum-a',
          protocolChainId: ChainId.DevEthereumA,
          evmChainId: anvil.chainId,
          rpcUrl: anvil.rpcUrl,
          bridge: deployment.bridge.address,
          ...(deployment.sah ? { sah: deployment.sah } : {}),
        },
        {
          family: 'evm',
          name: 'ethereum-b',
          protocolChainId: ChainId.DevEthereumB,
          evmChainId: 31_338,
          rpcUrl: 'http://127.0.0.1:9',
          bridge: deployment.bridge.address,
        },
      ],
      nodes: [],
      redis: '',
      devAccounts: [{ name: 'user1', address: user.address, key: userKey }],
      cosmosDevAccounts: [],
      substrateDevAccounts: [],
    };
    writeFileSync(devnetFile, JSON.stringify(info));
  });

  afterAll(async () => {
    await anvil?.stop();
  });

  const transfer = (...extra: string[]) =>
    ['transfer', '--devnet', devnetFile, '--from', 'ethereum-a', '--to', 'ethereum-b', ...extra] as string[];

  it('a lock of more SAH than the sender holds: ERC20InsufficientBalance by name, one line, no stack', async () => {
    const r = await cli(transfer('--amount', '10'));
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: ERC20InsufficientBalance: ethereum-a refused the lock: sender ${user.address} has 5 SAH of the 10 SAH needed\n`,
    });
    expect(r.stderr).not.toMatch(/0xe450d38c|\n\s+at /);
  });

  it('SAH_DEBUG=1 adds the stack of the error and of the viem error it wraps', async () => {
    const r = await cli(transfer('--amount', '10'), { SAH_DEBUG: '1' });
    expect(r.code).toBe(2);
    const [first, ...rest] = r.stderr.split('\n');
    expect(first).toMatch(/^error: ERC20InsufficientBalance: ethereum-a refused the lock: sender /);
    expect(rest.join('\n')).toMatch(/\n\s+at /);
    expect(rest.join('\n')).toMatch(/caused by: ContractFunctionExecutionError: The contract function "lock" reverted/);
  });

  it("the Bridge's own errors by name: a lock to the zero address is InvalidRecipient", async () => {
    const r = await cli(transfer('--amount', '1', '--recipient', `0x${'00'.repeat(20)}`));
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: InvalidRecipient: ethereum-a refused the lock: 0x${'00'.repeat(32)} is not a recipient\n`,
    });
  });

  it('an RPC that cannot be reached: one line naming it', async () => {
    const r = await cli([
      'transfer',
      '--devnet',
      devnetFile,
      '--from',
      'ethereum-b',
      '--to',
      'ethereum-a',
      '--amount',
      '1',
    ]);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: HttpRequestError: HTTP request failed. fetch failed (http://127.0.0.1:9/)\n',
    });
  });

  it('a lock the sender can pay for goes through', async () => {
    const r = await cli(transfer('--amount', '2', '--json'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      action: 'lock',
      asset: 'SAH',
      from: 'ethereum-a',
      to: 'ethereum-b',
      amount: '2',
    });
    expect(await deployment.bridge.locked(deployment.sah as `0x${string}`)).toBe(parseEther('2'));
  });
});

it('the token errors the CLI decodes are exactly the ones SAHToken and WrappedToken declare', () => {
  const selectors = (abi: Abi) =>
    abi
      .filter((x): x is Extract<Abi[number], { type: 'error' }> => x.type === 'error')
      .map((e) => `${e.name} ${toFunctionSelector(`${e.name}(${e.inputs.map((i) => i.type).join(',')})`)}`)
      .sort();
  const compiled = [...new Set([...selectors([...sahTokenAbi]), ...selectors([...wrappedTokenAbi])])];
  expect(selectors([...tokenErrorsAbi])).toEqual(compiled.sort());
  expect(compiled).toContain('ERC20InsufficientBalance 0xe450d38c');
});
