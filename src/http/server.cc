// http::Server: the public face of the pieces listed in server.h.
#include "http/server.h"

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include "common/log.h"
#include "http/listener.h"
#include "http/server_state.h"
#include "http/session.h"

namespace playground::http {

Server::Server(boost::asio::io_context& io, ServerOptions options,
               std::vector<Route> routes, metrics::Registry& registry)
    : Server(std::vector<boost::asio::io_context*>{&io}, std::move(options),
             std::move(routes), registry) {}

Server::Server(const std::vector<boost::asio::io_context*>& loops,
               ServerOptions options, std::vector<Route> routes,
               metrics::Registry& registry) {
  auto shared = std::make_shared<ServerShared>(std::move(options),
                                               std::move(routes), registry);
  for (size_t i = 0; i < loops.size(); ++i) {
    loops_.push_back(std::make_shared<ServerState>(*loops[i], shared, i));
  }
}

Server::~Server() {
  for (auto& state : loops_) {
    boost::system::error_code ignored;
    state->acceptor.close(ignored);
    state->sweep_timer.cancel();
  }
}

Result<void> Server::listen() {
  const ServerOptions& o = loops_.front()->options;
  const bool reuse_port = loops_.size() > 1;
  // Port 0 picks a free port, which the other loops then join.
  if (reuse_port && o.port != 0) {
    if (auto free = check_port_free(o.bind, o.port); !free) return free;
  }
  if (auto r = bind_and_listen(*loops_.front(), o.port, reuse_port); !r) {
    return r;
  }
  for (size_t i = 1; i < loops_.size(); ++i) {
    if (auto r = bind_and_listen(*loops_[i], port(), reuse_port); !r) return r;
  }
  return Ok();
}

uint16_t Server::port() const {
  boost::system::error_code ec;
  auto ep = loops_.front()->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void Server::start() {
  for (auto& state : loops_) {
    boost::asio::co_spawn(state->io, accept_connections(state),
                          boost::asio::detached);
    boost::asio::co_spawn(state->io, sweep_idle_connections(state),
                          boost::asio::detached);
  }
}

void Server::shutdown(std::function<void()> on_drained) {
  struct Countdown {
    std::atomic<size_t> left;
    std::function<void()> done;
    boost::asio::io_context& first;
  };
  auto countdown = std::make_shared<Countdown>(
      loops_.size(), std::move(on_drained), loops_.front()->io);
  for (auto& state : loops_) {
    boost::asio::dispatch(state->io, [state, countdown] {
      state->drain([countdown] {
        // This loop's request lines go out before the process may end, as
        // far as stderr takes them now (the last flush waits for the rest).
        log::write_ready();
        if (countdown->left.fetch_sub(1) != 1) return;
        boost::asio::post(countdown->first, [countdown] {
          if (countdown->done) countdown->done();
        });
      });
    });
  }
}

}  // namespace playground::http
