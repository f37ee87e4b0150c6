#!/usr/bin/env bash
# Runs the test suite with the musl build of Bun (@oven/bun-linux-x64-musl, the same version
# as node_modules/bun) on this Debian x86_64 host, so the library loads musl as its C library
# and selects the linux-x64-musl table. Arguments go to `bun test`; the last line is
# "N passed, N failed".
#
# That Bun needs libstdc++.so.6 and libgcc_s.so.1 built for musl (Alpine's), which neither
# Debian nor npm has. What works instead: Debian's own (glibc-built) libstdc++.so.6 and
# libgcc_s.so.1 under musl's loader, plus a small library built here with musl-gcc that
# supplies the seven glibc symbols they need and musl 1.2.3 lacks (arc4random, __strftime_l,
# __cxa_thread_atexit_impl, __libc_single_threaded, _dl_find_object, and libgcc's
# __cpu_model/__cpu_indicator_init, which musl's loader will not bind under their non-default
# symbol version). It is named ld-linux-x86-64.so.2 because libstdc++ lists that as NEEDED.
# libstdc++'s own NEEDED libc.so.6 and libm.so.6, and Bun's libc.musl-x86_64.so.1, all resolve
# to musl itself, so the process has exactly one C library: musl's (see /proc/PID/maps).
#
# The three files go in build/musl/lib, which is added to musl's search path file
# /etc/ld-musl-x86_64.path for the run and removed afterwards. (LD_LIBRARY_PATH would do for
# the test process, but tests that start process.execPath with a clean environment would
# then fail to start it.)
set -uo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

say() { echo "ci-musl: $*" >&2; }

if [ "$(uname -m)" != x86_64 ]; then
  say "this script runs the x86_64 musl Bun; here uname -m is $(uname -m)"
  exit 2
fi

. scripts/lib/bun-build.sh

# 1. The project's dependencies and the tests' reference tools (musl-gcc among them).
[ -x node_modules/.bin/bun ] || npm ci --no-audit --no-fund >&2 || exit 1
sh scripts/test-tools.sh || exit 1
if [ ! -e /lib/ld-musl-x86_64.so.1 ] || ! command -v musl-gcc >/dev/null 2>&1; then
  say "needs Debian's musl-tools (musl's loader and musl-gcc)"
  exit 1
fi

# 2. The musl Bun of the same version.
bun=$(fetch_bun @oven/bun-linux-x64-musl build/musl) || exit 1
version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' node_modules/bun/package.json | head -n 1)

# 3. The C++ runtime and the compatibility library.
lib="$PWD/build/musl/lib"
mkdir -p "$lib"
for so in libstdc++.so.6 libgcc_s.so.1; do
  src=$(readlink -f "$(gcc -print-file-name="$so")")
  [ -f "$src" ] || { say "no $so next to gcc"; exit 1; }
  cp "$src" "$lib/$so"
done
cat >"$lib/glibc-compat.c" <<'EOF'
/* glibc symbols that Debian's libstdc++.so.6 and libgcc_s.so.1 use and musl 1.2.3 lacks. */
#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>

/* 0 = "maybe multi-threaded": libstdc++ then always takes its atomic paths. */
char __libc_single_threaded = 0;

/* thread_local destructors: run at thread exit through a pthread key. */
struct dtor { void (*fn)(void *); void *obj; struct dtor *next; };
static pthread_key_t dtor_key;
static pthread_once_t dtor_once = PTHREAD_ONCE_INIT;
static void run_dtors(void *p) {
  for (struct dtor *d = p; d;) { struct dtor *next = d->next; d->fn(d->obj); free(d); d = next; }
}
static void make_key(void) { pthread_key_create(&dtor_key, run_dtors); }
int __cxa_thread_atexit_impl(void (*fn)(void *), void *obj, void *dso) {
  (void)dso;
  pthread_once(&dtor_once, make_key);
  struct dtor *d = malloc(sizeof *d);
  if (!d) return -1;
  d->fn = fn; d->obj = obj; d->next = pthread_getspecific(dtor_key);
  pthread_setspecific(dtor_key, d);
  return 0;
}

uint32_t arc4random(void) {
  uint32_t v;
  while (getrandom(&v, sizeof v, 0) != (ssize_t)sizeof v) {}
  return v;
}

size_t __strftime_l(char *s, size_t n, const char *f, const struct tm *tm, locale_t loc) {
  return strftime_l(s, n, f, tm, loc);
}

/* "Not found": libgcc's unwinder then falls back to dl_iterate_phdr, which musl has. */
struct dl_find_object;
int _dl_find_object(void *pc, struct dl_find_object *result) { (void)pc; (void)result; return -1; }

/* libgcc_s defines these under a non-default symbol version, which musl's loader skips.
 * All-zero means "no CPU features known": only function multi-versioning looks at it. */
struct { unsigned vendor, type, subtype, features[1]; } __cpu_model;
int __cpu_indicator_init(void) { return 0; }
EOF
musl-gcc -shared -fPIC -O2 -Wall -Wl,-soname,ld-linux-x86-64.so.2 -o "$lib/ld-linux-x86-64.so.2" "$lib/glibc-compat.c" || exit 1

# 4. musl's search path, for this run only.
pathfile=/etc/ld-musl-x86_64.path
backup=$(mktemp)
had_pathfile=0
if [ -f "$pathfile" ]; then cp "$pathfile" "$backup"; had_pathfile=1; fi
restore() {
  if [ "$had_pathfile" = 1 ]; then cp "$backup" "$pathfile"; else rm -f "$pathfile"; fi
  rm -f "$backup"
}
trap restore EXIT
{
  # musl's built-in default when the file is missing, then Debian's, then ours.
  if [ "$had_pathfile" = 1 ]; then cat "$backup"; else printf '%s\n' /lib /usr/local/lib /usr/lib; fi
  echo "$lib"
} >"$pathfile.tmp" && mv "$pathfile.tmp" "$pathfile" || { say "cannot write $pathfile (run as root)"; exit 1; }

got=$(env -i "$bun" --version 2>&1)
if [ "$got" != "$version" ]; then
  say "the musl bun does not start: $got"
  exit 1
fi
libc_seen=$("$bun" -e 'const m = require("fs").readFileSync("/proc/self/maps", "utf8"); console.log(/ld-musl|linux-musl\/libc\.so/.test(m) && !/libc\.so\.6/.test(m) ? "musl only" : "NOT musl only")')
say "bun $version x64 musl; C library in the process: $libc_seen"
[ "$libc_seen" = "musl only" ] || exit 1

# 5. The suite (tests that set no timeout of their own get a generous one; bun's default is 5 s).
log=$(mktemp)
# With every signal at its default action, as `npm test` starts the native suite (libuv resets
# them): started from a background job, this script would otherwise hand the suite SIGINT and
# SIGQUIT ignored, and ignored signals survive exec into every child the tests make.
env --default-signal "$bun" test --timeout 60000 "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

counts=$(sh "$(dirname "$0")/test-counts.sh" "$log" "$status")
rm -f "$log"
say "took $(($(date +%s) - started)) s"
echo "$counts"
exit "$status"
