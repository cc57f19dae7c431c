#!/usr/bin/env bash
# make run: the local stack on this machine, no cloud and no Docker:
#   playground-frontend on 127.0.0.1:5000 (the UI), forwarding round-robin to
#   playground-backend "gke" on 127.0.0.1:6000 and "aks" on 127.0.0.1:6001,
# named like the two clusters of a real deployment. Ctrl+C stops all three.
# Ports: PLAYGROUND_FRONTEND_PORT, PLAYGROUND_GKE_PORT, PLAYGROUND_AKS_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-build/release/bin}
front_port=${PLAYGROUND_FRONTEND_PORT:-5000}
gke_port=${PLAYGROUND_GKE_PORT:-6000}
aks_port=${PLAYGROUND_AKS_PORT:-6001}
if [ "$(id -u)" -ne 0 ]; then
  echo "run-local: not root: the sandboxes run with reduced isolation (see /readyz)" >&2
fi

pids=()
stop() {
  trap '' INT TERM
  echo "run-local: stopping" >&2
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  exit "${1:-0}"
}
trap 'stop 0' INT TERM

# The settings the programs read from the environment are passed as flags,
# so a PLAYGROUND_PORT exported in this shell cannot put two on one port.
"$bin/playground-backend" --bind 127.0.0.1 --port "$gke_port" &
pids+=($!)
"$bin/playground-backend" --bind 127.0.0.1 --port "$aks_port" &
pids+=($!)
"$bin/playground-frontend" --bind 127.0.0.1 --port "$front_port" \
  --backends "gke=http://127.0.0.1:$gke_port,aks=http://127.0.0.1:$aks_port" \
  --exercises exercises &
pids+=($!)

# Ready when both backends are, and the frontend's own checks have found
# both healthy (so the first requests already alternate).
ready=""
for _ in $(seq 300); do
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "run-local: a program failed to start (see above)" >&2; stop 1; }
  done
  if curl -sf "http://127.0.0.1:$gke_port/readyz" >/dev/null &&
     curl -sf "http://127.0.0.1:$aks_port/readyz" >/dev/null &&
     curl -sf "http://127.0.0.1:$front_port/readyz" | grep -q '"healthy_backends":2'; then
    ready=yes
    break
  fi
  sleep 0.1
done
[ -n "$ready" ] || { echo "run-local: the stack did not become ready in 30 s" >&2; stop 1; }

cat >&2 <<MSG

Playground is running: open http://127.0.0.1:$front_port/   (Ctrl+C stops it)
  frontend  http://127.0.0.1:$front_port   UI, POST /python, /api/backends
  gke       http://127.0.0.1:$gke_port   backend
  aks       http://127.0.0.1:$aks_port   backend
Try:
  curl -s http://127.0.0.1:$front_port/python -H 'Content-Type: application/json' \\
       -d '{"code": "print(\"hello\")"}'

MSG
# Any program exiting on its own stops the others. Ctrl+C reaches the
# programs too, and one may be seen exiting (0, stopped as asked) before the
# trap runs: that is a stop, not a failure.
status=0
wait -n "${pids[@]}" || status=$?
if [ "$status" -eq 0 ]; then
  stop 0
fi
echo "run-local: a program exited with status $status; stopping the others" >&2
stop 1
