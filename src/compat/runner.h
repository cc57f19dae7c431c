// Runner: what the APIs of other services (Piston, Codapi, Judge0) need
// from the service that serves them: a way to run one evaluation, and the
// facts they report. The backend runs in its own sandboxes; the frontend
// forwards to its backends (round-robin, failover, the client's share).
//
//   compat::Runner runner{.run = ..., .python_version = ...};
//   for (auto& r : compat::make_routes(runner, options, guard)) ...
#pragma once

#include <functional>
#include <string>

#include "common/result.h"
#include "common/task.h"
#include "http/route.h"
#include "protocol/eval_request.h"
#include "sandbox/run_result.h"

namespace playground::compat {

struct Runner {
  // Runs one evaluation for the client who sent `request` (its headers say
  // who, with the token; its body is not read) and `ctx` (its address, its
  // disconnect, its log line). Errors carry an Errc: at_capacity,
  // rate_limited, too_large, invalid_request, unavailable, client_gone.
  std::function<Task<Result<sandbox::RunResult>>(protocol::EvalRequest,
                                                 const http::Request& request,
                                                 http::RequestContext& ctx)>
      run;
  // The sandbox's interpreter, "3.11.2"; "" while not known (a frontend
  // before its first health check): the APIs then answer 503.
  std::function<std::string()> python_version;
};

}  // namespace playground::compat
