#!/usr/bin/env bash
# The Kubernetes lab: two real single-node clusters on this machine, `gke` and
# `aks`, standing in for the two clouds.
#
#   scripts/lab/lab.sh up      (make cluster)       start both, wait until usable
#   scripts/lab/lab.sh down    (make cluster-down)  stop both, leave nothing behind
#   scripts/lab/lab.sh status                       what runs
#
# Each cluster is its own etcd, API server, controller manager, scheduler,
# containerd, kubelet and kube-proxy, with CoreDNS and metrics-server as pods,
# all inside the cluster's own network namespace (and a mount namespace, so
# that the kubelet's /var/lib/kubelet is build/cluster/NAME/kubelet). A third
# namespace, the "lab network", routes between the two nodes and the host:
#
#   host 10.250.0.1 ── 10.250.0.2  lab network (router; image registry :5050)
#                        ├── 10.250.1.1 ── 10.250.1.2  node gke  (LBs 10.250.11.0/24)
#                        └── 10.250.2.1 ── 10.250.2.2  node aks  (LBs 10.250.12.0/24)
#
# The host reaches 10.250.0.0/16 through the lab network only, which has no
# route anywhere else: every packet stays on this machine. What the lab
# stands in for (docs/kubernetes.md):
#   - a cloud's load balancer: scripts/lab/lb-controller.sh gives each
#     LoadBalancer Service an address from its cluster's pool, and kube-proxy
#     on the node answers it (as it does for a cloud's LB address);
#   - a cloud registry: Debian's docker-registry in the lab network, pushed to
#     from the host as 127.0.0.1:5050 and pulled by the nodes as the same
#     name (containerd maps it to 10.250.0.2:5050, as kind does).
# Writes build/cluster/kubeconfig with the contexts `gke` and `aks`.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
lab=${PLAYGROUND_LAB_DIR:-$root/build/cluster}
tools=$lab/tools
bin=$tools/bin
clusters=(gke aks)
registry_port=5050
# Settings of the lab that a test may want: the registry as clients name it.
registry=127.0.0.1:$registry_port

log() { echo "lab: $*" >&2; }
die() {
  echo "lab: $*" >&2
  exit 1
}

index_of() { [ "$1" = gke ] && echo 1 || echo 2; }
netns_of() { echo "playground-lab-$1"; }
router_ns=playground-lab
cgroup_of() { echo "playground-lab-$1"; }

# ---- processes: each daemon is started detached, in its cluster's cgroup
# (every hierarchy), so that `down` finds it and all it started (shims,
# containers) by cgroup, whatever became of the pid files.

cgroup_hierarchies() {
  local h
  # cgroup v2 alone: one hierarchy, at the top.
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    echo /sys/fs/cgroup
    return
  fi
  for h in /sys/fs/cgroup/*/; do
    [ -f "$h/cgroup.procs" ] && echo "${h%/}"
  done
}

make_cgroup() {
  local path=$1 h sub parent
  while read -r h; do
    parent=$h
    for sub in ${path//\// }; do
      mkdir -p "$parent/$sub"
      # cpuset: a new cgroup has no CPUs or memory nodes until given some.
      if [ -f "$parent/$sub/cpuset.cpus" ]; then
        [ -n "$(cat "$parent/$sub/cpuset.cpus")" ] || cat "$parent/cpuset.cpus" >"$parent/$sub/cpuset.cpus"
        [ -n "$(cat "$parent/$sub/cpuset.mems")" ] || cat "$parent/cpuset.mems" >"$parent/$sub/cpuset.mems"
      fi
      parent=$parent/$sub
    done
  done < <(cgroup_hierarchies)
}

# start NAME WHERE COMMAND...: runs COMMAND detached, in the lab's cgroup
# for WHERE and in its namespaces; its output goes to $lab/logs/NAME.log.
#   router        the lab network's namespace
#   host          the host's (the registry forward, the LB controllers)
#   CLUSTER-net   the cluster's network namespace only (its node's holder)
#   CLUSTER       the cluster's network and mount namespaces (its daemons)
start() {
  local name=$1 where=$2
  shift 2
  mkdir -p "$lab/logs" "$lab/pids"
  local cgroup enter=()
  if [ "$where" = router ]; then
    cgroup=playground-lab/router
    enter=(nsenter "--net=/run/netns/$router_ns")
  elif [ "$where" = host ]; then
    cgroup=playground-lab/host
  elif [[ $where == *-net ]]; then
    cgroup=$(cgroup_of "${where%-net}")/daemons
    enter=(nsenter "--net=/run/netns/$(netns_of "${where%-net}")")
  else
    cgroup=$(cgroup_of "$where")/daemons
    enter=(nsenter "--target=$(cat "$lab/pids/$where-holder.pid")" --mount --net)
  fi
  make_cgroup "$cgroup"
  (
    # Closes what this script inherited (a caller's lock must not live on in
    # a daemon), joins the cgroup, then the namespaces.
    for fd in /proc/self/fd/*; do
      fd=${fd##*/}
      [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null
    done
    while read -r h; do echo "$BASHPID" >"$h/$cgroup/cgroup.procs"; done < <(cgroup_hierarchies)
    exec setsid "${enter[@]}" "$@" </dev/null >>"$lab/logs/$name.log" 2>&1
  ) &
  echo $! >"$lab/pids/$name.pid"
}

