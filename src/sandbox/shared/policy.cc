// The rlimits of a configuration, and reporting of the active isolation
// layers (see policy.h).
#include "sandbox/shared/policy.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace playground::sandbox {

std::vector<std::string> Isolation::missing() const {
  std::vector<std::string> out;
  if (!namespaces) out.push_back("namespaces (pid, mount, network, ipc, uts)");
  if (!filesystem) out.push_back("private read-only filesystem");
  if (cgroups.empty()) out.push_back("cgroups (memory, pids, cpu)");
  if (!drop_privileges) out.push_back("unprivileged user");
  if (!seccomp) out.push_back("seccomp syscall filter");
  return out;
}

boost::json::object Isolation::to_json() const {
  boost::json::array missing_layers;
  for (auto& m : missing()) missing_layers.emplace_back(m);
  return {
      {"namespaces", namespaces},
      {"user_namespace", user_namespace},
      {"filesystem", filesystem},
      {"cgroups", cgroups.empty() ? boost::json::value(nullptr)
                                  : boost::json::value(cgroups)},
      {"rlimits", true},  // always (reported for /readyz's readers)
      {"unprivileged", drop_privileges},
      {"seccomp", seccomp},
      {"supervision", true},
      {"missing", std::move(missing_layers)},
  };
}

std::vector<Rlimit> rlimits_for(const Limits& l, bool cgroups) {
  std::vector<Rlimit> out;
  for (const RlimitRule& rule : kRlimits) {
    int64_t soft = rule.value;
    switch (rule.from) {
      case RlimitFrom::constant:
        break;
      case RlimitFrom::cpu_seconds:
        soft = std::max<int64_t>(1, (l.cpu_ms + 999) / 1000);
        break;
      case RlimitFrom::memory_without_cgroup:
        soft = cgroups ? kInheritedHardLimit : l.memory_bytes;
        break;
      case RlimitFrom::tmp_bytes:
        soft = l.tmp_bytes;
        break;
      case RlimitFrom::open_files:
        soft = l.open_files;
        break;
      case RlimitFrom::processes_without_cgroup:
        if (cgroups) continue;  // left as inherited: the pids cgroup bounds
        soft = l.max_processes;
        break;
    }
    const int64_t hard =
        soft == kInheritedHardLimit ? soft : soft + rule.hard_extra;
    out.push_back({rule.resource, soft, hard});
  }
  return out;
}

}  // namespace playground::sandbox
