// The frontend's HTTP API: the UI at /, POST /python, POST /grade, the
// exercises (GET /api/exercises, GET /api/exercises/<id>, POST
// /api/exercises/<id>/grade), GET /api/backends, /healthz, /readyz and
// /metrics, and the other services' APIs (compat/apis.h).
//
//   FrontendApi api{cfg, gateway, limiter, registry};
//   http::Server server(io, options, make_routes(api), registry);
//
// The contract is ../shared/design.md ("Frontend"): POST /python takes code
// (and stdin) as JSON or a form, and answers with the backend's status and
// JSON body plus X-Playground-Backend. Its own errors are JSON too: 400,
// 413, 415, 429 (with Retry-After), 502 and 503.
#pragma once

#include <vector>

#include "common/metrics.h"
#include "compat/apis.h"
#include "frontend/client_share.h"
#include "frontend/config.h"
#include "frontend/exercises.h"
#include "frontend/gateway.h"
#include "frontend/rate_limiter.h"
#include "http/server.h"

namespace playground::frontend {

struct FrontendApi;
// Runs the other APIs' evaluations as POST /python does: through the
// gateway, within the client's share.
compat::Runner compat_runner(FrontendApi& api);

struct FrontendApi {
  const FrontendConfig& config;
  Gateway& gateway;
  RateLimiter& limiter;
  ClientShare& share;
  metrics::Registry& registry;
  const Exercises& exercises;
  // Piston's, Codapi's and Judge0's APIs, run on the backends.
  compat::Apis compat{compat_runner(*this), config.apis};
};

std::vector<http::Route> make_routes(FrontendApi& api);

}  // namespace playground::frontend
