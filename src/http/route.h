// Route: what a service declares for one endpoint (path, methods, limits,
// precheck, handler), and what its handler is told about the request.
//
//   http::Route healthz{.path = "/healthz",
//                       .methods = {Verb::get},
//                       .quiet = true,
//                       .handler = answer_ok};
//
// The server (server.h) does the rest: routing, limits, timeouts, logging.
#pragma once

#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "common/task.h"
#include "http/log_fields.h"
#include "http/message.h"

namespace playground::http {

// Per-request information a handler may read and annotate.
struct RequestContext {
  std::string remote;  // peer address
  LogFields log;       // extra fields for this request's log line
  // Requested when the client closes or resets the connection while the
  // handler runs (only on routes with `cancel_on_disconnect`): long work
  // should stop at once, nobody will read its answer.
  std::stop_token client_gone;
};

using Precheck = std::function<std::optional<Response>(const RequestHeader&,
                                                       const RequestContext&)>;
using Handler = std::function<Task<Response>(Request&, RequestContext&)>;

struct Route {
  std::string path;
  // The route takes every path that starts with `path` (which then ends in
  // '/'), e.g. "/api/exercises/" for /api/exercises/<id>; the handler reads
  // the rest. An exact route at the same path wins.
  bool prefix = false;
  std::vector<Verb> methods;
  // Largest body accepted; checked before the body is read.
  size_t body_limit = 16 * 1024;
  // Successful answers are logged at debug level: health probes and metric
  // scrapes several times a second would otherwise bury the real requests.
  bool quiet = false;
  // Watch the connection while the handler runs (one more wait per request,
  // so only for long-running routes). More bytes from the client (the next
  // pipelined request) are not a disconnect; end of stream or a reset is.
  // Like nginx, a client that half-closes its side counts as gone.
  bool cancel_on_disconnect = false;
  // Runs on the header before the body is read (authentication, media type,
  // rate limits). Returning a response answers the request with it.
  Precheck precheck;
  Handler handler;
  // Set on every answer at this route, the server's own refusals (413, 503)
  // included: e.g. CORS headers, which a browser needs on errors too.
  std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace playground::http
