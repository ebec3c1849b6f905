#!/usr/bin/env bash
# promtool, which checks deploy/prometheus (configuration, alert rules and their unit tests), from
# Debian's `prometheus` package. Only the promtool binary is taken out of the package (apt-get
# download + dpkg-deb -x): installing the package would create a system user and start a Prometheus
# daemon that nothing here needs. Safe to run twice.
set -euo pipefail

if command -v promtool >/dev/null 2>&1; then
  exit 0
fi
. "$(dirname "$0")/lib/debian.sh"
require_apt install-promtool "install Prometheus's promtool so that it is on PATH"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
if ! apt-get download prometheus >/dev/null 2>&1; then
  as_root apt-get update -qq
  apt-get download prometheus
fi
dpkg-deb -x prometheus_*.deb root
as_root install -m 0755 root/usr/bin/promtool /usr/local/bin/promtool
promtool --version | head -1
