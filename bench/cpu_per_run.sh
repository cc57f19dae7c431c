#!/usr/bin/env bash
# Where the CPU of one sandboxed run goes, beside bare `python3 main.py`:
# print("hello") at saturation (every core busy), each side in a cpu
# accounting cgroup of its own, so the figure is CPU per run whatever else
# the machine is doing (wall-clock rates on a shared machine are not).
#
#   sandboxed: the backend's whole cgroup (the service, its keepers, every
#              init and Python) over HTTP keep-alive, split into the
#              service's own process, the keepers (one clone of the
#              namespaces per run) and the rest (inits and Pythons);
#   bare:      playground-bench spawning `python3 main.py` (the physical
#              reference; the spawning costs a little and is counted).
#
# The kernel's deferred work is in neither: a network namespace is torn
# down by a kernel worker after the run.
# Writes build/bench/cpu_per_run.md. Root (cgroups). SECONDS_PER_RUN, ROUNDS.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/release/bin}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
ROUNDS=${ROUNDS:-2}
OUT=${OUT:-build/bench}
CONCURRENCY=$((2 * $(nproc)))
mkdir -p "$OUT"
source bench/lib.sh

# A cpu accounting cgroup: v1's cpuacct, or a v2 group's cpu.stat.
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  group_dir() { echo "/sys/fs/cgroup/$1"; }
  usage_ns() { awk '/^usage_usec/ {print $2 * 1000}' "$(group_dir "$1")/cpu.stat"; }
else
  group_dir() { echo "/sys/fs/cgroup/cpuacct/$1"; }
  usage_ns() { cat "$(group_dir "$1")/cpuacct.usage"; }
fi
sandboxed=pg-bench-sandboxed-$$ bare=pg-bench-bare-$$
mkdir "$(group_dir "$sandboxed")" "$(group_dir "$bare")"
script_dir=$(mktemp -d)
cleanup() {
  stop_started
  rmdir "$(group_dir "$sandboxed")" "$(group_dir "$bare")" 2>/dev/null || true
  rm -rf "$script_dir"
}
trap cleanup EXIT

port=$(free_port)
# Started inside its group, so everything it starts is counted there.
sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$(group_dir "$sandboxed")" \
  "$BIN/playground-backend" --port "$port" --bind 127.0.0.1 --queue 1000 2>"$OUT/cpu_backend.log" &
backend=$!
pids+=("$backend")
wait_http "http://127.0.0.1:$port/readyz" || { cat "$OUT/cpu_backend.log"; exit 1; }
sleep 1

# CPU time in ns of a process (every thread: the scheduler's own count,
# /proc/PID/task/*/schedstat, not /proc/PID/stat's 10 ms ticks, too coarse
# for a part of half a millisecond per run) and of the service's keepers.
cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{n += $1} END {printf "%d\n", n}'; }
keeper_ns() {
  local sum=0 k
  for k in $(pgrep -P "$backend" -x pg-keeper); do sum=$((sum + $(cpu_ns "$k"))); done
  echo "$sum"
}
requests() { field "$1" requests; }

rows=""
for round in $(seq "$ROUNDS"); do
  a0=$(usage_ns "$sandboxed") s0=$(cpu_ns "$backend") k0=$(keeper_ns)
  out=$("$BIN/playground-bench" http --port "$port" --concurrency "$CONCURRENCY" \
    --seconds "$SECONDS_PER_RUN" --warmup 0 --code 'print("hello")' --expect $'hello\n')
  a1=$(usage_ns "$sandboxed") s1=$(cpu_ns "$backend") k1=$(keeper_ns)
  runs=$(requests "$out")
  out_bare=$(sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$(group_dir "$bare")" \
    "$BIN/playground-bench" spawn --concurrency "$CONCURRENCY" --seconds "$SECONDS_PER_RUN" \
    --warmup 0 --script "$script_dir")
  bare_ns=$(usage_ns "$bare")
  bare_runs=$(requests "$out_bare")
  total_us=$(( (a1 - a0) / runs / 1000 ))
  service_us=$(( (s1 - s0) / runs / 1000 ))
  keepers_us=$(( (k1 - k0) / runs / 1000 ))
  rest_us=$(( total_us - service_us - keepers_us ))
  bare_us=$(( (bare_ns - ${bare_before:-0}) / bare_runs / 1000 ))
  bare_before=$bare_ns
  rows+="| $round | $runs | $total_us | $service_us | $keepers_us | $rest_us | $bare_runs | $bare_us | $(ratio "$bare_us / $total_us") |"$'\n'
done

{
  echo "## CPU per run: sandboxed against bare python3 main.py"
  echo
  echo "print(\"hello\"), concurrency $CONCURRENCY, ${SECONDS_PER_RUN} s per side and round, on $(nproc) cores."
  echo "µs of CPU per run; \"bare / sandboxed\" is the throughput ratio the CPU allows."
  echo
  echo "| round | sandboxed runs | sandboxed µs | service | keepers | inits and Pythons | bare runs | bare µs | bare / sandboxed |"
  echo "|---|---|---|---|---|---|---|---|---|"
  printf '%s' "$rows"
} | tee "$OUT/cpu_per_run.md"
