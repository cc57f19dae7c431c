// Exchange: one request on a connection, read and handled. What the header
// alone settles is answered before a byte of the body is read: framing,
// 404/405, the route's precheck, 413 on Content-Length, and 503 when the
// body's memory cannot be reserved (body_budget.h). Then 100-continue, the
// body under the route's limit, and the handler (handler_call.h).
//
//   Exchange ex;
//   co_await read_and_handle(state, connection, buffer, ctx, ex);
//   if (!ex.response) close();               // the client went away
//   write(*ex.response, keep_alive = !ex.close_after);
#pragma once

#include <optional>
#include <string>

#include "common/task.h"
#include "http/message.h"
#include "http/route.h"
#include "http/server_state.h"

namespace playground::http {

// What one request came to: the answer, and what its log line and metric
// say about it.
struct Exchange {
  // None when the client went away or idled out: nothing to write or log.
  std::optional<Response> response;
  // The connection ends after this answer (an unread body, an error in the
  // framing, or the client asked to close).
  bool close_after = false;
  std::string method;  // "-" when the header could not be read
  std::string path;    // as shown_path() gives it
  // The route at the request's path; none for an unknown path ("unmatched").
  const Route* route = nullptr;
  size_t body_bytes = 0;  // the body as read
};

// Reads one request from `c` (from `buffer` first) and handles it, into
// `ex` (empty on entry). An out-parameter rather than the result: the
// result would be a second Exchange in the coroutine's frame, and the frame
// must stay small enough for malloc's fast path.
Task<void> read_and_handle(ServerState& s, Connection& c, ReadBuffer& buffer,
                           RequestContext& ctx, Exchange& ex);

}  // namespace playground::http