# Kills every process in the cgroup PATH (all hierarchies agree), until none.
kill_cgroup() {
  local path=$1 h pids round
  for round in $(seq 50); do
    pids=$(while read -r h; do
             if [ -d "$h/$path" ]; then find "$h/$path" -name cgroup.procs -exec cat {} + 2>/dev/null; fi
           done < <(cgroup_hierarchies) | sort -u) || true
    [ -n "$pids" ] || return 0
    # shellcheck disable=SC2086
    kill -9 $pids 2>/dev/null || true
    sleep 0.2
  done
  die "processes in cgroup $path survive kill -9: $pids"
}

remove_cgroup() {
  local path=$1 h
  while read -r h; do
    [ -d "$h/$path" ] || continue
    find "$h/$path" -depth -type d -exec rmdir {} + 2>/dev/null || true
    [ ! -d "$h/$path" ] || die "cannot remove cgroup $h/$path"
  done < <(cgroup_hierarchies)
}

wait_for() {
  local what=$1 seconds=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || die "$what not ready in $seconds s (logs: $lab/logs)"
    sleep 0.5
  done
}

# ---- the network

setup_network() {
  # Leftovers of a lab that was not taken down are an error, not a reuse.
  ip netns add "$router_ns"
  ip link add pglab-host type veth peer name pglab-up netns "$router_ns"
  ip addr add 10.250.0.1/24 dev pglab-host
  ip link set pglab-host up
  ip -n "$router_ns" addr add 10.250.0.2/24 dev pglab-up
  ip -n "$router_ns" link set pglab-up up
  ip -n "$router_ns" link set lo up
  ip netns exec "$router_ns" sysctl -qw net.ipv4.ip_forward=1
  ip route add 10.250.0.0/16 via 10.250.0.2 dev pglab-host
  local name i ns
  for name in "${clusters[@]}"; do
    i=$(index_of "$name") ns=$(netns_of "$name")
    ip netns add "$ns"
    ip -n "$router_ns" link add "pglab-$name" type veth peer name eth0 netns "$ns"
    ip -n "$router_ns" addr add "10.250.$i.1/24" dev "pglab-$name"
    ip -n "$router_ns" link set "pglab-$name" up
    ip -n "$router_ns" route add "10.250.1$i.0/24" via "10.250.$i.2"
    ip -n "$ns" addr add "10.250.$i.2/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
    ip -n "$ns" route add default via "10.250.$i.1"
    ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
    # Service traffic between pods on the node's bridge must pass iptables.
    ip netns exec "$ns" sysctl -qw net.bridge.bridge-nf-call-iptables=1
  done
}

# Cuts (down) or restores (up) a cluster's only link: a whole-cloud outage.
link() {
  local name=$1 state=$2
  ip -n "$router_ns" link set "pglab-$name" "$state"
  [ "$state" = down ] || ip -n "$router_ns" route replace "10.250.1$(index_of "$name").0/24" via "10.250.$(index_of "$name").2"
}

teardown_network() {
  ip route del 10.250.0.0/16 2>/dev/null || true
  ip link del pglab-host 2>/dev/null || true
  local name
  for name in "${clusters[@]}"; do ip netns del "$(netns_of "$name")" 2>/dev/null || true; done
  ip netns del "$router_ns" 2>/dev/null || true
  # `ip netns add` made /run/netns a mount of its own; gone with the last
  # namespace in it.
  if mountpoint -q /run/netns && [ -z "$(ls -A /run/netns)" ]; then
    umount /run/netns 2>/dev/null || true
  fi
}

