#!/usr/bin/env bash
# Two backends side by side in one run, e.g. before and after a change:
#   bench/compare.sh OLD_BIN_DIR NEW_BIN_DIR [ROUNDS]
# Each round measures print("hello") over HTTP keep-alive on both, one
# connection back to back (c1) and saturated (c4, 2 per core on 2 cores),
# alternating old and new so that the machine's drift hits both alike, and
# bare `python3 main.py` (the physical reference) saturated.
# Build the old one from a worktree, e.g.
#   git worktree add /tmp/old REV && (cd /tmp/old && cmake --preset release \
#     -DPLAYGROUND_TESTS=OFF && cmake --build build/release --target \
#     playground-backend playground-sandbox-init playground-bench)
set -euo pipefail
old=${1:?usage: bench/compare.sh OLD_BIN_DIR NEW_BIN_DIR [ROUNDS]}
new=${2:?usage: bench/compare.sh OLD_BIN_DIR NEW_BIN_DIR [ROUNDS]}
rounds=${3:-2}
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
p_old=$(port) p_new=$(port)
"$old/playground-backend" --port "$p_old" --bind 127.0.0.1 --queue 1000 2>/dev/null &
a=$!
"$new/playground-backend" --port "$p_new" --bind 127.0.0.1 --queue 1000 2>/dev/null &
b=$!
trap 'kill "$a" "$b" 2>/dev/null; wait' EXIT
for p in "$p_old" "$p_new"; do
  for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$p/readyz" && break; sleep 0.1; done
done
sleep 1
script_dir=$(mktemp -d)
trap 'kill "$a" "$b" 2>/dev/null; wait; rm -rf "$script_dir"' EXIT
for round in $(seq "$rounds"); do
  # The physical reference of both: bare `python3 main.py`, all cores busy.
  "$new/playground-bench" spawn --concurrency 4 --seconds 5 --warmup 1 \
    --script "$script_dir" |
    python3 -c 'import json, sys
d = json.load(sys.stdin)
print("round %s bare python3 main.py c4: %.0f runs/s, p50 %.2f ms" % (
    sys.argv[1], d["rate_per_s"], d["p50_ms"]))' "$round"
  for side in "old $p_old" "new $p_new"; do
    set -- $side
    for c in 1 4; do
      "$new/playground-bench" http --port "$2" --concurrency "$c" --seconds 5 --warmup 1 \
        --code 'print("hello")' --expect $'hello\n' |
        python3 -c 'import json, sys
d = json.load(sys.stdin)
print("round %s %s c%s: %.0f runs/s, p50 %.2f ms, p99 %.2f ms, errors %d" % (
    sys.argv[1], sys.argv[2], sys.argv[3], d["rate_per_s"], d["p50_ms"], d["p99_ms"], d["errors"]))' \
          "$round" "$1" "$c"
    done
  done
done
