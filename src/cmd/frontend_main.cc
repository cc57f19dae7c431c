// playground-frontend: wiring of configuration, gateway, HTTP API and signals.
#include <signal.h>
#include <sys/resource.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/array.hpp>
#include <iostream>

#include "common/log.h"
#include "common/metrics.h"
#include "frontend/api.h"
#include "frontend/config.h"
#include "frontend/gateway.h"
#include "frontend/rate_limiter.h"
#include "http/body_budget.h"
#include "http/health_check.h"
#include "http/server.h"

namespace pg = playground;
namespace asio = boost::asio;

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
  pg::log::Level level = pg::log::Level::info;
  pg::log::parse_level(cfg.log_level, level);
  pg::log::set_level(level);
  ::signal(SIGPIPE, SIG_IGN);
  raise_open_file_limit(cfg.listener.max_connections);

  asio::io_context io(1);
  pg::metrics::Registry registry;
  pg::frontend::GatewayOptions gateway_options{
      .token = cfg.token,
      .ca_file = cfg.ca_file,
      .max_attempts = static_cast<size_t>(cfg.attempts),
      .connect_timeout = std::chrono::milliseconds(cfg.connect_timeout_ms),
      .upstream_timeout = std::chrono::milliseconds(cfg.upstream_timeout_ms),
      .health_interval = std::chrono::milliseconds(cfg.health_interval_ms),
      .health_timeout = std::chrono::milliseconds(cfg.health_timeout_ms),
      .health = {.unhealthy_after = static_cast<int>(cfg.unhealthy_after),
                 .healthy_after = static_cast<int>(cfg.healthy_after)},
  };
  auto gateway = pg::frontend::Gateway::create(io.get_executor(), cfg.backends,
                                               gateway_options, registry);
  if (!gateway) return fail(gateway.error().message);
  pg::frontend::RateLimiter limiter(
      {.per_second = static_cast<double>(cfg.rate_limit),
       .burst = static_cast<double>(cfg.rate_burst)});
  pg::frontend::ClientShare share(static_cast<int>(cfg.runs_per_client),
                                  static_cast<int>(cfg.waiting_per_client));
  pg::frontend::FrontendApi api{cfg, **gateway, limiter, share, registry};

  const pg::http::ServerOptions options =
      pg::http::server_options(cfg.listener, "playground-frontend");
  pg::http::Server server(io, options, pg::frontend::make_routes(api),
                          registry);
  if (auto listening = server.listen(); !listening) {
    pg::log::error("cannot start", {{"error", listening.error().message}});
    return 1;
  }
  server.start();
  (*gateway)->start_health_checks();
  boost::json::array backends;
  for (const auto& b : cfg.backends) {
    backends.push_back(boost::json::object{{"name", b.name}, {"url", b.url}});
  }
  pg::log::info("listening", {{"bind", cfg.listener.bind},
                              {"port", server.port()},
                              {"backends", backends},
                              {"token", !cfg.token.empty()},
                              {"rate_limit", cfg.rate_limit}});

  // SIGTERM (rolling update) or Ctrl+C: stop accepting, let forwarded
  // requests finish, exit 0.
  asio::signal_set signals(io, SIGTERM, SIGINT);
  asio::steady_timer grace(io);
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    signals.async_wait([&](const boost::system::error_code& again, int) {
      if (!again) pg::log::info("already shutting down");
    });
    pg::log::info("shutting down: no new connections, finishing requests",
                  {{"signal", sig}});
    (*gateway)->stop();
    grace.expires_after(
        std::chrono::milliseconds(cfg.listener.shutdown_grace_ms));
    grace.async_wait([&](const boost::system::error_code& gec) {
      if (gec) return;
      pg::log::warn("shutdown grace period over; stopping now");
      io.stop();
    });
    server.shutdown([&] {
      grace.cancel();
      signals.cancel();
      // Every request is answered. A name lookup may still be running (they
      // cannot be cancelled), and would hold the exit until it returned.
      io.stop();
    });
  });
  io.run();
  signals.clear();
  ::signal(SIGTERM, SIG_IGN);
  ::signal(SIGINT, SIG_IGN);
  pg::log::info("stopped");
  // Suspended requests may still reference the objects above when the grace
  // period ran out; nothing needs unwinding.
  std::_Exit(0);
}
