/** Child processes of the sah-bridge CLI, as the devnet and the tests run them. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
// the compiled CLI, as bin/sah-bridge runs it: the tests and the devnet exercise what operators run
const CLI = fileURLToPath(new URL('../dist/relayer/cli/main.js', import.meta.url));
const BUILD_LOCK = fileURLToPath(new URL('../dist/.build.lock', import.meta.url));

let built = false;

/**
 * `npm run build` once per process, so an edit to relayer/ or verifier/ reaches the CLI without a manual
 * step (tsc -b answers in ~0.2 s when dist/ is up to date). Under a lock: vitest runs test files in
 * parallel processes, and one must not start the CLI while another is rewriting dist/.
 */
function ensureBuilt(): void {
  if (built) return;
  mkdirSync(dirname(BUILD_LOCK), { recursive: true });
  execFileSync('flock', [BUILD_LOCK, 'npm', 'run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  built = true;
}

export function spawnCli(args: string[], opts: { env?: Record<string, string>; log: string }): ChildProcess {
  ensureBuilt();
  mkdirSync(dirname(opts.log), { recursive: true });
  const out = createWriteStream(opts.log, { flags: 'a' });
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  return child;
}

export function exited(child: ChildProcess, timeoutMs: number, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}

export async function stopProcess(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await done;
  clearTimeout(timer);
}
