#!/usr/bin/env bash
# Builds the two container images from deploy/docker/Dockerfile:
#   build-images.sh [TAG]        # playground-backend:TAG, playground-frontend:TAG (TAG: dev)
# Starts a Docker engine when none answers and builds the debian:bookworm-slim
# base offline when it is missing (root needed for both, the first time).
set -euo pipefail
cd "$(dirname "$0")/.."
tag=${1:-dev}
# One build at a time on this machine: make test starts one in the background
# and the container tests' setup then waits for it (and finds it cached).
lock=/tmp/playground-build-images.lock
exec 9>"$lock"
if ! flock -n 9; then
  echo "build-images: waiting for the image build already running" >&2
  if ! flock -w "${PLAYGROUND_IMAGE_LOCK_WAIT:-1500}" 9; then
    holders=$(exec 9>&-
              find /proc/[0-9]*/fd -lname "$lock" 2>/dev/null | cut -d/ -f3 | sort -u |
                grep -vx "$$" | xargs -r ps -o pid=,args= -p || true)
    echo "build-images: gave up waiting for $lock; held by: ${holders:-nobody}" >&2
    exit 1
  fi
fi
scripts/ensure-docker.sh
scripts/build-base-image.sh debian:bookworm-slim
log=$(mktemp /tmp/playground-image-build.XXXXXX)
ca_dir=deploy/docker/build-ca
trap 'rm -f "$log" "$ca_dir"/*.crt' EXIT
# The builder stage fetches npm packages over TLS; behind an intercepting
# proxy it needs the proxy's CA, which a host keeps among its extra CAs.
for crt in /usr/local/share/ca-certificates/*.crt; do
  [ -f "$crt" ] && cp "$crt" "$ca_dir/"
done
for target in backend frontend; do
  image=playground-$target:$tag
  echo "build-images: building $image" >&2
  started=$SECONDS
  # The host's network: the builder fetches Debian packages and the UI's npm
  # packages, and needs nothing from a Docker bridge.
  # Bounded, so that a stalled download fails the build instead of hanging
  # it (their compile takes about 5 minutes on 2 cores beside the host's
  # own; the Debian and npm downloads of a cold build come on top).
  if ! timeout "${PLAYGROUND_IMAGE_BUILD_TIMEOUT:-1200}" \
         docker build --network host -f deploy/docker/Dockerfile --target "$target" \
         -t "$image" . >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "build-images: building $image failed (the last lines are above)" >&2
    exit 1
  fi
  size=$(docker image inspect -f '{{.Size}}' "$image")
  echo "build-images: $image ready in $((SECONDS - started)) s, $((size / 1000000)) MB" >&2
done
