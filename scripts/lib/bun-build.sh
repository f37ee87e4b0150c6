# Sourced by the suite runners for other Bun builds. fetch_bun NPM_PACKAGE DIR: makes sure
# DIR/bun-<version>/bin/bun is the NPM_PACKAGE build (e.g. @oven/bun-linux-aarch64) of the
# same version as node_modules/bun, fetching it with `npm pack` (no install scripts run) into
# that cache the first time, and prints its path.
fetch_bun() {
  package=$1
  version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' node_modules/bun/package.json | head -n 1)
  [ -n "$version" ] || { echo "fetch_bun: no node_modules/bun (run npm ci)" >&2; return 1; }
  cache="$2/bun-$version"
  if [ ! -x "$cache/bin/bun" ]; then
    echo "fetch_bun: fetching $package@$version from npm" >&2
    mkdir -p "$cache"
    tarball=$(cd "$cache" && npm pack --silent "$package@$version") || return 1
    tar -xzf "$cache/$tarball" -C "$cache" --strip-components=1 package/bin/bun || return 1
    rm -f "$cache/$tarball"
  fi
  echo "$cache/bin/bun"
}
