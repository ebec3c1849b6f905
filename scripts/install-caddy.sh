#!/usr/bin/env bash
# Caddy, the HTTPS reverse proxy of the compose stack: tests/deploy validates deploy/proxy/Caddyfile with
# the real binary and runs it in front of real HTTP servers. Debian's package, installed with apt-get
# only when missing. Safe to run twice. The package's systemd unit is not started (no systemd in CI);
# the tests run their own caddy process on free ports.
set -euo pipefail

if command -v caddy >/dev/null 2>&1; then
  exit 0
fi
. "$(dirname "$0")/lib/debian.sh"
require_apt install-caddy "install Caddy 2 so that caddy is on PATH"
apt_install caddy
caddy version
