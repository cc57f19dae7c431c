#!/usr/bin/env bash
# Builds a Debian bookworm image with no registry: debootstrap into a
# directory, then `docker import`. Usage:
#   build-base-image.sh TAG [PACKAGE,PACKAGE...]
#   build-base-image.sh debian:bookworm-slim            # what a Dockerfile's FROM needs
#   build-base-image.sh playground-bench/python:bookworm python3
# Does nothing when TAG exists. Needs root, debootstrap and a Docker engine.
set -euo pipefail
tag=${1:?usage: build-base-image.sh TAG [PACKAGES]}
include=${2:-}
if docker image inspect "$tag" >/dev/null 2>&1; then exit 0; fi
command -v debootstrap >/dev/null || "$(dirname "$0")/install-deps.sh" --containers
root=$(mktemp -d /var/tmp/playground-rootfs.XXXXXX)
trap 'rm -rf "$root" "$root.log"' EXIT
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
echo "build-base-image: debootstrap bookworm${include:+ with $include} (about a minute)" >&2
if ! timeout 900 debootstrap --variant=minbase ${include:+--include="$include"} bookworm \
       "$root" "$mirror" >"$root.log" 2>&1; then
  tail -n 20 "$root.log" >&2
  echo "build-base-image: debootstrap failed (the last lines are above)" >&2
  exit 1
fi
# Apt sources as in the official image: the release, its updates and the
# security archive, so images built on it get security fixes.
rm -f "$root/etc/apt/sources.list"
cat >"$root/etc/apt/sources.list.d/debian.sources" <<'SOURCES'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
# Slim it the way the official -slim images are: no apt lists, docs or caches.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/usr/share/doc/* \
       "$root"/usr/share/man/* "$root"/usr/share/locale/*
tar -C "$root" -c . | docker import - "$tag" >/dev/null
echo "build-base-image: $tag ready" >&2
