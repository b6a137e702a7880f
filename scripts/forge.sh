#!/usr/bin/env bash
# Runs forge in contracts/evm with the project's toolchain: `scripts/forge.sh build|test [...]`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/contracts/evm"
exec "$root/node_modules/.bin/forge" "$@"
