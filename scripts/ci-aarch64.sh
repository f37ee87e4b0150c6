#!/usr/bin/env bash
# Runs the test suite on aarch64 Linux (glibc) under user-mode emulation (docs/DESIGN.md §7):
# the arm64 Bun from npm, the same version as node_modules/bun, run by qemu-aarch64-static
# over Debian's arm64 C library. Arguments go to `bun test` (e.g. a file list); with none,
# every test under test/ runs but what is the same JavaScript over the same calls on every
# architecture and runs natively on x64 glibc and musl: test/spawn/parity/ (our spawn() held to
# Bun's), test/cli/ (the command-line tools, TypeScript over run(), whose arm64 path test/run/
# covers), test/package/bundle.test.ts (the same tools bundled, run beside their sources) and
# test/run/descriptor-limit.test.ts and emfile-pipes.test.ts (the hand-off's shells and the pipe
# reader under descriptor limits: no hand-off runs under qemu-user, and the accounting is the
# same JavaScript; ~100 s emulated, each case a fresh Bun under prlimit). Under emulation (most of their cases start fresh Bun processes, ~30x
# slower) the two took over half of CI's 15 minutes. What can differ by architecture runs here:
# layouts and constants (test/abi), the calls (test/ffi, test/sys), the waits (test/async),
# run() and spawn() (test/run, test/spawn/*.test.ts).
# The last line is "N passed, N failed".
#
# What it sets up (as root, each step only when missing):
#   - qemu-user-static, and libc6:arm64 after `dpkg --add-architecture arm64` (the loader
#     /lib/ld-linux-aarch64.so.1 and libc.so.6 that the arm64 Bun and bun:ffi load);
#   - a binfmt_misc registration for aarch64 ELF files, so an emulated Bun can start another
#     emulated Bun (tests run fixtures as `process.execPath script.ts`). binfmt-support is not
#     needed: the registration line is Debian's own /usr/lib/binfmt.d/qemu-aarch64.conf,
#     written to /proc/sys/fs/binfmt_misc/register (mounted first if it is not), for the
#     duration of the run;
#   - node_modules (npm ci) and the compilers the tests compare against (scripts/test-tools.sh);
#   - the arm64 Bun: `npm pack @oven/bun-linux-aarch64@<version>` into build/aarch64/ (cached,
#     scripts/lib/bun-build.sh).
#
# The tests see BUN_WAIT4_EMULATION=qemu-user in their environment. Under qemu-user
# (7.2, Debian 12), and only there:
#   - posix_spawn's vfork becomes a fork, so posix_spawn returns before the child has exec'd:
#     an exec failure or a failing file action is not reported (the child exits 127), and
#     setpgid/setsid may land after the call returns;
#   - /proc/self/stat (and /proc/<own pid>/stat) is synthesised by qemu: pgrp, session, tty,
#     utime, ... read 0. Read our own ids with `ps -o pgid= -p PID` or getpgrp() instead;
#   - prctl(PR_SET_CHILD_SUBREAPER) fails with EINVAL (qemu does not implement it);
#   - spawning is ~15x slower than native (qemu forks its whole address space: 10-30 ms a spawn).
#   - a thread taking a signal while another changes its disposition can jump to address 0
#     (docs/DESIGN.md §7; scripts/qemu-signal-race.sh shows it).
set -uo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

say() { echo "ci-aarch64: $*" >&2; }

if [ "$(uname -m)" != x86_64 ]; then
  say "this script emulates aarch64 on an x86_64 host; here uname -m is $(uname -m)"
  exit 2
fi

. scripts/lib/apt.sh
. scripts/lib/bun-build.sh

# 1. Emulator and the arm64 C library.
need=""
command -v qemu-aarch64-static >/dev/null 2>&1 || need="$need qemu-user-static"
[ -e /lib/ld-linux-aarch64.so.1 ] || need="$need libc6:arm64"
# shellcheck disable=SC2086
apt_install $need || exit 1

# 2. binfmt_misc, so emulated programs can exec other aarch64 programs.
# A registration made here is removed again on exit; one that was there before is left alone.
binfmt=/proc/sys/fs/binfmt_misc
if [ ! -e "$binfmt/qemu-aarch64" ]; then
  [ -e "$binfmt/register" ] || mount -t binfmt_misc binfmt_misc "$binfmt" 2>/dev/null || true
  if [ -w "$binfmt/register" ] && [ -f /usr/lib/binfmt.d/qemu-aarch64.conf ]; then
    if grep -v '^#' /usr/lib/binfmt.d/qemu-aarch64.conf | head -n 1 >"$binfmt/register"; then
      trap 'echo -1 >"$binfmt/qemu-aarch64" 2>/dev/null || true' EXIT
    fi
  fi
fi
if [ -e "$binfmt/qemu-aarch64" ] && grep -qx enabled "$binfmt/qemu-aarch64"; then
  say "binfmt_misc: aarch64 ELF files run through $(sed -n 's/^interpreter //p' "$binfmt/qemu-aarch64")"
else
  say "warning: no binfmt_misc registration for aarch64; tests that start process.execPath will fail"
fi

# 3. The project's own dependencies and the tests' reference tools.
[ -x node_modules/.bin/bun ] || npm ci --no-audit --no-fund >&2 || exit 1
sh scripts/test-tools.sh || exit 1

# 4. The arm64 Bun of the same version.
bun=$(fetch_bun @oven/bun-linux-aarch64 build/aarch64) || exit 1
version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' node_modules/bun/package.json | head -n 1)
export QEMU_LD_PREFIX=/
got=$(qemu-aarch64-static "$bun" --version 2>&1)
if [ "$got" != "$version" ]; then
  say "the arm64 bun does not run under qemu: $got"
  exit 1
fi
say "bun $version arm64 ($(qemu-aarch64-static "$bun" -e 'console.log(process.platform, process.arch)')) under $(qemu-aarch64-static --version | head -n 1)"

# 5. The suite. Emulation is several times slower than native; tests that set no timeout of
# their own get a generous one (bun's default is 5 s).
log=$(mktemp)
# Every signal at its default action, as `npm test` starts the native suite (see ci-musl.sh).
if [ $# -eq 0 ]; then
  # shellcheck disable=SC2046
  set -- $(find test -name '*.test.ts' -not -path 'test/spawn/parity/*' -not -path 'test/cli/*' -not -path 'test/package/bundle.test.ts' -not -path 'test/run/descriptor-limit.test.ts' -not -path 'test/run/emfile-pipes.test.ts' | sort)
fi
BUN_WAIT4_EMULATION=qemu-user env --default-signal qemu-aarch64-static "$bun" test --timeout 60000 "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

counts=$(sh "$(dirname "$0")/test-counts.sh" "$log" "$status")
rm -f "$log"
say "took $(($(date +%s) - started)) s"
echo "$counts"
exit "$status"
