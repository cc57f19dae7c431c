// What a server's pieces share, and its drain (see server_state.h).
#include "http/server_state.h"

namespace playground::http {

Connection::Connection(Socket socket) : stream(std::move(socket)) {
  boost::system::error_code ec;
  auto peer = stream.socket().remote_endpoint(ec);
  remote = ec ? "unknown" : peer.address().to_string();
}

ServerState::ServerState(boost::asio::io_context& io, ServerOptions o,
                         std::vector<Route> routes, metrics::Registry& registry)
    : io(io),
      options(std::move(o)),
      router(std::move(routes)),
      acceptor(io),
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
      sweep_timer(io),
      bodies(options.body_memory, options.body_memory_per_address) {}

void ServerState::opened(Connection& c) {
  open.push_back(c);
  connections.set(static_cast<double>(open.size()));
}

void ServerState::closed(Connection& c) {
  open.erase(open.iterator_to(c));
  connections.set(static_cast<double>(open.size()));
  maybe_drained();
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
