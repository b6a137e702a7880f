#!/usr/bin/env node
// A native-solc-compatible front end over solcjs (npm `solc`), because forge cannot download
// a native compiler on these machines. forge calls it as `solc --version` and as
// `solc [--allow-paths A,B] [--base-path ROOT] [--include-path P]... --standard-json` with the
// Standard JSON input on stdin.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const solc = require('solc');

const args = process.argv.slice(2);
if (args.includes('--version')) {
  // forge parses "Version: <semver>+commit.<hash>.<platform>"
  const v = solc.version().replace('.Emscripten.clang', '.Linux.g++');
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${v}\n`);
  process.exit(0);
}
if (!args.includes('--standard-json')) {
  process.stderr.write('solc wrapper: only --version and --standard-json are supported\n');
  process.exit(2);
}

function flagValues(flag) {
  const out = [];
  for (let i = 0; i < args.length; i++) if (args[i] === flag && i + 1 < args.length) out.push(args[i + 1]);
  return out;
}
const basePath = flagValues('--base-path')[0] ?? process.cwd();
const roots = [basePath, ...flagValues('--include-path'), ...flagValues('--allow-paths').flatMap((p) => p.split(','))];

function findImports(importPath) {
  const candidates = path.isAbsolute(importPath) ? [importPath] : roots.map((r) => path.resolve(r, importPath));
  for (const candidate of candidates) {
    try {
      return { contents: fs.readFileSync(candidate, 'utf8') };
    } catch {
      // try the next root
    }
  }
  return { error: `File not found: ${importPath}` };
}

const input = fs.readFileSync(0, 'utf8');
process.stdout.write(solc.compile(input, { import: findImports }));
