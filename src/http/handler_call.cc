// A handler's call (see handler_call.h).
#include "http/handler_call.h"

#include <boost/assert.hpp>

#include "common/log.h"
#include "common/task.h"
#include "http/disconnect_watch.h"

namespace playground::http {

namespace asio = boost::asio;

Task<void> call_handler(const Route& route, Request& req, RequestContext& ctx,
                        HandlerCall call, std::optional<Response>& out) {
  std::optional<DisconnectWatch> watch;  // ends with the call
  if (call.watches != nullptr) {
    BOOST_ASSERT(call.gone != nullptr);
    watch.emplace(*call.watches, call.socket, *call.gone);
    ctx.client_gone = watch->token();
  }
  // A handler that throws gets the server's 500, here rather than in a
  // coroutine of its own around the handler's (one frame less per request).
  try {
    out = co_await route.handler(req, ctx);
  } catch (const std::exception& e) {
    log::error("handler failed", {{"path", call.path}, {"error", e.what()}});
    out = json_error(Status::internal_server_error,
                     "The server failed to handle the request.");
  }
}

}  // namespace playground::http
