#!/bin/sh
# Makes sure every tool the test suite compares against is installed AND works, installing
# what is missing (Debian packages, as root), then checking again. Each check builds or runs
# the smallest thing the tests need from that tool, so a compiler without its headers fails
# here, naming the package, rather than in the middle of the suite. Runs before `npm test`
# (and first in .ci/run); silent when everything works; exits 1 naming what is still broken.
set -u
cd "$(dirname "$0")/.."
. scripts/lib/apt.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The headers the generated layout checks (scripts/abi/gen-asserts.ts) and the C fixtures include.
cat >"$tmp/libc.c" <<'C'
#define _GNU_SOURCE 1
#include <stddef.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
int main(void) { return WEXITSTATUS(0); }
C
cat >"$tmp/kernel.c" <<'C'
#include <stddef.h>
#include <asm/unistd.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/pidfd.h>
#include <linux/prctl.h>
#include <linux/poll.h>
#include <linux/resource.h>
#include <linux/signal.h>
#include <linux/wait.h>
int main(void) { return 0; }
C

# check PACKAGES COMMAND...: runs COMMAND quietly; on failure records PACKAGES as needed.
failed=""
needed=""
check() {
  packages=$1
  shift
  if ! "$@" >"$tmp/out" 2>&1; then
    failed="$failed
  - $* (Debian: $packages): $(head -c 300 "$tmp/out" | tr '\n' ' ')"
    needed="$needed $packages"
  fi
}

run_checks() {
  failed=""
  needed=""
  # The platform's own W* macros and struct layouts (gcc against glibc and the kernel's uapi).
  check "gcc libc6-dev" gcc -std=c11 -o "$tmp/a.out" "$tmp/libc.c"
  check "linux-libc-dev" gcc -std=c11 -fsyntax-only "$tmp/kernel.c"
  # musl's macros and layouts.
  check "musl-tools" musl-gcc -std=c11 -o "$tmp/m.out" "$tmp/libc.c"
  # aarch64 layouts: glibc's and the kernel's through the cross compiler, musl's over musl-dev:arm64;
  # and the EINTR fixture, a shared object, built for the arm64 Bun.
  check "gcc-aarch64-linux-gnu libc6-dev-arm64-cross" aarch64-linux-gnu-gcc -std=c11 -shared -fPIC -o "$tmp/a64.so" "$tmp/libc.c"
  check "gcc-aarch64-linux-gnu libc6-dev-arm64-cross linux-libc-dev-arm64-cross" aarch64-linux-gnu-gcc -std=c11 -fsyntax-only "$tmp/kernel.c"
  check "musl-dev:arm64" aarch64-linux-gnu-gcc -std=c11 -fsyntax-only -nostdinc -isystem /usr/include/aarch64-linux-musl "$tmp/libc.c"
  # CPython's os module, GNU time, ps (process groups as procps reports them), and prlimit
  # (a full descriptor table for the EMFILE fallback test).
  check "python3" python3 -c "import os, resource; os.wait4; os.waitid; os.posix_spawnp"
  check "time" /usr/bin/time -f %M true
  check "procps" ps -o pgid= -p $$
  check "util-linux" prlimit --nofile=256:256 true
  # bun-wait4-bench's yardsticks: Debian's hyperfine (1.15), a pseudo-terminal for its progress
  # bar (script), and Debian's Python with what hyperfine's scripts/*.py import.
  check "hyperfine" hyperfine --version
  check "bsdutils" script -qec true /dev/null
  check "python3-numpy python3-scipy python3-matplotlib" /usr/bin/python3 -c "import numpy, scipy.stats, matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot"
}

run_checks
if [ -n "$needed" ]; then
  # shellcheck disable=SC2086
  apt_install $(echo $needed | tr ' ' '\n' | sort -u) || true
  run_checks
fi
if [ -n "$failed" ]; then
  echo "test-tools: these tools the tests need are missing or broken:$failed" >&2
  exit 1
fi
