// Codapi (nalgeon/codapi, docs/api.md), the server the @antonz/codapi
// widget runs page snippets on, Python only:
//
//   POST /v1/exec   {"sandbox": "python", "version"?: "3.11",
//                    "command": "run", "files": {"": code, "data.txt": ...}}
//                -> {"id": "python_run_1a2b3c4d", "ok": true,
//                    "duration": 31, "stdout": "hi", "stderr": ""}
//   HEAD|GET /v1/health   200 {"ok": true}, for the widget's probe
//   OPTIONS /v1/...       the CORS preflight, 200 with no body
//
// Every answer, refusals included, is Codapi's JSON (the same five fields)
// and carries the CORS headers, since the widget runs in other sites'
// pages. Codapi's conventions: the streams trimmed; a failed run is ok
// false with everything in stderr; a timeout is "code execution timeout";
// an unknown sandbox or command 404; busy 429. Where ours differ from
// Codapi's server, README's "### Codapi" says how and why.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "common/result.h"
#include "compat/apis.h"
#include "compat/runner.h"
#include "http/route.h"
#include "protocol/eval_request.h"
#include "sandbox/run_result.h"

namespace playground::compat::codapi {

// Codapi's own refusals of a request, beside the Errc every API shares:
// each has Codapi's status and wording (see error_answer).
enum class Refused {
  unknown_sandbox = 1,  // 404 "unknown sandbox"
  unknown_command,      // 404 "unknown command"
  unknown_box,          // 200 ok:false "unknown box python:42"
  empty_request,        // 400 "empty request"
};
const std::error_category& refused_category();
inline std::error_code make_error_code(Refused r) {
  return {static_cast<int>(r), refused_category()};
}

// The id of an answer: "python_run_" and 8 random lowercase hex digits.
std::string new_id();

// An exec request's body as the evaluation it asks for. The file "" (or
// "main.py") is the program, the others are written beside it. Errors
// carry a Refused or an Errc::invalid_request, with Codapi's wording where
// Codapi has one.
Result<protocol::EvalRequest> parse_exec(std::string_view body,
                                         std::string_view python_version);

// Does a requested version ("", "latest", "3", "3.11", "3.11.2") name the
// sandbox's Python?
bool version_matches(std::string_view requested,
                     std::string_view python_version);

// Codapi's answer to a run that happened (always HTTP 200).
boost::json::object exec_answer(const sandbox::RunResult& run,
                                std::string_view id);

// Codapi's answer to a request that did not run: {id, ok: false,
// duration: 0, stdout: "", stderr: <why>} with Codapi's status for it
// (busy is 429, whatever ours would be).
http::Response error_answer(const Error& error, std::string_view id);

// The CORS headers every /v1/ answer carries, for `origin` ("*" or one).
std::vector<std::pair<std::string, std::string>> cors_headers(
    std::string_view origin);

// The /v1/ route (a prefix route: exec, health, preflights, Codapi's 404
// for the rest). `guard` (the backend's token, the frontend's rate limit)
// runs first on every request but preflights and health probes, which
// browsers send without credentials.
std::vector<http::Route> routes(const Runner& runner, const ApiOptions& options,
                                const http::Precheck& guard);

}  // namespace playground::compat::codapi

template <>
struct std::is_error_code_enum<playground::compat::codapi::Refused>
    : std::true_type {};
