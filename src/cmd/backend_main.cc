// playground-backend: wiring of configuration, sandbox, HTTP API and signals.
#include <signal.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/array.hpp>
#include <filesystem>
#include <iostream>

#include "backend/admission.h"
#include "backend/api.h"
#include "backend/config.h"
#include "backend/evaluator.h"
#include "backend/sandbox_pool.h"
#include "common/log.h"
#include "common/metrics.h"
#include "http/body_budget.h"
#include "http/health_check.h"
#include "http/server.h"
#include "sandbox/cgroup.h"
#include "sandbox/launcher.h"
#include "sandbox/probe.h"
#include "sandbox/slot_keepers.h"

namespace pg = playground;
namespace asio = boost::asio;

namespace {

std::string default_init_path() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "playground-sandbox-init";
  return (self.parent_path() / "playground-sandbox-init").string();
}

// One cgroup per slot, or null (then rlimits alone bound a run) with a
// warning that says why.
std::unique_ptr<pg::sandbox::CgroupSlots> make_cgroup_slots(
    const pg::sandbox::Limits& limits, int count) {
  auto layout = pg::sandbox::discover_cgroups();
  if (!layout) {
    pg::log::warn("cgroups unavailable", {{"reason", layout.error().message}});
    return nullptr;
  }
  if (auto remounted = pg::sandbox::remount_writable(*layout); !remounted) {
    pg::log::warn("cgroups unavailable",
                  {{"reason", remounted.error().message}});
    return nullptr;
  } else if (!remounted->empty()) {
    boost::json::array points(remounted->begin(), remounted->end());
    pg::log::info(
        "remounted the container's read-only cgroup hierarchy "
        "read-write",
        {{"mounts", points}});
  }
  auto slots =
      pg::sandbox::CgroupSlots::create(*layout, limits, count, ::getpid());
  if (!slots) {
    pg::log::warn("cgroups unavailable", {{"reason", slots.error().message}});
    return nullptr;
  }
  return std::move(*slots);
}

