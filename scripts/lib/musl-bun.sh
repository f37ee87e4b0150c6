# Sourced by the runners that use the musl build of Bun (scripts/ci-musl.sh, scripts/ci-shells.sh).
# musl_bun_setup: makes @oven/bun-linux-x64-musl (the same version as node_modules/bun) start on
# this Debian x86_64 host and sets $bun to its path; musl_bun_restore undoes the one change it
# makes outside build/ (call it on exit: `trap musl_bun_restore EXIT`). Messages go through the
# caller's say().
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
. scripts/lib/bun-build.sh

musl_pathfile=/etc/ld-musl-x86_64.path
musl_pathfile_backup=""
musl_had_pathfile=0

musl_bun_restore() {
  [ -n "$musl_pathfile_backup" ] || return 0
  if [ "$musl_had_pathfile" = 1 ]; then cp "$musl_pathfile_backup" "$musl_pathfile"; else rm -f "$musl_pathfile"; fi
  rm -f "$musl_pathfile_backup"
  musl_pathfile_backup=""
}

musl_bun_setup() {
  if [ ! -e /lib/ld-musl-x86_64.so.1 ] || ! command -v musl-gcc >/dev/null 2>&1; then
    say "needs Debian's musl-tools (musl's loader and musl-gcc)"
    return 1
  fi

  # The musl Bun of the same version.
  bun=$(fetch_bun @oven/bun-linux-x64-musl build/musl) || return 1
  local version
  version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' node_modules/bun/package.json | head -n 1)

  # The C++ runtime and the compatibility library.
  local lib="$PWD/build/musl/lib" so src
  mkdir -p "$lib"
  for so in libstdc++.so.6 libgcc_s.so.1; do
    src=$(readlink -f "$(gcc -print-file-name="$so")")
    [ -f "$src" ] || { say "no $so next to gcc"; return 1; }
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
  musl-gcc -shared -fPIC -O2 -Wall -Wl,-soname,ld-linux-x86-64.so.2 -o "$lib/ld-linux-x86-64.so.2" "$lib/glibc-compat.c" || return 1

  # musl's search path, until musl_bun_restore.
  musl_pathfile_backup=$(mktemp)
  musl_had_pathfile=0
  if [ -f "$musl_pathfile" ]; then cp "$musl_pathfile" "$musl_pathfile_backup"; musl_had_pathfile=1; fi
  {
    # musl's built-in default when the file is missing, then Debian's, then ours.
    if [ "$musl_had_pathfile" = 1 ]; then cat "$musl_pathfile_backup"; else printf '%s\n' /lib /usr/local/lib /usr/lib; fi
    echo "$lib"
  } >"$musl_pathfile.tmp" && mv "$musl_pathfile.tmp" "$musl_pathfile" || { say "cannot write $musl_pathfile (run as root)"; return 1; }

  local got libc_seen
  got=$(env -i "$bun" --version 2>&1)
  if [ "$got" != "$version" ]; then
    say "the musl bun does not start: $got"
    return 1
  fi
  libc_seen=$("$bun" -e 'const m = require("fs").readFileSync("/proc/self/maps", "utf8"); console.log(/ld-musl|linux-musl\/libc\.so/.test(m) && !/libc\.so\.6/.test(m) ? "musl only" : "NOT musl only")')
  say "bun $version x64 musl; C library in the process: $libc_seen"
  [ "$libc_seen" = "musl only" ]
}
