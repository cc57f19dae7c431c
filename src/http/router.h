// Router: which of a server's routes answers a request, by exact path (or
// the longest prefix route) and method, and the 404 or 405 (with Allow)
// when none does.
//
//   Router router(std::move(routes));
//   Routing r = router.route(header);
//   if (r.refusal) return *r.refusal;   // before a byte of the body is read
//   requests.with({metric_label(r.route), code}).inc();
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"
#include "http/route.h"

namespace playground::http {

struct Routing {
  // The route at the request's path, if any (also when its method is not
  // allowed there: the request is counted under that route).
  const Route* route = nullptr;
  // 404 or 405, to answer instead of reading the request.
  std::optional<Response> refusal;
};

class Router {
 public:
  explicit Router(std::vector<Route> routes) : routes_(std::move(routes)) {}

  Routing route(const RequestHeader& header) const;

 private:
  const Route* find(std::string_view path) const;

  std::vector<Route> routes_;
};

// The route's label on the requests metric: its path, or "unmatched" (one
// label for every unknown path keeps the metric's size bounded).
std::string metric_label(const Route* route);

// A request target's path as logs and error messages show it: without the
// query, at most 256 bytes whatever a client sends.
std::string shown_path(std::string_view target);

}  // namespace playground::http
