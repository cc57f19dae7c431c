// Listener: the server's listening socket and its accept loop, which hands
// each connection to a session (session.h) and closes at once those past
// the connection limit.
//
//   if (auto r = bind_and_listen(*state); !r) die(r.error().message);
//   co_spawn(io, accept_connections(state), detached);
#pragma once

#include <memory>

#include "common/result.h"
#include "common/task.h"
#include "http/server_state.h"

namespace playground::http {

// Opens, binds and listens on options.bind:`port`; the error names the
// address. With `reuse_port` (SO_REUSEPORT) the other loops' listeners can
// bind the same port, and the kernel spreads new connections over them.
Result<void> bind_and_listen(ServerState& s, uint16_t port, bool reuse_port);

// Whether `port` can be bound alone: SO_REUSEPORT would otherwise join a
// listener another process of this user already has there, sharing its
// connections, where the error must say the port is taken.
Result<void> check_port_free(const std::string& bind, uint16_t port);

// Accepts until the acceptor is closed (a drain); holds `s` meanwhile.
Task<void> accept_connections(std::shared_ptr<ServerState> s);

}  // namespace playground::http