int fail(const std::string& message) {
  std::cerr << "playground-backend: " << message << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  pg::http::give_large_blocks_back();
  pg::backend::BackendConfig cfg;
  std::string help;
  auto parsed = pg::backend::parse_backend_config(argc, argv, cfg, help);
  if (!parsed) return fail(parsed.error().message);
  if (*parsed == pg::ParseOutcome::help) {
    std::cout << help;
    return 0;
  }
  if (*parsed == pg::ParseOutcome::health_check) {
    return pg::http::run_health_check(cfg.listener, "playground-backend");
  }
  pg::log::Level level = pg::log::Level::info;
  pg::log::parse_level(cfg.log_level, level);
  pg::log::set_level(level);
  // Writing to a pipe whose reader is gone (a snippet that exits without
  // reading stdin) must be an error code, not the end of the service.
  ::signal(SIGPIPE, SIG_IGN);

  if (cfg.init_path.empty()) cfg.init_path = default_init_path();
  if (::access(cfg.init_path.c_str(), X_OK) != 0) {
    return fail("cannot execute the sandbox init " + cfg.init_path +
                " (see --init)");
  }
  if (::access(cfg.python.c_str(), X_OK) != 0) {
    return fail("cannot execute " + cfg.python + " (see --python)");
  }

  pg::sandbox::LaunchConfig launch;
  launch.init_path = cfg.init_path;
  launch.python_path = cfg.python;
  launch.limits = cfg.limits;

  // Running sandboxes and pre-started ones each hold a slot (cgroup + keeper).
  const int slot_count = static_cast<int>(cfg.concurrency + cfg.pool);
  std::unique_ptr<pg::sandbox::CgroupSlots> cgroups =
      make_cgroup_slots(cfg.limits, slot_count);

  asio::io_context io(1);
  pg::sandbox::ProbeResult probe;
  asio::co_spawn(io, pg::sandbox::probe_isolation(launch, cgroups.get()),
                 [&](std::exception_ptr e, pg::sandbox::ProbeResult r) {
                   if (e) {
                     r.error = "the self-test failed with an exception";
                   }
                   probe = std::move(r);
                 });
  io.run();
  io.restart();

  for (const auto& w : probe.warnings)
    pg::log::warn("sandbox layer refused", {{"detail", w}});
  if (!probe.ready) {
    pg::log::error("the sandbox self-test failed; evaluations will be refused",
                   {{"error", probe.error}});
  } else {
    boost::json::array missing;
    for (auto& m : probe.isolation.missing()) missing.emplace_back(m);
    pg::log::info("sandbox self-test passed",
                  {{"isolation", probe.isolation.to_json()}});
    if (!missing.empty()) {
      pg::log::warn("running with reduced isolation", {{"missing", missing}});
    }
  }
  if (cfg.isolation == "strict" &&
      (!probe.ready || !probe.isolation.missing().empty())) {
    pg::log::error(
        "--isolation=strict and not every sandbox layer works; exiting");
    return 1;
  }
  if (probe.isolation.cgroups.empty()) cgroups.reset();
  launch.isolation = probe.isolation;
  // As root, each slot's sandboxes get a uid of their own, in a range of
  // this process's own (a user namespace maps only the service's uid).
  if (!launch.isolation.user_namespace && launch.isolation.drop_privileges &&
      ::geteuid() == 0) {
    launch.uid_base = pg::sandbox::pick_uid_base();
  }

  pg::metrics::Registry registry;
  pg::backend::Admission admission(static_cast<int>(cfg.concurrency),
                                   static_cast<int>(cfg.queue));
  pg::sandbox::SlotKeepers keepers(
      launch.init_path, cgroups.get(), slot_count,
      {.user_namespace = launch.isolation.user_namespace,
       .filesystem = launch.isolation.filesystem},
      launch.uid_base);
  pg::backend::SandboxPool pool(launch, cgroups.get(), keepers, slot_count,
                                static_cast<int>(cfg.pool), registry);
  if (probe.ready) {
    if (auto started = keepers.start_all(); !started) {
      pg::log::error("cannot start the sandbox keepers",
                     {{"error", started.error().message}});
      return 1;
    }
    pool.start(io.get_executor());
  }
  pg::backend::Evaluator evaluator(launch, pool, admission, registry);
  pg::backend::BackendApi api{cfg, evaluator, admission, registry, probe};

  const pg::http::ServerOptions options =
      pg::http::server_options(cfg.listener, "playground-backend");
  pg::http::Server server(io, options, pg::backend::make_routes(api), registry);
  if (auto listening = server.listen(); !listening) {
    pg::log::error("cannot start", {{"error", listening.error().message}});
    return 1;
  }
  server.start();
  pg::log::info("listening", {{"bind", cfg.listener.bind},
                              {"port", server.port()},
                              {"concurrency", cfg.concurrency},
                              {"queue", cfg.queue},
                              {"pool", cfg.pool},
                              {"token_required", !cfg.token.empty()}});

  // SIGTERM (rolling update) or Ctrl+C: stop accepting, let running
  // evaluations finish, exit 0. run() returns once no work is left.
  asio::signal_set signals(io, SIGTERM, SIGINT);
  asio::steady_timer grace(io);
  bool grace_expired = false;
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    // Later signals while draining are noted and otherwise ignored.
    signals.async_wait([&](const boost::system::error_code& again, int) {
      if (!again) pg::log::info("already shutting down");
    });
    pg::log::info(
        "shutting down: no new connections, finishing running evaluations",
        {{"signal", sig}, {"running", admission.running()}});
    pool.stop();  // no more pre-started sandboxes; running ones finish
    grace.expires_after(
        std::chrono::milliseconds(cfg.listener.shutdown_grace_ms));
    grace.async_wait([&](const boost::system::error_code& gec) {
      if (gec) return;
      pg::log::warn(
          "shutdown grace period over; stopping with evaluations still running",
          {{"running", admission.running()}});
      grace_expired = true;
      io.stop();
    });
    server.shutdown([&] {
      grace.cancel();
      signals.cancel();
    });
  });
  io.run();
  // Shutdown has begun; a second signal must not cut the cleanup short.
  // (Clear the set first: asio resets the signals to SIG_DFL when it goes.)
  signals.clear();
  ::signal(SIGTERM, SIG_IGN);
  ::signal(SIGINT, SIG_IGN);
  if (grace_expired) {
    // Suspended requests still reference the objects above; end the
    // sandboxes and their cgroups, then leave without unwinding them.
    cgroups.reset();
    pg::log::info("stopped");
    std::_Exit(0);
  }
  pg::log::info("stopped");
  return 0;
}
