#!/bin/sh
# Installs what the test suite compares against, where it is missing: a C compiler (the
# platform's own W* macros and struct layouts), musl-gcc (musl's macros), the aarch64 cross
# compiler and musl's aarch64 headers (aarch64 layouts), python3 (CPython's os module) and
# GNU time. Runs before `npm test`; silent when everything is present.
set -e
missing=""
command -v gcc >/dev/null 2>&1 || missing="$missing gcc libc6-dev"
command -v python3 >/dev/null 2>&1 || missing="$missing python3"
command -v musl-gcc >/dev/null 2>&1 || missing="$missing musl-tools"
[ -x /usr/bin/time ] || missing="$missing time"
# aarch64 layouts (test/abi-layout.test.ts): glibc's via the cross compiler, musl's through
# Debian's musl-dev for arm64 (needs the arm64 architecture added to dpkg).
command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || missing="$missing gcc-aarch64-linux-gnu"
[ -f /usr/include/aarch64-linux-musl/sys/wait.h ] || missing="$missing musl-dev:arm64"
[ -z "$missing" ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "test-tools: installing$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  case "$missing" in *:arm64*) dpkg --add-architecture arm64 ;; esac
  apt-get update -qq >/dev/null
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "test-tools: the tests need:$missing (Debian package names); install them and run again" >&2
  exit 1
fi
