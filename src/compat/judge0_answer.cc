// A Judge0 submission's status and attributes (see judge0.h).
#include <algorithm>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <ctime>

#include "common/encoding.h"
#include "common/utf8.h"
#include "compat/judge0.h"
#include "grading/compare.h"

namespace playground::compat::judge0 {
namespace {

namespace json = boost::json;
using sandbox::RunStatus;

// Judge0's text attributes: base64-encoded on request, checked for UTF-8
// otherwise.
constexpr std::string_view kTextAttributes[] = {
    "source_code", "stdin",   "expected_output", "stdout",
    "stderr",      "message", "compile_output",
};

constexpr std::string_view kDefaultFields[] = {
    "token",  "time",           "memory",  "stdout",
    "stderr", "compile_output", "message", "status",
};

constexpr std::string_view kNotUtf8 =
    "some attributes for this submission cannot be converted to UTF-8, use "
    "base64_encoded=true query parameter";

// Ruby's Base64.encode64: a newline after every 60 characters and at the
// end, which Judge0's clients have always received.
std::string ruby_base64(std::string_view bytes) {
  const std::string plain = encoding::base64_encode(bytes);
  std::string out;
  out.reserve(plain.size() + plain.size() / 60 + 1);
  for (size_t at = 0; at < plain.size(); at += 60) {
    out.append(plain, at, 60);
    out.push_back('\n');
  }
  return out;
}

// Seconds with three decimals, as Judge0's time columns print: "0.016".
std::string seconds(double ms) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", ms / 1000);
  return text;
}

// A decimal column as Rails renders it: "5.0", "0.5".
std::string decimal(double value) {
  char text[32];
  const auto [end, ec] = std::to_chars(text, text + sizeof text, value);
  std::string out(text, ec == std::errc() ? end : text);
  if (out.find_first_of(".e") == std::string::npos) out += ".0";
  return out;
}

// ISO 8601 in UTC with milliseconds: "2024-04-03T05:40:51.306Z".
json::value timestamp(std::chrono::system_clock::time_point t) {
  if (t == std::chrono::system_clock::time_point{}) return nullptr;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      t.time_since_epoch())
                      .count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  ::gmtime_r(&secs, &utc);
  char text[40];
  const size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof text - n, ".%03dZ",
                static_cast<int>(ms % 1000));
  return json::string(text);
}

json::value text_or_null(const std::optional<std::string>& text) {
  if (!text || text->empty()) return nullptr;
  return json::string(*text);
}

// The signal that ended a run, and the status Judge0 gives it
// (Status.find_runtime_error_by_status_code).
StatusId signal_status(int signal) {
  switch (signal) {
    case SIGSEGV:
      return StatusId::sigsegv;
    case SIGXFSZ:
      return StatusId::sigxfsz;
    case SIGFPE:
      return StatusId::sigfpe;
    case SIGABRT:
      return StatusId::sigabrt;
    default:
      return StatusId::other;
  }
}

// The signal a run ended by, or 0: a memory kill is the OOM killer's
// SIGKILL, an output cap is the SIGXFSZ isolate's file-size limit gives.
int signal_of(const sandbox::RunResult& run) {
  switch (run.status) {
    case RunStatus::ok:
    case RunStatus::error:
      return 0;
    case RunStatus::timeout:
    case RunStatus::memory_limit:
      return SIGKILL;
    case RunStatus::output_limit:
      return SIGXFSZ;
    case RunStatus::killed:
      return run.exit_code < 0 ? -run.exit_code : SIGKILL;
  }
  return 0;
}

// isolate's words for how the run ended; null when it exited with 0.
json::value message_of(const sandbox::RunResult& run) {
  switch (run.status) {
    case RunStatus::ok:
      return nullptr;
    case RunStatus::error:
      return json::string("Exited with error status " +
                          std::to_string(run.exit_code));
    case RunStatus::timeout:
      return json::string("Time limit exceeded");
    case RunStatus::memory_limit:
      return json::string("Memory limit exceeded");
    case RunStatus::output_limit:
      return json::string("Output limit exceeded");
    case RunStatus::killed:
      return json::string("Caught fatal signal " +
                          std::to_string(signal_of(run)));
  }
  return nullptr;
}

// stdout and stderr as Judge0 stores them: null when empty; with
// redirect_stderr_to_stdout, stderr after stdout (they are captured apart).
std::pair<json::value, json::value> streams(const Record& r) {
  if (!r.run) return {nullptr, nullptr};
  if (r.submission.redirect_stderr_to_stdout) {
    return {text_or_null(r.run->stdout_bytes + r.run->stderr_bytes), nullptr};
  }
  return {text_or_null(r.run->stdout_bytes), text_or_null(r.run->stderr_bytes)};
}

