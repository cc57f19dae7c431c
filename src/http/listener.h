// Listener: the server's listening socket and its accept loop, which hands
// each connection to a session (session.h) and closes at once those past
// the connection limit.
//
//   if (auto r = bind_and_listen(*state); !r) die(r.error().message);
//   co_spawn(io, accept_connections(state), detached);
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>

#include "common/result.h"
#include "http/server_state.h"

namespace playground::http {

// Opens, binds and listens on options.bind:options.port; the error names
// the address.
Result<void> bind_and_listen(ServerState& s);

// Accepts until the acceptor is closed (a drain); holds `s` meanwhile.
boost::asio::awaitable<void> accept_connections(std::shared_ptr<ServerState> s);

}  // namespace playground::http
