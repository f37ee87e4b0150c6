#!/usr/bin/env bash
# Shows the qemu-user race behind the SIGCHLD listener test/fixtures/async-many.ts keeps under
# emulation (docs/DESIGN.md §7): when one thread changes a signal's disposition while another
# thread is taking that signal, qemu can enter the new "handler" SIG_DFL, i.e. jump to address 0.
#
#   scripts/qemu-signal-race.sh [QEMU] [RUNS]      defaults: qemu-aarch64-static, 3
#
# Needs what scripts/ci-aarch64.sh installs (run it once): the emulator, libc6:arm64 and the
# arm64 Bun in build/aarch64/. Each run gives a Bun process up to 20 s while this shell sends it
# SIGCHLD without pause; the Bun process churns its heap (so its worker threads run) and either
#   toggle: adds and removes a SIGCHLD listener in a loop (Bun calls sigaction at each change), or
#   keep:   keeps one listener registered (no sigaction after the first).
# The arm64 Bun runs both under QEMU, and the native x64 Bun runs "toggle" as the control.
# Prints a line per case, e.g. "qemu toggle: 3 of 3 crashed (Segmentation fault at address 0x0)".
set -uo pipefail
cd "$(dirname "$0")/.."
ulimit -c 0 # each crash would otherwise leave a guest core of ~6 GB here
qemu=${1:-qemu-aarch64-static}
runs=${2:-3}

. scripts/lib/bun-build.sh
arm64=$(fetch_bun @oven/bun-linux-aarch64 build/aarch64) || exit 1
native=node_modules/.bin/bun
[ -x "$native" ] || { echo "qemu-signal-race: run npm ci first" >&2; exit 1; }

script='
const toggle = process.env.RACE_MODE === "toggle";
const listener = () => {};
let on = !toggle;
if (on) process.on("SIGCHLD", listener);
const end = Date.now() + 20_000;
let junk = [];
(function tick() {
  if (toggle) {
    if (on) process.off("SIGCHLD", listener);
    else process.on("SIGCHLD", listener);
    on = !on;
  }
  for (let i = 0; i < 2000; i++) junk.push({ i, s: "x" + i });
  if (junk.length > 100_000) junk = [];
  if (Date.now() < end) setImmediate(tick);
  else process.exit(0);
})();
'

# Runs one case RUNS times: prints "LABEL: K of RUNS crashed (first crash message)".
run_case() {
  local label=$1 mode=$2
  shift 2
  local crashed=0 message="" err pid bomber
  err=$(mktemp)
  for _ in $(seq 1 "$runs"); do
    RACE_MODE=$mode QEMU_LD_PREFIX=/ "$@" -e "$script" 2>"$err" >/dev/null &
    pid=$!
    sleep 2
    (while kill -CHLD "$pid" 2>/dev/null; do :; done) &
    bomber=$!
    if ! wait "$pid" 2>/dev/null; then
      crashed=$((crashed + 1))
      [ -n "$message" ] || message=$(grep -o -m 1 'Segmentation fault at address [0-9a-fx]*' "$err" || tail -n 1 "$err")
    fi
    kill "$bomber" 2>/dev/null
    wait "$bomber" 2>/dev/null
  done
  rm -f "$err"
  echo "$label: $crashed of $runs crashed${message:+ ($message)}"
}

echo "qemu: $("$qemu" --version | head -n 1); bun $("$native" --version)"
run_case "qemu toggle" toggle "$qemu" "$arm64"
run_case "qemu keep" keep "$qemu" "$arm64"
run_case "native toggle" toggle "$native"
