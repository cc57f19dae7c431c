// Flags and environment of playground-frontend (see config.h).
#include "frontend/config.h"

#include "common/log.h"

namespace playground::frontend {
namespace {

// The backends and how they are reached and checked.
void add_backend_options(Options& o, FrontendConfig& cfg) {
  o.add_checked(
      "backends", "PLAYGROUND_BACKENDS", &cfg.backends_text,
      [](std::string_view v) {
        auto parsed = parse_backend_list(v);
        return parsed ? std::string() : parsed.error().message;
      },
      "Backends as name=url,... (http or https), e.g.\n"
      "gke=http://10.0.0.5:6000,aks=https://203.0.113.7");
  o.add_string("token-file", "PLAYGROUND_TOKEN_FILE", &cfg.token_file,
               "File holding the shared token sent to backends as\n"
               "Authorization: Bearer (or set PLAYGROUND_TOKEN); printable\n"
               "ASCII without spaces.");
  add_ops_access_option(o, &cfg.ops_access);
  o.add_string("ca-file", "PLAYGROUND_CA_FILE", &cfg.ca_file,
               "PEM file of the CAs trusted for https backends\n"
               "(default: the system's trusted roots).");
  o.add_string("exercises", "PLAYGROUND_EXERCISES", &cfg.exercises_dir,
               "Directory of exercise files (*.json) served at\n"
               "/api/exercises and graded by the backends.");
  o.add_int("attempts", "PLAYGROUND_ATTEMPTS", &cfg.attempts, 1, 64,
            "Backends one request may try before the client gets 502/503.\n"
            "Failover needs at least 2.");
  o.add_millis("connect-timeout", "PLAYGROUND_CONNECT_TIMEOUT",
               &cfg.connect_timeout_ms, 10, 600'000,
               "Time to connect to a backend (and finish TLS).");
  o.add_millis("upstream-timeout", "PLAYGROUND_UPSTREAM_TIMEOUT",
               &cfg.upstream_timeout_ms, 100, 3'600'000,
               "Time a backend has to answer one request; more than the\n"
               "backends' --max-wall plus their queueing.");
  o.add_millis("health-interval", "PLAYGROUND_HEALTH_INTERVAL",
               &cfg.health_interval_ms, 50, 600'000,
               "Time between checks of each backend's /readyz.");
  o.add_millis("health-timeout", "PLAYGROUND_HEALTH_TIMEOUT",
               &cfg.health_timeout_ms, 10, 600'000,
               "Time one /readyz check may take.");
  o.add_int("unhealthy-after", "PLAYGROUND_UNHEALTHY_AFTER",
            &cfg.unhealthy_after, 1, 1000,
            "Consecutive failures (checks or requests) that take a backend\n"
            "out of rotation; a refused connection does at once.");
  o.add_int("healthy-after", "PLAYGROUND_HEALTHY_AFTER", &cfg.healthy_after, 1,
            1000, "Consecutive passed checks that put it back.");
}

// What one client may ask of them, and the service's log.
void add_client_options(Options& o, FrontendConfig& cfg) {
  o.add_int("rate-limit", "PLAYGROUND_RATE_LIMIT", &cfg.rate_limit, 0,
            1'000'000,
            "POST /python requests per second per client address (0: off).");
  o.add_int("rate-burst", "PLAYGROUND_RATE_BURST", &cfg.rate_burst, 1,
            1'000'000,
            "Requests a client may send at once before the rate "
            "applies.");
  o.add_int("runs-per-client", "PLAYGROUND_RUNS_PER_CLIENT",
            &cfg.runs_per_client, 1, 1'000'000,
            "Runs of one client address forwarded at once; its others wait "
            "in its own line, so it cannot fill the backends' queues.");
  o.add_int("waiting-per-client", "PLAYGROUND_WAITING_PER_CLIENT",
            &cfg.waiting_per_client, 0, 1'000'000,
            "Runs of one client address that may wait for a place; more get "
            "429.");
  o.add_bytes("max-body", "PLAYGROUND_MAX_BODY", &cfg.body_bytes, 1024,
              256LL << 20,
              "Largest request body; larger ones get 413 before being read.\n"
              "It bounds the JSON forwarded to a backend too: give\n"
              "backends at least this --max-body.");
  o.add_checked(
      "log-level", "PLAYGROUND_LOG_LEVEL", &cfg.log_level,
      [](std::string_view v) {
        log::Level level;
        return log::parse_level(v, level)
                   ? ""
                   : "must be debug, info, warn or error";
      },
      "Least severe log level written: debug, info, warn or error.");
  o.add_int("threads", "PLAYGROUND_THREADS", &cfg.threads, 0, 256,
            "Event loops, a thread each, sharing the port (SO_REUSEPORT):\n"
            "the kernel spreads connections over them. 0: one per CPU\n"
            "this process may run on.");
}

}  // namespace

Result<ParseOutcome> parse_frontend_config(int argc, const char* const* argv,
                                           FrontendConfig& cfg,
                                           std::string& help) {
  Options o(
      "playground-frontend",
      "Serves the Playground web UI at / and forwards POST /python to the\n"
      "backends' /py/eval, round-robin over the healthy ones; a backend that\n"
      "cannot answer is skipped, so losing one loses no request. Also serves\n"
      "Piston's, Codapi's and Judge0's APIs the same way, and GET\n"
      "/api/backends, /healthz, /readyz and /metrics.\n"
      "Every flag has an environment variable; a flag wins over its variable.");
  http::add_listener_options(o, cfg.listener, "forwarded requests");
  add_backend_options(o, cfg);
  add_client_options(o, cfg);

  compat::add_api_options(o, cfg.apis);

  auto outcome = o.parse(argc, argv);
  if (!outcome) return outcome;
  if (*outcome == ParseOutcome::help) {
    help = o.help();
    return outcome;
  }
  auto backends = parse_backend_list(cfg.backends_text);
  if (!backends) return backends.error();
  cfg.backends = std::move(*backends);
  cfg.apis.body_limit = static_cast<size_t>(cfg.body_bytes);
  auto token = load_token(cfg.token_file);
  if (!token) return token.error();
  cfg.token = std::move(*token);
  return outcome;
}

}  // namespace playground::frontend
