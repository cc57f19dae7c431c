#!/usr/bin/env bash
# Stops the Docker engine ensure-docker.sh started (recorded in
# /run/playground-dockerd.pid), and with it the containerd it manages; an
# engine started by anyone else is left alone. `make test` runs it at its end.
set -euo pipefail
record=/run/playground-dockerd.pid
[ -f "$record" ] || exit 0
pid=$(cat "$record")
rm -f "$record"
[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ] || exit 0
kill -TERM "$pid"
for _ in $(seq 150); do
  [ -d "/proc/$pid" ] || break
  sleep 0.2
done
if [ -d "/proc/$pid" ]; then
  echo "stop-docker: dockerd ($pid) did not stop in 30 s; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
fi
# The engine mounts its default network namespace and leaves it at exit.
if mountpoint -q /run/docker/netns/default 2>/dev/null; then
  umount /run/docker/netns/default || true
fi
