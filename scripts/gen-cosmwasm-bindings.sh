#!/usr/bin/env bash
# The CosmWasm bridge's messages as JSON schema and as TypeScript types, generated (both committed):
#   1. the bridge's `schema` binary (contracts/cosmwasm/contracts/bridge/src/bin/schema.rs, cosmwasm-schema's
#      write_api!, native) writes contracts/cosmwasm/contracts/bridge/schema/;
#   2. scripts/gen-cosmwasm-types.ts turns that schema into relayer/chains/cosmwasm/msg.ts (json-schema-to-typescript).
# `npm run gen:cosmwasm-bindings` runs this. With `--out DIR` it writes DIR/schema/ and DIR/msg.ts instead:
# scripts/test.sh compares those with the committed files.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
# the same target dir as the cargo tests and clippy in scripts/test.sh
export CARGO_TARGET_DIR="${SAH_CACHE:-$HOME/.cache/sah-bridge}/cargo-target"

work=contracts/cosmwasm/contracts/bridge
types=relayer/chains/cosmwasm/msg.ts
if [ "${1:-}" = --out ]; then
  [ -n "${2:-}" ] || { echo "usage: $0 [--out DIR]" >&2; exit 2; }
  mkdir -p "$2"
  work="$(cd "$2" && pwd)"
  types="$work/msg.ts"
fi
# write_api! writes to ./schema of the directory it runs in
(cd "$work" && cargo run --quiet --locked --manifest-path "$root/contracts/Cargo.toml" \
  -p sah-bridge-cosmwasm --bin schema >/dev/null)
npx tsx scripts/gen-cosmwasm-types.ts --schema "$work/schema" --out "$types" >/dev/null
echo "wrote $work/schema and $types"
