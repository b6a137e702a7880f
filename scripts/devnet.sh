#!/usr/bin/env bash
# `npm run devnet`: install what is missing, build the contracts and the CLI, start the local devnet.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/forge.sh build --quiet
npm run --silent build # the relayer processes run the compiled CLI (dist/), as operators do
# the devnet orchestration itself is development code (chopsticks, anvil, wasmd): it runs from source
exec npx tsx devnet/main.ts "$@"
