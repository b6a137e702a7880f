#!/usr/bin/env bash
# The bridge pallet's weights, measured: contracts/substrate/pallets/sah-bridge/src/weights.rs is written by
# frame-omni-bencher (polkadot-sdk's benchmark CLI) from the pallet's benchmarks (src/benchmarking.rs) run in the
# dev runtime built with runtime-benchmarks, through scripts/templates/pallet-weights.hbs (the trait, the weights
# priced with the runtime's DbWeight, and `()` priced with RocksDB's). Not part of npm test: run it after a change
# to a call or to storage, then `bash scripts/build-runtime.sh` and commit both.
#
# Needs (installed here, idempotently, into the cache): Debian's libclang-dev (bindgen, for the bencher's rocksdb)
# and protobuf-compiler (litep2p's build script), and frame-omni-bencher from crates.io (a cold build takes ~45 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '[bench-weights] %s\n' "$*" >&2; }
cache="${SAH_CACHE:-$HOME/.cache/sah-bridge}"
tools="$cache/tools"
# the bencher's host functions must match the runtime's polkadot-sdk release (stable2512: sp-runtime 45,
# frame-benchmarking-cli 53): 0.28 (sp-runtime 49) encodes TrackedStorageKey with a child-trie field that this
# runtime's sp-storage 22 cannot decode, and every benchmark traps in set_whitelist
BENCHER_VERSION=0.17.3

# bindgen (rocksdb) needs libclang; litep2p's build script needs protoc
if ! ls /usr/lib/llvm-*/lib/libclang*.so >/dev/null 2>&1 || ! command -v protoc >/dev/null; then
  as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  log "installing libclang-dev and protobuf-compiler (Debian)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq libclang-dev protobuf-compiler >/dev/null
fi
if ! "$tools/bin/frame-omni-bencher" --version 2>/dev/null | grep -q "$BENCHER_VERSION"; then
  log "building frame-omni-bencher $BENCHER_VERSION (cold: ~45 minutes)"
  # SKIP_WASM_BUILD: a test runtime inside the bencher would be built to wasm by substrate-wasm-builder, which needs
  # rustup's wasm32 target (not on these machines); the pallet benchmarks run our own runtime's wasm instead
  SKIP_WASM_BUILD=1 CARGO_TARGET_DIR="$cache/bencher-target" cargo install frame-omni-bencher \
    --version "$BENCHER_VERSION" --locked --root "$tools" >&2
fi

wasm="$(bash scripts/build-runtime.sh --benchmarks)"
steps="${STEPS:-50}"
repeat="${REPEAT:-20}"
log "running the pallet's benchmarks (steps $steps, repeat $repeat)"
"$tools/bin/frame-omni-bencher" v1 benchmark pallet \
  --runtime "$wasm" \
  --genesis-builder-preset development \
  --pallet pallet_sah_bridge \
  --extrinsic '*' \
  --steps "$steps" \
  --repeat "$repeat" \
  --template scripts/templates/pallet-weights.hbs \
  --output contracts/substrate/pallets/sah-bridge/src/weights.rs >&2
# the command line the file records names the runtime in this machine's cache: keep the repo free of it
sed -i "s#$cache#\$SAH_CACHE#g" contracts/substrate/pallets/sah-bridge/src/weights.rs
log "wrote contracts/substrate/pallets/sah-bridge/src/weights.rs: rebuild the runtime (bash scripts/build-runtime.sh)"
