// Grading a program against test cases (see grader.h).
#include "backend/grader.h"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/json/array.hpp>
#include <cmath>

#include "common/task.h"
#include "common/utf8.h"

namespace playground::backend {
namespace asio = boost::asio;
using sandbox::RunStatus;

namespace {

double round2(double v) { return std::round(v * 100.0) / 100.0; }

protocol::EvalRequest evaluation_of(const protocol::GradeRequest& request,
                                    const protocol::TestCase& test) {
  return {.code = request.code,
          .stdin_data = test.stdin_data,
          .timeout_ms = test.timeout_ms,
          .files = request.files,
          .args = test.args};
}

// The state the workers of one grading request share: the next case to
// take, and the first error that stopped them (and, through `stop`, the
// cases still running: their verdicts would not be given).
struct Progress {
  const protocol::GradeRequest& request;
  std::vector<std::optional<sandbox::RunResult>> runs;
  size_t next = 0;
  std::optional<Error> failure;
  std::stop_source stop;
};

Task<void> run_cases(Evaluator& evaluator, Progress& progress,
                     std::string client) {
  while (!progress.failure && progress.next < progress.request.tests.size()) {
    const size_t i = progress.next++;
    auto run = co_await evaluator.evaluate(
        evaluation_of(progress.request, progress.request.tests[i]), client,
        progress.stop.get_token());
    if (!run) {
      if (!progress.failure) progress.failure = run.error();
      progress.stop.request_stop();
      co_return;
    }
    progress.runs[i] = std::move(*run);
  }
}

}  // namespace

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::passed:
      return "passed";
    case Verdict::wrong_answer:
      return "wrong_answer";
    case Verdict::error:
      return "error";
    case Verdict::timeout:
      return "timeout";
    case Verdict::memory_limit:
      return "memory_limit";
    case Verdict::output_limit:
      return "output_limit";
  }
  return "error";
}

CaseResult judge(const sandbox::RunResult& run, const protocol::TestCase& test,
                 const grading::CompareOptions& compare) {
  CaseResult r{.run = run};
  switch (run.status) {
    case RunStatus::timeout:
      r.verdict = Verdict::timeout;
      return r;
    case RunStatus::memory_limit:
      r.verdict = Verdict::memory_limit;
      return r;
    case RunStatus::output_limit:
      r.verdict = Verdict::output_limit;
      return r;
    case RunStatus::error:
    case RunStatus::killed:
      r.verdict = Verdict::error;
      return r;
    case RunStatus::ok:
      break;
  }
  grading::Comparison c =
      grading::compare(test.expected_stdout, run.stdout_bytes, compare);
  r.verdict = c.equal ? Verdict::passed : Verdict::wrong_answer;
  r.difference = std::move(c.difference);
  r.points = c.equal ? test.points : 0;
  return r;
}

Grader::Grader(Evaluator& evaluator, int parallel_cases)
    : evaluator_(evaluator), parallel_cases_(std::max(1, parallel_cases)) {}

Task<Result<GradeReport>> Grader::grade(const protocol::GradeRequest& request,
                                        std::string client,
                                        std::stop_token client_gone) {
  Progress progress{.request = request, .runs = {}};
  progress.runs.resize(request.tests.size());
  std::stop_callback client_left(client_gone,
                                 [&progress] { progress.stop.request_stop(); });
  const size_t workers =
      std::min(static_cast<size_t>(parallel_cases_), request.tests.size());
  auto ex = co_await asio::this_coro::executor;
  using Op = decltype(asio::co_spawn(
      ex, run_cases(evaluator_, progress, client), asio::deferred));
  std::vector<Op> ops;
  for (size_t w = 0; w < workers; ++w) {
    ops.push_back(asio::co_spawn(ex, run_cases(evaluator_, progress, client),
                                 asio::deferred));
  }
  co_await asio::experimental::make_parallel_group(std::move(ops))
      .async_wait(asio::experimental::wait_for_all(), use_task);
  if (progress.failure) co_return *progress.failure;

  GradeReport report;
  for (size_t i = 0; i < request.tests.size(); ++i) {
    const protocol::TestCase& test = request.tests[i];
    report.cases.push_back(judge(*progress.runs[i], test, request.compare));
    report.max_score += test.points;
    report.score += report.cases.back().points;
    if (report.cases.back().verdict == Verdict::passed) ++report.passed;
  }
  co_return report;
}

boost::json::object report_to_json(const GradeReport& report,
                                   const protocol::GradeRequest& request) {
  boost::json::array tests;
  for (size_t i = 0; i < report.cases.size(); ++i) {
    const CaseResult& c = report.cases[i];
    const protocol::TestCase& test = request.tests[i];
    boost::json::object t{
        {"name", utf8::make_valid(test.name)},
        {"verdict", to_string(c.verdict)},
        {"points", c.points},
        {"max_points", test.points},
        {"time_ms", round2(c.run.time_ms)},
        {"cpu_ms", round2(c.run.cpu_ms)},
        {"memory_kb", c.run.memory_kb},
        {"exit_code", c.run.exit_code},
        {"hidden", test.hidden},
    };
    if (!test.hidden) {
      t["stdout"] = utf8::make_valid(c.run.stdout_bytes);
      t["stderr"] = utf8::make_valid(c.run.stderr_bytes);
      t["truncated"] = c.run.truncated;
      if (c.difference) {
        auto side = [](const std::optional<std::string>& s) {
          return s ? boost::json::value(utf8::make_valid(*s))
                   : boost::json::value(nullptr);
        };
        t["difference"] = {{"line", c.difference->line},
                           {"expected", side(c.difference->expected)},
                           {"got", side(c.difference->got)}};
      }
    }
    tests.push_back(std::move(t));
  }
  return {
      {"tests", std::move(tests)},
      {"passed", report.passed},
      {"total", report.cases.size()},
      {"score", report.score},
      {"max_score", report.max_score},
      {"compare", grading::to_string(request.compare.mode)},
  };
}

}  // namespace playground::backend
