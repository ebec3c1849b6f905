#!/usr/bin/env bash
# The tools a partner's developers run on our published contracts, which tests/contract runs too: the
# official AsyncAPI parser, Spectral with its AsyncAPI ruleset, and ajv, pinned by
# tools/contract-check/package-lock.json and installed with `npm ci` into tools/contract-check/node_modules
# (git-ignored). Node.js and npm come from Debian's packages when the machine has none. Safe to run twice:
# nothing is done while the installed tree matches the lock file.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
tools="$here/tools/contract-check"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  . "$here/scripts/lib/debian.sh"
  require_apt install-contract-tools "install Node.js (18.18 or later) and npm"
  apt_install nodejs npm
fi

# npm ci writes node_modules/.package-lock.json; a copy of the lock beside it says which lock it installed.
stamp="$tools/node_modules/.motcua-installed-lock.json"
if [ -f "$stamp" ] && cmp -s "$stamp" "$tools/package-lock.json"; then
  exit 0
fi
# --ignore-scripts: none of these packages builds anything, and one dependency's install script only
# sends usage analytics.
(cd "$tools" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
cp "$tools/package-lock.json" "$stamp"
echo "install-contract-tools: $(node --version), @asyncapi/parser $(node -p "require('$tools/node_modules/@asyncapi/parser/package.json').version"), spectral-cli $(node -p "require('$tools/node_modules/@stoplight/spectral-cli/package.json').version")"
