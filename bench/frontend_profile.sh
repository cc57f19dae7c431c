#!/usr/bin/env bash
# What one proxied request costs the frontend, counted rather than timed:
# instructions (callgrind) and system calls (strace -c -f) per request, the
# figures a shared, noisy machine cannot blur.
#
#   bench/frontend_profile.sh [FRONTEND_BINARY] [FLAG...]
#
# A private nginx plays two stub backends (as in bench/frontend.sh); the
# frontend under test forwards POST /python to them. bench/post_loop.py sends
# REQUESTS (default 2000) back to back on CONNECTIONS (default 4) keep-alive
# connections, after a warm-up, once under callgrind (instrumentation only
# around the counted requests) and once under strace. Prints one JSON line:
# {"instructions_per_request", "syscalls_per_request", "syscalls": {...}}.
set -euo pipefail
cd "$(dirname "$0")/.."
FRONTEND=${1:-build/release/bin/playground-frontend}
shift || true
REQUESTS=${REQUESTS:-2000}
CONNECTIONS=${CONNECTIONS:-4}
tmp=$(mktemp -d)
source bench/lib.sh
trap 'stop_started; rm -rf "$tmp"' EXIT

start_stubs

# frontend_under TOOL...: starts the frontend under TOOL; sets $port, $fpid.
frontend_under() {
  port=$(free_port)
  "$@" "$FRONTEND" --port "$port" --bind 127.0.0.1 \
    --backends "s1=http://127.0.0.1:$u1,s2=http://127.0.0.1:$u2" --rate-limit 0 \
    --runs-per-client 100000 --waiting-per-client 100000 "${FRONTEND_FLAGS[@]}" \
    2>"$tmp/frontend.log" &
  fpid=$!
  pids+=("$fpid")
  for _ in $(seq 300); do curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" && return 0; sleep 0.1; done
  cat "$tmp/frontend.log" >&2
  exit 1
}
FRONTEND_FLAGS=("$@")
loop() { python3 bench/post_loop.py 127.0.0.1 "$port" "$1" "$CONNECTIONS"; }

# Instructions: callgrind with instrumentation on only around the counted
# requests (the warm-up fills pools and caches first).
frontend_under valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$tmp/cg.out"
loop 500
callgrind_control -i on "$fpid" >/dev/null
loop "$REQUESTS"
callgrind_control -i off "$fpid" >/dev/null
kill -TERM "$fpid"
wait "$fpid" || true
instructions=$(callgrind_annotate "$tmp/cg.out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}' | head -1)

# System calls: strace counts every call of every thread; the warm-up and
# startup are subtracted by counting a second, longer run and taking the
# difference per request.
count_syscalls() {  # count_syscalls N: the JSON {name: calls} of a run of N requests
  frontend_under strace -f -c -o "$tmp/strace.txt"
  loop "$1"
  # strace holds SIGTERM while it traces: stop the frontend, strace follows.
  kill -TERM "$(pgrep -P "$fpid")"
  wait "$fpid" || true
  python3 - "$tmp/strace.txt" <<'EOF'
import json, re, sys
calls = {}
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) >= 5 and f[0][0].isdigit() and f[-1] != "total":
        calls[f[-1]] = int(f[3])
print(json.dumps(calls))
EOF
}
small=$(count_syscalls 500)
large=$(count_syscalls $((500 + REQUESTS)))
python3 - "$small" "$large" "$REQUESTS" "$instructions" <<'EOF'
import json, sys
small, large, n, instr = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
per = {k: round((large.get(k, 0) - small.get(k, 0)) / n, 2) for k in set(small) | set(large)}
per = {k: v for k, v in sorted(per.items(), key=lambda kv: -kv[1]) if abs(v) >= 0.01}
print(json.dumps({"instructions_per_request": round(instr / n),
                  "syscalls_per_request": round(sum(per.values()), 2), "syscalls": per}))
EOF
