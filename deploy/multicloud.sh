#!/usr/bin/env bash
# Deploys Playground to two Kubernetes clusters from one place, as the source
# system runs it: a backend in AKS, and the frontend plus a backend in GKE.
#
#   deploy/multicloud.sh --gke CONTEXT --aks CONTEXT --registry PREFIX [options]
#
# In order: builds the images (scripts/build-images.sh), tags and pushes them
# to PREFIX/playground-{backend,frontend}:TAG; applies deploy/k8s/overlays/aks
# with the token Secret; waits for the AKS load balancer's address; applies
# deploy/k8s/overlays/gke with PLAYGROUND_BACKENDS naming the in-cluster GKE
# backend and that address; waits for every rollout; prints the site's URL.
# Idempotent: a second run with the same commit changes nothing (the token is
# read back from the clusters; `--diff` shows that). docs/kubernetes.md has
# the prerequisites.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: deploy/multicloud.sh --gke CONTEXT --aks CONTEXT --registry PREFIX [options]

  --gke CONTEXT      kubectl context of the GKE cluster (frontend and a backend)
  --aks CONTEXT      kubectl context of the AKS cluster (a backend)
  --registry PREFIX  where both clusters pull images from, e.g.
                     europe-west1-docker.pkg.dev/my-project/playground
  --tag TAG          image tag (default: the commit, git rev-parse --short=12 HEAD);
                     never "latest"
  --skip-build       push playground-{backend,frontend}:TAG already built here
  --overlays DIR     the directory holding the gke/ and aks/ overlays
                     (default deploy/k8s/overlays; the lab uses deploy/k8s/lab)
  --dry-run          print every command and object; touch no cluster or registry
  --diff             build and push nothing; show what a deploy would change in
                     each cluster (kubectl diff); exit 0 when nothing, 1 when
                     something would change
  --timeout SECONDS  how long to wait for each load balancer and rollout (600)
  -h, --help         this text

Environment: PLAYGROUND_TOKEN, the shared token (default: the one the clusters
already have, else a new random one); PLAYGROUND_BUILD_SCRIPT, the image build
(default scripts/build-images.sh); KUBECTL and DOCKER, the tools' commands.
EOF
}

die() {
  echo "multicloud: $*" >&2
  exit 1
}

root=$(cd "$(dirname "$0")/.." && pwd)
kubectl=${KUBECTL:-kubectl}
docker=${DOCKER:-docker}
build_script=${PLAYGROUND_BUILD_SCRIPT:-$root/scripts/build-images.sh}
poll=${PLAYGROUND_POLL_INTERVAL:-5}
gke="" aks="" registry="" tag="" skip_build=0 dry_run=0 diff=0 timeout=600
overlays=$root/deploy/k8s/overlays

while [ $# -gt 0 ]; do
  case $1 in
    --gke) gke=${2:?--gke needs a context}; shift 2 ;;
    --aks) aks=${2:?--aks needs a context}; shift 2 ;;
    --registry) registry=${2:?--registry needs a prefix}; shift 2 ;;
    --tag) tag=${2:?--tag needs a value}; shift 2 ;;
    --timeout) timeout=${2:?--timeout needs seconds}; shift 2 ;;
    --skip-build) skip_build=1; shift ;;
    --dry-run) dry_run=1; shift ;;
    --diff) diff=1; skip_build=1; shift ;;
    --overlays) overlays=${2:?--overlays needs a directory}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[ -n "$gke" ] || die "--gke CONTEXT is required (see --help)"
[ -n "$aks" ] || die "--aks CONTEXT is required (see --help)"
[ -n "$registry" ] || die "--registry PREFIX is required (see --help)"
[ "$gke" != "$aks" ] || die "--gke and --aks name the same context; the overlays expose the backend differently"
registry=${registry%/}
[ "$dry_run" = 0 ] || [ "$diff" = 0 ] || die "--dry-run and --diff do not go together"
for cloud in gke aks; do
  [ -f "$overlays/$cloud/kustomization.yaml" ] || die "no overlay $overlays/$cloud (--overlays names a directory with gke/ and aks/)"
done
overlays=$(cd "$overlays" && pwd)
[[ $timeout =~ ^[0-9]+$ ]] || die "--timeout takes whole seconds, not '$timeout'"

# The tools, then the contexts: reading the kubeconfig touches no cluster.
command -v "$kubectl" >/dev/null || die "kubectl is not installed (or KUBECTL names no command): it applies the manifests"
if [ "$dry_run" = 0 ] && [ "$diff" = 0 ]; then
  command -v "$docker" >/dev/null || die "docker is not installed (or DOCKER names no command): it builds and pushes the images"
  [ "$skip_build" = 1 ] || [ -x "$build_script" ] || die "no image build script at $build_script"
