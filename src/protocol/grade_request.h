// GradeRequest: what POST /py/grade (backend) and POST /grade (frontend)
// ask for: one program, run once per test case, each output compared with
// the case's expected output.
//
//   auto req = parse_grade_request(content_type, body);
//   if (!req) return http::error_response(req.error());
//
// JSON only: {"code", "files"?, "compare"?, "tests": [{"name", "stdin"?,
// "args"?, "expected_stdout", "timeout_ms"?, "points"?, "hidden"?}]}.
// "compare" is "exact", "lines" (the default) or "tokens", or an object
// {"mode", "case_insensitive"?, "float_abs"?, "float_rel"?}
// (grading/compare.h). Everything is bounded here (kMaxTests,
// kMaxTotalTimeoutMs, ...), so a request that passes is one the grader can
// carry out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "grading/compare.h"
#include "http/message.h"
#include "protocol/eval_request.h"

namespace playground::protocol {

struct TestCase {
  std::string name;
  std::string stdin_data;
  std::vector<std::string> args;
  std::string expected_stdout;
  std::optional<int64_t> timeout_ms;  // as asked; the grader clamps it
  int64_t points = 1;
  bool hidden = false;  // its input, output and difference never shown
};

struct GradeRequest {
  std::string code;
  std::vector<ProgramFile> files;
  grading::CompareOptions compare;
  std::vector<TestCase> tests;
};

inline constexpr size_t kMaxTests = 100;
inline constexpr size_t kMaxTestNameBytes = 200;
inline constexpr int64_t kMaxPoints = 1'000'000;
// The sum of the cases' time limits (each as asked, or `default_timeout_ms`
// when not): what one request may cost a backend at most.
inline constexpr int64_t kMaxTotalTimeoutMs = 300'000;

// What POST /py/grade answers (415) for any body but JSON.
inline constexpr std::string_view kGradeMediaTypeMessage =
    "Content-Type must be application/json.";
// The 415 answer unless the Content-Type is JSON: checked on the header.
std::optional<http::Response> refuse_non_json(
    const http::RequestHeader& header);

// Errors: Errc::invalid_request (what is wrong, naming the case), or
// Errc::unsupported_media_type for a body that is not JSON.
Result<GradeRequest> parse_grade_request(std::string_view content_type,
                                         std::string_view body,
                                         int64_t default_timeout_ms);

// The program of a submission to an exercise: {"code": "..."} (JSON only;
// the exercise supplies everything else).
Result<std::string> exercise_submission(std::string_view content_type,
                                        std::string_view body);

}  // namespace playground::protocol
