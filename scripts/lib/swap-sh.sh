#!/usr/bin/env bash
# Usage (as root): unshare -m --propagation unchanged bash scripts/lib/swap-sh.sh SHELL COMMAND...
# Inside that new mount namespace, made private first, makes /bin/sh the Debian shell SHELL
# (dash, bash, busybox, mksh, zsh or yash) the way a distribution that ships it as /bin/sh does,
# checks that it took, then execs COMMAND. Nothing outside the namespace changes, and it all
# goes with the namespace.
#
# A bind mount cannot replace a symlink (mount follows /bin/sh to dash's binary and would turn
# `dash` itself into SHELL), so the directory holding /bin/sh gets an overlay whose upper layer
# (on a tmpfs of the namespace's own) holds:
#   - sh -> SHELL's binary (Fedora's /bin/sh -> bash; Alpine's /bin/sh -> /bin/busybox);
#   - for busybox, env -> busybox as well (Alpine's /usr/bin/env): busybox picks the applet
#     from argv[0], which exec through the symlink leaves as "env" or "/usr/bin/env";
#   - a whiteout (ENOENT, as on a machine that lacks it) for every other shell of the matrix
#     except bash, so code that looks for a smaller shell than /bin/sh (dash, mksh, busybox)
#     meets only SHELL. bash stays: tests run `bash` by name (test/cli/args.test.ts).
set -euo pipefail
shell=${1:?usage: swap-sh.sh SHELL COMMAND...}
shift
[ $# -gt 0 ] || { echo "swap-sh: no command to run" >&2; exit 2; }
say() { echo "swap-sh: $*" >&2; }

case $shell in
  dash | bash | busybox | mksh | zsh | yash) ;;
  *) say "unknown shell $shell (dash, bash, busybox, mksh, zsh, yash)"; exit 2 ;;
esac
# The other shells' names, as Debian installs them (mksh also as lksh, mksh-static and the ksh
# alternative; zsh also as zsh5).
hidden=""
for name in dash busybox mksh mksh-static lksh ksh zsh zsh5 yash; do
  case "$shell:$name" in "$shell:$shell" | mksh:mksh-static | mksh:lksh | mksh:ksh | zsh:zsh5) ;; *) hidden="$hidden $name" ;; esac
done
binary=$(command -v "$shell") || { say "$shell is not installed"; exit 1; }
binary=$(readlink -f "$binary")

# The directories a PATH lookup or /bin/sh goes through (one on merged-/usr systems).
sh_dir=$(cd -P /bin && pwd)
env_dir=$(cd -P "$(dirname /usr/bin/env)" && pwd)
dirs=$(printf '%s\n' "$sh_dir" "$env_dir" "$(cd -P /usr/bin && pwd)" | sort -u)

# No mount made here may propagate out. `unshare --propagation private` does this, but fails in
# a chroot (../shared/tools/bare-machine-ci), where / is not a mount point; there, go on only if
# no mount of the namespace this one was copied from (pid 1's) is shared with another.
if ! mount --make-rprivate / 2>/dev/null && grep -q ' shared:' /proc/1/mountinfo; then
  say "cannot make / private here (a chroot?) and some mounts are shared: the swap would leak out"
  exit 1
fi

layers=$(mktemp -d /tmp/swap-sh.XXXXXX)
mount -t tmpfs -o mode=0700 swap-sh "$layers"
n=0
for dir in $dirs; do
  n=$((n + 1))
  upper="$layers/$n/upper"
  mkdir -p "$upper" "$layers/$n/work"
  [ "$dir" != "$sh_dir" ] || ln -s "$binary" "$upper/sh"
  [ "$shell" != busybox ] || [ "$dir" != "$env_dir" ] || ln -s "$binary" "$upper/env"
  for name in $hidden; do
    if [ -e "$dir/$name" ] || [ -L "$dir/$name" ]; then mknod "$upper/$name" c 0 0; fi
  done
  mount -t overlay swap-sh -o "lowerdir=$dir,upperdir=$upper,workdir=$layers/$n/work" "$dir"
done
# The overlays keep their layers; the directory they were made in is not needed any more.
umount -l "$layers"
rmdir "$layers"

# Check, from the outside in, that /bin/sh now is SHELL.
fail() { say "the swap to $shell did not take: $*"; exit 1; }
[ "$(readlink -f /bin/sh)" = "$binary" ] || fail "/bin/sh resolves to $(readlink -f /bin/sh)"
# The running shell's own executable (`; :` keeps it from exec'ing readlink in its place) and
# the version variable only that shell sets (none for dash and busybox).
exe=$(/bin/sh -c 'readlink /proc/$$/exe; :')
[ "$exe" = "$binary" ] || fail "/bin/sh runs as $exe"
versions=$(/bin/sh -c 'echo "${BASH_VERSION-}|${ZSH_VERSION-}|${KSH_VERSION-}|${YASH_VERSION-}"')
case "$shell:$versions" in
  dash:"|||" | busybox:"|||" | bash:?*"|||" | zsh:"|"?*"||" | mksh:"||"*MIRBSD*"|" | yash:"|||"?*) ;;
  *) fail "its version variables (BASH|ZSH|KSH|YASH) read $versions" ;;
esac
if [ "$shell" = busybox ]; then
  [ "$(readlink -f /usr/bin/env)" = "$binary" ] || fail "/usr/bin/env resolves to $(readlink -f /usr/bin/env)"
  [ "$(/usr/bin/env -i A=b)" = "A=b" ] || fail "busybox as /usr/bin/env does not act as env"
fi
for dir in $dirs; do
  for name in $hidden; do
    if [ -e "$dir/$name" ] || [ -L "$dir/$name" ]; then fail "$dir/$name is still there"; fi
  done
done
say "/bin/sh -> $binary (BASH|ZSH|KSH|YASH_VERSION: $versions)$([ "$shell" != busybox ] || echo ", /usr/bin/env -> $binary"); hidden:$hidden"
exec "$@"
