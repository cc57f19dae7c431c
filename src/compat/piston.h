// Piston v2 (engineer-man/piston, api/src/api/v2.js), Python only:
//
//   GET  /api/v2/runtimes   [{"language": "python", "version": "3.11.2",
//                             "aliases": ["py", "py3", "python3"]}]
//   POST /api/v2/execute    {language, version, files: [{name?, content,
//                             encoding?}], stdin?, args?, run_timeout?, ...}
//                        -> {language, version, run: {stdout, stderr, output,
//                             code, signal, message, status, cpu_time,
//                             wall_time, memory}}
//
// and the same under /api/v2/piston/ (the public instance's paths). Errors
// are Piston's: {"message": "..."} with 400 (a bad request) or the service's
// status (busy, too large). Bodies are read as JSON whatever their
// Content-Type: the npm client piston-client posts JSON as text/plain.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "compat/runner.h"
#include "http/route.h"
#include "protocol/eval_request.h"
#include "sandbox/run_result.h"

namespace playground::compat::piston {

// GET /api/v2/runtimes.
boost::json::array runtimes(std::string_view python_version);

// An execute request as the evaluation it asks for; errors carry Piston's
// message ("python-2.7 runtime is unknown").
Result<protocol::EvalRequest> parse_execute(std::string_view body,
                                            std::string_view python_version);

// Piston's answer to a run that happened.
boost::json::object execute_answer(const sandbox::RunResult& run,
                                   std::string_view python_version);

// Piston's answer to a request that did not run: {"message": ...}.
http::Response error_answer(const Error& error);

// Does a Piston version range ("3.11.2", "3", "3.x", "*", "^3.10")
// accept `version`?
bool version_matches(std::string_view range, std::string_view version);

// The four routes; `guard` runs first on each (the backend's token, the
// frontend's rate limit).
std::vector<http::Route> routes(const Runner& runner, size_t body_limit,
                                const http::Precheck& guard);

}  // namespace playground::compat::piston
