// playground-backend: wiring of configuration, sandbox service, HTTP API and
// signals.
#include <signal.h>

#include <boost/asio/io_context.hpp>
#include <iostream>

#include "backend/config.h"
#include "backend/service.h"
#include "common/log.h"
#include "common/metrics.h"
#include "http/body_budget.h"
#include "http/graceful_shutdown.h"
#include "http/health_check.h"
#include "http/loop_log.h"
#include "http/server.h"

namespace pg = playground;

namespace {

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
  // From here a stop signal means a graceful shutdown, never a death by
  // default action that would leave half-made state behind.
  pg::http::hold_stop_signals();
  pg::log::Level level = pg::log::Level::info;
  pg::log::parse_level(cfg.log_level, level);
  pg::log::set_level(level);
  // Writing to a pipe whose reader is gone (a snippet that exits without
  // reading stdin) must be an error code, not the end of the service.
  ::signal(SIGPIPE, SIG_IGN);
  if (auto found = pg::backend::find_programs(cfg); !found) {
    return fail(found.error().message);
  }

  boost::asio::io_context io(1);
  // One log line per request: written by batch, and never waiting for the
  // log's reader (as the frontend does).
  pg::http::LoopLog loop_log(io);
  pg::metrics::Registry registry;
  auto service = pg::backend::Service::start(cfg, io, registry);
  if (!service) return 1;
  pg::http::Server server(
      io, pg::http::server_options(cfg.listener, "playground-backend"),
      service->routes(), registry);
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

  auto running = [&] {
    return boost::json::object{{"running", service->running()}};
  };
  pg::http::run_until_drained(
      io, server,
      {.grace = std::chrono::milliseconds(cfg.listener.shutdown_grace_ms),
       .draining =
           "shutting down: no new connections, finishing running evaluations",
       .grace_over = "shutdown grace period over; stopping with evaluations "
                     "still running",
       .progress = running,
       .on_drain = [&] { service->stop_prestarting(); },
       .before_abandon = [&] { service->end_sandboxes(); }});
  return 0;
}
