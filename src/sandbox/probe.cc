// Finding the strongest isolation this machine allows (see probe.h).
#include "sandbox/probe.h"

#include <unistd.h>

#include "common/task.h"
#include "sandbox/shared/step.h"
#include "sandbox/slot_keepers.h"

namespace playground::sandbox {
namespace {

// Drops the layer a failed step belongs to; false when the failure is not
// one a weaker configuration could avoid.
bool drop_layer_for(const Error& e, Isolation& iso,
                    std::vector<std::string>& warnings) {
  auto why = [&](const std::string& layer) {
    warnings.push_back(layer + " unavailable (" + e.message + ")");
  };
  switch (layer_of(step_of(e.code))) {
    case Layer::namespaces:
      if (iso.namespaces && !iso.user_namespace && geteuid() != 0) {
        iso.user_namespace = true;  // unprivileged: try with a user namespace
        return true;
      }
      if (!iso.namespaces) return false;
      why("namespaces");
      iso.namespaces = iso.user_namespace = iso.filesystem = false;
      return true;
    case Layer::cgroups:
      if (iso.cgroups.empty()) return false;
      why("cgroups");
      iso.cgroups.clear();
      return true;
    case Layer::filesystem:
      if (!iso.filesystem) return false;
      why("private filesystem");
      iso.filesystem = false;
      return true;
    case Layer::seccomp:
      if (!iso.seccomp) return false;
      why("seccomp");
      iso.seccomp = false;
      return true;
    case Layer::privileges:
      if (!iso.drop_privileges) return false;
      why("privilege drop");
      iso.drop_privileges = false;
      return true;
    case Layer::none:
      return false;
  }
  return false;
}

}  // namespace

Task<ProbeResult> probe_isolation(LaunchConfig config, CgroupSlots* cgroups) {
  ProbeResult probe;
  Isolation& iso = config.isolation;
  iso = Isolation{};
  iso.namespaces = true;
  iso.user_namespace = geteuid() != 0;
  iso.filesystem = true;
  iso.cgroups = cgroups ? cgroups->version() : "";
  iso.drop_privileges = true;
  iso.seccomp = true;

  for (int attempt = 0; attempt < 10; ++attempt) {
    CgroupSlots* slots = iso.cgroups.empty() ? nullptr : cgroups;
    SlotKeepers keepers(
        config.init_path, slots, 1,
        {.user_namespace = iso.user_namespace, .filesystem = iso.filesystem});
    auto box = co_await SandboxProcess::start(config, keepers, slots, 0);
    if (!box) {
      if (drop_layer_for(box.error(), iso, probe.warnings)) continue;
      probe.error = box.error().message;
      co_return probe;
    }
    // Run as `python3 main.py` (site imported) or, without a private
    // filesystem, by the fallback bootstrap (python_startup.h).
    // Its second line is the interpreter's version, for the APIs that
    // name it (Piston's runtimes, Judge0's languages).
    auto run = co_await (*box)->run(
        "import sys\nprint(6 * 7, sys.flags.no_site, sys.argv)\n"
        "print('%d.%d.%d' % sys.version_info[:3])\n",
        "", std::chrono::seconds(10));
    if (!run) {
      if (drop_layer_for(run.error(), iso, probe.warnings)) continue;
      probe.error = run.error().message;
      co_return probe;
    }
    const std::string_view out = run->stdout_bytes;
    const size_t first_line = out.find('\n') + 1;
    const std::string_view check = out.substr(0, first_line);
    const std::string_view version = out.substr(first_line);
    const bool as_script = check == "42 0 ['main.py']\n";
    if (run->status != RunStatus::ok ||
        (!as_script && check != "42 1 ['main.py']\n") ||
        !version.ends_with('\n') || version.size() < 6) {
      probe.error = "the self-test snippet did not run correctly (status " +
                    std::string(to_string(run->status)) + ", stdout \"" +
                    run->stdout_bytes.substr(0, 200) + "\", stderr \"" +
                    run->stderr_bytes.substr(0, 500) + "\")";
      co_return probe;
    }
    probe.ready = true;
    probe.isolation = iso;
    probe.runs_as_script = as_script;
    probe.python_version = std::string(version.substr(0, version.size() - 1));
    if (!as_script) {
      probe.warnings.push_back(
          "programs run by a bootstrap (python3 -I -S -c), not as python3 "
          "main.py: " +
          std::string(iso.filesystem
                          ? "the interpreter has no Debian sitecustomize link"
                          : "no private filesystem"));
    }
    co_return probe;
  }
  probe.error = "no working sandbox configuration was found";
  co_return probe;
}

}  // namespace playground::sandbox
