// ListenerConfig: the listening side both services share (address, port,
// client timeouts, connection limit, drain time), as flags and environment.
//
//   http::ListenerConfig listener{.port = 6000};
//   http::add_listener_options(opts, listener, "running evaluations");
//   http::Server server(io, http::server_options(listener, "name"), ...);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/options.h"
#include "http/server.h"

namespace playground::http {

struct ListenerConfig {
  std::string bind = "127.0.0.1";
  int64_t port = 0;
  int64_t header_timeout_ms = 10'000;
  int64_t body_timeout_ms = 30'000;
  int64_t idle_timeout_ms = 60'000;
  int64_t shutdown_grace_ms = 30'000;
  int64_t max_connections = 10'000;
  int64_t body_memory = 64LL << 20;
  int64_t body_memory_per_client = 16LL << 20;
};

// --bind, --port, --header-timeout, --body-timeout, --idle-timeout,
// --shutdown-grace (what may finish: `drained`), --max-connections,
// --body-memory and --body-memory-per-client.
void add_listener_options(Options& options, ListenerConfig& listener,
                          const std::string& drained);

ServerOptions server_options(const ListenerConfig& listener,
                             std::string server_name);

}  // namespace playground::http
