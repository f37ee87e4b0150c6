#!/usr/bin/env bash
# Runs the test suite with the musl build of Bun (@oven/bun-linux-x64-musl, the same version
# as node_modules/bun) on this Debian x86_64 host, so the library loads musl as its C library
# and selects the linux-x64-musl table. Arguments go to `bun test`; the last line is
# "N passed, N failed". How that Bun is made to start here: scripts/lib/musl-bun.sh.
set -uo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

say() { echo "ci-musl: $*" >&2; }

if [ "$(uname -m)" != x86_64 ]; then
  say "this script runs the x86_64 musl Bun; here uname -m is $(uname -m)"
  exit 2
fi

. scripts/lib/musl-bun.sh

# 1. The project's dependencies and the tests' reference tools (musl-gcc among them).
[ -x node_modules/.bin/bun ] || npm ci --no-audit --no-fund >&2 || exit 1
sh scripts/test-tools.sh || exit 1

# 2. The musl Bun, its C++ runtime and musl's search path for this run.
trap musl_bun_restore EXIT
musl_bun_setup || exit 1

# 3. The suite (tests that set no timeout of their own get a generous one; bun's default is 5 s).
log=$(mktemp)
# With every signal at its default action, as `npm test` starts the native suite (libuv resets
# them): started from a background job, this script would otherwise hand the suite SIGINT and
# SIGQUIT ignored, and ignored signals survive exec into every child the tests make.
# The soak's memory bound needs 20,000 spawns (~50 s) and is the same JavaScript on either C
# library: the native suite runs it; here 4,000 check descriptors, zombies and the JS heap.
export BUN_WAIT4_SOAK_COUNT=${BUN_WAIT4_SOAK_COUNT:-4000}
env --default-signal "$bun" test --timeout 60000 "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

counts=$(sh "$(dirname "$0")/test-counts.sh" "$log" "$status")
rm -f "$log"
say "took $(($(date +%s) - started)) s"
echo "$counts"
exit "$status"
