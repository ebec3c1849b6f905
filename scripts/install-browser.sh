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
. "$(dirname "$0")/lib/debian.sh"
require_apt install-browser "install Chromium so that /usr/bin/chromium exists"
apt_install chromium chromium-driver chromium-l10n
/usr/bin/chromium --version
