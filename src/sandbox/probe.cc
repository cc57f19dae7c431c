// Finding the strongest isolation this machine allows (see probe.h).
#include "sandbox/probe.h"

#include <unistd.h>

#include <cstring>

#include "sandbox/python_bootstrap.h"
#include "sandbox/slot_keepers.h"

namespace playground::sandbox {
namespace {

bool starts_with(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

// Drops the layer a failed step belongs to; false when the failure is not
// one a weaker configuration could avoid.
bool drop_layer_for(const Error& e, Isolation& iso,
                    std::vector<std::string>& warnings) {
  auto why = [&](const std::string& layer) {
    warnings.push_back(layer + " unavailable (" + e.message + ")");
  };
  const std::string& step = e.step;
  if (step == "clone" || step == "userns" || step == "userns-map" ||
      step == "hostname") {
    if (iso.namespaces && !iso.user_namespace && geteuid() != 0) {
      iso.user_namespace = true;  // unprivileged: try with a user namespace
      return true;
    }
    if (iso.namespaces) {
      why("namespaces");
      iso.namespaces = iso.user_namespace = iso.filesystem = false;
      return true;
    }
    return false;
  }
  if (step == "cgroup" && !iso.cgroups.empty()) {
    why("cgroups");
    iso.cgroups.clear();
    return true;
  }
  if ((starts_with(step, "mount") || starts_with(step, "pivot") ||
       step == "root-readonly") &&
      iso.filesystem) {
    why("private filesystem");
    iso.filesystem = false;
    return true;
  }
  if (step == "seccomp" && iso.seccomp) {
    why("seccomp");
    iso.seccomp = false;
    return true;
  }
  if ((step == "setgroups" || step == "setgid" || step == "setuid" ||
       step == "capbset" || step == "capset" || step == "securebits") &&
      iso.drop_privileges) {
    why("privilege drop");
    iso.drop_privileges = false;
    return true;
  }
  return false;
}

// Has Python, in a sandbox of the configuration just found to work, compile
// and marshal the bootstrap, then checks a sandbox runs with the result.
// Without it every start compiles the bootstrap from source (slower).
boost::asio::awaitable<std::string> compile_bootstrap(
    LaunchConfig config, CgroupSlots* cgroups,
    std::vector<std::string>& warnings) {
  CgroupSlots* slots = config.isolation.cgroups.empty() ? nullptr : cgroups;
  SlotKeepers keepers(config.init_path, slots, 1,
                      {.user_namespace = config.isolation.user_namespace,
                       .filesystem = config.isolation.filesystem});
  std::string problem;
  {
    auto box = co_await SandboxProcess::start(config, keepers, slots, 0);
    if (!box) {
      problem = box.error().message;
    } else {
      auto run =
          co_await (*box)->run(kMarshalBootstrapSnippet, kPythonBootstrapSource,
                               std::chrono::seconds(10));
      if (!run) {
        problem = run.error().message;
      } else if (run->status != RunStatus::ok || run->stdout_bytes.empty()) {
        problem = "status " + std::string(to_string(run->status)) + ": " +
                  run->stderr_bytes.substr(0, 300);
      } else {
        config.bootstrap = run->stdout_bytes;
      }
    }
  }
  if (problem.empty()) {
    auto box = co_await SandboxProcess::start(config, keepers, slots, 0);
    if (!box) {
      problem = box.error().message;
    } else {
      auto check =
          co_await (*box)->run("print(6 * 7)", "", std::chrono::seconds(10));
      if (check && check->status == RunStatus::ok &&
          check->stdout_bytes == "42\n") {
        co_return config.bootstrap;
      }
      problem = check ? "the compiled bootstrap did not run: " +
                            check->stderr_bytes.substr(0, 300)
                      : check.error().message;
    }
  }
  warnings.push_back(
      "compiled bootstrap unavailable, compiling it at each start (" + problem +
      ")");
  co_return std::string();
}

}  // namespace

boost::asio::awaitable<ProbeResult> probe_isolation(LaunchConfig config,
                                                    CgroupSlots* cgroups) {
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
    auto run =
        co_await (*box)->run("import sys\nprint(6 * 7, sys.flags.isolated)\n",
                             "", std::chrono::seconds(10));
    if (!run) {
      if (drop_layer_for(run.error(), iso, probe.warnings)) continue;
      probe.error = run.error().message;
      co_return probe;
    }
    if (run->status != RunStatus::ok || run->stdout_bytes != "42 1\n") {
      probe.error = "the self-test snippet did not run correctly (status " +
                    std::string(to_string(run->status)) + ", stdout \"" +
                    run->stdout_bytes.substr(0, 200) + "\", stderr \"" +
                    run->stderr_bytes.substr(0, 500) + "\")";
      co_return probe;
    }
    probe.ready = true;
    probe.isolation = iso;
    probe.bootstrap =
        co_await compile_bootstrap(config, cgroups, probe.warnings);
    co_return probe;
  }
  probe.error = "no working sandbox configuration was found";
  co_return probe;
}

}  // namespace playground::sandbox
