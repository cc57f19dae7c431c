// Binding and the accept loop (see listener.h).
#include "http/listener.h"

#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "common/log.h"
#include "common/task.h"
#include "http/session.h"

namespace playground::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using ReusePort =
    asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

}  // namespace

Result<void> bind_and_listen(ServerState& s, uint16_t port, bool reuse_port) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(s.options.bind, ec);
  if (ec) return Error{"invalid bind address \"" + s.options.bind + "\""};
  tcp::endpoint endpoint(address, port);
  const std::string where = s.options.bind + ":" + std::to_string(port);
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec && reuse_port) s.acceptor.set_option(ReusePort(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Error{"cannot listen on " + where + ": " + ec.message(), ec};
  return Ok();
}

Result<void> check_port_free(const std::string& bind, uint16_t port) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(bind, ec);
  if (ec) return Error{"invalid bind address \"" + bind + "\""};
  asio::io_context io;
  tcp::acceptor probe(io);
  tcp::endpoint endpoint(address, port);
  probe.open(endpoint.protocol(), ec);
  if (!ec) probe.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) probe.bind(endpoint, ec);
  if (ec) {
    return Error{"cannot listen on " + bind + ":" + std::to_string(port) +
                     ": " + ec.message(),
                 ec};
  }
  return Ok();
}

Task<void> accept_connections(std::shared_ptr<ServerState> s) {
  while (!s->draining) {
    auto [ec, socket] = co_await s->acceptor.async_accept(s->io.get_executor(),
                                                          use_task_nothrow);
    if (ec) {
      if (ec == asio::error::operation_aborted || s->draining) break;
      log::warn("accept failed", {{"error", ec.message()}});
      // Out of descriptors and similar: back off instead of spinning.
      Timer t(s->io, std::chrono::milliseconds(50));
      co_await t.async_wait(use_task_nothrow);
      continue;
    }
    if (s->full()) {
      log::warn("connection limit reached; closing new connection",
                {{"limit", s->options.max_connections}});
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    s->accepted.inc();
    socket.set_option(tcp::no_delay(true));
    asio::co_spawn(s->io, run_session(s, Connection(std::move(socket))),
                   asio::detached);
  }
}

}  // namespace playground::http
