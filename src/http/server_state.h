// ServerState: what the listener and the sessions of one http::Server share
// (Beast's shared_state): options, router, acceptor, the open connections,
// the memory for request bodies, the metrics, and the drain.
//
//   auto state = std::make_shared<ServerState>(io, options, routes, registry);
//   co_spawn(io, accept_connections(state), detached);   // listener.h
//   state->drain([&] { io.stop(); });                    // on SIGTERM
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <functional>
#include <set>
#include <vector>

#include "common/metrics.h"
#include "http/body_budget.h"
#include "http/route.h"
#include "http/router.h"
#include "http/server.h"

namespace playground::http {

// One open connection; registered so a drain can wake the idle ones.
struct Connection {
  explicit Connection(boost::asio::ip::tcp::socket socket)
      : stream(std::move(socket)) {}
  boost::beast::tcp_stream stream;
  bool idle = false;  // waiting for a next request, none in hand
};

struct ServerState {
  ServerState(boost::asio::io_context& io, ServerOptions options,
              std::vector<Route> routes, metrics::Registry& registry);

  // Counts a session's connection in and out (and in the gauge); the last
  // one out of a drain calls its `on_drained`.
  void opened(Connection& c);
  void closed(Connection& c);

  // Stops accepting and closes the idle connections; the others close after
  // their request. `on_drained` runs once no connection is left.
  void drain(std::function<void()> on_drained);

  boost::asio::io_context& io;
  const ServerOptions options;
  const Router router;
  boost::asio::ip::tcp::acceptor acceptor;
  metrics::CounterFamily& requests;
  metrics::Gauge& connections;
  std::set<Connection*> open;
  BodyBudget bodies;
  bool draining = false;

 private:
  void maybe_drained();

  std::function<void()> on_drained_;
};

}  // namespace playground::http
