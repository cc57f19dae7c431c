// playground-frontend: wiring of configuration, gateway service, HTTP API
// and signals.
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/json/array.hpp>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

#include "common/log.h"
#include "common/metrics.h"
#include "common/task.h"
#include "frontend/config.h"
#include "frontend/service.h"
#include "http/body_budget.h"
#include "http/graceful_shutdown.h"
#include "http/health_check.h"
#include "http/loop_log.h"
#include "http/server.h"

namespace pg = playground;

namespace {

int fail(const std::string& message) {
  std::cerr << "playground-frontend: " << message << "\n";
  return 2;
}

// Each client connection is a descriptor: allow as many as the hard limit,
// and say so when that is fewer than --max-connections asks for.
void raise_open_file_limit(int64_t max_connections) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
  // Upstream connections, health checks and the listener need some too.
  constexpr rlim_t kReserve = 256;
  if (limit.rlim_cur < static_cast<rlim_t>(max_connections) + kReserve) {
    pg::log::warn("the open-file limit is below --max-connections",
                  {{"open_file_limit", limit.rlim_cur},
                   {"max_connections", max_connections}});
  }
}

// --threads 0: a loop per CPU this process may run on (its affinity, as a
// container's cpuset sets it), as nginx's worker_processes auto.
size_t loop_count(int64_t threads) {
  if (threads > 0) return static_cast<size_t>(threads);
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0) {
    return static_cast<size_t>(std::max(1, CPU_COUNT(&set)));
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

boost::json::array backend_list(const pg::frontend::FrontendConfig& cfg) {
  boost::json::array backends;
  for (const auto& b : cfg.backends) {
    backends.push_back(boost::json::object{{"name", b.name}, {"url", b.url}});
  }
  return backends;
}

}  // namespace

int main(int argc, char** argv) {
  pg::http::give_large_blocks_back();
  pg::frontend::FrontendConfig cfg;
  std::string help;
  auto parsed = pg::frontend::parse_frontend_config(argc, argv, cfg, help);
  if (!parsed) return fail(parsed.error().message);
  if (*parsed == pg::ParseOutcome::help) {
    std::cout << help;
    return 0;
  }
  if (*parsed == pg::ParseOutcome::health_check) {
    return pg::http::run_health_check(cfg.listener, "playground-frontend");
  }
  // From here a stop signal means a graceful shutdown, never a death by
  // default action that would leave half-made state behind.
  pg::http::hold_stop_signals();
  pg::log::Level level = pg::log::Level::info;
  pg::log::parse_level(cfg.log_level, level);
  pg::log::set_level(level);
  ::signal(SIGPIPE, SIG_IGN);
  raise_open_file_limit(cfg.listener.max_connections);

  // The event loops: each a thread (the first is this one) with its own
  // listener on the port; what their requests share is thread-safe.
  std::vector<std::unique_ptr<boost::asio::io_context>> loops;
  std::vector<boost::asio::io_context*> loop_pointers;
  std::vector<playground::Executor> executors;
  for (size_t i = 0; i < loop_count(cfg.threads); ++i) {
    // Each loop's sockets, descriptors and timers are used on its thread
    // only (other threads post or dispatch to it), so its reactor need not
    // lock each descriptor at each operation: 1.5% of a proxied request's
    // instructions (docs/benchmarks.md). Posting stays thread-safe.
    loops.push_back(std::make_unique<boost::asio::io_context>(
        BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO));
    loop_pointers.push_back(loops.back().get());
    executors.push_back(loops.back()->get_executor());
  }
  boost::asio::io_context& io = *loops.front();
  pg::http::LoopLog loop_log(io);
  pg::metrics::Registry registry;
  auto service =
      pg::frontend::Service::create(cfg, std::move(executors), registry);
  if (!service) return fail(service.error().message);
  pg::http::Server server(
      loop_pointers,
      pg::http::server_options(cfg.listener, "playground-frontend"),
      (*service)->routes(), registry);
  if (auto listening = server.listen(); !listening) {
    pg::log::error("cannot start", {{"error", listening.error().message}});
    return 1;
  }
  server.start();
  (*service)->start_health_checks();
  // Never joined: the process ends with _Exit once drained.
  std::vector<std::thread> threads;
  for (size_t i = 1; i < loops.size(); ++i) {
    threads.emplace_back([&loop = *loops[i]] {
      pg::http::LoopLog loop_log(loop);
      loop.run();
    });
  }
  pg::log::info("listening", {{"bind", cfg.listener.bind},
                              {"port", server.port()},
                              {"threads", loops.size()},
                              {"backends", backend_list(cfg)},
                              {"token", !cfg.token.empty()},
                              {"rate_limit", cfg.rate_limit}});

  pg::http::run_until_drained(
      io, server,
      {.grace = std::chrono::milliseconds(cfg.listener.shutdown_grace_ms),
       .draining = "shutting down: no new connections, finishing requests",
       .grace_over = "shutdown grace period over; stopping now",
       .on_drain = [&] { (*service)->stop(); },
       // Every request is answered. A name lookup may still be running (they
       // cannot be cancelled), and would hold the exit until it returned.
       .stop_when_drained = true});
  // Requests still suspended may reference the objects above; nothing
  // needs unwinding.
  pg::log::flush();
  std::_Exit(0);
}
