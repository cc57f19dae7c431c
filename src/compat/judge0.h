// Judge0 CE 1.13.1's API (judge0/judge0, app/controllers and app/jobs),
// Python only:
//
//   POST /submissions?wait=true&base64_encoded=false&fields=...
//        {source_code, language_id: 71, stdin?, expected_output?,
//         cpu_time_limit?, wall_time_limit?, memory_limit?,
//         command_line_arguments?, ...}
//     -> 201 {stdout, time, memory, stderr, token, compile_output, message,
//             status: {id, description}}
//   POST /submissions (no wait)   -> 201 {token}
//   GET  /submissions/<token>     -> 200 the same attributes (In Queue,
//                                    Processing, then the result)
//   GET  /languages, /languages/all, /languages/<id>, /statuses
//
// Refusals are Judge0's: 422 {"field": ["message", ...]} for a submission
// that breaks a rule, 400 {"error": ...} for a bad query, 503 {"error":
// "queue is full"}. Bodies are read as JSON whatever their Content-Type.
// The functions here are pure; judge0_routes.cc serves them, and
// judge0_store.h keeps the submissions a later GET asks for.
//
//   auto query = judge0::parse_query(req.target());
//   auto parsed = judge0::parse_submission(req.body(), query->base64,
//   "3.11.2");
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.h"
#include "compat/runner.h"
#include "http/route.h"
#include "protocol/eval_request.h"
#include "sandbox/run_result.h"

namespace playground::compat::judge0 {

class SubmissionStore;

// Judge0's status ids (app/enumerations/status.rb).
enum class StatusId {
  in_queue = 1,
  processing = 2,
  accepted = 3,
  wrong_answer = 4,
  time_limit_exceeded = 5,
  compilation_error = 6,
  sigsegv = 7,
  sigxfsz = 8,
  sigfpe = 9,
  sigabrt = 10,
  nzec = 11,
  other = 12,
  internal_error = 13,
  exec_format_error = 14,
};
// {"id": 3, "description": "Accepted"}
boost::json::object status_json(StatusId id);
// GET /statuses: all fourteen.
boost::json::array statuses();

// The ids a submission may name: 71 (CE 1.13.1's Python 3, which clients
// hard-code) always; also the id later Judge0 versions give the real
// interpreter's minor version (92 for 3.11, 100 for 3.12, 109 for 3.13),
// for clients written against ce.judge0.com.
std::vector<int> language_ids(std::string_view python_version);
// GET /languages: [{"id": 71, "name": "Python (3.11.2)"}, ...]; /all adds
// "is_archived": false.
boost::json::array languages(std::string_view python_version, bool all);
// GET /languages/<id>: with source_file, compile_cmd and run_cmd; nullopt
// for an id not in language_ids.
std::optional<boost::json::object> language(std::string_view id,
                                            std::string_view python_version);

// The query string of POST /submissions and GET /submissions/<token>.
struct Query {
  bool wait = false;    // only "true" turns either on, as in Judge0
  bool base64 = false;  // base64_encoded
  // The attributes to answer with, as named; empty means Judge0's default
  // eight, {"*"} all of them.
  std::vector<std::string> fields;
};
// Errors are Errc::invalid_request: "invalid fields: [a, b]".
Result<Query> parse_query(std::string_view target);

// The limits a submission may set, in Judge0's units (seconds, KB), each
// within Judge0's range. Only the time limits change the run here; the
// others are checked, echoed and otherwise covered by the service's own
// limits (see README).
struct Limits {
  double number_of_runs = 1;
  double cpu_time_limit = 5;
  double cpu_extra_time = 1;
  double wall_time_limit = 10;
  double memory_limit = 128000;
  double stack_limit = 64000;
  double max_processes_and_or_threads = 60;
  double max_file_size = 1024;
};

// A submission as asked (decoded from base64 when the query said so).
struct Submission {
  std::string source_code;
  int language_id = 71;
  std::optional<std::string> stdin_text;
  std::optional<std::string> expected_output;
  std::optional<std::string> command_line_arguments;  // as given
  std::vector<std::string> args;  // command_line_arguments, split
  Limits limits;
  bool redirect_stderr_to_stdout = false;
};

// A request refused in Judge0's words: its status and JSON body.
struct Refusal {
  http::Status status;
  boost::json::value body;
};

// The body of POST /submissions: a submission, or 400 {"error"} for a body
// that is not JSON, or 422 {"field": ["message", ...]} listing every field
// that breaks a rule, in Judge0's order and words.
std::variant<Submission, Refusal> parse_submission(
    std::string_view body, bool base64, std::string_view python_version);

// command_line_arguments as the program's sys.argv[1:], without a shell:
// words split on whitespace, with '...' (literal), "..." (\" \\ \$ \`
// escaped) and \x outside quotes, after dropping the characters Judge0
// drops ($&;<>|`). nullopt for an unterminated quote.
std::optional<std::vector<std::string>> split_arguments(std::string_view text);

// The run a submission asks for: the smaller of its CPU and wall-clock time
// limits bounds the wall clock (a Python program uses one core).
protocol::EvalRequest eval_request(const Submission& submission);

// Where a submission is, and how it ended.
enum class Phase { in_queue, processing, done };
struct Record {
  std::string token;
  Submission submission;
  Phase phase = Phase::in_queue;
  std::optional<sandbox::RunResult> run;  // done and ran
  std::string failure;  // done without running: why (Internal Error)
  std::chrono::system_clock::time_point created_at;
  std::chrono::system_clock::time_point finished_at;
};

// The status of a record: the run's end as Judge0's verify step names it
// (see the README's Judge0 section for the mapping).
StatusId status_of(const Record& record);

// The record's attributes the query asks for, in Judge0's serializer order,
// text base64-encoded as Ruby's Base64.encode64 does when query.base64.
// Without base64, text that is not UTF-8 fails with Judge0's sentence
// ("some attributes for this submission cannot be converted to UTF-8, ...").
Result<boost::json::object> answer(const Record& record, const Query& query,
                                   std::string_view python_version);

// The JSON shape of every other refusal: {"error": message} with `status`
// (Retry-After on 429 and 503).
http::Response error_answer(http::Status status, std::string_view message);
http::Response error_answer(const Error& error);

// The routes (POST /submissions, GET /submissions/<token>,
// /submissions/batch, /languages, /languages/<id>, /statuses); `guard` runs
// first on each. Submissions without wait run on the handler's executor and
// land in `store`, which the runs share.
std::vector<http::Route> routes(const Runner& runner, size_t body_limit,
                                std::shared_ptr<SubmissionStore> store,
                                const http::Precheck& guard);

}  // namespace playground::compat::judge0
