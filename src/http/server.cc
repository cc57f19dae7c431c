// http::Server: the public face of the pieces listed in server.h.
#include "http/server.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "http/listener.h"
#include "http/server_state.h"
#include "http/session.h"

namespace playground::http {

Server::Server(boost::asio::io_context& io, ServerOptions options,
               std::vector<Route> routes, metrics::Registry& registry)
    : state_(std::make_shared<ServerState>(io, std::move(options),
                                           std::move(routes), registry)) {}

Server::~Server() {
  boost::system::error_code ignored;
  state_->acceptor.close(ignored);
  state_->sweep_timer.cancel();
}

Result<void> Server::listen() { return bind_and_listen(*state_); }

uint16_t Server::port() const {
  boost::system::error_code ec;
  auto ep = state_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void Server::start() {
  boost::asio::co_spawn(state_->io, accept_connections(state_),
                        boost::asio::detached);
  boost::asio::co_spawn(state_->io, sweep_idle_connections(state_),
                        boost::asio::detached);
}

void Server::shutdown(std::function<void()> on_drained) {
  state_->drain(std::move(on_drained));
}

}  // namespace playground::http
