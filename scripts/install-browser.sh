#!/usr/bin/env bash
# The headless browser the page tests render in (receipt, dashboard) and the console's browser tests
# drive (selenium): Debian's chromium and chromium-driver, installed with apt-get only when either is
# missing. Safe to run twice.
set -euo pipefail

# chromium-l10n: without it Chromium knows only English, and date fields show mm/dd/yyyy to officers
# who write dd/mm/yyyy (the browser tests run it with --lang=vi).
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && [ -d /usr/lib/chromium/locales ] \
    && [ -e /usr/lib/chromium/locales/vi.pak ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: apt-get not found; install Chromium so that /usr/bin/chromium exists" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends chromium chromium-driver chromium-l10n
/usr/bin/chromium --version
