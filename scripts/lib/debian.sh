# Sourced by the scripts/install-*.sh scripts: the tools CI needs from Debian's packages.

# require_apt NAME HINT: stop with one line when this is not a Debian-like machine.
require_apt() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$1: apt-get not found; $2" >&2
    exit 1
  fi
}

# as_root CMD...: through sudo unless already root (CI runs as root, a developer usually not).
as_root() {
  if [ "$(id -u)" -ne 0 ]; then sudo "$@"; else "$@"; fi
}

# apt_install PACKAGE...: without recommends and without questions.
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "$@"
}