# ---- certificates and credentials

pki() {
  local dir=$1 name=$2 i=$3
  mkdir -p "$dir"
  (
    cd "$dir"
    umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 30 \
      -subj "/CN=playground-lab-$name-ca" 2>/dev/null
    openssl req -x509 -newkey rsa:2048 -nodes -keyout front-proxy-ca.key -out front-proxy-ca.crt \
      -days 30 -subj "/CN=playground-lab-$name-front-proxy-ca" 2>/dev/null
    # cert NAME SUBJECT CA [SANS]
    cert() {
      local ext=""
      openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
      if [ -n "${4:-}" ]; then
        printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$4" >"$1.ext"
      else
        printf 'extendedKeyUsage=clientAuth\n' >"$1.ext"
      fi
      ext=$1.ext
      openssl x509 -req -in "$1.csr" -CA "$3.crt" -CAkey "$3.key" -CAcreateserial -days 30 \
        -extfile "$ext" -out "$1.crt" 2>/dev/null
      rm -f "$1.csr" "$1.ext"
    }
    cert apiserver "/CN=kube-apiserver" ca \
      "IP:10.250.$i.2,IP:10.96.0.1,IP:127.0.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost"
    cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" ca
    cert front-proxy-client "/CN=front-proxy-client" front-proxy-ca
    cert admin "/O=system:masters/CN=lab-admin" ca
    cert controller-manager "/CN=system:kube-controller-manager" ca
    cert scheduler "/CN=system:kube-scheduler" ca
    cert kubelet "/O=system:nodes/CN=system:node:$name" ca
    cert kube-proxy "/CN=system:kube-proxy" ca
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  )
}

# kubeconfig FILE SERVER PKI USER
kubeconfig() {
  local file=$1 server=$2 pki=$3 user=$4
  KUBECONFIG=$file "$bin/kubectl" config set-cluster lab --server="$server" \
    --certificate-authority="$pki/ca.crt" --embed-certs >/dev/null
  KUBECONFIG=$file "$bin/kubectl" config set-credentials "$user" \
    --client-certificate="$pki/$user.crt" --client-key="$pki/$user.key" --embed-certs >/dev/null
  KUBECONFIG=$file "$bin/kubectl" config set-context lab --cluster=lab --user="$user" >/dev/null
  KUBECONFIG=$file "$bin/kubectl" config use-context lab >/dev/null
}

# ---- one cluster

