#!/usr/bin/env bash
# Usage (as root): bash scripts/ci-shells.sh [--shell NAME]... [TEST FILE OR DIRECTORY]...
# Runs test files once per /bin/sh a Linux user may have, each in a private mount namespace where
# /bin/sh is that shell (scripts/lib/swap-sh.sh; nothing outside changes). By default the files
# whose tests start commands through run(), spawn() and the command-line tool: test/run/,
# test/spawn/spawn.test.ts and test/cli/cli.test.ts (test/cli/args.test.ts and format.test.ts
# check pure functions against GNU time and start nothing through /bin/sh). The shells:
#   dash      Debian, Ubuntu              bash     Fedora, Arch, RHEL, openSUSE (bash as sh)
#   busybox   busybox ash, and busybox's env as /usr/bin/env (Alpine's layout)
#   mksh, zsh, yash                       the other POSIX shells Debian packages
#   alpine    the musl Bun (scripts/lib/musl-bun.sh) with busybox as /bin/sh and /usr/bin/env
# NAME picks some (default: all seven, in that order). Each run's tests see
# BUN_WAIT4_SHELL_UNDER_TEST=<the shell> and print "=== shell NAME: N passed, N failed (S s)";
# the last line is the sum, "N passed, N failed", and the exit status is non-zero if any run failed.
set -uo pipefail
cd "$(dirname "$0")/.."

say() { echo "ci-shells: $*" >&2; }

all="dash bash busybox mksh zsh yash alpine"
shells=""
files=()
while [ $# -gt 0 ]; do
  case $1 in
    --shell)
      case " $all " in *" ${2:-} "*) shells="$shells $2" ;; *) say "--shell takes one of: $all"; exit 2 ;; esac
      shift 2
      ;;
    *) files+=("$1"); shift ;;
  esac
done
[ -n "$shells" ] || shells=$all
[ ${#files[@]} -gt 0 ] || files=(test/run test/spawn/spawn.test.ts test/cli/cli.test.ts)

if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null 2>&1; then
  say "needs root and util-linux's unshare (a private mount namespace per shell)"
  exit 1
fi

. scripts/lib/apt.sh

# 1. The shells (Debian packages), the project's dependencies and the tests' reference tools.
need=""
for name in $shells; do
  case $name in
    busybox | alpine) command -v busybox >/dev/null 2>&1 || need="$need busybox-static" ;;
    *) command -v "$name" >/dev/null 2>&1 || need="$need $name" ;;
  esac
done
# shellcheck disable=SC2086
apt_install $(echo $need | tr ' ' '\n' | sort -u) || exit 1
[ -x node_modules/.bin/bun ] || npm ci --no-audit --no-fund >&2 || exit 1
sh scripts/test-tools.sh || exit 1

# 2. The musl Bun, for the Alpine-like run.
musl_bun=""
case " $shells " in
  *" alpine "*)
    if [ "$(uname -m)" != x86_64 ]; then
      say "the alpine run needs the x86_64 musl Bun; here uname -m is $(uname -m)"
      exit 1
    fi
    . scripts/lib/musl-bun.sh
    trap musl_bun_restore EXIT
    musl_bun_setup || exit 1
    musl_bun=$bun
    ;;
esac

# 3. One run per shell.
total_passed=0
total_failed=0
overall=0
for name in $shells; do
  bun=$PWD/node_modules/.bin/bun
  swap=$name
  if [ "$name" = alpine ]; then bun=$musl_bun; swap=busybox; fi
  started=$(date +%s)
  log=$(mktemp)
  # Every signal at its default action (docs/DESIGN.md §8), set by GNU env before the swap: in
  # the busybox runs /usr/bin/env is busybox's, which has no --default-signal. No test here
  # takes 2 s on its own; 20 s (not the suite's 60) keeps a shell that hangs the hand-off
  # from holding CI for a minute per test.
  BUN_WAIT4_SHELL_UNDER_TEST=$swap env --default-signal unshare -m --propagation unchanged \
    bash scripts/lib/swap-sh.sh "$swap" "$bun" test --timeout 20000 "${files[@]}" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  counts=$(sh scripts/test-counts.sh "$log" "$status")
  rm -f "$log"
  echo "=== shell $name: $counts ($(($(date +%s) - started)) s)"
  passed=${counts%% passed*}
  failed=${counts#*, }
  failed=${failed%% failed}
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  [ "$status" -eq 0 ] || overall=1
done
echo "$total_passed passed, $total_failed failed"
exit "$overall"
