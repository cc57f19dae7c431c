#!/usr/bin/env bash
# make bench: the backend against the machine's bare Python spawn, side by side.
#
# Measures print("hello") at concurrency 1 and at 2x cores, for
#   - the physical reference: bare /usr/bin/python3 -I -S -c 'print("hello")'
#     started and finished as fast as possible (stdout through a pipe), and
#   - playground-backend over HTTP keep-alive, fully sandboxed,
# and prints a Markdown table with the ratios. Root gives the full sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/release/bin}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
CORES=$(nproc)
HIGH=$((2 * CORES))
OUT=${OUT:-build/bench}
mkdir -p "$OUT"

log="$OUT/backend.log"
"$BIN/playground-backend" --port 0 --bind 127.0.0.1 --queue 1000 2>"$log" &
backend=$!
trap 'kill -TERM $backend 2>/dev/null; wait $backend 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  port=$(grep -o '"msg":"listening".*"port":[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "backend did not start:"; cat "$log"; exit 1; }

field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])['$2'])" "$1"; }
run() { "$BIN/playground-bench" "$@" --seconds "$SECONDS_PER_RUN"; }

echo "Benchmarking on $(nproc) cores, ${SECONDS_PER_RUN}s per run ..." >&2
bare1=$(run spawn --concurrency 1)
bareN=$(run spawn --concurrency "$HIGH")
http1=$(run http --port "$port" --concurrency 1)
httpN=$(run http --port "$port" --concurrency "$HIGH")

isolation=$(curl -s "http://127.0.0.1:$port/readyz" | python3 -c \
  'import json,sys; i=json.load(sys.stdin)["isolation"]; print("all layers" if not i["missing"] else "missing: " + ", ".join(i["missing"]))')

row() {
  printf '| %s | %s | %.0f | %.2f | %.2f | %s |\n' "$1" "$(field "$2" concurrency)" \
    "$(field "$2" rate_per_s)" "$(field "$2" p50_ms)" "$(field "$2" p99_ms)" "$(field "$2" errors)"
}
ratio() { python3 -c "print(f'{$1:.2f}')"; }

report="$OUT/report.md"
{
  echo "Machine: $(nproc) cores, $(uname -r); $(date -u +%Y-%m-%d); sandbox: $isolation"
  echo
  echo '| workload: print("hello") | concurrency | per second | p50 ms | p99 ms | errors |'
  echo '|---|---|---|---|---|---|'
  row "bare python3 -I -S spawn" "$bare1"
  row "playground-backend, HTTP" "$http1"
  row "bare python3 -I -S spawn" "$bareN"
  row "playground-backend, HTTP" "$httpN"
  echo
  echo "- latency at concurrency 1, backend / bare: $(ratio "$(field "$http1" p50_ms)/$(field "$bare1" p50_ms)")x (p50)"
  echo "- cost per run at concurrency $HIGH (bare rate / backend rate): $(ratio "$(field "$bareN" rate_per_s)/$(field "$httpN" rate_per_s)")x"
} | tee "$report"
echo "(written to $report)" >&2
