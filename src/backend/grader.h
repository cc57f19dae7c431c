// Grader: runs one program against every test case of a grading request and
// gives each case its verdict and points.
//
//   Grader grader(evaluator, /*parallel_cases=*/2);
//   Result<GradeReport> r = co_await grader.grade(request, client, gone);
//   json_response(status::ok, report_to_json(*r));
//
// Each case is its own evaluation (a fresh sandbox, as for POST /py/eval),
// taken through admission under the request's client name, so fair queueing
// lets other clients in between cases. At most `parallel_cases` of one
// request run at once, so one request cannot hold every slot.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "backend/evaluator.h"
#include "common/task.h"
#include "grading/compare.h"
#include "protocol/grade_request.h"
#include "sandbox/run_result.h"

namespace playground::backend {

enum class Verdict {
  passed,
  wrong_answer,
  error,  // a non-zero exit or a signal
  timeout,
  memory_limit,
  output_limit
};
std::string_view to_string(Verdict verdict);

struct CaseResult {
  Verdict verdict = Verdict::error;
  sandbox::RunResult run;
  std::optional<grading::Difference> difference;  // for wrong_answer
  int64_t points = 0;                             // earned
};

struct GradeReport {
  std::vector<CaseResult> cases;  // in the request's order
  int passed = 0;
  int64_t score = 0;
  int64_t max_score = 0;
};

// The verdict of one finished run against its expected output.
CaseResult judge(const sandbox::RunResult& run, const protocol::TestCase& test,
                 const grading::CompareOptions& compare);

class Grader {
 public:
  Grader(Evaluator& evaluator, int parallel_cases);

  // Fails as a whole (Errc::at_capacity, Errc::client_gone,
  // Errc::sandbox_failed) when a case could not be run: a verdict is only
  // ever about the program.
  Task<Result<GradeReport>> grade(const protocol::GradeRequest& request,
                                  std::string client,
                                  std::stop_token client_gone);

  int parallel_cases() const { return parallel_cases_; }

 private:
  Evaluator& evaluator_;
  int parallel_cases_;
};

// {"tests": [{"name", "verdict", "points", "max_points", "time_ms",
// "cpu_ms", "memory_kb", "exit_code", "hidden", and unless hidden:
// "stdout", "stderr", "truncated", "difference": {"line", "expected",
// "got"}}], "passed", "total", "score", "max_score", "compare"}.
boost::json::object report_to_json(const GradeReport& report,
                                   const protocol::GradeRequest& request);

}  // namespace playground::backend
