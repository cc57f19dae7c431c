// What a sandbox might leave on the host: processes, mounts, cgroups.
//
//   HostState before = HostState::capture(backend.pid());
//   ... attack ...
//   EXPECT_EQ(leftovers(backend.pid(), before), "");   // "" when clean
#pragma once

#include <sys/types.h>

#include <set>
#include <string>

namespace playground::testing {

struct HostState {
  size_t mounts = 0;              // lines of the host's /proc/self/mountinfo
  std::set<std::string> cgroups;  // every playground-* directory and below
  // Processes already running as the sandbox user (another service's pooled
  // sandboxes on a shared machine): not left by what follows.
  std::set<std::string> sandbox_user_pids;

  static HostState capture(pid_t backend);
};

// Describes anything left behind compared with `before`: descendants of the
// backend other than its per-slot keepers, new processes running as the
// sandbox user, new mounts, new cgroups, processes other than keepers in slot
// cgroups. Waits up to 2 s for stragglers.
std::string leftovers(pid_t backend, const HostState& before);
// The same check once, without waiting for stragglers.
std::string describe_leftovers_now(pid_t backend, const HostState& before);

// The playground-<pid> cgroup directories of one backend, in any hierarchy.
std::set<std::string> cgroup_groups_of(pid_t backend);

}  // namespace playground::testing
