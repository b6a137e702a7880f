#!/usr/bin/env bash
# Builds the dev runtime (contracts/substrate/runtime) to wasm and its raw genesis chain spec:
#   contracts/substrate/artifacts/sah_dev_runtime.wasm, genesis.json, sources.sha256
# Debian's rustc-web with -Z build-std=core,alloc for wasm32v1-none (rustup here has no wasm target) and
# --cfg substrate_runtime (sp-io's runtime side: host allocator and panic handler), no substrate-wasm-builder.
# A cold build takes tens of minutes on 2 cores, so the artifacts are committed with a digest of the
# sources they were built from; `scripts/build-runtime.sh --check` (run by npm test) fails when the sources
# changed without a rebuild. Rebuild: `bash scripts/build-runtime.sh`. `--benchmarks` builds the runtime with
# runtime-benchmarks into the cache instead (scripts/bench-pallet-weights.sh) and prints its path.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '[build-runtime] %s\n' "$*" >&2; }

out=contracts/substrate/artifacts
# what the wasm is built from: sources and manifests, not the tests (tests.rs, mock.rs, tests/)
sources_digest() {
  # contracts/Cargo.toml: the pallet's and rust-common's dependencies are its workspace's (the runtime has its
  # own Cargo.lock, under contracts/substrate)
  { find contracts/substrate contracts/rust-common \
    \( -name target -o -name artifacts -o -name tests \) -prune -o -type f \
    \( -name '*.rs' -o -name '*.toml' -o -name Cargo.lock \) ! -name tests.rs ! -name mock.rs -print
    echo contracts/Cargo.toml; } |
    LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1
}
digest="$(sources_digest)"

if [ "${1:-}" = "--check" ]; then
  if [ ! -f "$out/sources.sha256" ] || [ "$(cat "$out/sources.sha256")" != "$digest" ]; then
    echo "[build-runtime] contracts/substrate or contracts/rust-common changed since the committed runtime was built:" >&2
    echo "[build-runtime] run \`bash scripts/build-runtime.sh\` and commit contracts/substrate/artifacts/" >&2
    exit 1
  fi
  (cd "$out" && sha256sum --quiet -c artifacts.sha256) || { echo "[build-runtime] artifacts do not match artifacts.sha256" >&2; exit 1; }
  log "committed runtime matches its sources"
  exit 0
fi

bash scripts/wasm-toolchain.sh >&2
cache="${SAH_CACHE:-$HOME/.cache/sah-bridge}"
target="$cache/substrate-wasm-target"
features=()
if [ "${1:-}" = "--benchmarks" ]; then
  # the wasm the pallet's weights are measured with (scripts/bench-pallet-weights.sh): never committed, never
  # run by chopsticks (it imports the benchmarking host functions); the same target dir (cargo keeps each
  # feature set's artifacts apart, and the crates the feature does not touch are built once)
  features=(--features runtime-benchmarks)
fi
mkdir -p "$out"
log "building the runtime wasm${features[*]:+ with ${features[*]}} (cold: tens of minutes)"
start=$SECONDS
(
  cd contracts/substrate/runtime
  # Debian's toolchain, not rustup's shims; --allow-undefined: host functions are imports
  PATH="/usr/bin:$PATH" RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$target" \
    RUSTFLAGS="--cfg substrate_runtime -C link-arg=--export-table -C link-arg=--export=__heap_base -C link-arg=--import-memory -C link-arg=--allow-undefined" \
    /usr/bin/cargo rustc --locked -p sah-dev-runtime --lib --crate-type cdylib --profile wasm \
    --target wasm32v1-none -Z build-std=core,alloc --no-default-features "${features[@]}" >&2
)
if [ ${#features[@]} -gt 0 ]; then
  wasm-opt -O2 "$target/wasm32v1-none/wasm/sah_dev_runtime.wasm" -o "$cache/sah_dev_runtime_benchmarks.wasm"
  log "benchmarks runtime: $cache/sah_dev_runtime_benchmarks.wasm, built in $((SECONDS - start)) s"
  echo "$cache/sah_dev_runtime_benchmarks.wasm"
  exit 0
fi
wasm-opt -O2 "$target/wasm32v1-none/wasm/sah_dev_runtime.wasm" -o "$out/sah_dev_runtime.wasm"
# every import must be a host function chopsticks' executor provides (an unknown one crashes it)
imports=$(wasm-objdump -x -j Import "$out/sah_dev_runtime.wasm" | grep -oE '<- env\.[a-z0-9_]+' | sed 's/<- env\.//' | sort -u)
bad=$(echo "$imports" | grep -vE '^(memory|ext_(storage|default_child_storage|crypto|hashing|trie|offchain|offchain_index|misc|allocator|logging|panic_handler|transaction_index)_[a-z0-9_]+)$' || true)
if [ -n "$bad" ]; then
  echo "[build-runtime] the runtime imports functions the executor may not provide:" >&2
  echo "$bad" >&2
  exit 1
fi
log "runtime: $(stat -c %s "$out/sah_dev_runtime.wasm") bytes, $(echo "$imports" | wc -l) imports, built in $((SECONDS - start)) s"
npx tsx devnet/substrateGenesis.ts "$out/sah_dev_runtime.wasm" "$out/genesis.json" development >&2
(cd "$out" && sha256sum sah_dev_runtime.wasm genesis.json >artifacts.sha256)
echo "$digest" >"$out/sources.sha256"
log "wrote $out (sources digest $digest)"
