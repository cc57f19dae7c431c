#!/usr/bin/env bash
# make run: the local stack on this machine, no cloud and no Docker.
# Today that is one backend on 127.0.0.1:6000; Ctrl+C stops it cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-build/release/bin}
port=${PLAYGROUND_PORT:-6000}
if [ "$(id -u)" -ne 0 ]; then
  echo "run-local: not root: the sandbox will run with reduced isolation (see /readyz)" >&2
fi
"$bin/playground-backend" --port "$port" --bind 127.0.0.1 &
backend=$!
trap 'kill -TERM $backend 2>/dev/null; wait $backend 2>/dev/null; exit 0' INT TERM
for _ in $(seq 50); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.1
done
cat >&2 <<MSG

Playground backend on http://127.0.0.1:$port (Ctrl+C stops it). Try:
  curl -s http://127.0.0.1:$port/py/eval -H 'Content-Type: application/json' \\
       -d '{"code": "print(\"hello\")"}'
  curl -s http://127.0.0.1:$port/readyz

MSG
wait $backend
