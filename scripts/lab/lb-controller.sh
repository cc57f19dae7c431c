#!/usr/bin/env bash
# The lab's stand-in for a cloud's load balancer controller: gives every
# Service of type LoadBalancer an address from its cluster's pool
# (POOL.1-POOL.254, a /24 the lab network routes to this cluster's node) in
# status.loadBalancer.ingress, as GKE's and AKS's controllers do. kube-proxy
# on the node then answers that address itself, so no proxy process is
# involved. A Service keeps its address while it exists.
#   lb-controller.sh KUBECONFIG POOL     e.g. POOL=10.250.11
# KUBECTL names the kubectl to use (default: the one on PATH).
set -uo pipefail
kubeconfig=${1:?usage: lb-controller.sh KUBECONFIG POOL}
pool=${2:?usage: lb-controller.sh KUBECONFIG POOL}
kubectl=${KUBECTL:-kubectl}
k() { "$kubectl" --kubeconfig "$kubeconfig" --request-timeout=5s "$@"; }
echo "lb-controller: addresses from $pool.0/24"
while :; do
  # namespace/name type address, one Service a line
  if services=$(k get services -A -o \
      'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name} {.spec.type} {.status.loadBalancer.ingress[0].ip}{"\n"}{end}'); then
    used=$(awk '$2 == "LoadBalancer" && $3 != "" { print $3 }' <<<"$services")
    while read -r service type address; do
      [ "$type" = LoadBalancer ] && [ -z "$address" ] || continue
      for n in $(seq 1 254); do
        grep -qxF "$pool.$n" <<<"$used" || break
      done
      address=$pool.$n
      if k -n "${service%%/*}" patch service "${service#*/}" --subresource=status --type=merge \
           -p "{\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"$address\",\"ipMode\":\"VIP\"}]}}}" >/dev/null; then
        echo "lb-controller: $service -> $address"
        used=$(printf '%s\n%s' "$used" "$address")
      fi
    done <<<"$services"
  fi
  sleep 1
done
