#!/usr/bin/env bash
# The production install, checked (part of `npm test`; alone: `npm run check:prod`):
# 1. dist/ (the compiled CLI and node) imports only packages listed in `dependencies`, contains no test, bench
#    or devnet code, and the operator commands (keygen, dkg, governance, node start, config validate, status)
#    do not load the devnet description reader (relayer/sdk/devnetInfo, devnet, transfer, index) when they start;
# 2. in a temporary directory, package.json + package-lock.json + bin/ + dist/ + the contract ABIs, installed
#    with `npm ci --omit=dev --ignore-scripts`: `sah-bridge --help` and `sah-bridge config validate` work with
#    plain node and production packages only, every compiled module loads, and `--help` answers in < 0.5 s.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[check-prod] %s\n' "$*"; }
fail() {
  printf '[check-prod] FAIL: %s\n' "$*" >&2
  exit 1
}

npm run --silent build
# the ABIs the node calls are compiled in (relayer/chains/evm/abi); deploys read the bytecode, and relayer/sdk
# the module ABIs, from forge's output at run time
[ -f contracts/evm/out/Bridge.sol/Bridge.json ] || fail "contracts/evm/out is not built: run \`npm run build:evm\`"

log "dist/: imports (static analysis of the emitted JavaScript)"
node --input-type=module - <<'EOF'
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const dist = resolve('dist');
const deps = new Set(Object.keys(JSON.parse(readFileSync('package.json', 'utf8')).dependencies ?? {}));
const builtins = new Set(builtinModules);
const problems = [];

// every .js under dist/ (not through the link to contracts/evm/out)
const walk = (d) =>
  readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(d, e.name)) : e.isFile() && e.name.endsWith('.js') ? [join(d, e.name)] : [],
  );
const files = walk(dist);
const rel = (f) => relative(dist, f);

// tsc -b never deletes what an earlier build emitted: a module whose source was moved or deleted (such as
// relayer/devnet/, now devnet/) would still ship, and be loaded below
for (const f of files) {
  const source = rel(f).replace(/\.js$/, '.ts');
  if (!existsSync(source))
    problems.push(`${rel(f)}: no ${source}, left from an earlier build (rm -rf dist; npm run build)`);
}

// tsc compiles whatever production code imports: test or devnet code here means production code imports it
// (biome.json's noRestrictedImports refuses such an import in the sources; this checks what was emitted)
for (const f of files)
  if (/^(test|bench|scripts|devnet)\/|\.test\.js$|\/testdata\/|\/testing\/|\/testing\.js$/.test(rel(f)))
    problems.push(`${rel(f)}: test, bench or devnet code in the production build`);

