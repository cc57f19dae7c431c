// CgroupSlots: one cgroup per concurrently running sandbox, made once, reused.
//
//   auto layout = discover_cgroups();              // from /proc/self
//   auto slots = CgroupSlots::create(*layout, limits, /*count=*/4, getpid());
//   slots->place(2, keeper_pid);   // once; the keeper's clones are born inside
//   ... run ...
//   bool oom = slots->oom_kills(2) > before;       // memory limit hit?
//   slots->kill_all(2, keeper_pid);                // nothing may outlive a run
//
// Creating and removing a cgroup costs far more than writing one pid, so each
// slot's cgroup lives as long as the service. Slots sit under
// <own cgroup>/playground-<pid>/slot-<n>, so several services on one machine
// never share or remove each other's. cgroup v2 (one unified hierarchy) and
// v1 (a hierarchy per controller) are both supported: memory (swap
// forbidden), pids, and cpu with equal weights, so concurrent sandboxes share
// the CPU fairly. There is deliberately no hard CPU quota: a throttled group
// also throttles its own teardown, which made ending a fork bomb take
// 150-700 ms longer (measured); RLIMIT_CPU and the wall deadline bound the
// CPU a run can use.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "sandbox/shared/policy.h"
#include "sandbox/shared/unique_fd.h"

namespace playground::sandbox {

struct CgroupLayout {
  enum class Version { v1, v2 };
  Version version = Version::v2;
  // v2: the directory of this process's own cgroup, e.g.
  // /sys/fs/cgroup/kubepods/pod.../container.
  std::string v2_dir;
  // v1: this process's own cgroup directory in each controller's hierarchy.
  std::map<std::string, std::string>
      v1_dirs;  // "memory" -> /sys/fs/cgroup/memory/...
  // Where the hierarchies used are mounted (/sys/fs/cgroup, or one per v1
  // controller).
  std::vector<std::string> mount_points;
};

// Reads /proc/self/mountinfo and /proc/self/cgroup. Prefers v2 when its
// memory and pids controllers are available, else v1 memory, pids and cpu.
Result<CgroupLayout> discover_cgroups(
    const std::string& proc_self = "/proc/self");

// Container runtimes mount cgroupfs read-only, even over the container's own
// subtree. With CAP_SYS_ADMIN the per-mount read-only flag can be cleared in
// the container's mount namespace, which exposes nothing but the container's
// own cgroup (its root is that cgroup). Returns the mount points remounted
// (none when all were writable already).
Result<std::vector<std::string>> remount_writable(const CgroupLayout& layout);

class CgroupSlots {
 public:
  static Result<std::unique_ptr<CgroupSlots>> create(const CgroupLayout& layout,
                                                     const Limits& limits,
                                                     int count, pid_t owner);
  ~CgroupSlots();  // kills what is left and removes the slots

  std::string version() const;  // "v1" or "v2"
  int count() const { return static_cast<int>(slots_.size()); }
  // The directory of slot `i` (the memory hierarchy's under v1).
  const std::string& dir(int i) const { return slots_[i].front(); }

  Result<void> place(int slot, pid_t pid);
  // Number of OOM kills in the slot since it was created. Read twice per
  // run, from the service's loop, through a descriptor held open (pread).
  uint64_t oom_kills(int slot) const;
  // One pass: SIGKILLs every process in the slot but `spare` (its keeper);
  // true when there was none left to kill. Never waits: the service's loop
  // repeats it on a timer (SandboxProcess::finish) until it is true.
  bool kill_remaining(int slot, pid_t spare = 0);
  // kill_remaining until the slot is empty, sleeping between passes (at
  // most ~200 ms); for shutdown, off the service's loop.
  void kill_all(int slot, pid_t spare = 0);
  // True when no process but `spare` is in the slot.
  bool empty(int slot, pid_t spare = 0) const;

 private:
  CgroupSlots(CgroupLayout::Version version, std::vector<std::string> groups);
  static Result<std::unique_ptr<CgroupSlots>> create_v2(
      const std::string& base, const std::string& group_name,
      const Limits& limits, int count);
  static Result<std::unique_ptr<CgroupSlots>> create_v1(
      const CgroupLayout& layout, const std::string& group_name,
      const Limits& limits, int count);
  // The pids in slot's cgroup.procs, read afresh.
  std::vector<pid_t> pids(int slot) const;
  // Opens slot's directory (dir_fds_) once it is made.
  Result<void> open_dir(int slot);

  CgroupLayout::Version version_;
  std::vector<std::string> groups_;              // playground-<pid> dirs
  std::vector<std::vector<std::string>> slots_;  // per slot, per hierarchy
  // Per slot, what runs read: its directory (the memory hierarchy's under
  // v1), so each file is opened without walking the whole path, and its
  // OOM counter file, opened on first use and read with pread at offset 0
  // (cgroupfs makes its text afresh at every read from 0). cgroup.procs is
  // opened anew each time: under v1 an open file keeps the pid list it
  // made for up to a second after the processes are gone.
  std::vector<UniqueFd> dir_fds_;
  mutable std::vector<UniqueFd> oom_files_;
};

}  // namespace playground::sandbox
