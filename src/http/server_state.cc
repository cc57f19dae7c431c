// What a server's pieces share, and its drain (see server_state.h).
#include "http/server_state.h"

#include <string>

namespace playground::http {

Connection::Connection(Socket socket) : stream(std::move(socket)) {
  boost::system::error_code ec;
  auto peer = stream.socket().remote_endpoint(ec);
  remote = ec ? "unknown" : peer.address().to_string();
}

ServerShared::ServerShared(ServerOptions o, std::vector<Route> routes,
                           metrics::Registry& registry)
    : options(std::move(o)),
      router(std::move(routes)),
      bodies(options.body_memory, options.body_memory_per_address),
      requests(registry.counter_family(
          "playground_http_requests_total",
          "HTTP requests answered, by route and status code.",
          {"route", "code"})),
      connections(registry.gauge("playground_http_connections",
                                 "Open HTTP connections.")),
      parked(registry.gauge(
          "playground_http_connections_parked",
          "Open HTTP connections idle long enough to wait without a read "
          "buffer (at the last sweep).")),
      accepted(registry.counter_family(
          "playground_http_accepted_total",
          "Connections accepted, by event loop (--threads).", {"loop"})) {}

ServerState::ServerState(boost::asio::io_context& io,
                         std::shared_ptr<ServerShared> s, size_t loop)
    : shared(std::move(s)),
      io(io),
      loop(loop),
      options(shared->options),
      server_field("Server: " + options.server_name + "\r\n"),
      router(shared->router),
      bodies(shared->bodies),
      requests(shared->requests),
      accepted(shared->accepted.with({std::to_string(loop)})),
      acceptor(io),
      sweep_timer(io),
      watches(io, options.disconnect_watch_delay) {}

void ServerState::opened(Connection& c) {
  open.push_back(c);
  shared->open_count.fetch_add(1, std::memory_order_relaxed);
  shared->connections.add(1);
}

void ServerState::closed(Connection& c) {
  open.erase(open.iterator_to(c));
  shared->open_count.fetch_sub(1, std::memory_order_relaxed);
  shared->connections.add(-1);
  maybe_drained();
}

metrics::Counter& ServerState::requests_of(const Route* route,
                                           unsigned status) {
  // A few routes times a few statuses: a short list, looked through.
  for (const RequestsCounter& known : requests_counters_) {
    if (known.route == route && known.status == status) return *known.counter;
  }
  metrics::Counter& counter =
      requests.with({metric_label(route), std::to_string(status)});
  requests_counters_.push_back({route, status, &counter});
  return counter;
}

bool ServerState::full() const {
  return shared->open_count.load(std::memory_order_relaxed) >=
         options.max_connections;
}

void ServerState::drain(std::function<void()> on_drained) {
  draining = true;
  on_drained_ = std::move(on_drained);
  boost::system::error_code ignored;
  acceptor.close(ignored);
  sweep_timer.cancel();
  for (Connection& c : open) {
    if (c.idle != Connection::Idle::no) c.stream.cancel();
  }
  maybe_drained();
}

void ServerState::maybe_drained() {
  if (draining && open.empty() && on_drained_) {
    auto done = std::move(on_drained_);
    on_drained_ = nullptr;
    done();
  }
}

}  // namespace playground::http
