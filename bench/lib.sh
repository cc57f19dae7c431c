# Shared by the benchmark scripts (bench/run.sh, frontend.sh, data.sh):
# the processes they start, ports, readiness and the JSON figures that
# playground-bench prints. Sourced, after `cd` to the repository root.

# Every process a script starts goes in here; stop_started ends them all
# (SIGTERM, then waits), as the scripts' EXIT trap.
pids=()
stop_started() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}

# A loopback port nothing listens on now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# Waits up to 10 s for a URL to answer 2xx.
wait_http() { for _ in $(seq 100); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; return 1; }
# field JSON NAME: one field of a JSON object.
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])['$2'])" "$1"; }
# num JSON DECIMALS NAME: a numeric field, rounded.
num() { printf '%.*f' "$2" "$(field "$1" "$3")"; }
# ratio EXPRESSION: a Python expression's value with two decimals.
ratio() { python3 -c "print(f'{$1:.2f}')"; }
