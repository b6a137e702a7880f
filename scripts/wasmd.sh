#!/usr/bin/env bash
# Builds wasmd (the CosmWasm chain the Cosmos side of the devnet and the tests run) from the Go module
# proxy once, and caches it outside the work tree: a cold build takes 10-20 minutes on 2 cores.
#
#   bash scripts/wasmd.sh            progress on stderr, the binary's path as the last line on stdout
#   WASMD=$(bash scripts/wasmd.sh)   what other scripts do; a cached binary answers in well under 1 s
#
# Result: ${SAH_CACHE:-$HOME/.cache/sah-bridge}/wasmd/<version>/{wasmd,libwasmvm.x86_64.so}.
# wasmd links libwasmvm dynamically; the binary carries the rpath $ORIGIN (set here through the external
# linker's -r), so it finds the copy beside it and keeps running after `go clean -modcache`.
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned, not "latest": v0.61.x is the line on CometBFT 0.38, which @cosmjs 0.38.1 speaks
# (0.70 moved to CometBFT 0.39). v0.61.14 is the newest 0.61 patch the proxy serves.
WASMD_VERSION="${WASMD_VERSION:-v0.61.14}"
# wasmd v0.61.14 pins bytedance/sonic v1.14.2, whose internal/rt does not compile on Go 1.26
# ("undefined: GoMapIterator"); these releases do, and nothing else in go.mod moves with them.
SONIC_FIX=(github.com/bytedance/sonic@v1.15.1 github.com/bytedance/sonic/loader@v0.5.1)

CACHE="${SAH_CACHE:-$HOME/.cache/sah-bridge}"
OUT="$CACHE/wasmd/$WASMD_VERSION"
BIN="$OUT/wasmd"
STAMP="$OUT/.ok"

log() { printf '[wasmd] %s\n' "$*" >&2; }
die() {
  printf '[wasmd] error: %s\n' "$*" >&2
  exit 1
}

# The stamp is written last, after the binary ran from its final place: its presence means "usable".
cached() { [ -f "$STAMP" ] && [ -x "$BIN" ] && [ -f "$OUT/libwasmvm.x86_64.so" ]; }

if cached; then
  echo "$BIN"
  exit 0
fi

mkdir -p "$CACHE/wasmd"
# One build at a time: setup.sh and a test's beforeAll may both get here on a fresh machine.
exec 9>"$CACHE/wasmd/.lock"
if ! flock -n 9; then
  log "another wasmd build holds $CACHE/wasmd/.lock: waiting for it"
  flock 9
fi
if cached; then
  echo "$BIN"
  exit 0
fi

GO="$(command -v go || true)"
[ -n "$GO" ] || GO=/usr/local/go/bin/go
[ -x "$GO" ] || die "no Go toolchain: neither 'go' on PATH nor /usr/local/go/bin/go"
command -v gcc >/dev/null 2>&1 || die "gcc not found: wasmd needs cgo to link libwasmvm"
log "go: $("$GO" version)"

# Writable copies of the module cache, so a later `go clean -modcache` works and the build may edit go.mod.
export GOFLAGS="${GOFLAGS:-} -modcacherw"
export CGO_ENABLED=1

BUILD_LOG="$CACHE/wasmd/$WASMD_VERSION.build.log"
WORK="$(mktemp -d "$CACHE/wasmd/.build-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
: >"$BUILD_LOG"
# Runs a step with its output in the build log; on failure shows the log's tail and names it.
step() {
  local what="$1"
  shift
  log "$what"
  if ! "$@" >>"$BUILD_LOG" 2>&1; then
    tail -n 30 "$BUILD_LOG" >&2
    die "$what failed (full log: $BUILD_LOG)"
  fi
}

log "downloading github.com/CosmWasm/wasmd@$WASMD_VERSION"
# go.mod has replace directives, so `go install pkg@version` refuses: build inside the module instead.
if ! dl_json="$(cd "$WORK" && "$GO" mod download -json "github.com/CosmWasm/wasmd@$WASMD_VERSION" 2>>"$BUILD_LOG")"; then
  printf '%s\n' "$dl_json" >>"$BUILD_LOG"
  tail -n 30 "$BUILD_LOG" >&2
  die "go mod download github.com/CosmWasm/wasmd@$WASMD_VERSION failed: no such version, or the Go module proxy is unreachable (see above)"
fi
mod_dir="$(printf '%s\n' "$dl_json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -d "$mod_dir" ] || die "go mod download gave no module directory: $dl_json"

src="$WORK/wasmd"
cp -R "$mod_dir" "$src"
chmod -R u+w "$src"
cd "$src"

step "pinning ${SONIC_FIX[*]} (sonic v1.14 does not compile on Go 1.26)" "$GO" get "${SONIC_FIX[@]}"

# Flags as wasmd's Makefile sets them, ledger off (build tags: netgo only): -checklinkname=0 because
# sonic's loader still go:linknames runtime symbols, the version -X flags so `wasmd version` tells the
# truth (no commit: the module zip has no .git), and the bech32 prefix `wasm`.
version="${WASMD_VERSION#v}"
ldflags="-checklinkname=0"
ldflags+=" -X github.com/cosmos/cosmos-sdk/version.Name=wasm"
ldflags+=" -X github.com/cosmos/cosmos-sdk/version.AppName=wasmd"
ldflags+=" -X github.com/cosmos/cosmos-sdk/version.Version=$version"
ldflags+=" -X github.com/CosmWasm/wasmd/app.Bech32Prefix=wasm"
ldflags+=" -X github.com/cosmos/cosmos-sdk/version.BuildTags=netgo"
# wasmvm's cgo flags add an rpath into the module cache; the linker's -r is passed to the external linker
# before the cgo flags, so $ORIGIN comes first in RUNPATH and the copy beside the binary wins.
ldflags+=" -r \$ORIGIN"

started=$SECONDS
log "building wasmd $WASMD_VERSION (10-20 min cold on 2 cores; log: $BUILD_LOG)"
step "go build ./cmd/wasmd" "$GO" build -mod=readonly -tags netgo -trimpath -ldflags "$ldflags" -o "$WORK/wasmd.bin" ./cmd/wasmd
log "built in $((SECONDS - started)) s"

wasmvm_dir="$("$GO" list -m -f '{{.Dir}}' github.com/CosmWasm/wasmvm/v3)"
lib="$wasmvm_dir/internal/api/libwasmvm.x86_64.so"
[ -f "$lib" ] || die "libwasmvm not found at $lib"

# Install into a fresh directory and move it into place, so a half-copied result is never "cached".
staging="$WORK/out"
mkdir -p "$staging"
cp "$WORK/wasmd.bin" "$staging/wasmd"
cp "$lib" "$staging/libwasmvm.x86_64.so"
chmod 755 "$staging/wasmd"
chmod 644 "$staging/libwasmvm.x86_64.so"
rm -rf "$OUT"
mv "$staging" "$OUT"

# The library must resolve to the copy beside the binary, not to the module cache.
resolved="$(ldd "$BIN" | sed -n 's/^[[:space:]]*libwasmvm\.x86_64\.so => \([^ ]*\).*/\1/p')"
[ "$resolved" = "$OUT/libwasmvm.x86_64.so" ] || die "ldd resolves libwasmvm to '${resolved:-nothing}', expected $OUT/libwasmvm.x86_64.so"
got="$("$BIN" version 2>&1)" || die "$BIN does not run: $got"
[ "$got" = "$version" ] || die "$BIN reports version '$got', expected $version"

touch "$STAMP"
log "wasmd $version ready"
echo "$BIN"
