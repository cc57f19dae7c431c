#!/usr/bin/env bash
# Makes sure a Docker engine answers: installs docker.io and starts dockerd
# when none does (root needed then). Leaves a running engine alone. One it
# started is recorded in /run/playground-dockerd.pid for stop-docker.sh.
set -euo pipefail
if docker info >/dev/null 2>&1; then exit 0; fi
command -v dockerd >/dev/null || "$(dirname "$0")/install-deps.sh" --containers
if ! docker info >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || { echo "ensure-docker: need root to start dockerd" >&2; exit 1; }
  mkdir -p /var/log
  # The daemon outlives this script, so it must not keep a caller's open
  # descriptors: build-images.sh holds its lock on fd 9, and a dockerd that
  # inherited it held that lock until it exited (every later build waited).
  (
    for fd in /proc/self/fd/*; do
      fd=${fd##*/}
      [ "$fd" -gt 2 ] && eval "exec $fd>&-"
    done
    exec setsid nohup dockerd >/var/log/playground-dockerd.log 2>&1 </dev/null
  ) &
  echo $! >/run/playground-dockerd.pid  # the subshell execs into dockerd
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && exit 0; sleep 1; done
  echo "ensure-docker: dockerd did not come up; see /var/log/playground-dockerd.log" >&2
  exit 1
fi
