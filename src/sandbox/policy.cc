// Reporting of the active isolation layers (see policy.h).
#include "sandbox/policy.h"

#include <boost/json/array.hpp>

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
      {"rlimits", rlimits},
      {"unprivileged", drop_privileges},
      {"seccomp", seccomp},
      {"supervision", supervision},
      {"missing", std::move(missing_layers)},
  };
}

}  // namespace playground::sandbox