fi
contexts=$("$kubectl" config get-contexts -o name) || die "kubectl cannot read its kubeconfig"
for context in "$gke" "$aks"; do
  grep -qxF -- "$context" <<<"$contexts" || die "no kubectl context '$context' (kubectl config get-contexts lists them)"
done

if [ -z "$tag" ]; then
  tag=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null) || die "no git commit to tag the images with: pass --tag"
  if [ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    echo "multicloud: warning: uncommitted changes are in the images tagged $tag" >&2
  fi
fi
[[ $tag =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "'$tag' is not a valid image tag"
[ "$tag" != latest ] || die "the tag 'latest' names no particular build: pass another --tag"

work=$(mktemp -d "${TMPDIR:-/tmp}/playground-multicloud.XXXXXX")
trap 'rm -rf "$work"' EXIT
namespace=playground

# Runs a command, or with --dry-run prints it (on the script's standard
# output, fd 3, in order with the objects). Either way it is shown.
exec 3>&1
run() {
  if [ "$dry_run" = 1 ]; then
    echo "+ $*" >&3
  else
    echo "+ $*" >&2
    "$@"
  fi
}

# ---- images
if [ "$skip_build" = 0 ]; then
  run "$build_script" "$tag"
fi
if [ "$diff" = 0 ]; then
  for image in playground-backend playground-frontend; do
    run "$docker" tag "$image:$tag" "$registry/$image:$tag"
    run "$docker" push "$registry/$image:$tag"
  done
fi

# ---- the shared token: given, else the one a cluster has, else a new one
# (--dry-run shows a placeholder, never a token.)
token=${PLAYGROUND_TOKEN:-}
[ "$dry_run" = 0 ] || token="<the token, not shown>"
existing_token() {
  local encoded
  encoded=$("$kubectl" --context "$1" -n "$namespace" get secret playground-token \
    -o 'jsonpath={.data.token}' 2>/dev/null) || return 1
  [ -n "$encoded" ] && base64 -d <<<"$encoded"
}
if [ -z "$token" ]; then
  token=$(existing_token "$aks" || existing_token "$gke" || true)
fi
if [ -z "$token" ]; then
  token=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
fi
umask 077
printf '%s' "$token" >"$work/token"
token_id=$(sha256sum "$work/token" | cut -c1-12)

# Writes a kustomization in $work/$1 on top of overlay $2: this deployment's
# images and the lines given on stdin. The token Secret is not among the
# objects (see ensure_secret).
overlay() {
  local dir=$work/$1 base=$overlays/$2 image
  mkdir -p "$dir"
  {
    echo "namespace: $namespace"
    echo "resources: [$(realpath --relative-to="$dir" "$base")]"
    # A changed token changes this annotation, which rolls the pods.
    echo "commonAnnotations: {playground/token-sha256: \"$token_id\"}"
    echo "images:"
    # Whatever registry the overlay names, its images come from ours.
    for image in $("$kubectl" kustomize "$base" | sed -n 's/^ *image: *//p' | sort -u); do
      image=${image%@*}
      [[ ${image##*/} == *:* ]] && image=${image%:*}
      echo "  - {name: $image, newName: $registry/${image##*/}, newTag: $tag}"
    done
    cat
  } >"$dir/kustomization.yaml"
  "$kubectl" kustomize "$dir" >"$dir/rendered.yaml"
}

# Applies a rendered overlay; --dry-run prints its objects; --diff shows what
# would change and records whether anything would. Server-side apply.
changed=0
apply() {
  local context=$1 rendered=$2 manager=${3:-playground-multicloud}
  local command=("$kubectl" --context "$context" apply --server-side --field-manager="$manager")
  if [ "$dry_run" = 1 ]; then
    echo "+ ${command[*]} -f - <<'EOF'"
    cat "$rendered"
    echo "EOF"
  elif [ "$diff" = 1 ]; then
    echo "+ $kubectl --context $context diff --server-side --field-manager=$manager -f $rendered" >&2
    local status=0
    "$kubectl" --context "$context" diff --server-side --field-manager="$manager" \
      -f "$rendered" || status=$?
    case $status in
      0) echo "multicloud: $context: no change" >&2 ;;
      1) changed=1 ;;
      *) die "kubectl diff failed on $context" ;;
    esac
  else
    run "${command[@]}" -f "$rendered" >&2
  fi
}

# The token Secret, kept apart from the applied objects: whoever made it (this
# script, or a person with `kubectl create secret` as the README shows), it is
# left alone while it holds the token, and replaced only when the token is a
# new one. (Applied with the rest, it conflicted with a Secret made by hand:
# server-side apply compares the text, and Kustomize wraps the base64.)
ensure_secret() {
  local context=$1
  [ "$dry_run" = 0 ] || {
    echo "+ $kubectl --context $context -n $namespace create secret generic playground-token --from-file=token=<the token>  # unless it holds it" >&3
    return
  }
  [ "$(existing_token "$context" || true)" != "$token" ] || return 0
  if [ "$diff" = 1 ]; then
    echo "multicloud: $context: the token Secret would be written" >&2
    changed=1
    return
  fi
  echo "+ $kubectl --context $context -n $namespace apply secret/playground-token (the token)" >&2
  "$kubectl" --context "$context" -n "$namespace" create secret generic playground-token \
    --from-file=token="$work/token" --dry-run=client -o yaml |
    "$kubectl" --context "$context" apply --server-side --force-conflicts \
      --field-manager=playground-multicloud -f - >&2
}

# The namespace first (its Pod Security labels admit the pods; the Secret
# lives in it), then the Secret, then everything else. The namespace is
# applied again with the rest, there with the token annotation; a field
# manager of its own here keeps the two applies from undoing each other.
namespace_then_secret() {
  local context=$1
  "$kubectl" kustomize "$root/deploy/k8s/base/namespace" >"$work/namespace-$context.yaml"
  apply "$context" "$work/namespace-$context.yaml" playground-multicloud-namespace
  ensure_secret "$context"
}

wait_for_address() {
  local context=$1 service=$2 address="" deadline=$((SECONDS + timeout))
  if [ "$diff" = 1 ]; then
    "$kubectl" --context "$context" -n "$namespace" get service "$service" \
      -o 'jsonpath={.status.loadBalancer.ingress[0].ip}{.status.loadBalancer.ingress[0].hostname}' 2>/dev/null ||
      echo "$service.$context.invalid"
    return
  fi
  if [ "$dry_run" = 1 ]; then
    echo "+ $kubectl --context $context -n $namespace get service $service  # until it has an external address" >&3
    echo "$service.$context.invalid"   # a name that cannot resolve
    return
  fi
  echo "multicloud: waiting for the external address of $service in $context" >&2
  while :; do
    address=$("$kubectl" --context "$context" -n "$namespace" get service "$service" \
      -o 'jsonpath={.status.loadBalancer.ingress[0].ip}{.status.loadBalancer.ingress[0].hostname}' || true)
    [ -n "$address" ] && break
    [ "$SECONDS" -lt "$deadline" ] ||
      die "the load balancer of $service in $context got no external address in $timeout s (kubectl --context $context -n $namespace describe service $service says why)"
    sleep "$poll"
  done
  echo "$address"
}

rollout() {
  local context=$1 deployment=$2
  [ "$diff" = 0 ] || return 0
  run "$kubectl" --context "$context" -n "$namespace" rollout status "deployment/$deployment" \
    --timeout "${timeout}s" >&2 ||
    die "deployment/$deployment in $context did not roll out in $timeout s (kubectl --context $context -n $namespace describe deployment/$deployment; its pods' logs say why)"
}

# ---- AKS: the backend, then its load balancer's address
overlay aks aks </dev/null
namespace_then_secret "$aks"
apply "$aks" "$work/aks/rendered.yaml"
aks_address=$(wait_for_address "$aks" playground-backend)

# ---- GKE: the frontend in front of both backends, and a backend
narrow=""
if [[ $aks_address =~ ^[0-9]+(\.[0-9]+){3}$ ]]; then
  # The frontend may then reach no other address outside its cluster.
  narrow="  - target: {kind: NetworkPolicy, name: playground-frontend}
    patch: |-
      - op: replace
        path: /spec/egress/2/to
        value: [{ipBlock: {cidr: $aks_address/32}}]"
fi
overlay gke gke <<EOF
configMapGenerator:
  - name: playground-frontend-config
    behavior: merge
    literals:
      - PLAYGROUND_BACKENDS=gke=http://playground-backend:6000,aks=http://$aks_address
${narrow:+patches:
$narrow}
EOF
namespace_then_secret "$gke"
apply "$gke" "$work/gke/rendered.yaml"

rollout "$aks" playground-backend
rollout "$gke" playground-backend
rollout "$gke" playground-frontend
site=$(wait_for_address "$gke" playground-frontend)
if [ "$dry_run" = 1 ]; then
  echo "Dry run: nothing was built, pushed or applied."
elif [ "$diff" = 1 ]; then
  [ "$changed" = 0 ] && echo "No change: both clusters are as this commit deploys them." ||
    echo "A deploy would change the objects shown above."
  exit "$changed"
else
  echo "Playground is deployed: http://$site/"
fi
