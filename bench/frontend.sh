#!/usr/bin/env bash
# make bench (second part): what playground-frontend costs, side by side in one run.
#
#   1. added latency: print("hello") straight to a backend's /py/eval and
#      through the frontend's /python (two real backends behind it);
#   2. proxy throughput on a trivial endpoint: the frontend against nginx as a
#      round-robin reverse proxy, both in front of the same two stub upstreams
#      (nginx answering a fixed eval result at once), driven by wrk, with
#      each proxy's CPU and system calls per request (perf's tracepoints);
#   3. idle keep-alive connections (bench/idle_connections.py): memory per
#      connection and the latency of a fresh request while they are held,
#      frontend against nginx;
#   4. instructions and system calls per proxied request, counted
#      (bench/frontend_profile.sh: callgrind and strace), not timed.
#
# It opens with the issue's figures, each beside its nginx reference, as
# ratios: CPU per request, one thread against one nginx worker, every core
# against worker_processes auto, and memory per idle connection.
#
# Writes build/bench/frontend.md. SECONDS_PER_RUN (default 5) sets the length
# of a run, IDLE_CONNECTIONS (default 10000) the connections held.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/release/bin}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-10000}
OUT=${OUT:-build/bench}
mkdir -p "$OUT"
scripts/install-deps.sh --bench
# Where no policy-rc.d forbids it, Debian's postinst starts the packaged nginx
# service on :80. Every nginx here is a private instance on a free loopback
# port, so stop that one (its pid file is the package's).
if [ -s /run/nginx.pid ] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; then
  echo "frontend.sh: stopping the nginx service the Debian package started on :80" >&2
  nginx -s stop
fi

tmp=$(mktemp -d)
source bench/lib.sh
cleanup() {
  stop_started
  rm -rf "$tmp"
}
trap cleanup EXIT

calc() { python3 -c "print(f'{$1:.2f}')"; }

backend() {  # backend NAME PORT: a real playground-backend, logging to $OUT/NAME.log
  "$BIN/playground-backend" --port "$2" --bind 127.0.0.1 --queue 1000 2>"$OUT/$1.log" &
  pids+=($!)
  wait_http "http://127.0.0.1:$2/readyz" || { cat "$OUT/$1.log" >&2; exit 1; }
}
# Every request comes from one address (wrk's): the rate limit and the
# per-client share are lifted, or most answers would be 429s, not proxying.
frontend() {  # frontend NAME PORT BACKENDS [FLAG...]: logs to $OUT/NAME.log, sets $frontend_pid
  "$BIN/playground-frontend" --port "$2" --bind 127.0.0.1 --backends "$3" --rate-limit 0 \
    --runs-per-client 100000 --waiting-per-client 100000 "${@:4}" 2>"$OUT/$1.log" &
  frontend_pid=$!
  pids+=("$frontend_pid")
  wait_http "http://127.0.0.1:$2/readyz" || { cat "$OUT/$1.log" >&2; exit 1; }
}

echo "Measuring the frontend on $(nproc) cores (${SECONDS_PER_RUN}s per row) ..." >&2

# 1. Added latency: two real backends, a frontend round-robin over both.
b1=$(free_port); b2=$(free_port); fe=$(free_port)
backend frontend-backend1 "$b1"; backend frontend-backend2 "$b2"
frontend frontend-latency "$fe" "gke=http://127.0.0.1:$b1,aks=http://127.0.0.1:$b2"
http() { "$BIN/playground-bench" http --code 'print("hello")' --seconds "$SECONDS_PER_RUN" "$@"; }
direct_paced=$(http --port "$b1" --rate 10)
front_paced=$(http --port "$fe" --path /python --rate 10)
direct1=$(http --port "$b1" --concurrency 1)
front1=$(http --port "$fe" --path /python --concurrency 1)

