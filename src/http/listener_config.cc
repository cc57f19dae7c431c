// Flags of the listening side (see listener_config.h).
#include "http/listener_config.h"

namespace playground::http {

void add_listener_options(Options& o, ListenerConfig& l,
                          const std::string& drained) {
  o.add_string("bind", "PLAYGROUND_BIND", &l.bind,
               "Address to listen on (0.0.0.0 for all interfaces).");
  o.add_int("port", "PLAYGROUND_PORT", &l.port, 0, 65535,
            "TCP port to listen on.");
  o.add_millis("header-timeout", "PLAYGROUND_HEADER_TIMEOUT",
               &l.header_timeout_ms, 100, 600'000,
               "Time allowed to send a request's headers.");
  o.add_millis("body-timeout", "PLAYGROUND_BODY_TIMEOUT", &l.body_timeout_ms,
               100, 600'000, "Time allowed to send a request's body.");
  o.add_millis("idle-timeout", "PLAYGROUND_IDLE_TIMEOUT", &l.idle_timeout_ms,
               100, 3'600'000,
               "Idle keep-alive connections are closed after this.");
  o.add_millis("shutdown-grace", "PLAYGROUND_SHUTDOWN_GRACE",
               &l.shutdown_grace_ms, 0, 3'600'000,
               "On SIGTERM, how long " + drained + " may take to finish.");
  o.add_int("max-connections", "PLAYGROUND_MAX_CONNECTIONS", &l.max_connections,
            1, 1'000'000, "Open connections at most; more are closed at once.");
  o.add_bytes("body-memory", "PLAYGROUND_BODY_MEMORY", &l.body_memory, 1 << 20,
              1LL << 40,
              "Memory for request bodies at once, whatever the number of "
              "connections; a body that does not fit is answered 503.");
  o.add_bytes("body-memory-per-client", "PLAYGROUND_BODY_MEMORY_PER_CLIENT",
              &l.body_memory_per_client, 1 << 20, 1LL << 40,
              "The part of --body-memory one client address may hold.");
}

ServerOptions server_options(const ListenerConfig& l, std::string server_name) {
  ServerOptions options;
  options.bind = l.bind;
  options.port = static_cast<uint16_t>(l.port);
  options.header_timeout = std::chrono::milliseconds(l.header_timeout_ms);
  options.body_timeout = std::chrono::milliseconds(l.body_timeout_ms);
  options.idle_timeout = std::chrono::milliseconds(l.idle_timeout_ms);
  options.max_connections = static_cast<size_t>(l.max_connections);
  options.body_memory = static_cast<size_t>(l.body_memory);
  options.body_memory_per_address =
      static_cast<size_t>(l.body_memory_per_client);
  options.server_name = std::move(server_name);
  return options;
}

}  // namespace playground::http
