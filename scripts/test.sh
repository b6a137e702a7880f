#!/usr/bin/env bash
# The project's whole test suite (what `npm test` and CI run):
# install -> compile contracts -> typecheck -> lint -> Solidity tests -> TypeScript unit and end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
strip() { sed -E 's/\x1b\[[0-9;]*m//g' "$1"; }

bash scripts/setup.sh
echo "== forge build"
bash scripts/forge.sh build --quiet
echo "== typecheck"
npx tsc --noEmit -p tsconfig.json
echo "== lint"
npx biome check .
echo "== forge test (contracts/evm)"
bash scripts/forge.sh test 2>&1 | tee "$logs/forge.txt"
echo "== vitest (unit + end-to-end on real anvil chains)"
npx vitest run 2>&1 | tee "$logs/vitest.txt"

forge_passed=$(strip "$logs/forge.txt" | grep -oE '[0-9]+ tests passed' | tail -1 | grep -oE '^[0-9]+')
forge_failed=$(strip "$logs/forge.txt" | grep -oE 'passed, [0-9]+ failed' | tail -1 | grep -oE '[0-9]+')
vitest_passed=$(strip "$logs/vitest.txt" | grep -E '^ *Tests ' | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+')
vitest_failed=$(strip "$logs/vitest.txt" | grep -E '^ *Tests ' | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || true)
echo
echo "forge: ${forge_passed} passed; vitest: ${vitest_passed} passed"
echo "$((forge_passed + vitest_passed)) passed, $((forge_failed + ${vitest_failed:-0})) failed"
