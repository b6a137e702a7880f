#!/usr/bin/env bash
# EVM gas benchmark: builds the contracts, then runs bench/gas.ts against a real anvil node.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
bash scripts/forge.sh build --quiet
exec npx tsx bench/gas.ts
