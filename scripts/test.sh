#!/usr/bin/env bash
# The project's whole test suite (what `npm test` and CI run):
# install -> compile contracts -> generated contract bindings current -> typecheck -> lint -> contract style -> build
# -> Solidity tests -> Rust tests -> CosmWasm wasm build -> the production install -> TypeScript unit and end-to-end tests (real anvil, wasmd, Redis,
# relayer processes).
set -euo pipefail
cd "$(dirname "$0")/.."

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
strip() { sed -E 's/\x1b\[[0-9;]*m//g' "$1"; }

bash scripts/setup.sh
echo "== forge build"
bash scripts/forge.sh build --quiet
echo "== generated EVM ABIs (relayer/chains/evm/abi) are current with contracts/evm/out"
npx tsx scripts/gen-evm-bindings.ts --out "$logs/evm-abi" >/dev/null
if ! diff -r relayer/chains/evm/abi "$logs/evm-abi"; then
  echo "relayer/chains/evm/abi differs from the compiled contracts: run npm run gen:evm-bindings (and commit the result)" >&2
  exit 1
fi
echo "== generated CosmWasm schema and types (contracts/cosmwasm/contracts/bridge/schema, relayer/chains/cosmwasm/msg.ts) are current"
bash scripts/gen-cosmwasm-bindings.sh --out "$logs/cosmwasm" >/dev/null
if ! diff -r contracts/cosmwasm/contracts/bridge/schema "$logs/cosmwasm/schema" ||
  ! diff relayer/chains/cosmwasm/msg.ts "$logs/cosmwasm/msg.ts"; then
  echo "the CosmWasm bridge's schema or relayer/chains/cosmwasm/msg.ts differs from its msg.rs: run npm run gen:cosmwasm-bindings (and commit the result)" >&2
  exit 1
fi
echo "== generated Substrate types (relayer/chains/substrate/interfaces) are current with the dev runtime's metadata"
npx tsx scripts/gen-substrate-bindings.ts --out "$logs/substrate-interfaces" >/dev/null
if ! diff -r relayer/chains/substrate/interfaces "$logs/substrate-interfaces"; then
  echo "relayer/chains/substrate/interfaces differs from the runtime's metadata: run npm run gen:substrate-bindings (and commit the result)" >&2
  exit 1
fi
echo "== typecheck"
npx tsc --noEmit -p tsconfig.json
echo "== lint (Biome, with the gate on production code importing devnet, test or bench code: biome.json overrides)"
npx biome check .
echo "== contract style (rustfmt + clippy -D warnings on rust-common, cosmwasm, the pallet and the runtime; forge fmt on evm)"
bash scripts/check-contract-style.sh
echo "== build (dist/: the compiled CLI and node, which the end-to-end tests run)"
npm run --silent build
echo "== forge test (contracts/evm)"
bash scripts/forge.sh test 2>&1 | tee "$logs/forge.txt"
# native Rust builds are cached outside the clone, so a second run only recompiles what changed
export CARGO_TARGET_DIR="${SAH_CACHE:-$HOME/.cache/sah-bridge}/cargo-target"
echo "== cargo test (the contracts workspace: rust-common's codec, FROST and rules; the CosmWasm bridge on cw-multi-test; the pallet on a mock runtime)"
cargo test --locked --workspace --manifest-path contracts/Cargo.toml 2>&1 | tee "$logs/cargo.txt"
echo "== the committed dev runtime (wasm + genesis) matches its sources"
bash scripts/build-runtime.sh --check
echo "== CosmWasm wasm build (rustc-web, build-std, checked free of bulk-memory ops)"
bash scripts/build-cosmwasm.sh
echo "== production install (npm ci --omit=dev in a temporary directory, the compiled CLI with plain node)"
bash scripts/check-prod-install.sh
echo "== vitest (unit + end-to-end on real anvil, wasmd and chopsticks chains)"
npx vitest run 2>&1 | tee "$logs/vitest.txt"

forge_passed=$(strip "$logs/forge.txt" | grep -oE '[0-9]+ tests passed' | tail -1 | grep -oE '^[0-9]+')
forge_failed=$(strip "$logs/forge.txt" | grep -oE 'passed, [0-9]+ failed' | tail -1 | grep -oE '[0-9]+')
vitest_passed=$(strip "$logs/vitest.txt" | grep -E '^ *Tests ' | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+')
vitest_failed=$(strip "$logs/vitest.txt" | grep -E '^ *Tests ' | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || true)
cargo_sum() { strip "$1" | grep -oE "test result: [a-zA-Z]+\. [0-9]+ passed; [0-9]+ failed" | awk -v f="$2" '{ s += (f == "passed" ? $4 : $6) } END { print s + 0 }'; }
cargo_passed=0
cargo_failed=0
for f in cargo; do
  cargo_passed=$((cargo_passed + $(cargo_sum "$logs/$f.txt" passed)))
  cargo_failed=$((cargo_failed + $(cargo_sum "$logs/$f.txt" failed)))
done
echo
echo "forge: ${forge_passed} passed; cargo: ${cargo_passed} passed; vitest: ${vitest_passed} passed"
echo "$((forge_passed + cargo_passed + vitest_passed)) passed, $((forge_failed + cargo_failed + ${vitest_failed:-0})) failed"
