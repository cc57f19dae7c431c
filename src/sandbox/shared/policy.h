// The sandbox policy: what a snippet may use, and every layer that enforces it.
//
// A run is contained by these layers, outermost first (files named relative
// to src/sandbox/: the service's code there, the init's in inside/). Each one
// that works on the machine is used; the start-up self-test (probe.h) finds out
// which, and GET /readyz plus the start-up log report them.
//
//   1. Namespaces (kSandboxNamespaces below; cloned by inside/keeper.cc):
//      new pid, mount, network, ipc, uts and cgroup namespaces, plus a user
//      namespace (the keeper's) when the service is not root. The first
//      process inside is playground-sandbox-init (pid 1), a small init that
//      reaps orphans and forwards signals to Python.
//   2. Filesystem (kRootMounts below; inside/contain.cc, build_root): a
//      read-only root with an overlay of the host's /usr and the few files
//      Python needs, none of which names a host file system in the mount
//      table; no host /etc, no host /proc (a fresh proc of the new pid
//      namespace, process directories only), no service files; a fresh
//      size- and inode-limited tmpfs at /tmp, which is also the cwd.
//   3. cgroups (cgroup.cc, one reusable slot per concurrent sandbox): memory
//      with swap forbidden, pids, and an equal cpu weight per sandbox. v2
//      where the machine has it, v1 otherwise.
//   4. rlimits (kRlimits below; inside/contain.cc, set_rlimits): every
//      limit set explicitly: CPU time (hard), address space (only without a
//      memory cgroup), file size, open files, core dumps 0, locked memory 0,
//      message queues 0 (and processes when no pids cgroup).
//   5. Privileges (inside/contain.cc, drop_privileges): a uid and gid of the
//      slot's own (root: a range per service process, launcher.h; not root:
//      subordinate ids mapped into the user namespace, subordinate_ids.h;
//      else uid 0 of the user namespace with no capabilities), no
//      supplementary groups, empty capability sets and bounding set,
//      no_new_privs, a new session, only fds 0-3 open (and the ready pipe,
//      5, until Python has started), an environment of just PATH, LANG and
//      HOME.
//   6. seccomp-bpf (inside/seccomp_policy.cc): an allowlist; sockets only of
//      the local families and only in the sandbox's own network namespace
//      (its loopback); no ptrace, namespaces, mount, keyctl, io_uring, bpf,
//      perf or module loading; clone only without namespace flags (threads
//      and plain fork, which the pids cgroup bounds).
//   7. Supervision (launcher.cc, SandboxProcess::run): the service enforces a
//      wall-clock deadline, caps stdout+stderr while reading, and kills the
//      whole pid namespace when Python exits or the deadline passes, so
//      nothing the snippet started outlives its request.
//
// Code reaches Python through a pipe (fd 3), never argv, the environment or a
// host file.
//
// The layers' rules are the tables below, which the code reads: the
// namespaces (kSandboxNamespaces), the root's mounts (kRootMounts, kDevNodes)
// and the rlimits (kRlimits). Both sides include this header: the service
// turns (Isolation, Limits) into an InitSpec (launcher.h, make_init_spec),
// the init (inside/) applies it.
#pragma once

#include <sched.h>
#include <sys/resource.h>

#include <boost/json/fwd.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "sandbox/shared/step.h"

