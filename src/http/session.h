// Session: one connection's life. Wait for a request (under the header
// timeout for a new connection, the idle timeout between requests), read
// and handle it (exchange.h), write the answer and log it, again while
// keep-alive allows; then a lingering close.
//
//   co_spawn(io, run_session(state, std::move(socket)), detached);
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "http/server_state.h"

namespace playground::http {

// Holds `s` until the connection is closed.
boost::asio::awaitable<void> run_session(std::shared_ptr<ServerState> s,
                                         boost::asio::ip::tcp::socket socket);

}  // namespace playground::http