# 2. Throughput on a trivial endpoint: two stub upstreams (bench/lib.sh).
start_stubs
stubs="s1=http://127.0.0.1:$u1,s2=http://127.0.0.1:$u2"
fs=$(free_port); fa=$(free_port); fq=$(free_port); n1=$(free_port); na=$(free_port)
# One event loop against one nginx worker; a loop per core (--threads 0,
# the default) against worker_processes auto.
frontend frontend-proxy "$fs" "$stubs" --threads 1
fs_pid=$frontend_pid
frontend frontend-proxy-all "$fa" "$stubs" --threads 0
fa_pid=$frontend_pid
# The same without its JSON line per request on stderr: nginx logs none here.
frontend frontend-proxy-quiet "$fq" "$stubs" --threads 1 --log-level warn
fq_pid=$frontend_pid
nginx_run proxy1 1 "$(proxy_servers "$n1" "$u1" "$u2")"
n1_pid=$nginx_pid
nginx_run proxyauto auto "$(proxy_servers "$na" "$u1" "$u2")"
na_pid=$nginx_pid
# nginx logging each request as the frontend does (buffered), for a like
# for like figure beside the goal's reference (which logs nothing).
nl=$(free_port)
nginx_run proxylog 1 "$(access_log="$tmp/proxylog.access" proxy_servers "$nl" "$u1" "$u2")"
nl_pid=$nginx_pid
write_post_lua "$tmp/post.lua"
post='{"code":"print(\"hello\")"}'
for port in "$u1" "$u2" "$fs" "$fa" "$fq" "$n1" "$na" "$nl"; do
  case $port in "$u1" | "$u2") path=/py/eval ;; *) path=/python ;; esac
  url="http://127.0.0.1:$port$path"
  wait_http "http://127.0.0.1:$port/healthz" || { echo "frontend.sh: nothing answers on :$port" >&2; exit 1; }
  got=$(curl -s -w '\n%{http_code}' -H 'Content-Type: application/json' -d "$post" "$url")
  [ "$got" = "$stub_body"$'\n200' ] || { echo "frontend.sh: $url answered: $got" >&2; exit 1; }
done
# CPU time (user + system, clock ticks) of the given processes and their threads.
cpu_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
# System calls are counted by the kernel's tracepoints (perf stat), which
# leave the timing alone, unlike strace; skipped where perf cannot.
syscall_events=raw_syscalls:sys_enter
for call in recvfrom recvmsg readv sendmsg writev write epoll_wait epoll_ctl futex getsockopt timerfd_settime; do
  syscall_events+=",syscalls:sys_enter_$call"
done
perf stat -e "$syscall_events" -o /dev/null true 2>/dev/null || syscall_events=
# wrk_run PORT PID...: {"rate_per_s", "p50_ms", "p99_ms", "errors", "cpu_us",
# "syscalls": {name: per request, "all": ...}} from wrk's text, cpu_us being
# the CPU the proxy's processes (PIDs) spent per request: what the proxy
# costs whatever share of the cores it got.
wrk_run() {
  local before text perf_pid=
  : > "$tmp/syscalls.csv"
  if [ -n "$syscall_events" ]; then
    perf stat -x, -e "$syscall_events" -p "$(IFS=,; echo "${*:2}")" -o "$tmp/syscalls.csv" &
    perf_pid=$!
    sleep 0.2
  fi
  before=$(cpu_ticks "${@:2}")
  text=$(wrk -t1 -c64 -d"${SECONDS_PER_RUN}s" --latency -s "$tmp/post.lua" "http://127.0.0.1:$1/python")
  if [ -n "$perf_pid" ]; then kill -INT "$perf_pid"; wait "$perf_pid" || true; fi
  echo "$text" >> "$OUT/frontend-wrk.txt"
  python3 -c '
import json, re, sys
text, ticks, hz, counts = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
ms = lambda v, u: float(v) * {"us": 0.001, "ms": 1, "s": 1000}[u]
pct = {p: ms(v, u) for p, v, u in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s)$", text, re.M)}
errors = sum(map(int, re.findall(r"(?:connect|read|write|timeout) (\d+)", text)))
errors += sum(map(int, re.findall(r"Non-2xx or 3xx responses: (\d+)", text)))
requests = int(re.search(r"(\d+) requests in", text)[1])
calls = {}
for line in open(counts):
    f = line.strip().split(",")
    if len(f) > 2 and f[0].isdigit():
        name = "all" if f[2] == "raw_syscalls:sys_enter" else f[2].rsplit("sys_enter_", 1)[-1]
        if int(f[0]) >= requests / 100:
            calls[name] = round(int(f[0]) / max(requests, 1), 2)
print(json.dumps({"rate_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", text)[1]),
                  "p50_ms": pct["50"], "p99_ms": pct["99"], "errors": errors,
                  "cpu_us": ticks / hz * 1e6 / max(requests, 1), "syscalls": calls}))' \
    "$text" "$(($(cpu_ticks "${@:2}") - before))" "$(getconf CLK_TCK)" "$tmp/syscalls.csv"
}
: > "$OUT/frontend-wrk.txt"
wrk_front=$(wrk_run "$fs" "$fs_pid")
wrk_all=$(wrk_run "$fa" "$fa_pid")
wrk_quiet=$(wrk_run "$fq" "$fq_pid")
wrk_n1=$(wrk_run "$n1" "$n1_pid" $(pgrep -P "$n1_pid"))
wrk_na=$(wrk_run "$na" "$na_pid" $(pgrep -P "$na_pid"))
wrk_nl=$(wrk_run "$nl" "$nl_pid" $(pgrep -P "$nl_pid"))

