#!/usr/bin/env bash
# Where a proxied request's CPU goes, user and system apart, for one or two
# frontend builds beside nginx, in one run:
#
#   bench/frontend_cpu.sh [FRONTEND_BINARY [OTHER_FRONTEND_BINARY]]
#
# Each proxy (`--threads 1`, and nginx with one worker) forwards POST
# /python round-robin to two stub upstreams (a private nginx answering a
# fixed eval result), as in bench/frontend.sh. nginx runs twice: without an
# access log (frontend.sh's reference) and with one, buffered ("nginx-log"),
# as the frontend logs each request. wrk drives each in turn for
# SECONDS_PER_RUN (default 3) with 64 connections, ROUNDS times (default 3),
# alternating, so that the machine's drift falls on every proxy alike, and
# in the opposite order every other round: the proxy measured first in a
# round read a few percent high (1.14 against 1.03 for the same pair in
# the two orders). Each
# line gives requests/s and the proxy's user and system CPU per request,
# from its processes' utime and stime: compare two builds (the previous
# head's binary as OTHER_FRONTEND_BINARY) or a build against nginx.
set -euo pipefail
cd "$(dirname "$0")/.."
FRONTEND=${1:-build/release/bin/playground-frontend}
OTHER=${2:-}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-3}
ROUNDS=${ROUNDS:-3}
scripts/install-deps.sh --bench
tmp=$(mktemp -d)
source bench/lib.sh
trap 'stop_started; rm -rf "$tmp"' EXIT

start_stubs
np_port=$(free_port)
nginx_run proxy 1 "$(proxy_servers "$np_port" "$u1" "$u2")"
proxy_pid=$nginx_pid
nl_port=$(free_port)  # and one that logs each request (buffered), as we do
nginx_run proxylog 1 "$(access_log="$tmp/access.log" proxy_servers "$nl_port" "$u1" "$u2")"
logging_pid=$nginx_pid

names=() ports=() procs=()
frontend() {  # frontend NAME BINARY: one loop, limits lifted (wrk is one address)
  local port
  port=$(free_port)
  "$2" --port "$port" --bind 127.0.0.1 --threads 1 --rate-limit 0 \
    --backends "s1=http://127.0.0.1:$u1,s2=http://127.0.0.1:$u2" \
    --runs-per-client 100000 --waiting-per-client 100000 2>"$tmp/$1.log" &
  pids+=($!)
  names+=("$1") ports+=("$port") procs+=("$!")
  wait_http "http://127.0.0.1:$port/readyz" || { cat "$tmp/$1.log" >&2; exit 1; }
}
[ -z "$OTHER" ] || frontend other "$OTHER"
frontend frontend "$FRONTEND"
for p in "$proxy_pid" "$logging_pid"; do
  for _ in $(seq 100); do pgrep -P "$p" >/dev/null && break; sleep 0.1; done
done
names+=(nginx nginx-log) ports+=("$np_port" "$nl_port")
procs+=("$proxy_pid $(pgrep -P "$proxy_pid")" "$logging_pid $(pgrep -P "$logging_pid")")
wait_http "http://127.0.0.1:$u1/" && wait_http "http://127.0.0.1:$u2/"

write_post_lua "$tmp/post.lua"
ticks() {  # ticks PID...: "user system" clock ticks of the processes
  local u=0 s=0 p a b
  for p in "$@"; do
    read -r a b < <(awk '{print $14, $15}' "/proc/$p/stat")
    u=$((u + a)) s=$((s + b))
  done
  echo "$u $s"
}
hz=$(getconf CLK_TCK)
echo "Machine: $(nproc) cores, $(uname -r), $(date -u +%F). wrk -t1 -c64 -d${SECONDS_PER_RUN}s, $ROUNDS rounds."
order=("${!names[@]}")
reversed=()
for ((i = ${#order[@]} - 1; i >= 0; i--)); do reversed+=("${order[i]}"); done
for round in $(seq "$ROUNDS"); do
  if ((round % 2 == 0)); then run_order=("${reversed[@]}"); else run_order=("${order[@]}"); fi
  for i in "${run_order[@]}"; do
    # shellcheck disable=SC2086 # procs[i] is a list of pids
    read -r u0 s0 < <(ticks ${procs[i]})
    text=$(wrk -t1 -c64 -d"${SECONDS_PER_RUN}s" -s "$tmp/post.lua" "http://127.0.0.1:${ports[i]}/python")
    # shellcheck disable=SC2086
    read -r u1 s1 < <(ticks ${procs[i]})
    python3 - "$text" "$round" "${names[i]}" "$((u1 - u0))" "$((s1 - s0))" "$hz" <<'EOF'
import re, sys
text, rnd, name, user, system, hz = sys.argv[1], sys.argv[2], sys.argv[3], *map(int, sys.argv[4:])
n = int(re.search(r"(\d+) requests in", text)[1])
bad = sum(map(int, re.findall(r"(?:connect|read|write|timeout) (\d+)", text)))
bad += sum(map(int, re.findall(r"Non-2xx or 3xx responses: (\d+)", text)))
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text)[1])
us = lambda t: t / hz * 1e6 / max(n, 1)
print(f"round {rnd} {name:9s} {rate:9.0f} requests/s"
      f"  user {us(user):5.1f} µs  system {us(system):5.1f} µs  total {us(user + system):5.1f} µs"
      + (f"  ({bad} errors)" if bad else ""))
EOF
  done
done
