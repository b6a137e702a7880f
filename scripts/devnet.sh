#!/usr/bin/env bash
# `npm run devnet`: install what is missing, build the contracts, start the local devnet.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/forge.sh build --quiet
exec npx tsx relayer/devnet/main.ts "$@"
