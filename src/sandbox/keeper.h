// The keeper: a small resident process per cgroup slot that clones sandboxes.
//
//   // playground-sandbox-init keeper filesystem=1, started by slot_keepers.h
//   keeper::serve(kKeeperSocketFd, options);   // never returns
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

#include <cstdint>

namespace playground::sandbox::keeper {

struct Options {
  bool user_namespace =
      false;               // enter a user namespace first (service not root)
  bool filesystem = true;  // build the sandbox root once, for every clone
  // The service that started it. Inside a container the service is pid 1,
  // so "reparented to pid 1" cannot tell whether it died.
  int parent = 0;
  // The uid its sandboxes run as (named "nobody" in their /etc/passwd);
  // 0: 65534.
  int64_t sandbox_uid = 0;
};

// Parses the keeper's argv:
// "keeper [user_namespace=0|1] [filesystem=0|1] [parent=PID] [uid=UID]".
bool parse_options(int argc, const char* const* argv, Options& out);

// Prepares the keeper (namespaces, root), answers "ready" or "fail <step>
// <errno>" on `socket_fd`, then serves spawn requests (see init_protocol.h)
// until the service closes the socket or dies.
[[noreturn]] void serve(int socket_fd, const Options& options);

}  // namespace playground::sandbox::keeper
