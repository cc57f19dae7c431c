// A handler's call, and the disconnect watch beside it (see handler_call.h).
#include "http/handler_call.h"

#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <stop_token>

#include "common/log.h"

namespace playground::http {
namespace {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

// What the server answers for a handler that threw.
asio::awaitable<Response> guarded_call(const Route& route, Request& req,
                                       RequestContext& ctx,
                                       const std::string& path) {
  try {
    co_return co_await route.handler(req, ctx);
  } catch (const std::exception& e) {
    log::error("handler failed", {{"path", path}, {"error", e.what()}});
    co_return json_error(Status::internal_server_error,
                         "The server failed to handle the request.");
  }
}

// While a handler runs: the client closing or resetting the connection
// requests `gone`; bytes of a next (pipelined) request end the watch without.
// Ends when the handler is `done` (which cancels the wait); a handler that
// finished before the watch began leaves nothing to wait for.
asio::awaitable<void> watch_for_disconnect(Socket& socket,
                                           std::stop_source& gone,
                                           const bool& done) {
  while (!done) {
    auto [ec] = co_await socket.async_wait(Socket::wait_read, nothrow);
    if (done) co_return;
    if (ec == asio::error::operation_aborted) co_return;
    if (!ec) {
      char byte;
      const ssize_t n =
          ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n > 0) co_return;  // more input: a pipelined request, not a goodbye
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        continue;
    }
    gone.request_stop();  // end of stream, reset or a socket error
    co_return;
  }
}

// The handler, then the end of the watch beside it.
asio::awaitable<void> handle_while_watching(const Route& route, Request& req,
                                            RequestContext& ctx,
                                            const std::string& path,
                                            Socket& socket,
                                            std::optional<Response>& out,
                                            bool& done) {
  out = co_await guarded_call(route, req, ctx, path);
  done = true;
  boost::system::error_code ignored;
  socket.cancel(ignored);
}

}  // namespace

asio::awaitable<std::optional<Response>> call_handler(const Route& route,
                                                      Request& req,
                                                      RequestContext& ctx,
                                                      HandlerCall call) {
  if (!call.watch) co_return co_await guarded_call(route, req, ctx, call.path);
  std::stop_source gone;
  ctx.client_gone = gone.get_token();
  std::optional<Response> out;
  bool done = false;
  co_await (handle_while_watching(route, req, ctx, call.path, call.socket, out,
                                  done) &&
            watch_for_disconnect(call.socket, gone, done));
  co_return out;
}

}  // namespace playground::http
