// The backend's sandbox self-test and wiring (see service.h).
#include "backend/service.h"

#include <unistd.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/json/array.hpp>
#include <filesystem>
#include <optional>

#include "common/log.h"

namespace playground::backend {
namespace {

namespace asio = boost::asio;
using Sandbox = Service::Sandbox;

std::string default_init_path() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "playground-sandbox-init";
  return (self.parent_path() / "playground-sandbox-init").string();
}

// Running sandboxes and pre-started ones each hold a slot (cgroup + keeper).
int slot_count(const BackendConfig& cfg) {
  return static_cast<int>(cfg.concurrency + cfg.pool);
}

// One cgroup per slot, or null (then rlimits alone bound a run) with a
// warning that says why.
std::unique_ptr<sandbox::CgroupSlots> make_cgroup_slots(
    const sandbox::Limits& limits, int count) {
  auto layout = sandbox::discover_cgroups();
  if (!layout) {
    log::warn("cgroups unavailable", {{"reason", layout.error().message}});
    return nullptr;
  }
  if (auto remounted = sandbox::remount_writable(*layout); !remounted) {
    log::warn("cgroups unavailable", {{"reason", remounted.error().message}});
    return nullptr;
  } else if (!remounted->empty()) {
    boost::json::array points(remounted->begin(), remounted->end());
    log::info(
        "remounted the container's read-only cgroup hierarchy "
        "read-write",
        {{"mounts", points}});
  }
  auto slots = sandbox::CgroupSlots::create(*layout, limits, count, ::getpid());
  if (!slots) {
    log::warn("cgroups unavailable", {{"reason", slots.error().message}});
    return nullptr;
  }
  return std::move(*slots);
}

// The self-test, run to its end on `io` before anything else uses it.
sandbox::ProbeResult run_self_test(asio::io_context& io,
                                   const sandbox::LaunchConfig& launch,
                                   sandbox::CgroupSlots* cgroups) {
  sandbox::ProbeResult probe;
  asio::co_spawn(io, sandbox::probe_isolation(launch, cgroups),
                 [&](std::exception_ptr e, sandbox::ProbeResult r) {
                   if (e) {
                     r.error = "the self-test failed with an exception";
                   }
                   probe = std::move(r);
                 });
  io.run();
  io.restart();
  return probe;
}

void log_probe(const sandbox::ProbeResult& probe) {
  for (const auto& w : probe.warnings)
    log::warn("sandbox layer refused", {{"detail", w}});
  if (!probe.ready) {
    log::error("the sandbox self-test failed; evaluations will be refused",
               {{"error", probe.error}});
    return;
  }
  boost::json::array missing;
  for (auto& m : probe.isolation.missing()) missing.emplace_back(m);
  log::info("sandbox self-test passed",
            {{"isolation", probe.isolation.to_json()}});
  if (!missing.empty()) {
    log::warn("running with reduced isolation", {{"missing", missing}});
  }
}

// The sandbox with the isolation the self-test found; none when
// --isolation=strict asks for more (logged).
std::optional<Sandbox> prepare_sandbox(const BackendConfig& cfg,
                                       asio::io_context& io) {
  Sandbox s{.launch = {.init_path = cfg.init_path,
                       .python_path = cfg.python,
                       .limits = cfg.limits}};
  s.cgroups = make_cgroup_slots(cfg.limits, slot_count(cfg));
  s.probe = run_self_test(io, s.launch, s.cgroups.get());
  log_probe(s.probe);
  if (cfg.isolation == "strict" &&
      (!s.probe.ready || !s.probe.isolation.missing().empty())) {
    log::error("--isolation=strict and not every sandbox layer works; exiting");
    return std::nullopt;
  }
  if (s.probe.isolation.cgroups.empty()) s.cgroups.reset();
  s.launch.isolation = s.probe.isolation;
  // As root, each slot's sandboxes get a uid of their own, in a range of
  // this process's own (a user namespace maps only the service's uid).
  if (!s.launch.isolation.user_namespace &&
      s.launch.isolation.drop_privileges && ::geteuid() == 0) {
    s.launch.uid_base = sandbox::pick_uid_base();
  }
  // Not root: the same, with subordinate ids mapped into each keeper's user
  // namespace, where the service's user has some.
  if (s.launch.isolation.user_namespace && s.launch.isolation.drop_privileges) {
    std::string why;
    s.subordinate_ids = sandbox::SubordinateIds::claim(slot_count(cfg), why);
    if (s.subordinate_ids) {
      s.launch.mapped_uid_base = s.subordinate_ids->uid_base();
      s.launch.mapped_gid_base = s.subordinate_ids->gid_base();
      log::info("each slot's sandboxes run as a subordinate uid of its own",
                {{"first_uid", s.launch.mapped_uid_base},
                 {"first_gid", s.launch.mapped_gid_base}});
    } else {
      log::warn("every sandbox runs as the service's own uid",
                {{"reason", why}});
    }
  }
  return s;
}

// What a data sandbox imports ahead: those of kDataModules installed as
// Debian packages (python3-numpy, python3-pandas), when the sandbox sees
// them and --data-pool is on.
std::string data_preload(const BackendConfig& cfg) {
  constexpr std::string_view dir = "/usr/lib/python3/dist-packages";
  if (cfg.data_pool != "on" || std::ranges::find(cfg.hidden_module_dirs, dir) !=
                                   cfg.hidden_module_dirs.end()) {
    return "";
  }
  std::string preload;
  for (std::string_view module : kDataModules) {
    const std::string init =
        std::string(dir) + "/" + std::string(module) + "/__init__.py";
    if (::access(init.c_str(), R_OK) != 0) continue;
    if (!preload.empty()) preload += ' ';
    preload += module;
  }
  return preload;
}

}  // namespace

