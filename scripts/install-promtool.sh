#!/usr/bin/env bash
# promtool, which checks deploy/prometheus (configuration, alert rules and their unit tests), from
# Debian's `prometheus` package. Only the promtool binary is taken out of the package (apt-get
# download + dpkg-deb -x): installing the package would create a system user and start a Prometheus
# daemon that nothing here needs. Safe to run twice.
set -euo pipefail

if command -v promtool >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-promtool: apt-get not found; install Prometheus's promtool so that it is on PATH" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
if ! apt-get download prometheus >/dev/null 2>&1; then
  $sudo apt-get update -qq
  apt-get download prometheus
fi
dpkg-deb -x prometheus_*.deb root
$sudo install -m 0755 root/usr/bin/promtool /usr/local/bin/promtool
promtool --version | head -1
