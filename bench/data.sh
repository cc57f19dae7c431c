#!/usr/bin/env bash
# make bench, data snippets: a pandas program through playground-backend with
# its data sandboxes (Python imported numpy and pandas before the program
# arrived), through a backend without them (--data-pool off: the program
# imports them itself, as python3 main.py does), and bare python3 main.py,
# beside print("hello") through the same backend; plus the memory a data
# sandbox holds while it waits.
#
# Requests are paced (2 per second, one at a time, after a warm-up): a data
# sandbox costs ~250 ms of CPU to prepare, so back to back the refill, not
# the run, is the bound (that row is shown too).
#
# Writes build/bench/data.md. SECONDS_PER_RUN (default 5) sets the length.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/release/bin}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
OUT=${OUT:-build/bench}
mkdir -p "$OUT"

source bench/lib.sh
trap stop_started EXIT
bench() { "$BIN/playground-bench" "$@"; }

# Starts a backend with these flags; sets `port` and `pid`.
start_backend() {
  port=$(free_port)
  "$BIN/playground-backend" --port "$port" --bind 127.0.0.1 "$@" 2>>"$OUT/data-backends.log" &
  pid=$!
  pids+=("$pid")
  wait_http "http://127.0.0.1:$port/readyz" || { cat "$OUT/data-backends.log" >&2; exit 1; }
}
: > "$OUT/data-backends.log"
start_backend
with_pool=$port
with_pool_pid=$pid
start_backend --data-pool off
without_pool=$port

code='import pandas as pd; print(pd.DataFrame({"a": [1, 2]}).sum())'
expect=$'a    3\ndtype: int64\n'
paced() { bench http --port "$1" --rate 2 --warmup 2 --seconds "$SECONDS_PER_RUN" "${@:2}"; }
echo "Measuring data snippets (${SECONDS_PER_RUN}s per row) ..." >&2
script_dir=$(mktemp -d)
bare=$(bench spawn --concurrency 1 --seconds "$SECONDS_PER_RUN" --script "$script_dir" --code "$code" --expect "$expect")
rm -rf "$script_dir"
hello=$(paced "$with_pool")
data=$(paced "$with_pool" --code "$code" --expect "$expect")
no_pool=$(paced "$without_pool" --code "$code" --expect "$expect")
back_to_back=$(bench http --port "$with_pool" --concurrency 1 --warmup 1 --seconds "$SECONDS_PER_RUN" --code "$code" --expect "$expect")

# A waiting sandbox's Python: the largest python3 under the backend with
# data sandboxes (a data one, numpy and pandas imported), and the smallest
# (a plain one). Proportional set size: shared library pages split.
descendants() { local p; for p in $(pgrep -P "$1"); do echo "$p"; descendants "$p"; done; }
pss_kb() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
sleep 1
read -r plain_pss data_pss < <(for p in $(descendants "$with_pool_pid"); do
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" = python3 ] && pss_kb "$p"
  done | sort -n | awk 'NR == 1 {min = $1} {max = $1} END {print min, max}')

row() {
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$(num "$2" 1 rate_per_s)" \
    "$(num "$2" 2 p50_ms)" "$(num "$2" 2 p99_ms)" "$(field "$2" errors)"
}
{
  echo "Data snippet: \`$code\`. Machine: $(nproc) cores, $(date -u +%Y-%m-%d). Command: \`make bench\` (bench/data.sh)."
  echo
  echo '| one at a time | per second | p50 ms | p99 ms | errors |'
  echo '|---|---|---|---|---|'
  row "bare python3 main.py, the data snippet (physical reference)" "$bare"
  row 'playground-backend, print("hello"), paced 2/s' "$hello"
  row "playground-backend, the data snippet, data sandboxes, paced 2/s" "$data"
  row "playground-backend, the data snippet, --data-pool off, paced 2/s" "$no_pool"
  row "playground-backend, the data snippet, data sandboxes, back to back" "$back_to_back"
  echo
  echo "- data snippet with data sandboxes / hello, p50: $(ratio "$(field "$data" p50_ms)/$(field "$hello" p50_ms)") (goal: 2)"
  echo "- data snippet: bare python3 main.py / with data sandboxes, p50: $(ratio "$(field "$bare" p50_ms)/$(field "$data" p50_ms)")x; without them / with them: $(ratio "$(field "$no_pool" p50_ms)/$(field "$data" p50_ms)")x"
  echo "- a waiting sandbox's Python (PSS): data $((data_pss / 1024)) MB, plain $((plain_pss / 1024)) MB"
} | tee "$OUT/data.md"
