// The JSON body of a finished evaluation, both ways.
//
//   http::json_response(status::ok, result_to_json(run_result));  // backend
//   auto r = result_from_json(upstream.body());   // frontend, for other APIs
//
// {"stdout", "stderr", "exit_code", "status", "time_ms", "cpu_ms",
//  "memory_kb", "truncated"}; program output is made valid UTF-8 first, or
// sent as base64 when asked.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "common/result.h"
#include "sandbox/run_result.h"

namespace playground::protocol {

// `base64`: stdout and stderr as base64 of their bytes, with
// "output_encoding": "base64" (EvalRequest::output_base64).
boost::json::object result_to_json(const sandbox::RunResult& result,
                                   bool base64 = false);

// A backend's /py/eval answer read back (the frontend translates it for
// the other APIs it serves). Errc::unavailable when it is not one.
Result<sandbox::RunResult> result_from_json(std::string_view body);

}  // namespace playground::protocol
