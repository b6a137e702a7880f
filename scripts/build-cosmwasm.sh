#!/usr/bin/env bash
# Builds the CosmWasm contracts (the bridge and the wrapped cw20) to wasm that wasmd's VM accepts:
# Debian's rustc-web with -Z build-std (rustup here has no wasm32 target) and -C target-cpu=mvp, so
# neither our code nor std uses bulk-memory ops (wasmvm 3 rejects memory.copy / memory.fill); then
# wasm-opt -Os, and a check that no such op is left. Outputs contracts/cosmwasm/artifacts/*.wasm
# (not in git); skips the build when the sources are unchanged since the last one.
# Prints the artifacts directory as its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '[build-cosmwasm] %s\n' "$*" >&2; }

bash scripts/wasm-toolchain.sh >&2
out=contracts/cosmwasm/artifacts
cache="${SAH_CACHE:-$HOME/.cache/sah-bridge}"
target="$cache/cosmwasm-target"
mkdir -p "$out" "$target"

sources_digest() {
  { find contracts/cosmwasm contracts/rust-common \
    \( -name target -o -name artifacts \) -prune -o -type f \( -name '*.rs' -o -name '*.toml' \) -print
    echo contracts/Cargo.toml contracts/Cargo.lock | tr ' ' '\n'; } |
    LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1
}
digest="$(sources_digest)"
if [ -f "$out/sources.sha256" ] && [ "$(cat "$out/sources.sha256")" = "$digest" ] &&
  [ -f "$out/sah_bridge_cosmwasm.wasm" ] && [ -f "$out/sah_wrapped_token.wasm" ]; then
  log "up to date"
  echo "$out"
  exit 0
fi

log "building (cold: a few minutes; std is rebuilt for wasm)"
start=$SECONDS
(
  cd contracts
  # Debian's toolchain, not rustup's shims (which come first on PATH); rustc 1.96 no longer passes
  # --allow-undefined to the wasm linker, and the host functions (db_read, ...) are imports
  PATH="/usr/bin:$PATH" RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$target" \
    RUSTFLAGS="-C target-cpu=mvp -C link-arg=-s -C link-arg=--allow-undefined" \
    /usr/bin/cargo build --release --locked --lib --target wasm32-unknown-unknown \
    -Z build-std=std,panic_abort -p sah-bridge-cosmwasm -p sah-wrapped-token >&2
)
for name in sah_bridge_cosmwasm sah_wrapped_token; do
  wasm-opt -Os "$target/wasm32-unknown-unknown/release/$name.wasm" -o "$out/$name.wasm"
  if wasm-objdump -d "$out/$name.wasm" | grep -qE 'memory\.(copy|fill)|memory\.init|data\.drop'; then
    echo "[build-cosmwasm] $name.wasm contains bulk-memory ops, which wasmd rejects" >&2
    exit 1
  fi
  log "$name.wasm: $(stat -c %s "$out/$name.wasm") bytes, no bulk-memory ops"
done
echo "$digest" >"$out/sources.sha256"
log "built in $((SECONDS - start)) s"
echo "$out"