Result<void> find_programs(BackendConfig& cfg) {
  if (cfg.init_path.empty()) cfg.init_path = default_init_path();
  if (::access(cfg.init_path.c_str(), X_OK) != 0) {
    return Error{"cannot execute the sandbox init " + cfg.init_path +
                 " (see --init)"};
  }
  if (::access(cfg.python.c_str(), X_OK) != 0) {
    return Error{"cannot execute " + cfg.python + " (see --python)"};
  }
  return Ok();
}

std::unique_ptr<Service> Service::start(const BackendConfig& cfg,
                                        asio::io_context& io,
                                        metrics::Registry& registry) {
  std::optional<Sandbox> sandbox = prepare_sandbox(cfg, io);
  if (!sandbox) return nullptr;
  std::unique_ptr<Service> s(new Service(cfg, std::move(*sandbox), registry));
  if (s->probe_.ready) {
    if (auto started = s->keepers_.start_all(); !started) {
      log::error("cannot start the sandbox keepers",
                 {{"error", started.error().message}});
      return nullptr;
    }
    s->pool_.start(io.get_executor());
  }
  return s;
}

Service::Service(const BackendConfig& cfg, Sandbox sandbox,
                 metrics::Registry& registry)
    : launch_(std::move(sandbox.launch)),
      cgroups_(std::move(sandbox.cgroups)),
      subordinate_ids_(std::move(sandbox.subordinate_ids)),
      probe_(std::move(sandbox.probe)),
      admission_(static_cast<int>(cfg.concurrency),
                 static_cast<int>(cfg.queue)),
      keepers_(launch_.init_path, cgroups_.get(), slot_count(cfg),
               {.user_namespace = launch_.isolation.user_namespace,
                .filesystem = launch_.isolation.filesystem,
                .hidden_dirs = cfg.hidden_module_dirs,
                .mapped_uid_base = launch_.mapped_uid_base,
                .mapped_gid_base = launch_.mapped_gid_base},
               launch_.uid_base),
      pool_(launch_, cgroups_.get(), keepers_, slot_count(cfg),
            static_cast<int>(cfg.pool), data_preload(cfg), registry),
      evaluator_(launch_, pool_, admission_, registry),
      api_{cfg, evaluator_, admission_, registry, probe_} {}

}  // namespace playground::backend
