// Server: an HTTP/1.1 keep-alive server on Boost.Beast with C++20 coroutines.
//
//   std::vector<http::Route> routes = {
//       {.path = "/healthz", .methods = {Verb::get}, .handler = healthz}};
//   http::Server server(io, options, std::move(routes), registry);
//   if (auto r = server.listen(); !r) die(r.error().message);
//   server.start();
//   ...
//   server.shutdown([&] { io.stop(); });   // on SIGTERM
//
// What every route gets for free: 404/405 (with Allow) before the body is
// read, a per-route body limit checked against Content-Length before the body
// is read (413), 100-continue, header/body/idle/write timeouts, a bounded
// number of connections, little memory for idle keep-alive connections (see
// session.h), one structured log line and one metric per request,
// and graceful shutdown (stop accepting, finish in-flight requests, close
// idle connections). Requests whose length cannot be known for certain
// (Transfer-Encoding not ending in chunked, or sent with HTTP/1.0, or beside
// a Content-Length) get 400 and the connection is closed, so no body is ever
// read as a second request. A route may ask to hear when its client goes
// away mid-request (`cancel_on_disconnect`): the handler's
// `ctx.client_gone` is then requested, and its answer dropped (logged 499).
//
// The pieces, as in Beast's examples: route.h (what a service declares),
// router.h (which route answers), listener.h (accepting), session.h (one
// connection), exchange.h (one request), handler_call.h (running a handler
// while watching the connection), server_state.h (what they share).
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/metrics.h"
#include "common/result.h"
#include "http/message.h"
#include "http/route.h"

namespace playground::http {

struct ServerState;

struct ServerOptions {
  std::string bind = "127.0.0.1";
  uint16_t port = 0;  // 0 picks a free port (tests)
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds write_timeout{30'000};
  // How often the idle connections are swept: those idle since the previous
  // sweep give their read buffer back (parked), and those past their header
  // or idle timeout are closed (so these two are kept to within a sweep).
  std::chrono::milliseconds sweep_interval{1'000};
  // How long a handler on a route with `cancel_on_disconnect` runs before
  // its connection is watched for the client leaving (http/
  // disconnect_watch.h): a client that leaves is noticed within twice this.
  std::chrono::milliseconds disconnect_watch_delay{10};
  size_t header_limit = 16 * 1024;
  size_t max_connections = 10'000;
  // Memory for request bodies being read or handled (http/body_budget.h):
  // in all, and for one client address.
  size_t body_memory = 64u << 20;
  size_t body_memory_per_address = 16u << 20;
  std::string server_name = "playground";
};

class Server {
 public:
  Server(boost::asio::io_context& io, ServerOptions options,
         std::vector<Route> routes, metrics::Registry& registry);
  // A listener and its connections on each loop, every loop on its own
  // thread (the caller's): the loops bind one port with SO_REUSEPORT, and
  // the kernel spreads new connections over them. The routes' handlers run
  // on the loop of their connection, so what they share must be
  // thread-safe. The limits (connections, body memory) hold for the server
  // as a whole.
  Server(const std::vector<boost::asio::io_context*>& loops,
         ServerOptions options, std::vector<Route> routes,
         metrics::Registry& registry);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; the error names the address on failure. Call before
  // the loops run.
  Result<void> listen();
  uint16_t port() const;
  void start();
  // Stops accepting, lets in-flight requests finish, closes idle connections,
  // then calls `on_drained` once no connection of any loop is left, on the
  // first loop's thread. Callable from any thread.
  void shutdown(std::function<void()> on_drained);

 private:
  std::vector<std::shared_ptr<ServerState>> loops_;
};

}  // namespace playground::http
