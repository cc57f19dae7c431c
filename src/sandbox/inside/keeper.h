// The keeper: a small resident process per cgroup slot that clones sandboxes.
//
//   // playground-sandbox-init keeper <spec fields>, started by slot_keepers.h
//   auto spec = decode_keeper_argv(argc, argv);
//   keeper::serve(kKeeperSocketFd, *spec);   // never returns
//
// Moving a process into a cgroup waits for an RCU grace period (measured
// here: 9-18 ms on cgroup v1), which would dominate a ~10 ms evaluation. A
// process cloned by a member of a cgroup is born in it at no cost, so the
// keeper lives in its slot's cgroups and clones each sandbox's init from
// there. It is not a fork-server of Python: every init execs a fresh
// interpreter, so no hash secret, heap or state is shared between runs.
//
// The keeper also builds the sandbox's read-only root once, in a mount
// namespace of its own; each clone starts from a copy of that small tree and
// only mounts its own /proc and /tmp.
#pragma once

#include "sandbox/shared/init_protocol.h"

namespace playground::sandbox::keeper {

// Prepares the keeper as `spec` says (user_namespace: enter one first, the
// service not being root; filesystem: build the sandbox root once, for every
// clone; uid: the user its /etc/passwd names "nobody"; parent: the service),
// answers "ready" or "fail <step> <errno>" on `socket_fd`, then serves spawn
// requests (see init_protocol.h) until the service closes the socket or dies.
[[noreturn]] void serve(int socket_fd, const InitSpec& spec);

}  // namespace playground::sandbox::keeper
