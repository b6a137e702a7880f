#!/usr/bin/env bash
# Style gates on the contracts, run by npm test (scripts/test.sh) after the lint step:
#   - contracts/rust-common, contracts/cosmwasm, contracts/substrate (the bridge pallet) and
#     contracts/substrate/runtime (the dev runtime, its own workspace; its rustfmt.toml keeps the tabs
#     it is written with): `cargo fmt --check` and `cargo clippy --all-targets --locked -- -D warnings`
#   - contracts/evm: `forge fmt --check` (forge's default style)
# Fix with `cargo fmt --all --manifest-path <crate>/Cargo.toml` and `bash scripts/forge.sh fmt`.
#
# A change to the pallet's or the runtime's sources (or to contracts/rust-common/src), formatting
# included, invalidates the committed runtime wasm (`scripts/build-runtime.sh --check`): rebuild it with
# `bash scripts/build-runtime.sh` and commit contracts/substrate/artifacts/ with the change.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '[contract-style] %s\n' "$*"; }

# the same target dir as the cargo tests in scripts/test.sh: clippy's check builds warm the CI cache
export CARGO_TARGET_DIR="${SAH_CACHE:-$HOME/.cache/sah-bridge}/cargo-target"

for tool in fmt clippy; do
  if ! cargo "$tool" --version >/dev/null 2>&1; then
    echo "[contract-style] \`cargo $tool\` is missing: the rustup toolchain needs its rustfmt and clippy components" >&2
    exit 1
  fi
done

# the contracts workspace (rust-common, the CosmWasm contracts, the pallet) and the dev runtime (its own workspace)
crates=(contracts contracts/substrate/runtime)
for crate in "${crates[@]}"; do
  log "cargo fmt --check ($crate)"
  # --all: every member of a workspace (contracts/ has no root package)
  cargo fmt --all --check --manifest-path "$crate/Cargo.toml"
  log "cargo clippy -D warnings ($crate)"
  cargo clippy --all-targets --locked --quiet --manifest-path "$crate/Cargo.toml" -- -D warnings
done

log "forge fmt --check (contracts/evm)"
bash scripts/forge.sh fmt --check
log "ok"