start_cluster() {
  local name=$1 i dir node_ip
  i=$(index_of "$name") dir=$lab/$name node_ip=10.250.$i.2
  mkdir -p "$dir"/{etcd,kubelet,containerd/root,containerd/state,runc,cni/net.d,cni/data,certs.d/$registry,pod-logs}
  pki "$dir/pki" "$name" "$i"
  local p=$dir/pki
  for user in admin controller-manager scheduler kubelet kube-proxy; do
    kubeconfig "$dir/$user.kubeconfig" "https://$node_ip:6443" "$p" "$user"
  done

  # The node's mount namespace: /var/lib/kubelet is this cluster's, and the
  # runtime's sockets and the kubelet's log links are private to it. Its
  # holder keeps it while the daemons enter it (start CLUSTER).
  start "$name-holder" "$name-net" unshare --mount --propagation slave -- sh -c '
      mount --make-rshared /
      mount --bind "$1" /var/lib/kubelet
      mount -t tmpfs -o mode=0755 tmpfs /run/containerd
      mount -t tmpfs -o mode=0755 tmpfs /var/log
      exec sleep infinity' holder "$dir/kubelet"
  wait_for "the $name node's mount namespace" 10 \
    sh -c "nsenter --target=$(cat "$lab/pids/$name-holder.pid") --mount findmnt /run/containerd"

  start "$name-etcd" "$name" "$bin/etcd" --name "$name" --data-dir "$dir/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster "$name=http://127.0.0.1:2380" --quota-backend-bytes 1073741824 \
    --log-level warn

  start "$name-apiserver" "$name" "$bin/kube-apiserver" \
    --etcd-servers http://127.0.0.1:2379 \
    --bind-address 0.0.0.0 --secure-port 6443 --advertise-address "$node_ip" \
    --tls-cert-file "$p/apiserver.crt" --tls-private-key-file "$p/apiserver.key" \
    --client-ca-file "$p/ca.crt" \
    --kubelet-client-certificate "$p/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$p/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types InternalIP \
    --requestheader-client-ca-file "$p/front-proxy-ca.crt" \
    --requestheader-allowed-names front-proxy-client \
    --requestheader-extra-headers-prefix X-Remote-Extra- \
    --requestheader-group-headers X-Remote-Group --requestheader-username-headers X-Remote-User \
    --proxy-client-cert-file "$p/front-proxy-client.crt" --proxy-client-key-file "$p/front-proxy-client.key" \
    --enable-aggregator-routing=true \
    --service-account-issuer "https://kubernetes.default.svc.cluster.local" \
    --service-account-key-file "$p/sa.pub" --service-account-signing-key-file "$p/sa.key" \
    --service-cluster-ip-range 10.96.0.0/16 \
    --authorization-mode Node,RBAC --allow-privileged=true \
    --enable-admission-plugins NodeRestriction --profiling=false
  wait_for "the $name API server" 60 \
    "$bin/kubectl" --kubeconfig "$dir/admin.kubeconfig" get --raw /readyz

  start "$name-controller-manager" "$name" "$bin/kube-controller-manager" \
    --kubeconfig "$dir/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$dir/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$dir/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false --use-service-account-credentials \
    --service-account-private-key-file "$p/sa.key" --root-ca-file "$p/ca.crt" \
    --cluster-signing-cert-file "$p/ca.crt" --cluster-signing-key-file "$p/ca.key" \
    --allocate-node-cidrs --cluster-cidr "10.20$i.0.0/16" --node-cidr-mask-size 24 \
    --service-cluster-ip-range 10.96.0.0/16 \
    --controllers '*,-cloud-node-lifecycle,-service-lb-controller,-node-route-controller'
  start "$name-scheduler" "$name" "$bin/kube-scheduler" \
    --kubeconfig "$dir/scheduler.kubeconfig" \
    --authentication-kubeconfig "$dir/scheduler.kubeconfig" \
    --authorization-kubeconfig "$dir/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false

  # containerd, with runc through the wrapper (see runc-wrapper.sh) and the
  # registry mapped to the lab network.
  cat >"$dir/certs.d/$registry/hosts.toml" <<EOF
server = "http://10.250.0.2:$registry_port"
[host."http://10.250.0.2:$registry_port"]
  capabilities = ["pull", "resolve"]
EOF
  cat >"$dir/containerd.toml" <<EOF
version = 2
root = "$dir/containerd/root"
state = "$dir/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
                    "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs",
                    "io.containerd.internal.v1.tracing", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$dir/containerd.sock"
[ttrpc]
  address = "$dir/containerd.ttrpc.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$registry/pause:3.10"
  netns_mounts_under_state_dir = true
  enable_unprivileged_ports = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$root/scripts/lab/runc-wrapper.sh"
        Root = "$dir/runc"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$tools/root/usr/lib/cni"
    conf_dir = "$dir/cni/net.d"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$dir/certs.d"
EOF
  cat >"$dir/cni/net.d/10-lab.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "lab",
  "plugins": [
    {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": true, "hairpinMode": true,
     "ipam": {"type": "host-local", "dataDir": "$dir/cni/data",
              "ranges": [[{"subnet": "10.20$i.0.0/24"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
  start "$name-containerd" "$name" env PATH="$bin:$PATH" "$bin/containerd" --config "$dir/containerd.toml"
  wait_for "the $name containerd" 30 test -S "$dir/containerd.sock"

  cat >"$dir/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupRoot: /$(cgroup_of "$name")
containerRuntimeEndpoint: unix://$dir/containerd.sock
podLogsDir: $dir/pod-logs
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $p/ca.crt}
authorization: {mode: Webhook}
clusterDomain: cluster.local
clusterDNS: [10.96.0.10]
resolvConf: ""
failSwapOn: false
protectKernelDefaults: false
makeIPTablesUtilChains: false
evictionHard: {memory.available: 200Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
maxPods: 40
EOF
  start "$name-kubelet" "$name" "$bin/kubelet" --config "$dir/kubelet.yaml" \
    --kubeconfig "$dir/kubelet.kubeconfig" --hostname-override "$name" --node-ip "$node_ip" \
    --root-dir /var/lib/kubelet

  cat >"$dir/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clusterCIDR: 10.20$i.0.0/16
hostnameOverride: $name
clientConnection: {kubeconfig: $dir/kube-proxy.kubeconfig}
conntrack: {maxPerCore: 0}
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
EOF
  start "$name-kube-proxy" "$name" "$bin/kube-proxy" --config "$dir/kube-proxy.yaml"
  start "$name-lb-controller" host env KUBECTL="$bin/kubectl" "$root/scripts/lab/lb-controller.sh" \
    "$dir/admin.kubeconfig" "10.250.1$i"
}

# ---- the registry, the add-on images and the add-ons

start_registry() {
  mkdir -p "$lab/registry"
  cat >"$lab/registry.yml" <<EOF2
version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: $lab/registry}
http:
  addr: 10.250.0.2:$registry_port
EOF2
  start registry router "$bin/docker-registry" serve "$lab/registry.yml"
  # The host's name for it: loopback, which Docker pushes to over plain HTTP.
  start registry-forward host socat "TCP-LISTEN:$registry_port,bind=127.0.0.1,reuseaddr,fork" \
    "TCP:10.250.0.2:$registry_port"
  wait_for "the registry" 20 curl -sf "http://$registry/v2/"
}

# The pod sandbox, CoreDNS and metrics-server images: each a static binary
# from ../shared/kube on an empty filesystem.
push_addon_images() {
  local context=$lab/addon-images
  rm -rf "$context"
  mkdir -p "$context"
  cp "$bin/pause" "$bin/coredns" "$bin/metrics-server" "$context/"
  cp "$root/scripts/lab/addon-images.Dockerfile" "$context/Dockerfile"
  local image tag
  for image in pause:3.10 coredns:1.13.1 metrics-server:lab; do
    tag=$registry/$image
    docker build -q --target "${image%%:*}" -t "$tag" "$context" >>"$lab/logs/addon-images.log" 2>&1
    docker push -q "$tag" >>"$lab/logs/addon-images.log" 2>&1
  done
  rm -rf "$context"
}

install_addons() {
  local name=$1
  sed "s|REGISTRY|$registry|g" "$root/scripts/lab/addons.yaml" |
    "$bin/kubectl" --context "$name" apply --server-side --field-manager=playground-lab -f - >/dev/null
}

wait_ready() {
  local name=$1 k=("$bin/kubectl" --context "$1")
  wait_for "the $name node" 120 "${k[@]}" wait --for=condition=Ready node/"$name" --timeout=2s
  wait_for "CoreDNS in $name" 180 "${k[@]}" -n kube-system rollout status deployment/coredns --timeout=2s
  wait_for "metrics-server in $name" 180 "${k[@]}" -n kube-system rollout status deployment/metrics-server --timeout=2s
  wait_for "the metrics API in $name" 180 "${k[@]}" get --raw /apis/metrics.k8s.io/v1beta1/nodes/"$name"
}

write_kubeconfig() {
  local out=$lab/kubeconfig name files=()
  for name in "${clusters[@]}"; do
    local f=$lab/$name/context.kubeconfig
    kubeconfig "$f" "https://10.250.$(index_of "$name").2:6443" "$lab/$name/pki" admin
    KUBECONFIG=$f "$bin/kubectl" config rename-context lab "$name" >/dev/null
    sed -i "s/^\(  *\)name: lab$/\1name: $name/; s/cluster: lab$/cluster: $name/; s/user: admin$/user: $name-admin/; s/^- name: admin$/- name: $name-admin/" "$f"
    files+=("$f")
  done
  KUBECONFIG=$(IFS=:; echo "${files[*]}") "$bin/kubectl" config view --flatten >"$out.new"
  KUBECONFIG=$out.new "$bin/kubectl" config use-context gke >/dev/null
  chmod 600 "$out.new"
  mv "$out.new" "$out"
}

# ---- up, down, status

up() {
  [ "$(id -u)" -eq 0 ] || die "the lab needs root (network namespaces, cgroups, mounts)"
  # A lab whose processes are gone (a killed run, a reboot) may have left its
  # namespaces, routes and cgroups: those are removed. A running one is not.
  if ip netns list | grep -q "^$router_ns\b" || ls -d /sys/fs/cgroup/*/playground-lab* >/dev/null 2>&1; then
    if cat /sys/fs/cgroup/pids/playground-lab*/cgroup.procs /sys/fs/cgroup/pids/playground-lab*/*/cgroup.procs \
         2>/dev/null | grep -q .; then
      die "a lab is running (make cluster-down first)"
    fi
    log "removing what a lab that was not taken down left behind"
    down
  fi
  local started=$SECONDS
  "$root/scripts/install-deps.sh" --containers
  "$root/scripts/ensure-docker.sh"
  "$root/scripts/lab/fetch-tools.sh" "$tools"
  mkdir -p "$lab/logs" "$lab/pids"
  # /var/lib/kubelet is each node's own directory, bound there in its mount
  # namespace; the empty mount point is made here (and removed by down).
  if [ ! -d /var/lib/kubelet ]; then
    mkdir /var/lib/kubelet
    touch "$lab/made-var-lib-kubelet"
  fi
  # The first `ip netns add` on a machine makes /run/netns and binds it onto
  # itself; down undoes that when it was the lab's doing.
  [ -d /run/netns ] || touch "$lab/made-run-netns"
  # PLAYGROUND_LAB_KEEP=1 leaves a failed start-up as it is, to look at.
  [ "${PLAYGROUND_LAB_KEEP:-0}" = 1 ] ||
    trap 'log "start-up failed; taking down what started (logs: $lab/logs)"; down >/dev/null 2>&1 || true' EXIT
  setup_network
  start_registry
  push_addon_images &
  local images=$!
  local name
  for name in "${clusters[@]}"; do start_cluster "$name"; done
  write_kubeconfig
  export KUBECONFIG=$lab/kubeconfig
  wait "$images" || die "building or pushing the add-on images failed (see $lab/logs/addon-images.log)"
  for name in "${clusters[@]}"; do install_addons "$name"; done
  for name in "${clusters[@]}"; do wait_ready "$name"; done
  trap - EXIT
  log "up in $((SECONDS - started)) s: KUBECONFIG=$lab/kubeconfig (contexts gke, aks); registry $registry"
}

down() {
  local name
  for name in "${clusters[@]}"; do kill_cgroup "$(cgroup_of "$name")"; done
  kill_cgroup playground-lab
  for name in "${clusters[@]}"; do remove_cgroup "$(cgroup_of "$name")"; done
  remove_cgroup playground-lab
  teardown_network
  if [ -f "$lab/made-run-netns" ] && [ -z "$(ls -A /run/netns 2>/dev/null)" ]; then
    umount /run/netns 2>/dev/null || true
    rmdir /run/netns 2>/dev/null || true
    rm -f "$lab/made-run-netns"
  fi
  # The images pushed to the lab's registry, as Docker knows them here: by
  # tag, or by digest once a rebuild took the tag (never by image ID, which
  # would take the image's other tags with it).
  if docker info >/dev/null 2>&1; then
    docker images --digests --format '{{.Repository}} {{.Tag}} {{.Digest}}' |
      awk -v r="$registry/" 'index($1, r) == 1 {
             if ($2 != "<none>") print $1 ":" $2; else if ($3 != "<none>") print $1 "@" $3 }' |
      xargs -r docker rmi >/dev/null 2>&1 || true
  fi
  if [ -f "$lab/made-var-lib-kubelet" ]; then
    rmdir /var/lib/kubelet 2>/dev/null || log "left /var/lib/kubelet: it is not empty"
    rm -f "$lab/made-var-lib-kubelet"
  fi
  # Keep the tools (a cache) and the logs; the clusters' state goes.
  for name in "${clusters[@]}"; do rm -rf "${lab:?}/$name"; done
  rm -rf "$lab/pids" "$lab/registry" "$lab/kubeconfig"
  log "down"
}

status() {
  local name
  for name in "${clusters[@]}"; do
    echo "== $name"
    "$bin/kubectl" --kubeconfig "$lab/kubeconfig" --context "$name" get nodes,pods -A -o wide 2>&1 || true
  done
}

case ${1:-} in
  up) up ;;
  down) down ;;
  status) status ;;
  link) link "${2:?cluster}" "${3:?up or down}" ;;
  -h | --help | "") sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$1' (up, down, status, link NAME up|down)" ;;
esac
