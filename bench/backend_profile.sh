#!/usr/bin/env bash
# What one run costs the backend's service process, counted rather than
# timed: instructions (callgrind), system calls (strace -c -f) and context
# switches per POST /py/eval of print("hello"), the figures a shared, noisy
# machine cannot blur. The keepers, inits and Pythons are not counted (see
# bench/cpu_per_run.sh for their CPU).
#
#   bench/backend_profile.sh [BIN_DIR]
#
# bench/post_loop.py sends REQUESTS (default 1000) back to back on
# CONNECTIONS (default 4) keep-alive connections after a warm-up of 200,
# once with the service under callgrind (instrumentation on only around the
# counted requests) and once with strace attached to it for those requests.
# Prints one JSON line: {"instructions_per_run", "syscalls_per_run",
# "context_switches_per_run", "syscalls": {...}}. Root (the sandbox's cgroups).
# CALLGRIND_OUT=FILE keeps the profile (callgrind_annotate --inclusive=yes).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/release/bin}
REQUESTS=${REQUESTS:-1000}
CONNECTIONS=${CONNECTIONS:-4}
tmp=$(mktemp -d)
source bench/lib.sh
cleanup() {
  stop_started
  if [ -n "${CALLGRIND_OUT:-}" ] && [ -f "$tmp/cg.out" ]; then cp "$tmp/cg.out" "$CALLGRIND_OUT"; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# backend_under TOOL...: starts the backend under TOOL; sets $port, $bpid.
backend_under() {
  port=$(free_port)
  "$@" "$BIN/playground-backend" --port "$port" --bind 127.0.0.1 --queue 1000 \
    --init "$BIN/playground-sandbox-init" 2>"$tmp/backend.log" &
  bpid=$!
  pids+=("$bpid")
  for _ in $(seq 600); do curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" && return 0; sleep 0.1; done
  cat "$tmp/backend.log" >&2
  exit 1
}
loop() { python3 bench/post_loop.py 127.0.0.1 "$port" "$1" "$CONNECTIONS" /py/eval; }
stop_backend() {
  kill -TERM "$bpid"
  wait "$bpid" || true
}
# Voluntary and involuntary context switches of every thread of $bpid.
switches() {
  cat /proc/"$bpid"/task/*/status | awk '/ctxt_switches/ {n += $2} END {print n}'
}

# Instructions: callgrind, instrumentation on only around the counted
# requests (the warm-up fills the pool and the allocator's caches first).
backend_under valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$tmp/cg.out"
loop 200
callgrind_control -i on "$bpid" >/dev/null 2>&1
loop "$REQUESTS"
callgrind_control -i off "$bpid" >/dev/null 2>&1
stop_backend
instructions=$(callgrind_annotate "$tmp/cg.out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}' | head -1)

# Context switches untraced, then system calls: strace attached to the
# running service (every thread, and any child it starts) for the counted
# requests only.
backend_under
loop 200
before=$(switches)
loop "$REQUESTS"
after=$(switches)
strace -f -c -o "$tmp/strace.txt" -p "$bpid" 2>/dev/null &
tracer=$!
sleep 1  # attached to every thread before the first counted request
loop "$REQUESTS"
kill -INT "$tracer"
wait "$tracer" || true
stop_backend
python3 - "$tmp/strace.txt" "$REQUESTS" "$instructions" "$((after - before))" <<'EOF'
import json, sys
path, n, instr, switches = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
calls = {}
for line in open(path):
    f = line.split()
    if len(f) >= 5 and f[0][0].isdigit() and f[-1] != "total":
        calls[f[-1]] = int(f[3])
per = {k: round(v / n, 2) for k, v in sorted(calls.items(), key=lambda kv: -kv[1])}
per = {k: v for k, v in per.items() if v >= 0.01}
print(json.dumps({"instructions_per_run": round(instr / n),
                  "syscalls_per_run": round(sum(calls.values()) / n, 2),
                  "context_switches_per_run": round(switches / n, 2),
                  "syscalls": per}))
EOF
