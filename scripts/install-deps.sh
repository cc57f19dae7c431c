#!/usr/bin/env bash
# Installs the Debian 12 packages Playground needs to build, test and run.
# Installs only what is missing; needs root (or sudo) when something is.
# Usage: install-deps.sh [--bench | --containers]
set -euo pipefail

packages=(
  cmake ninja-build g++ make          # build
  libboost1.81-dev libboost-json1.81-dev libseccomp-dev
  libgtest-dev zlib1g-dev             # tests (zlib: the UI's gzip copies)
  python3                             # /usr/bin/python3, what the sandbox runs
  python3-numpy python3-pandas        # importable in every sandbox
  python3-pyflakes                    # tests: lints the sandbox's own Python
  util-linux curl ca-certificates     # setpriv (tests), curl (examples, bench)
  uidmap                              # newuidmap: a uid per slot when not root
  libssl-dev libboost-url1.81-dev     # https to backends, backend URLs
  libcli11-dev                        # flags and environment variables
  openssl socat                       # tests: a self-signed https backend
  chromium fonts-dejavu-core          # browser tests: Debian's headless Chromium
  clang libclang-rt-14-dev            # fuzz tests: clang 14 and libFuzzer
)

# The UI is bundled at build time with Node.js and npm. Debian's nodejs (18)
# and npm (9) do; a node that is already there (e.g. a newer one from
# elsewhere, which brings its own npm) is used as it is.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

# make bench also needs the Flask baseline, gnuplot for its plot, and nginx,
# wrk, valgrind, strace and perf to compare the frontend with
# (bench/frontend.sh).
if [ "${1:-}" = "--bench" ]; then
  packages+=(python3-flask gnuplot-nox nginx wrk valgrind strace linux-perf)
fi

# The container tests (and make images) need a Docker engine, compose, and
# debootstrap to build the base image offline; the Kubernetes lab (make
# cluster) ip for its namespaces, iptables for kube-proxy and xz to unpack
# ../shared/kube.
if [ "${1:-}" = "--containers" ]; then
  packages+=(docker.io docker-compose debootstrap iproute2 iptables xz-utils)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
echo "install-deps: installing ${missing[*]}" >&2
$sudo apt-get -o Acquire::Retries=3 update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get -o Acquire::Retries=3 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
