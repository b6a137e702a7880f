#!/usr/bin/env bash
# Measures the bridge pallet's benchmarks (pallets/sah-bridge/src/benchmarking.rs) on the dev runtime
# compiled natively (runtime/benches/pallet_weights.rs: frame-benchmarking's API, the benchmark CLI's steps
# and analysis) and writes the result in polkadot-sdk's weight-file layout to weights/pallet_sah_bridge.rs.
# The pallet's own weights.rs stays hand-computed for now: its header says why (frame-omni-bencher does not
# build here, native times, and the properties its tests pin), and what adopting this output takes
# (`-- --output "$PWD/pallets/sah-bridge/src/weights.rs"`, then a runtime rebuild).
# Takes about 2.5 minutes (10 s per benchmark at least, as the CLI's default --min-duration); extra
# arguments go to the harness: --steps N --repeat N --min-duration S --output FILE.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="${SAH_CACHE:-$HOME/.cache/sah-bridge}/cargo-target"
out="$PWD/weights/pallet_sah_bridge.rs"
(cd runtime && cargo bench --locked --features runtime-benchmarks --bench pallet_weights -- --output "$out" "$@")
