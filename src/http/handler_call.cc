// A handler's call, and the disconnect watch beside it (see handler_call.h).
#include "http/handler_call.h"

#include <sys/socket.h>

#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <memory>
#include <stop_token>

#include "common/log.h"

namespace playground::http {
namespace {

namespace asio = boost::asio;

// The disconnect watch of one handler's call. Its wait completes after the
// call when the call cancels it, so it is shared with that completion.
struct Watch {
  std::stop_source gone;
  bool done = false;  // the handler has answered: the wait means nothing
};

// While a handler runs: the client closing or resetting the connection
// requests `gone`; bytes of a next (pipelined) request end the watch without.
// A plain completion handler, not a second coroutine beside the handler's:
// a parallel group (co_spawn, executor copies, its allocations) cost about
// a tenth of a proxied request's instructions.
void watch_for_disconnect(Socket& socket, std::shared_ptr<Watch> watch) {
  socket.async_wait(
      Socket::wait_read,
      [&socket, watch = std::move(watch)](const boost::system::error_code& ec) {
        // After the call, `socket` may be gone: touch nothing.
        if (watch->done || ec == asio::error::operation_aborted) return;
        if (!ec) {
          char byte;
          const ssize_t n =
              ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
          if (n > 0) return;  // more input: a pipelined request, not goodbye
          if (n < 0 &&
              (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            watch_for_disconnect(socket, watch);
            return;
          }
        }
        watch->gone.request_stop();  // end of stream, reset or socket error
      });
}

}  // namespace

asio::awaitable<std::optional<Response>> call_handler(const Route& route,
                                                      Request& req,
                                                      RequestContext& ctx,
                                                      HandlerCall call) {
  std::shared_ptr<Watch> watch;
  if (call.watch) {
    watch = std::make_shared<Watch>();
    ctx.client_gone = watch->gone.get_token();
    watch_for_disconnect(call.socket, watch);
  }
  // A handler that throws gets the server's 500, here rather than in a
  // coroutine of its own around the handler's (one frame less per request).
  std::optional<Response> out;
  try {
    out = co_await route.handler(req, ctx);
  } catch (const std::exception& e) {
    log::error("handler failed", {{"path", call.path}, {"error", e.what()}});
    out = json_error(Status::internal_server_error,
                     "The server failed to handle the request.");
  }
  if (watch) {
    // The wait's completion (aborted) comes later and finds `done`.
    watch->done = true;
    boost::system::error_code ignored;
    call.socket.cancel(ignored);
  }
  co_return out;
}

}  // namespace playground::http
