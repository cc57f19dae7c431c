#!/usr/bin/env bash
# Runs one fuzz target for a bounded time, starting from its seed corpus.
# Usage: run-fuzzer.sh FUZZER SEED_DIR WORK_DIR
#   FUZZ_SECONDS  how long (default 10)
#   FUZZ_SEED     libFuzzer's random seed (default 1, so a CI run is
#                 repeatable; 0 picks a new one each run)
# Every seed is run first, so a committed crash input is a regression test.
# New inputs go to WORK_DIR/corpus (kept between runs, never into the seed
# directory); a crash or a broken property is saved as WORK_DIR/crash-* and
# the run fails.
set -euo pipefail
fuzzer=$1 seeds=$2 work=$3
mkdir -p "$work/corpus"
dict=()
[ -f "$seeds.dict" ] && dict=(-dict="$seeds.dict")
exec "$fuzzer" -max_total_time="${FUZZ_SECONDS:-10}" -seed="${FUZZ_SEED:-1}" \
  -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/" "${dict[@]}" "$work/corpus" "$seeds"
