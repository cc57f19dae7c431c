// The start-up self-test: which isolation layers does this machine allow?
//
//   ProbeResult p = co_await probe_isolation(config, cgroups);
//   if (!p.ready) log::error("sandbox unavailable", {{"error", p.error}});
//   config.isolation = p.isolation;
//
// Starts with every layer and runs a real snippet through a real sandbox.
// When the machine refuses a layer (no root, no user namespaces, a container
// without the needed privileges) it drops that layer, notes why, and tries
// again, so the service still runs with the strongest isolation available
// and says exactly what is missing.
#pragma once

#include <string>
#include <vector>

#include "common/task.h"
#include "sandbox/cgroup.h"
#include "sandbox/launcher.h"
#include "sandbox/shared/policy.h"

namespace playground::sandbox {

struct ProbeResult {
  bool ready = false;
  Isolation isolation;
  std::vector<std::string> warnings;  // one sentence per refused layer
  std::string error;                  // why not ready
  // Programs run as `python3 main.py`; false: by the fallback bootstrap
  // (python_startup.h).
  bool runs_as_script = false;
  std::string python_version;  // of the sandbox's interpreter: "3.11.2"
};

// `config.isolation` is ignored; cgroups may be null (then none are used).
// Uses slot 0 with keepers of its own, which it stops before returning.
Task<ProbeResult> probe_isolation(LaunchConfig config, CgroupSlots* cgroups);

}  // namespace playground::sandbox
