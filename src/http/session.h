// Session: one connection's life. Wait for a request (under the header
// timeout for a new connection, the idle timeout between requests), read
// and handle it (exchange.h), write the answer and log it, again while
// keep-alive allows; then a lingering close.
//
// An idle connection costs little: the wait is one read with no timer of
// its own, and a request's state lives only while it is served. Once a
// `sweep_interval` (a second) the sweep closes the idle connections past
// their header or idle timeout (so these hold to within a sweep), and parks
// those idle since the previous sweep: their read is cancelled, their
// buffer given back (and its page to the system, read_buffer_pool.h), and
// they wait for bytes without one. Parking costs a connection one more
// system call (the wait's epoll_ctl); the busy path (a request arriving on
// a connection that is not parked) does no more.
//
//   co_spawn(io, run_session(state, Connection(std::move(socket))), detached);
//   co_spawn(io, sweep_idle_connections(state), detached);
#pragma once

#include <memory>

#include "common/task.h"
#include "http/server_state.h"

namespace playground::http {

// Holds `s` until the connection is closed.
Task<void> run_session(std::shared_ptr<ServerState> s, Connection c);

// Sweeps every `sweep_interval` until a drain (or the server's end, which
// closes the acceptor); holds `s` meanwhile.
Task<void> sweep_idle_connections(std::shared_ptr<ServerState> s);

}  // namespace playground::http
