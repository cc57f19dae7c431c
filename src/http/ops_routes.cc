// /healthz, /metrics and the operations guard (see ops_routes.h).
#include "http/ops_routes.h"

#include "common/task.h"
#include "http/bearer_token.h"

namespace playground::http {

Route healthz_route() {
  return {.path = "/healthz",
          .methods = {Verb::get},
          .quiet = true,
          .handler = [](Request&, RequestContext&) -> Task<Response> {
            co_return json_response(Status::ok, {{"status", "ok"}});
          }};
}

Route metrics_route(metrics::Registry& registry, Precheck guard) {
  return {.path = "/metrics",
          .methods = {Verb::get},
          .quiet = true,
          .precheck = std::move(guard),
          .handler = [&registry](Request&, RequestContext&) -> Task<Response> {
            co_return text_response(Status::ok, registry.render(),
                                    "text/plain; version=0.0.4; charset=utf-8");
          }};
}

Precheck ops_only(std::string token, bool public_ops) {
  return [token = std::move(token), public_ops](const RequestHeader& h,
                                                const RequestContext&) {
    return require_ops_token(h, token, public_ops);
  };
}

}  // namespace playground::http
