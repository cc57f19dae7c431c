// ServerState: what the listener and the sessions of one http::Server loop
// share (Beast's shared_state): the acceptor, the loop's open connections,
// the sweep of its idle ones, the memory for their read buffers, and its
// drain; and, through ServerShared, what every loop of the server shares:
// options, router, the memory for request bodies, the connection count and
// the metrics.
//
//   auto shared = std::make_shared<ServerShared>(options, routes, registry);
//   auto state = std::make_shared<ServerState>(io, shared, /*loop=*/0);
//   co_spawn(io, accept_connections(state), detached);       // listener.h
//   co_spawn(io, sweep_idle_connections(state), detached);   // session.h
//   state->drain([&] { io.stop(); });                        // on SIGTERM
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/intrusive/list.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "common/metrics.h"
#include "common/task.h"
#include "http/body_budget.h"
#include "http/disconnect_watch.h"
#include "http/read_buffer_pool.h"
#include "http/route.h"
#include "http/router.h"
#include "http/server.h"
#include "http/socket.h"

namespace playground::http {

// One open connection; registered so that the sweep and a drain can reach
// the idle ones.
struct Connection {
  // Waiting for the next request's first bytes, with no request in hand:
  // with a read buffer, or parked by the sweep (waiting without one).
  enum class Idle : uint8_t { no, reading, parked };

  explicit Connection(Socket socket);

  Stream stream;
  std::string remote;   // the peer's address, "unknown" when unreadable
  bool served = false;  // a request has been read from it
  // Requested when the client has left during a watched call (http/
  // disconnect_watch.h). Made at the first such call and kept for the next
  // ones, as no stop was requested: one allocation per connection, not one
  // per request.
  std::stop_source client_gone{std::nostopstate};
  Idle idle = Idle::no;
  // While idle: the sweep that had run when the wait began (ServerState::
  // sweeps), and when the sweep closes the connection (its header timeout
  // when new, its idle timeout once served).
  uint32_t idle_since = 0;
  std::chrono::steady_clock::time_point idle_deadline;
  // In ServerState::open (a set's node would take 48 bytes more). Unlinked
  // by ServerState::closed, as a set would be erased from.
  using OpenHook = boost::intrusive::list_member_hook<
      boost::intrusive::link_mode<boost::intrusive::normal_link>>;
  OpenHook open_hook;
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
  metrics::Gauge& parked;            // of every loop
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
  // The `requests` counter of a route (nullptr: none matched) and status,
  // found in the family once per loop: a lookup there builds the labels.
  metrics::Counter& requests_of(const Route* route, unsigned status);

  // Stops accepting and sweeping and closes the idle connections; the
  // others close after their request. `on_drained` runs once no connection
  // of this loop is left.
  void drain(std::function<void()> on_drained);

  const std::shared_ptr<ServerShared> shared;
  boost::asio::io_context& io;
  const size_t loop;
  const ServerOptions& options;
  // "Server: <options.server_name>\r\n", for every answer's header.
  const std::string server_field;
  const Router& router;
  BodyBudget& bodies;
  metrics::CounterFamily& requests;
  metrics::Counter& accepted;
  boost::asio::ip::tcp::acceptor acceptor;
  boost::intrusive::list<
      Connection, boost::intrusive::member_hook<
                      Connection, Connection::OpenHook, &Connection::open_hook>>
      open;  // this loop's
  Timer sweep_timer;
  uint32_t sweeps = 0;  // sweeps run so far
  size_t parked = 0;    // idle connections without a read buffer, last sweep
  ReadBufferPool read_buffers;
  DisconnectWatches watches;  // of the calls of routes that ask for one
  bool draining = false;

 private:
  void maybe_drained();

  struct RequestsCounter {
    const Route* route;
    unsigned status;
    metrics::Counter* counter;
  };
  std::vector<RequestsCounter> requests_counters_;

  std::function<void()> on_drained_;
};

}  // namespace playground::http
