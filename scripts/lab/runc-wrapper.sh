#!/bin/sh
# containerd's runc in the lab. This machine's root lacks CAP_SYS_RESOURCE,
# so it cannot lower a process's oom_score_adj, and the kubelet asks -998 for
# pod sandboxes (runc then fails: "failed to update /proc/self/oom_score_adj:
# Permission denied"). On `create`, a negative process.oomScoreAdj in the
# bundle's config.json is raised to 0; everything else is runc's own.
bundle=""
create=0
prev=""
for arg in "$@"; do
  case $arg in
    create) create=1 ;;
    --bundle=*) bundle=${arg#--bundle=} ;;
  esac
  case $prev in
    --bundle | -b) bundle=$arg ;;
  esac
  prev=$arg
done
if [ "$create" = 1 ] && [ -n "$bundle" ] && [ -f "$bundle/config.json" ]; then
  sed -i 's/"oomScoreAdj": *-[0-9]*/"oomScoreAdj":0/' "$bundle/config.json"
fi
exec runc "$@"
