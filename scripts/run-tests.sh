#!/usr/bin/env bash
# Runs every test of a build directory with CTest. Fails on any failure and
# also when a test did not run: a skipped test is not a passing test.
set -euo pipefail
build=${1:-build/release}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Serial on purpose: the hostile suite checks the whole host for leftovers.
set +e
ctest --test-dir "$build" --output-on-failure --no-tests=error --timeout 300 "${@:2}" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if grep -qE 'tests did not run|\*\*\*Skipped|Not Run' "$log"; then
  echo "run-tests: some tests did not run (see above); that is a failure" >&2
  exit 1
fi
exit "$status"
