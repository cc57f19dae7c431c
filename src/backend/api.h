// The backend's HTTP API: POST /py/eval, POST /py/grade, GET /healthz,
// /readyz, /metrics, and the other services' APIs (compat/apis.h).
//
//   BackendApi api{cfg, evaluator, admission, registry, probe};
//   http::Server server(io, options, make_routes(api), registry);
//
// The contract is ../shared/design.md ("Backend POST /py/eval"): 200 with the
// result whenever the program ran; JSON errors 400, 401, 404, 405, 413, 415,
// 503 (with Retry-After) otherwise.
#pragma once

#include <vector>

#include "backend/admission.h"
#include "backend/config.h"
#include "backend/evaluator.h"
#include "backend/grader.h"
#include "common/metrics.h"
#include "compat/apis.h"
#include "http/server.h"
#include "sandbox/probe.h"

namespace playground::backend {

struct BackendApi;
// Runs the other APIs' evaluations as /py/eval does.
compat::Runner compat_runner(BackendApi& api);

struct BackendApi {
  const BackendConfig& config;
  Evaluator& evaluator;
  Admission& admission;
  metrics::Registry& registry;
  sandbox::ProbeResult probe;
  // One grading request runs at most --grade-parallel cases at once (fair
  // admission lets other clients in between).
  Grader grader{evaluator, static_cast<int>(config.grade_parallel)};
  // Piston's, Codapi's and Judge0's APIs, run here.
  compat::Apis compat{compat_runner(*this), config.apis};
};

std::vector<http::Route> make_routes(BackendApi& api);

}  // namespace playground::backend
