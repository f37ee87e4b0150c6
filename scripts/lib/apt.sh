# Sourced by the setup scripts. apt_install PKG...: installs Debian packages when this is a
# Debian-like machine and we are root (adds dpkg's arm64 architecture first when a package
# is NAME:arm64); otherwise says what to install and returns 1.
apt_install() {
  [ $# -gt 0 ] || return 0
  if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
    echo "setup: needs the Debian packages: $* (install them and run again)" >&2
    return 1
  fi
  echo "setup: installing $*" >&2
  case " $* " in *:arm64\ *) dpkg --add-architecture arm64 ;; esac
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null || {
    echo "setup: apt-get install $* failed" >&2
    return 1
  }
}
