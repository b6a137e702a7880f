#!/usr/bin/env bash
# Idempotent install of what building the CosmWasm contracts (and later the runtime) to wasm needs:
# rustup's toolchain here has no wasm32 target, so the wasm builds use Debian's rustc-web with its std
# sources (-Z build-std), lld for linking, wabt to inspect the output and binaryen to shrink it.
# Native `cargo test` keeps using rustup's cargo. See docs/DEVELOPING.md.
set -euo pipefail

log() { printf '[wasm-toolchain] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need=()
[ -x /usr/bin/rustc ] && /usr/bin/rustc --version 2>/dev/null | grep -q '^rustc 1\.9[6-9]' || need+=(rustc-web cargo-web)
[ -d /usr/lib/rustlib/src/rust/library ] || need+=(rust-web-src)
command -v wasm-objdump >/dev/null 2>&1 || need+=(wabt)
command -v wasm-opt >/dev/null 2>&1 || need+=(binaryen)
# /usr/bin/rust-lld may point at an lld that is not installed
/usr/bin/rust-lld -flavor wasm --version >/dev/null 2>&1 || need+=(lld-22)

if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]} (apt)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${need[@]}" >/dev/null
fi
/usr/bin/rust-lld -flavor wasm --version >/dev/null 2>&1 || { echo "[wasm-toolchain] rust-lld does not run" >&2; exit 1; }
log "ready: $(/usr/bin/rustc --version)"
