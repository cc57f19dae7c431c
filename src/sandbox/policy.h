// The sandbox policy: what a snippet may use, and every layer that enforces it.
//
// A run is contained by these layers, outermost first. Each one that works on
// the machine is used; the start-up self-test (probe.h) finds out which, and
// GET /readyz plus the start-up log report them.
//
//   1. Namespaces (launcher.cc, clone flags): new pid, mount, network, ipc,
//      uts and cgroup namespaces, plus a user namespace when the service is not
//      root. The first process inside is playground-sandbox-init (pid 1), a
//      small init that reaps orphans and forwards signals to Python.
//   2. Filesystem (contain.cc, build_root): a read-only root built from bind
//      mounts of /usr and the few files Python needs; no host /etc, no host
//      /proc (a fresh proc of the new pid namespace), no service files; a fresh
//      size- and inode-limited tmpfs at /tmp, which is also the cwd.
//   3. cgroups (cgroup.cc, one reusable slot per concurrent sandbox): memory
//      with swap forbidden, pids, and an equal cpu weight per sandbox. v2
//      where the machine has it, v1 otherwise.
//   4. rlimits (contain.cc, set_rlimits): every limit set explicitly: CPU time
//      (hard), address space (only without a memory cgroup), file size,
//      open files, core dumps 0, locked memory 0, message queues 0 (and
//      processes when no pids cgroup).
//   5. Privileges (contain.cc, drop_privileges): uid/gid 65534 (or uid 0 of a
//      user namespace with no capabilities when the service is not root),
//      no supplementary groups, empty capability sets and bounding set,
//      no_new_privs, a new session, only fds 0-3 open, an environment of just
//      PATH, LANG and HOME.
//   6. seccomp-bpf (seccomp_policy.cc): an allowlist; sockets only of the
//      local families and only in the sandbox's own network namespace (its
//      loopback); no ptrace, namespaces, mount, keyctl, io_uring, bpf, perf
//      or module loading;
//      clone only without namespace flags (threads and plain fork, which the
//      pids cgroup bounds).
//   7. Supervision (launcher.cc, SandboxProcess::run): the service enforces a
//      wall-clock deadline, caps stdout+stderr while reading, and kills the
//      whole pid namespace when Python exits or the deadline passes, so
//      nothing the snippet started outlives its request.
//
// Code reaches Python through a pipe (fd 3), never argv, the environment or a
// host file.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace playground::sandbox {

// Resource limits of one run; defaults serve a single user with no settings.
struct Limits {
  int64_t wall_ms = 5'000;       // default deadline of a run
  int64_t max_wall_ms = 10'000;  // largest deadline a request may ask for
  int64_t cpu_ms = 5'000;        // CPU time per process (rounded up to 1 s)
  int64_t memory_bytes = 256LL << 20;
  int64_t max_processes = 64;        // processes and threads together
  int64_t output_bytes = 1LL << 20;  // stdout and stderr together
  int64_t tmp_bytes = 16LL << 20;
  int64_t tmp_inodes = 4096;
  int64_t open_files = 256;
};

// Which layers are active. Filled in by the start-up self-test.
struct Isolation {
  bool namespaces = false;       // pid, mount, net, ipc, uts, cgroup
  bool user_namespace = false;   // used when the service is not root
  bool filesystem = false;       // read-only root, private /proc and /tmp
  std::string cgroups;           // "v1", "v2" or "" when unavailable
  bool rlimits = true;           // always available
  bool drop_privileges = false;  // uid 65534, or no capabilities in a userns
  bool seccomp = false;
  bool supervision = true;  // deadline, output cap, kill: always

  // Human-readable layers that are not active, for logs and /readyz.
  std::vector<std::string> missing() const;
  boost::json::object to_json() const;
};

}  // namespace playground::sandbox
