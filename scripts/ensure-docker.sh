#!/usr/bin/env bash
# Makes sure a Docker engine answers: installs docker.io and starts dockerd
# when none does (root needed then). Leaves a running engine alone.
set -euo pipefail
if docker info >/dev/null 2>&1; then exit 0; fi
if ! command -v dockerd >/dev/null; then
  [ "$(id -u)" -eq 0 ] || { echo "ensure-docker: need root to install docker.io" >&2; exit 1; }
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/dev/null
fi
if ! docker info >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || { echo "ensure-docker: need root to start dockerd" >&2; exit 1; }
  mkdir -p /var/log
  nohup dockerd >/var/log/playground-dockerd.log 2>&1 &
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && exit 0; sleep 1; done
  echo "ensure-docker: dockerd did not come up; see /var/log/playground-dockerd.log" >&2
  exit 1
fi
