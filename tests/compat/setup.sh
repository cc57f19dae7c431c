#!/usr/bin/env bash
# The compatibility tests' fixture: installs the clients package-lock.json
# pins (piston-client, the @antonz/codapi widget; npm ci: the network once,
# npm's cache after that).
set -euo pipefail
cd "$(dirname "$0")"
../support/npm-ci.sh .
echo "compat setup: $(node -p 'require("piston-client/package.json").name + " " + require("piston-client/package.json").version'), @antonz/codapi $(node -p 'require("@antonz/codapi/package.json").version')"
