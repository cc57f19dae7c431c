// ServerState: what the listener and the sessions of one http::Server loop
// share (Beast's shared_state): the acceptor, the loop's open connections
// and its drain; and, through ServerShared, what every loop of the server
// shares: options, router, the memory for request bodies, the connection
// count and the metrics.
//
//   auto shared = std::make_shared<ServerShared>(options, routes, registry);
//   auto state = std::make_shared<ServerState>(io, shared, /*loop=*/0);
//   co_spawn(io, accept_connections(state), detached);   // listener.h
//   state->drain([&] { io.stop(); });                    // on SIGTERM
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <functional>
#include <memory>
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

// What the loops of one server share, so that its limits hold for the
// process, not per loop. Thread-safe: the options and routes are constant,
// the body budget locks, the count is atomic.
struct ServerShared {
  ServerShared(ServerOptions options, std::vector<Route> routes,
               metrics::Registry& registry);

  const ServerOptions options;
  const Router router;
  BodyBudget bodies;
  std::atomic<size_t> open_count{0};  // connections of every loop
  metrics::CounterFamily& requests;
  metrics::Gauge& connections;
  metrics::CounterFamily& accepted;  // by loop
};

// One loop's part of a server. Single-threaded: its io_context's thread.
struct ServerState {
  ServerState(boost::asio::io_context& io, std::shared_ptr<ServerShared> shared,
              size_t loop);

  // Counts a session's connection in and out (and in the gauge); the last
  // one out of a drain calls its `on_drained`.
  void opened(Connection& c);
  void closed(Connection& c);
  // Whether the server as a whole has its maximum of connections open.
  bool full() const;

  // Stops accepting and closes the idle connections; the others close after
  // their request. `on_drained` runs once no connection of this loop is
  // left.
  void drain(std::function<void()> on_drained);

  const std::shared_ptr<ServerShared> shared;
  boost::asio::io_context& io;
  const size_t loop;
  const ServerOptions& options;
  const Router& router;
  BodyBudget& bodies;
  metrics::CounterFamily& requests;
  metrics::Counter& accepted;
  boost::asio::ip::tcp::acceptor acceptor;
  std::set<Connection*> open;  // this loop's
  bool draining = false;

 private:
  void maybe_drained();

  std::function<void()> on_drained_;
};

}  // namespace playground::http