namespace playground::sandbox {

// ---- layer 1: namespaces ---------------------------------------------------

// What each sandbox init is cloned into (by its slot's keeper) when the
// namespaces layer is on. The user namespace, when there is one, is the
// keeper's own (inside/keeper.h): entered once, shared by its sandboxes.
inline constexpr int kSandboxNamespaces = CLONE_NEWPID | CLONE_NEWNS |
                                          CLONE_NEWNET | CLONE_NEWIPC |
                                          CLONE_NEWUTS | CLONE_NEWCGROUP;
// Every namespace a process could make; seccomp lets Python clone with none.
inline constexpr int kAllNamespaces = kSandboxNamespaces | CLONE_NEWUSER;

// ---- layer 2: the root -----------------------------------------------------

// How an entry of the sandbox's root is made.
enum class RootEntry : uint8_t {
  tmpfs,          // the small tmpfs the root is assembled on
  view_readonly,  // the host's directory, read-only, nosuid, nodev: an
                  // overlay of it (a bind where overlays are refused)
  hide,           // an empty read-only tmpfs over it, if the host has it
  mirror,         // merged-/usr symlink copied, a real directory bound
                  // read-only; nothing if the host has neither
  etc,            // a few generated files (inside/contain.cc, make_etc)
  dev,            // kDevNodes bound from the host, /dev/shm, fd links
  mount_point,    // an empty directory where each run mounts its own
};

struct RootMount {
  const char* path;
  RootEntry kind;
  Step step;                       // reported when it fails
  const char* tmpfs_options = "";  // tmpfs and hide
  unsigned mode = 0755;            // mount_point
};

// The read-only root every sandbox of a keeper starts from, built once in
// this order (inside/contain.cc, build_root) and then remounted read-only. Each
// run then mounts its own /proc (its pid namespace's, process directories
// only), /tmp (tmp_bytes, tmp_inodes) and /dev/shm (tmp_bytes) on the
// mount points (inside/contain.cc, run_init).
inline constexpr RootMount kRootMounts[] = {
    {"/", RootEntry::tmpfs, Step::mount_root,
     "size=1m,nr_inodes=256,mode=0755"},
    // Mount points first: /tmp, still empty, is also the second (empty)
    // layer of each overlay (kEmptyLayer).
    {"/proc", RootEntry::mount_point, Step::mount_proc, "", 0555},
    {"/tmp", RootEntry::mount_point, Step::mount_tmp, "", 01777},
    {"/usr", RootEntry::view_readonly, Step::mount_usr},
    // Nothing installed by hand on the host (pip or make install under
    // /usr/local) is part of the sandbox; Debian's packages under /usr are.
    {"/usr/local", RootEntry::hide, Step::mount_usr,
     "size=4k,nr_inodes=16,mode=0755"},
    // Where Python's dynamic loader may look.
    {"/bin", RootEntry::mirror, Step::mount_lib},
    {"/sbin", RootEntry::mirror, Step::mount_lib},
    {"/lib", RootEntry::mirror, Step::mount_lib},
    {"/lib32", RootEntry::mirror, Step::mount_lib},
    {"/lib64", RootEntry::mirror, Step::mount_lib},
    {"/libx32", RootEntry::mirror, Step::mount_lib},
    // passwd and group naming only the sandbox's users, the host's time
    // zone and loader cache (read-only), the site hook
    // (inside/python_startup.h).
    {"/etc", RootEntry::etc, Step::mount_etc},
    {"/dev", RootEntry::dev, Step::mount_dev},
};
inline constexpr const char* kEmptyLayer = "/tmp";

// Device nodes of /dev: made with mknod as root, else bound from the host
// (mknod is refused in a user namespace); nosuid and noexec.
inline constexpr const char* kDevNodes[] = {"null", "zero", "full", "random",
                                            "urandom"};

// ---- layer 4: rlimits ------------------------------------------------------

// Where an rlimit's value comes from.
enum class RlimitFrom : uint8_t {
  constant,  // RlimitRule::value
  // Limits::cpu_ms in whole seconds, rounded up, at least 1.
  cpu_seconds,
  // Limits::memory_bytes without a memory cgroup. With one the cgroup is the
  // limit, on memory actually used; an address-space limit there would only
  // cut reservations that cost nothing (each thread reserves its 8 MiB stack
  // and a 64 MiB malloc arena: 20 threads failed under 4 x 256 MiB), so it
  // is then as high as the service's own hard limit.
  memory_without_cgroup,
  tmp_bytes,   // Limits::tmp_bytes: no file larger than /tmp holds
  open_files,  // Limits::open_files
  // Limits::max_processes without a pids cgroup; with one the cgroup
  // bounds them and the inherited limit stays.
  processes_without_cgroup,
};

struct RlimitRule {
  int resource;  // RLIMIT_*
  RlimitFrom from;
  int64_t value = 0;       // for RlimitFrom::constant
  int64_t hard_extra = 0;  // hard = soft + this
};

// Every rlimit Python gets, set explicitly (inside/contain.cc, set_rlimits).
inline constexpr RlimitRule kRlimits[] = {
    // SIGXCPU at the soft limit, SIGKILL a second later.
    {RLIMIT_CPU, RlimitFrom::cpu_seconds, 0, 1},
    {RLIMIT_AS, RlimitFrom::memory_without_cgroup},
    {RLIMIT_FSIZE, RlimitFrom::tmp_bytes},
    {RLIMIT_NOFILE, RlimitFrom::open_files},
    {RLIMIT_CORE, RlimitFrom::constant, 0},
    {RLIMIT_MEMLOCK, RlimitFrom::constant, 0},
    {RLIMIT_MSGQUEUE, RlimitFrom::constant, 0},
    {RLIMIT_LOCKS, RlimitFrom::constant, 64},
    {RLIMIT_STACK, RlimitFrom::constant, 8 << 20},
    {RLIMIT_SIGPENDING, RlimitFrom::constant, 256},
    {RLIMIT_RTPRIO, RlimitFrom::constant, 0},
    {RLIMIT_NICE, RlimitFrom::constant, 0},
    {RLIMIT_NPROC, RlimitFrom::processes_without_cgroup},
};

// One rlimit as the init sets it.
struct Rlimit {
  int resource = 0;
  int64_t soft = 0, hard = 0;  // kInheritedHardLimit: the init's own hard
  bool operator==(const Rlimit&) const = default;
};
inline constexpr int64_t kInheritedHardLimit = -1;

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
  // Threads a BLAS library may start (numpy's linear algebra): OpenBLAS
  // and OpenMP otherwise start one per core, beyond the process limit on a
  // large machine. 0 leaves it to the library.
  int64_t blas_threads = 1;
};

// Which layers are active. Filled in by the start-up self-test. rlimits
// and supervision need nothing of the machine: always active, so not here.
struct Isolation {
  bool namespaces = false;      // pid, mount, net, ipc, uts, cgroup
  bool user_namespace = false;  // used when the service is not root
  bool filesystem = false;      // read-only root, private /proc and /tmp
  std::string cgroups;          // "v1", "v2" or "" when unavailable
  bool drop_privileges =
      false;  // the slot's uid, or no capabilities in a userns
  bool seccomp = false;

  // Human-readable layers that are not active, for logs and /readyz.
  std::vector<std::string> missing() const;
  boost::json::object to_json() const;
};

// The rlimits of kRlimits for these limits (`cgroups`: memory and pids
// cgroups bound the run), in the table's order.
std::vector<Rlimit> rlimits_for(const Limits& limits, bool cgroups);

}  // namespace playground::sandbox