# 3. Idle keep-alive connections, each against a fresh process in front of
# the stubs (so earlier load does not leave free heap to hide the cost).
fi_port=$(free_port)
frontend frontend-idle "$fi_port" "$stubs"
idle_front=$(python3 bench/idle_connections.py 127.0.0.1 "$fi_port" --connections "$IDLE_CONNECTIONS" --pid "$frontend_pid")
ni_port=$(free_port)
nginx_run idle 1 "$(proxy_servers "$ni_port" "$u1" "$u2")"
wait_http "http://127.0.0.1:$ni_port/healthz"
# The master and its one worker, which holds the connections.
idle_nginx=$(python3 bench/idle_connections.py 127.0.0.1 "$ni_port" --connections "$IDLE_CONNECTIONS" \
  --pid "$nginx_pid" --pid "$(pgrep -P "$nginx_pid")")

# 4. Counted: the frontend alone in front of the stubs (its own nginx).
profile=$(bench/frontend_profile.sh "$BIN/playground-frontend" --threads 1 2>"$OUT/frontend-profile.log") ||
  { cat "$OUT/frontend-profile.log" >&2; exit 1; }

lat_row() {
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$(num "$2" 0 rate_per_s)" "$(num "$2" 2 p50_ms)" \
    "$(num "$2" 2 p99_ms)" "$(field "$2" errors)"
}
# The system calls per request of a wrk_run: "5.02: recvfrom 2.00, ...".
syscalls_of() {
  python3 -c '
import json, sys
calls = json.loads(sys.argv[1])["syscalls"]
total = calls.pop("all", None)
print("n/a (perf)" if total is None else f"{total:.2f}: " + ", ".join(
    f"{k} {v:.2f}" for k, v in sorted(calls.items(), key=lambda kv: -kv[1])))' "$1"
}
wrk_row() {
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$(num "$2" 0 rate_per_s)" "$(num "$2" 3 p50_ms)" \
    "$(num "$2" 3 p99_ms)" "$(field "$2" errors)" "$(num "$2" 1 cpu_us)" \
    "$(calc "$(field "$wrk_front" rate_per_s) / $(field "$2" rate_per_s)")" "$(syscalls_of "$2")"
}
idle_row() {
  local before after open
  before=$(field "$2" rss_kb_before); after=$(field "$2" rss_kb_after); open=$(field "$2" connections_open)
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$open" "$(field "$2" failed)" "$before" "$after" \
    "$(calc "($after - $before) / max($open, 1)")" "$(num "$2" 2 fresh_request_ms)"
}

kb_per_idle() { calc "($(field "$1" rss_kb_after) - $(field "$1" rss_kb_before)) / max($(field "$1" connections_open), 1)"; }
# goal_row FIGURE FRONTEND NGINX RATIO GOAL
goal_row() { printf '| %s | %s | %s | %s | %s |\n' "$@"; }

