// Route lookup, 404 and 405 (see router.h).
#include "http/router.h"

#include <algorithm>

namespace playground::http {
namespace {

std::string_view path_of(std::string_view target) {
  auto q = target.find('?');
  return q == std::string_view::npos ? target : target.substr(0, q);
}

// Every route that answers GET answers HEAD too, as HTTP requires of a
// general-purpose server (RFC 9110, 9.1): the same handler, the body dropped
// when written.
bool allows(const Route& route, Verb method) {
  auto has = [&](Verb v) {
    return std::find(route.methods.begin(), route.methods.end(), v) !=
           route.methods.end();
  };
  return has(method) || (method == Verb::head && has(Verb::get));
}

Response method_not_allowed(const Route& route, std::string_view method,
                            const std::string& path) {
  std::string allow;
  for (Verb v : route.methods) {
    if (!allow.empty()) allow += ", ";
    allow += std::string(beast_http::to_string(v));
    if (v == Verb::get) allow += ", HEAD";
  }
  Response r =
      json_error(Status::method_not_allowed, "Method " + std::string(method) +
                                                 " is not allowed on " + path +
                                                 "; use " + allow + ".");
  r.set(beast_http::field::allow, allow);
  return r;
}

}  // namespace

Routing Router::route(const RequestHeader& header) const {
  const Route* route = find(path_of(header.target()));
  if (route == nullptr) {
    return {.refusal = json_error(
                Status::not_found,
                "There is no endpoint " + shown_path(header.target()) + ".")};
  }
  if (!allows(*route, header.method())) {
    return {.route = route,
            .refusal = method_not_allowed(*route, header.method_string(),
                                          shown_path(header.target()))};
  }
  return {.route = route};
}

const Route* Router::find(std::string_view path) const {
  const Route* longest_prefix = nullptr;
  for (const auto& r : routes_) {
    if (!r.prefix && r.path == path) return &r;
    if (r.prefix && path.starts_with(r.path) &&
        (longest_prefix == nullptr ||
         r.path.size() > longest_prefix->path.size())) {
      longest_prefix = &r;
    }
  }
  return longest_prefix;
}

std::string metric_label(const Route* route) {
  return route == nullptr ? "unmatched" : route->path;
}

std::string shown_path(std::string_view target) {
  return std::string(path_of(target).substr(0, 256));
}

}  // namespace playground::http
