#!/usr/bin/env bash
# Caddy, the HTTPS reverse proxy of the compose stack: tests/deploy validates deploy/proxy/Caddyfile with
# the real binary and runs it in front of real HTTP servers. Debian's package, installed with apt-get
# only when missing. Safe to run twice. The package's systemd unit is not started (no systemd in CI);
# the tests run their own caddy process on free ports.
set -euo pipefail

if command -v caddy >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-caddy: apt-get not found; install Caddy 2 so that caddy is on PATH" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends caddy
caddy version
