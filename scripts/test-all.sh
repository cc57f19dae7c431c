#!/usr/bin/env bash
# What `make test-all` runs: every test of a build; with the release preset
# also the unit and integration tests under ASan+UBSan and each fuzz target.
#
# The sanitizer and fuzz trees compile while the release tests run, at idle
# priority (SCHED_IDLE): the tests spend much of their time waiting (on
# sandboxes, Docker, Kubernetes), and an idle-class task only gets a core no
# test wants, so the tests' timing is kept and the two compiles cost CI no
# time of their own. Their log: build/checks.log.
#
#   scripts/test-all.sh BUILD_DIR PRESET
set -euo pipefail
build=${1:?usage: test-all.sh BUILD_DIR PRESET}
preset=${2:?usage: test-all.sh BUILD_DIR PRESET}
if [ "$preset" != release ]; then
  exec scripts/run-tests.sh "$build"
fi

log=build/checks.log
# An idle class needs no privilege; nice is the fallback where it is refused.
if chrt --idle 0 true 2>/dev/null; then
  priority=(chrt --idle 0)
else
  priority=(nice -n 19)
fi
# setsid: the compile is its own process group, so a failed or interrupted
# run stops all of it (make, ninja and the compilers), not make alone.
setsid "${priority[@]}" make --no-print-directory build-sanitizers build-fuzz \
  >"$log" 2>&1 &
compile=$!
trap 'kill -TERM -- "-$compile" 2>/dev/null || true' EXIT
echo "test-all: compiling the ASan+UBSan and fuzz builds at idle priority meanwhile (log: $log)"

status=0
scripts/run-tests.sh "$build" || status=$?

compiled=0
wait "$compile" || compiled=$?
trap - EXIT
if [ "$compiled" -ne 0 ]; then
  echo "test-all: the ASan+UBSan or fuzz build failed ($log):" >&2
  tail -n 60 "$log" >&2
  exit 1
fi
[ "$status" -eq 0 ] || exit "$status"
make --no-print-directory test-sanitizers test-fuzz
