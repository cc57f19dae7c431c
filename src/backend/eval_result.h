// The JSON body of a finished evaluation.
//
//   http::json_response(status::ok, result_to_json(run_result));
//
// {"stdout", "stderr", "exit_code", "status", "time_ms", "cpu_ms",
//  "memory_kb", "truncated"}; program output is made valid UTF-8 first.
#pragma once

#include <boost/json/object.hpp>

#include "sandbox/run_result.h"

namespace playground::backend {

boost::json::object result_to_json(const sandbox::RunResult& result);

}  // namespace playground::backend
