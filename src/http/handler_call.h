// Running a route's handler: a handler that throws is answered 500, and on
// a route with `cancel_on_disconnect` the connection is watched meanwhile so
// that `ctx.client_gone` is requested when the client leaves.
//
//   std::optional<Response> answer;
//   co_await call_handler(route, req, ctx,
//       {.path = path, .socket = socket, .watches = &state.watches,
//        .gone = &connection.client_gone}, answer);
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <optional>
#include <stop_token>
#include <string>

#include "common/task.h"
#include "http/disconnect_watch.h"
#include "http/message.h"
#include "http/route.h"
#include "http/server_state.h"

namespace playground::http {

struct HandlerCall {
  const std::string& path;  // for the log line of a handler that threw
  Socket& socket;
  // Where `socket` is watched for the client leaving (http/
  // disconnect_watch.h), or null: the route's choice, and only when no next
  // request is buffered already (that client is still there, and its data
  // would hide the end of the stream anyway).
  DisconnectWatches* watches = nullptr;
  // The connection's source of `ctx.client_gone`, reused from call to call
  // (see DisconnectWatch); required with `watches`.
  std::stop_source* gone = nullptr;
};

// The handler's answer goes to `out` (none: the handler gave none).
Task<void> call_handler(const Route& route, Request& req, RequestContext& ctx,
                        HandlerCall call, std::optional<Response>& out);

}  // namespace playground::http
