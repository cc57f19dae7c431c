#!/usr/bin/env bash
# What the request log costs when stderr is a pipe, as under a container
# runtime: CPU and system calls per proxied request, for one or more
# frontend builds, then nginx (one worker, no access log) as the reference,
# alternated over ROUNDS rounds (default 2):
#
#   bench/log_pipe.sh [FRONTEND_BINARY...]   # default: this build's
#
# Each frontend runs with `--threads 1` and the log at info (a line per
# request), its stderr a FIFO read by `cat`; wrk drives it with 64
# connections for SECONDS_PER_RUN (default 4), and perf's tracepoints
# (`syscalls:sys_enter_*`) count the system calls of its process. A line
# per run: requests/s, CPU µs per request (perf's task-clock), and each
# system call's count per request.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- build/release/bin/playground-frontend
SECONDS_PER_RUN=${SECONDS_PER_RUN:-4}
ROUNDS=${ROUNDS:-2}
scripts/install-deps.sh --bench
tmp=$(mktemp -d)
source bench/lib.sh
trap 'stop_started; rm -rf "$tmp"' EXIT

start_stubs
mkfifo "$tmp/stderr"
nginx_port=$(free_port)
nginx_run proxy 1 "$(proxy_servers "$nginx_port" "$u1" "$u2")"
nginx_master=$nginx_pid
write_post_lua "$tmp/post.lua"
events="task-clock"
for call in sendmsg recvmsg recvfrom epoll_wait write writev splice futex \
  timerfd_settime epoll_ctl getsockopt; do
  events="$events,syscalls:sys_enter_$call"
done

measure() {  # measure NAME PID PORT: one line of figures
  wrk -t1 -c64 -d1s -s "$tmp/post.lua" "http://127.0.0.1:$3/python" >/dev/null
  perf stat -x, -e "$events" -p "$2" -o "$tmp/stat" -- sleep "$SECONDS_PER_RUN" &
  local perf_pid=$!
  local text
  text=$(wrk -t1 -c64 -d"${SECONDS_PER_RUN}s" -s "$tmp/post.lua" "http://127.0.0.1:$3/python")
  wait "$perf_pid" || true
  python3 - "$1" "$text" "$tmp/stat" "$SECONDS_PER_RUN" <<'PY'
import re, sys
name, text, path, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
n = int(re.search(r"(\d+) requests in", text)[1])
parts = []
for line in open(path):
    f = line.strip().split(",")
    if len(f) < 3 or not f[0].replace(".", "").isdigit():
        continue
    value, event = float(f[0]), f[2]
    if event == "task-clock":
        parts.insert(0, f"cpu {value * 1000 / n:.1f} µs")
    elif value:
        parts.append(f"{event.split('sys_enter_')[-1]} {value / n:.2f}")
print(f"{name:48s} {n / seconds:8.0f} requests/s  " + "  ".join(parts))
PY
}

echo "Machine: $(nproc) cores, $(uname -r), $(date -u +%F). wrk -t1 -c64 -d${SECONDS_PER_RUN}s, $ROUNDS rounds; the frontends' stderr a FIFO read by cat."
for round in $(seq "$ROUNDS"); do
  for binary in "$@"; do
    port=$(free_port)
    cat "$tmp/stderr" >/dev/null &
    reader=$!
    "$binary" --port "$port" --bind 127.0.0.1 --threads 1 --rate-limit 0 \
      --backends "s1=http://127.0.0.1:$u1,s2=http://127.0.0.1:$u2" \
      --runs-per-client 100000 --waiting-per-client 100000 2>"$tmp/stderr" &
    frontend=$!
    wait_http "http://127.0.0.1:$port/readyz"
    measure "round $round $binary" "$frontend" "$port"
    kill "$frontend"
    wait "$frontend" 2>/dev/null || true
    wait "$reader" || true
  done
  measure "round $round nginx" "$(pgrep -P "$nginx_master")" "$nginx_port"
done
