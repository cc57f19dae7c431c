#!/usr/bin/env bash
# Installs the npm packages DIR/package-lock.json pins into DIR/node_modules
# (npm ci: the network once, npm's cache after that), unless the lockfile
# is the one they were last installed from. The test fixtures' one way.
#   tests/support/npm-ci.sh tests/compat
set -euo pipefail
cd "$1"
stamp=node_modules/.playground-lock.json
if ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
  npm ci --no-audit --no-fund --ignore-scripts --prefer-offline --loglevel=error
  cp package-lock.json "$stamp"
fi
