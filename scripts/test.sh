#!/usr/bin/env bash
# The project's whole test suite (what `npm test` and CI run):
# install -> compile contracts -> typecheck -> lint -> Solidity tests -> TypeScript unit and end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
echo "== forge build"
bash scripts/forge.sh build --quiet
echo "== typecheck"
npx tsc --noEmit -p tsconfig.json
echo "== lint"
npx biome check .
echo "== forge test (contracts/evm)"
bash scripts/forge.sh test
echo "== vitest (unit + end-to-end on real anvil chains)"
npx vitest run
