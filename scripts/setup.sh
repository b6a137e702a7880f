#!/usr/bin/env bash
# Idempotent install of everything the tests and the devnet need on a fresh machine.
# Safe to run again: each step checks before it acts.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*"; }

# Node 20+ and npm come with the machine image.
node -e 'const [maj] = process.versions.node.split(".").map(Number); if (maj < 20) { console.error(`Node ${process.versions.node}: 20 or newer required`); process.exit(1); }'

# Redis (BullMQ needs >= 6.2) from Debian, for the relayer nodes and their tests.
if ! command -v redis-server >/dev/null 2>&1; then
  log "installing redis-server (apt)"
  as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq redis-server >/dev/null
fi
# Debian starts a system Redis on 6379 after install; the project starts its own on other ports.

# npm packages, including Foundry (forge, anvil, cast) from npm and solc (solcjs).
# Reinstall when the lockfile changed since the last install.
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ ! -x node_modules/.bin/forge ]; then
  log "npm ci"
  npm ci --no-audit --no-fund
else
  log "node_modules up to date"
fi

# Foundry's platform binaries arrive through optional dependencies; check they run.
for tool in forge anvil cast; do
  if ! node_modules/.bin/$tool --version >/dev/null 2>&1; then
    echo "[setup] node_modules/.bin/$tool does not run: is @foundry-rs/$tool-linux-amd64 installed?" >&2
    exit 1
  fi
done

# forge uses scripts/solc.cjs (solcjs behind a native-solc command line): check it answers.
node scripts/solc.cjs --version | grep -q 'Version: 0.8.30' || { echo "[setup] solc wrapper broken" >&2; exit 1; }
log "toolchain ready: $(node_modules/.bin/forge --version | head -1)"
command -v cargo >/dev/null 2>&1 || { echo "[setup] cargo (rustup) is missing: the Rust contracts need it" >&2; exit 1; }
bash scripts/wasm-toolchain.sh >/dev/null  # Debian rustc-web + std sources, lld, wabt, binaryen (wasm builds)
bash scripts/wasmd.sh >/dev/null  # wasmd for the Cosmos devnet: a cold build takes 10-20 min, then cached