// Every attribute in SubmissionSerializer's order, text as raw bytes.
json::object attributes(const Record& r, std::string_view python_version) {
  const Submission& s = r.submission;
  const Limits& l = s.limits;
  const bool ran = r.run.has_value();
  const int signal = ran ? signal_of(*r.run) : 0;
  auto [out, err] = streams(r);
  json::value message = ran                 ? message_of(*r.run)
                        : r.failure.empty() ? json::value(nullptr)
                                            : json::value(r.failure);
  const StatusId status = status_of(r);
  return {
      {"source_code", s.source_code},
      {"language_id", s.language_id},
      {"stdin", text_or_null(s.stdin_text)},
      {"expected_output", text_or_null(s.expected_output)},
      {"stdout", std::move(out)},
      {"status_id", static_cast<int>(status)},
      {"created_at", timestamp(r.created_at)},
      {"finished_at", timestamp(r.finished_at)},
      {"time", ran ? json::value(seconds(r.run->cpu_ms)) : nullptr},
      {"memory", ran ? json::value(r.run->memory_kb) : nullptr},
      {"stderr", std::move(err)},
      {"token", r.token},
      {"number_of_runs", static_cast<int64_t>(l.number_of_runs)},
      {"cpu_time_limit", decimal(l.cpu_time_limit)},
      {"cpu_extra_time", decimal(l.cpu_extra_time)},
      {"wall_time_limit", decimal(l.wall_time_limit)},
      {"memory_limit", static_cast<int64_t>(l.memory_limit)},
      {"stack_limit", static_cast<int64_t>(l.stack_limit)},
      {"max_processes_and_or_threads",
       static_cast<int64_t>(l.max_processes_and_or_threads)},
      {"enable_per_process_and_thread_time_limit", false},
      {"enable_per_process_and_thread_memory_limit", false},
      {"max_file_size", static_cast<int64_t>(l.max_file_size)},
      {"compile_output", nullptr},
      // isolate gives no exit code for a signal; Judge0 then says 0.
      {"exit_code", ran ? json::value(signal ? 0 : r.run->exit_code) : nullptr},
      {"exit_signal", signal ? json::value(signal) : nullptr},
      {"message", std::move(message)},
      {"wall_time", ran ? json::value(seconds(r.run->time_ms)) : nullptr},
      {"compiler_options", nullptr},
      {"command_line_arguments", text_or_null(s.command_line_arguments)},
      {"redirect_stderr_to_stdout", s.redirect_stderr_to_stdout},
      {"callback_url", nullptr},
      {"additional_files", nullptr},
      {"enable_network", false},
      {"status", status_json(status)},
      {"language",
       {{"id", s.language_id},
        {"name", "Python (" + std::string(python_version) + ")"}}},
  };
}

bool wanted(const Query& query, std::string_view name) {
  if (query.fields.empty()) {
    return std::find(std::begin(kDefaultFields), std::end(kDefaultFields),
                     name) != std::end(kDefaultFields);
  }
  return std::find_if(query.fields.begin(), query.fields.end(),
                      [&](const std::string& f) {
                        return f == "*" || f == name;
                      }) != query.fields.end();
}

}  // namespace

StatusId status_of(const Record& r) {
  if (r.phase == Phase::in_queue) return StatusId::in_queue;
  if (r.phase == Phase::processing) return StatusId::processing;
  if (!r.run) return StatusId::internal_error;
  switch (r.run->status) {
    case RunStatus::timeout:
      return StatusId::time_limit_exceeded;
    case RunStatus::error:
      return StatusId::nzec;
    case RunStatus::memory_limit:
    case RunStatus::output_limit:
    case RunStatus::killed:
      return signal_status(signal_of(*r.run));
    case RunStatus::ok:
      break;
  }
  if (!r.submission.expected_output) return StatusId::accepted;
  // Judge0's strip: each line without trailing whitespace, no trailing
  // blank lines (an empty stdout is "" here, where Judge0's nil would make
  // an empty expected_output a Wrong Answer).
  const grading::Comparison same =
      grading::compare(*r.submission.expected_output, r.run->stdout_bytes,
                       {.mode = grading::CompareMode::lines});
  return same.equal ? StatusId::accepted : StatusId::wrong_answer;
}

Result<json::object> answer(const Record& record, const Query& query,
                            std::string_view python_version) {
  json::object all = attributes(record, python_version);
  json::object out;
  for (auto& [name, value] : all) {
    if (wanted(query, name)) out.emplace(name, std::move(value));
  }
  for (std::string_view name : kTextAttributes) {
    json::value* v = out.if_contains(name);
    if (v == nullptr || !v->is_string()) continue;
    if (query.base64) {
      *v = ruby_base64(v->get_string());
    } else if (!utf8::is_valid(v->get_string())) {
      return Error{std::string(kNotUtf8), Errc::invalid_request};
    }
  }
  return out;
}

http::Response error_answer(http::Status status, std::string_view message) {
  return http::refusal_response(status,
                                boost::json::object{{"error", message}});
}

http::Response error_answer(const Error& error) {
  return error_answer(http::status_of(error), error.message);
}

}  // namespace playground::compat::judge0
