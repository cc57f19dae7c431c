// The operations routes both services answer the same way: GET /healthz
// (the process is up) and GET /metrics (Prometheus text), and the guard
// that keeps operations endpoints to holders of the token.
//
//   routes.push_back(http::healthz_route());
//   routes.push_back(http::metrics_route(
//       registry, http::ops_only(cfg.token, cfg.public_ops())));
#pragma once

#include <string>

#include "common/metrics.h"
#include "http/route.h"

namespace playground::http {

// {"status": "ok"}, for liveness probes.
Route healthz_route();

// The registry's metrics, behind `guard`.
Route metrics_route(metrics::Registry& registry, Precheck guard);

// 401 unless the request carries `token` (none configured, or --ops-access
// public, lets everyone in): see require_ops_token.
Precheck ops_only(std::string token, bool public_ops);

}  // namespace playground::http