report="$OUT/frontend.md"
{
  echo "Machine: $(nproc) cores, Linux $(uname -r), $(date -u +%Y-%m-%d)."
  echo "Command: \`make bench\` or \`bench/frontend.sh\` (SECONDS_PER_RUN=$SECONDS_PER_RUN, IDLE_CONNECTIONS=$IDLE_CONNECTIONS)."
  echo
  echo '### The frontend against nginx (issue 20)'
  echo
  echo 'Each figure from the rows below, beside its nginx reference in the same run.'
  echo "The one-thread rows run \`--threads 1\`; every core, \`--threads 0\` (a loop per core: $(nproc) here). wrk itself takes a core of the same machine."
  echo
  echo '| figure | playground-frontend | nginx | frontend / nginx | goal |'
  echo '|---|---|---|---|---|'
  goal_row "proxy CPU µs per request (nginx: 1 worker)" "$(num "$wrk_front" 1 cpu_us)" "$(num "$wrk_n1" 1 cpu_us)" \
    "$(calc "$(field "$wrk_front" cpu_us) / $(field "$wrk_n1" cpu_us)")" "≤ 1.00"
  goal_row "requests/s, one thread (nginx: worker_processes 1)" "$(num "$wrk_front" 0 rate_per_s)" "$(num "$wrk_n1" 0 rate_per_s)" \
    "$(calc "$(field "$wrk_front" rate_per_s) / $(field "$wrk_n1" rate_per_s)")" "≥ 1.00"
  goal_row "requests/s, every core (nginx: worker_processes auto)" "$(num "$wrk_all" 0 rate_per_s)" "$(num "$wrk_na" 0 rate_per_s)" \
    "$(calc "$(field "$wrk_all" rate_per_s) / $(field "$wrk_na" rate_per_s)")" "≥ 1.00"
  goal_row "like for like, both logging each request: proxy CPU µs per request (nginx: 1 worker, buffered access log)" \
    "$(num "$wrk_front" 1 cpu_us)" "$(num "$wrk_nl" 1 cpu_us)" \
    "$(calc "$(field "$wrk_front" cpu_us) / $(field "$wrk_nl" cpu_us)")" "(not a goal: beside the first row)"
  goal_row "KB per idle keep-alive connection" "$(kb_per_idle "$idle_front")" "$(kb_per_idle "$idle_nginx")" \
    "$(calc "$(kb_per_idle "$idle_front") / $(kb_per_idle "$idle_nginx")")" "frontend ≤ 2 KB"
  echo
  echo "Counted per proxied request (bench/frontend_profile.sh, back to back on 4 connections):"
  echo "$(field "$profile" instructions_per_request) instructions (callgrind),"
  echo "$(field "$profile" syscalls_per_request) system calls (strace -c -f): \`$(python3 -c 'import json,sys; print(json.dumps(json.loads(sys.argv[1])["syscalls"]))' "$profile")\`."
  echo
  echo '### Added latency of the frontend, print("hello")'
  echo
  echo '| path | per second | p50 ms | p99 ms | errors |'
  echo '|---|---|---|---|---|'
  lat_row "backend /py/eval, paced 10/s (open loop)" "$direct_paced"
  lat_row "frontend /python (2 backends), paced 10/s (open loop)" "$front_paced"
  lat_row "backend /py/eval, back to back (1 connection)" "$direct1"
  lat_row "frontend /python (2 backends), back to back (1 connection)" "$front1"
  echo
  echo "- added p50, frontend minus direct: $(calc "$(field "$front_paced" p50_ms) - $(field "$direct_paced" p50_ms)") ms paced," \
    "$(calc "$(field "$front1" p50_ms) - $(field "$direct1" p50_ms)") ms back to back"
  echo
  echo '### Proxy throughput on a trivial endpoint (stub upstreams)'
  echo
  echo "wrk -t1 -c64 -d${SECONDS_PER_RUN}s, POST /python \`$post\`, forwarded round-robin to"
  echo "two stub upstreams (one nginx, 1 worker) answering POST /py/eval at once with a fixed result."
  echo "wrk, the proxy and the stubs share the $(nproc) cores, so these are ratios on one"
  echo "machine, not the capacity of either proxy."
  echo
  echo '| proxy | requests/s | p50 ms | p99 ms | errors | proxy CPU µs per request | frontend requests/s / this | system calls per request (perf tracepoints) |'
  echo '|---|---|---|---|---|---|---|---|'
  wrk_row "playground-frontend (one thread)" "$wrk_front"
  wrk_row "playground-frontend, a loop per core ($(nproc))" "$wrk_all"
  wrk_row "playground-frontend, --log-level warn (no request log)" "$wrk_quiet"
  wrk_row "nginx, worker_processes 1" "$wrk_n1"
  wrk_row "nginx, worker_processes auto ($(nproc))" "$wrk_na"
  wrk_row "nginx, worker_processes 1, access log (buffered)" "$wrk_nl"
  echo
  echo "### $IDLE_CONNECTIONS idle keep-alive connections"
  echo
  echo 'Each connection sent GET /healthz once and stays open; RSS is read once all'
  echo 'are held, then a fresh connection asks GET /healthz (median of 10), then every'
  echo 'held connection is asked again ("held" counts those that still answer).'
  echo
  echo '| server | held | failed | RSS before KB | RSS held KB | KB per connection | fresh request ms |'
  echo '|---|---|---|---|---|---|---|'
  idle_row "playground-frontend" "$idle_front"
  idle_row "nginx, worker_processes 1 (master + worker)" "$idle_nginx"
} | tee "$report"
echo "(written to $report)" >&2