/** Static (import/export ... from) and lazy (import()) module specifiers of one emitted file. */
function importsOf(file) {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const found = { static: [], lazy: [] };
  const visit = (n) => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier))
      found.static.push(n.moduleSpecifier.text);
    else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = n.arguments;
      if (arg && ts.isStringLiteralLike(arg)) found.lazy.push(arg.text);
      else problems.push(`${rel(file)}: import() of a computed specifier, which this check cannot follow`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

const graph = new Map(); // file -> { static: [files], lazy: [files] }
for (const f of files) {
  const { static: s, lazy: l } = importsOf(f);
  const edges = { static: [], lazy: [] };
  for (const [kind, specs] of [['static', s], ['lazy', l]])
    for (const spec of specs) {
      if (spec.startsWith('.')) {
        const target = resolve(dirname(f), spec);
        if (!existsSync(target)) problems.push(`${rel(f)}: ${spec} is not in dist/`);
        else edges[kind].push(target);
      } else if (!spec.startsWith('node:') && !builtins.has(spec)) {
        const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        // a dev dependency often resolves anyway (hoisted by another package): only `dependencies` is promised
        if (!deps.has(pkg)) problems.push(`${rel(f)}: imports ${spec}, not a production dependency`);
      }
    }
  graph.set(f, edges);
}

// The devnet description (.devnet/devnet.json) is read by the user commands (transfer, attest, job, and status
// without --api) through these production modules; an operator command has no use for them at start.
const devnetFacing = new Set([
  'relayer/sdk/devnetInfo.js',
  'relayer/sdk/devnet.js',
  'relayer/sdk/transfer.js',
  'relayer/sdk/index.js',
]);
const isDevnetFacing = (f) => devnetFacing.has(rel(f));
// what each operator command loads when it starts: main.js, the command module, their static imports
const main = join(dist, 'relayer/cli/main.js');
const lazyDevnet = new Set();
for (const cmd of ['keygen', 'dkg', 'governance', 'nodeStart', 'configValidate', 'status']) {
  const start = join(dist, `relayer/cli/commands/${cmd}.js`);
  const via = new Map([[main, null], [start, null]]);
  const queue = [main, start];
  while (queue.length) {
    const f = queue.shift();
    for (const t of graph.get(f)?.static ?? [])
      if (!via.has(t)) {
        via.set(t, f);
        queue.push(t);
      }
    for (const t of graph.get(f)?.lazy ?? [])
      if (isDevnetFacing(t) && f !== main) lazyDevnet.add(`${rel(f)} -> ${rel(t)}`);
  }
  for (const f of via.keys())
    if (isDevnetFacing(f)) {
      const chain = [];
      for (let x = f; x; x = via.get(x)) chain.unshift(rel(x));
      problems.push(`${cmd}: loads the devnet description reader at start: ${chain.join(' -> ')}`);
    }
}
for (const l of lazyDevnet) console.log(`  lazy import of the devnet description reader from an operator command: ${l}`);
if (problems.length) {
  for (const p of problems) console.error(`[check-prod] ${p}`);
  process.exit(1);
}
console.log(`  ${files.length} modules; every package import is a production dependency; no test, bench or devnet code; operator commands load no devnet description reader at start`);
EOF

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp package.json package-lock.json "$tmp/"
cp -R bin "$tmp/"
cp -a dist "$tmp/" # keeps dist/contracts/evm/out -> ../../../contracts/evm/out
rm -f "$tmp/dist/.tsbuildinfo" "$tmp/dist/.build.lock" "$tmp/dist/biome.json"
# the run-time files: the ABIs of the project's contracts (not forge-std's and the tests'), a config to validate
mkdir -p "$tmp/contracts/evm/out" "$tmp/config"
for src in contracts/evm/src/*.sol; do
  cp -R "contracts/evm/out/$(basename "$src")" "$tmp/contracts/evm/out/"
done
cp config/devnet.json "$tmp/config/"

log "npm ci --omit=dev --ignore-scripts in $tmp"
t0=$(date +%s%N)
# warnings (EBADENGINE) would drown the report; an error still fails the check
(cd "$tmp" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
log "  installed in $((($(date +%s%N) - t0) / 1000000)) ms"

# plain node in a directory outside the repository: nothing can come from the repository's node_modules
(cd "$tmp" && env -u NODE_PATH -u NODE_OPTIONS node --input-type=module -) <<'EOF'
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const fail = (msg) => {
  console.error(`[check-prod] FAIL: ${msg}`);
  process.exit(1);
};
const run = (...args) => spawnSync('bin/sah-bridge', args, { encoding: 'utf8' });

// installed packages, from npm's record of node_modules, against the lockfile's dev flags
const installed = Object.keys(JSON.parse(readFileSync('node_modules/.package-lock.json', 'utf8')).packages);
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')).packages;
const leaked = installed.filter((p) => lock[p]?.dev);
if (leaked.length) fail(`dev-only packages in the production install: ${leaked.join(', ')}`);
for (const gone of ['@acala-network/chopsticks', '@acala-network/chopsticks-core', 'sqlite3', 'typeorm', 'tsx'])
  if (installed.some((p) => p.endsWith(`node_modules/${gone}`))) fail(`${gone} is in the production install`);
// "devOptional": a package a dev dependency needs that is also an optional (or optional peer) dependency of a
// production package (typescript for viem, zod for abitype): npm installs it without dev dependencies; the
// static analysis above shows that the compiled code imports none of them
const shared = installed.filter((p) => lock[p]?.devOptional).map((p) => p.replace(/^.*node_modules\//, ''));
console.log(
  `[check-prod]   production packages installed: ${installed.length}, no dev-only one (chopsticks, sqlite3, typeorm, tsx)` +
    (shared.length ? `; optional ones a dev dependency shares: ${shared.join(', ')}` : ''),
);

const help = run('--help');
if (help.status !== 0) fail(`sah-bridge --help exited ${help.status}: ${help.stderr}`);
if (!help.stdout.includes('usage: sah-bridge')) fail(`sah-bridge --help printed no usage: ${help.stdout}`);
console.log('[check-prod]   sah-bridge --help: exit 0, usage printed');

const validate = run('config', 'validate', 'config/devnet.json');
if (validate.status !== 0) fail(`sah-bridge config validate exited ${validate.status}: ${validate.stderr}`);
console.log(`[check-prod]   sah-bridge config validate config/devnet.json: ${validate.stdout.trim()}`);

// every compiled module loads (a dependency behind a lazy import would otherwise show only when used);
// main.js runs the CLI when imported and was run above
const walk = (d) =>
  readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(d, e.name)) : e.isFile() && e.name.endsWith('.js') ? [join(d, e.name)] : [],
  );
const modules = walk('dist').filter((f) => f !== join('dist', 'relayer', 'cli', 'main.js'));
for (const m of modules) {
  try {
    await import(pathToFileURL(resolve(m)).href);
  } catch (e) {
    fail(`${m} does not load: ${e.message}`);
  }
}
const { loadArtifact } = await import(pathToFileURL(resolve('dist/relayer/chains/evm/artifacts.js')).href);
if (!loadArtifact('Bridge').abi.length) fail('the Bridge ABI is empty');
console.log(`[check-prod]   ${modules.length} compiled modules load; the Bridge ABI is found from dist/`);

const times = [];
for (let i = 0; i < 5; i++) {
  const t0 = process.hrtime.bigint();
  if (run('--help').status !== 0) fail('sah-bridge --help failed');
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
const median = times.sort((a, b) => a - b)[2];
console.log(`[check-prod]   sah-bridge --help: median ${median.toFixed(0)} ms of 5 runs (${times.map((t) => t.toFixed(0)).join(', ')})`);
if (median >= 500) fail(`sah-bridge --help took ${median.toFixed(0)} ms (median), over 500 ms`);
// the run-time imports are done; close the handles they left (ioredis, polkadot) without waiting on them
process.exit(0);
EOF
log "ok"
