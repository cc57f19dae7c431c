// Judge0's lists, query and submission, parsed (see judge0.h).
#include "compat/judge0.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <cmath>

#include "common/encoding.h"
#include "http/form.h"
#include "protocol/json_fields.h"

namespace playground::compat::judge0 {
namespace {

namespace json = boost::json;

constexpr std::string_view kStatusNames[] = {
    "In Queue",
    "Processing",
    "Accepted",
    "Wrong Answer",
    "Time Limit Exceeded",
    "Compilation Error",
    "Runtime Error (SIGSEGV)",
    "Runtime Error (SIGXFSZ)",
    "Runtime Error (SIGFPE)",
    "Runtime Error (SIGABRT)",
    "Runtime Error (NZEC)",
    "Runtime Error (Other)",
    "Internal Error",
    "Exec Format Error",
};

// CE 1.13.1's Python 3 (its 3.8.1), and the ids ce.judge0.com (1.14) gives
// the Pythons it has, by minor version.
constexpr int kPython3 = 71;
struct LaterPython {
  int id;
  std::string_view minor;
};
constexpr LaterPython kLaterPythons[] = {
    {92, "3.11."}, {100, "3.12."}, {109, "3.13."}};

// Every attribute Judge0 serializes (SubmissionSerializer), the names
// `fields` may use.
constexpr std::string_view kAttributeNames[] = {
    "source_code",
    "language_id",
    "stdin",
    "expected_output",
    "stdout",
    "status_id",
    "created_at",
    "finished_at",
    "time",
    "memory",
    "stderr",
    "token",
    "number_of_runs",
    "cpu_time_limit",
    "cpu_extra_time",
    "wall_time_limit",
    "memory_limit",
    "stack_limit",
    "max_processes_and_or_threads",
    "enable_per_process_and_thread_time_limit",
    "enable_per_process_and_thread_memory_limit",
    "max_file_size",
    "compile_output",
    "exit_code",
    "exit_signal",
    "message",
    "wall_time",
    "compiler_options",
    "command_line_arguments",
    "redirect_stderr_to_stdout",
    "callback_url",
    "additional_files",
    "enable_network",
    "status",
    "language",
};

// One numeric limit: Judge0's default, range and messages (submission.rb;
// the MAX_* are floats, so Ruby prints them as "15.0").
struct LimitRule {
  std::string_view name;
  double Limits::*field;
  double min;
  bool min_inclusive;
  std::string_view min_text;
  double max;
  std::string_view max_text;
};
constexpr LimitRule kLimitRules[] = {
    {"number_of_runs", &Limits::number_of_runs, 0, false, "0", 20, "20"},
    {"cpu_time_limit", &Limits::cpu_time_limit, 0, true, "0", 15, "15.0"},
    {"cpu_extra_time", &Limits::cpu_extra_time, 0, true, "0", 5, "5.0"},
    {"wall_time_limit", &Limits::wall_time_limit, 1, true, "1", 20, "20.0"},
    {"memory_limit", &Limits::memory_limit, 2048, true, "2048", 512000,
     "512000"},
    {"stack_limit", &Limits::stack_limit, 0, true, "0", 128000, "128000"},
    {"max_processes_and_or_threads", &Limits::max_processes_and_or_threads, 0,
     false, "0", 120, "120"},
    {"max_file_size", &Limits::max_file_size, 0, true, "0", 4096, "4096"},
};

constexpr size_t kMaxOptionChars = 512;  // compiler_options, arguments

// Appends `message` to field's list in a 422 body.
void reject(json::object& errors, std::string_view field, std::string message) {
  json::value& list = errors[field];
  if (!list.is_array()) list = json::array();
  list.get_array().emplace_back(std::move(message));
}

// A scalar as the text Rails would see: strings as they are, numbers and
// booleans as written; null, absent and structures (which Rails' permit
// drops) as nothing.
std::optional<std::string> text_of(const json::object& body,
                                   std::string_view name) {
  const json::value* v = body.if_contains(name);
  if (v == nullptr || v->is_null() || v->is_array() || v->is_object()) {
    return std::nullopt;
  }
  if (v->is_string()) return std::string(v->get_string());
  return json::serialize(*v);
}

// Rails' blank?: nothing, or only whitespace.
bool blank(const std::optional<std::string>& text) {
  return !text || std::all_of(text->begin(), text->end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f';
  });
}

// A number, or the numeric text of a string ("4", " 2.5 "); nullopt
// otherwise.
std::optional<double> number_of(std::string_view text) {
  text = http::trim_ows(text);
  double d = 0;
  const auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), d);
  if (ec != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(d)) {
    return std::nullopt;
  }
  return d;
}

// The limits, Judge0's defaults where absent or null.
Limits parse_limits(const json::object& body, json::object& errors) {
  Limits limits;
  for (const LimitRule& rule : kLimitRules) {
    const std::optional<std::string> text = text_of(body, rule.name);
    if (!text) continue;
    const std::optional<double> value = number_of(*text);
    if (!value) {
      reject(errors, rule.name, "is not a number");
      continue;
    }
    const bool low =
        rule.min_inclusive ? *value < rule.min : *value <= rule.min;
    if (low) {
      reject(
          errors, rule.name,
          std::string(rule.min_inclusive ? "must be greater than or equal to "
                                         : "must be greater than ") +
              std::string(rule.min_text));
    } else if (*value > rule.max) {
      reject(errors, rule.name,
             "must be less than or equal to " + std::string(rule.max_text));
    } else {
      limits.*rule.field = *value;
    }
  }
  return limits;
}

// source_code, stdin and expected_output, decoded when `base64`.
std::optional<std::string> decoded_text(const json::object& body,
                                        std::string_view name, bool base64,
                                        json::object& errors) {
  std::optional<std::string> text = text_of(body, name);
  if (!text || !base64) return text;
  std::optional<std::string> bytes = encoding::base64_decode(*text);
  if (!bytes) reject(errors, name, "is not valid base64");
  return bytes;
}

// What a true boolean option Judge0 could allow gets here: the sandbox has
// no network and one limit for all of a run's processes.
void reject_unsupported(const json::object& body, json::object& errors) {
  auto is_true = [&](std::string_view name) {
    const json::value* v = body.if_contains(name);
    return v != nullptr && !v->is_null() && !(v->is_bool() && !v->get_bool()) &&
           !(v->is_string() && v->get_string() == "false");
  };
  for (std::string_view name : {"enable_per_process_and_thread_time_limit",
                                "enable_per_process_and_thread_memory_limit"}) {
    if (is_true(name)) reject(errors, name, "this option cannot be enabled");
  }
  if (!blank(text_of(body, "compiler_options"))) {
    reject(errors, "compiler_options",
           "setting compiler options is only allowed for compiled languages");
  }
  if (!blank(text_of(body, "callback_url"))) {
    reject(errors, "callback_url", "setting callback is not allowed");
  }
  if (body.if_contains("additional_files") &&
      !body.at("additional_files").is_null()) {
    reject(errors, "additional_files",
           "setting additional files is not allowed");
  }
  if (is_true("enable_network")) {
    reject(errors, "enable_network", "enabling network is not allowed");
  }
}

// command_line_arguments: at most 512 characters, split as a shell would
// (without expanding anything), at most kMaxArgs words.
void parse_arguments(Submission& s, json::object& errors) {
  if (!s.command_line_arguments) return;
  const std::string& text = *s.command_line_arguments;
  if (text.size() > kMaxOptionChars) {
    reject(errors, "command_line_arguments",
           "is too long (maximum is 512 characters)");
    return;
  }
  std::optional<std::vector<std::string>> args = split_arguments(text);
  if (!args) {
    reject(errors, "command_line_arguments", "has an unterminated quote");
  } else if (args->size() > protocol::kMaxArgs) {
    reject(errors, "command_line_arguments",
           "may hold at most " + std::to_string(protocol::kMaxArgs) +
               " arguments");
  } else if (std::any_of(args->begin(), args->end(), [](const std::string& a) {
               return a.find('\0') != std::string::npos;
             })) {
    reject(errors, "command_line_arguments", "may not contain a NUL character");
  } else {
    s.args = std::move(*args);
  }
}

// language_id: present, and one of language_ids (a number or its text).
void parse_language(const json::object& body, std::string_view python_version,
                    Submission& s, json::object& errors,
                    std::vector<std::string>& later) {
  const std::optional<std::string> text = text_of(body, "language_id");
  if (blank(text)) reject(errors, "language_id", "can't be blank");
  const double id = text ? number_of(*text).value_or(-1) : -1;
  const std::vector<int> ids = language_ids(python_version);
  if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
    s.language_id = static_cast<int>(id);
    return;
  }
  // Judge0 checks existence after the other fields.
  later.push_back("language with id " + (text ? text->substr(0, 64) : "") +
                  " doesn't exist");
}

}  // namespace

json::object status_json(StatusId id) {
  const int n = static_cast<int>(id);
  return {{"id", n}, {"description", kStatusNames[n - 1]}};
}

json::array statuses() {
  json::array list;
  for (int n = 1; n <= static_cast<int>(std::size(kStatusNames)); ++n) {
    list.push_back(status_json(static_cast<StatusId>(n)));
  }
  return list;
}

std::vector<int> language_ids(std::string_view python_version) {
  std::vector<int> ids = {kPython3};
  for (const LaterPython& p : kLaterPythons) {
    if (python_version.starts_with(p.minor)) ids.push_back(p.id);
  }
  return ids;
}

json::array languages(std::string_view python_version, bool all) {
  json::array list;
  for (int id : language_ids(python_version)) {
    json::object entry{
        {"id", id}, {"name", "Python (" + std::string(python_version) + ")"}};
    if (all) entry["is_archived"] = false;
    list.push_back(std::move(entry));
  }
  return list;
}

std::optional<json::object> language(std::string_view id,
                                     std::string_view python_version) {
  int n = 0;
  const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
  if (ec != std::errc() || end != id.data() + id.size()) return std::nullopt;
  const std::vector<int> ids = language_ids(python_version);
  if (std::find(ids.begin(), ids.end(), n) == ids.end()) return std::nullopt;
  return json::object{
      {"id", n},
      {"name", "Python (" + std::string(python_version) + ")"},
      {"is_archived", false},
      {"source_file", "main.py"},
      {"compile_cmd", nullptr},
      {"run_cmd", "python3 main.py"},
  };
}

Result<Query> parse_query(std::string_view target) {
  const size_t mark = target.find('?');
  Query query;
  if (mark == std::string_view::npos) return query;
  auto params = http::parse_urlencoded(target.substr(mark + 1));
  if (!params)
    return protocol::bad_request("invalid query: " + params.error().message);
  auto is_true = [&](std::string_view name) {
    const std::string* v = params->get(name);
    return v != nullptr && *v == "true";
  };
  query.wait = is_true("wait");
  query.base64 = is_true("base64_encoded");
  const std::string* fields = params->get("fields");
  if (fields == nullptr || fields->empty()) return query;
  std::string_view list = *fields;
  std::string unknown;
  while (!list.empty()) {
    const std::string_view name = http::next_list_item(list);
    if (name.empty()) continue;
    if (query.fields.size() >= std::size(kAttributeNames) + 1) break;
    const bool known =
        name == "*" ||
        std::find(std::begin(kAttributeNames), std::end(kAttributeNames),
                  name) != std::end(kAttributeNames);
    if (!known && unknown.size() < 512) {
      unknown +=
          (unknown.empty() ? "" : ", ") + std::string(name.substr(0, 64));
    }
    query.fields.emplace_back(name);
  }
  if (!unknown.empty()) {
    return protocol::bad_request("invalid fields: [" + unknown + "]");
  }
  return query;
}

std::optional<std::vector<std::string>> split_arguments(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;  // the open quote, or 0
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    // Judge0 deletes these before bash sees the line.
    if (std::string_view("$&;<>|`").find(c) != std::string_view::npos) continue;
    if (quote == '\'') {
      if (c == '\'')
        quote = 0;
      else
        word.push_back(c);
    } else if (quote == '"') {
      if (c == '"') {
        quote = 0;
      } else if (c == '\\' && i + 1 < text.size() &&
                 std::string_view("\"\\\n").find(text[i + 1]) !=
                     std::string_view::npos) {
        word.push_back(text[++i]);
      } else {
        word.push_back(c);
      }
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      in_word = true;
      if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '\\') {
        if (i + 1 < text.size()) word.push_back(text[++i]);
      } else {
        word.push_back(c);
      }
    }
  }
  if (quote != 0) return std::nullopt;
  if (in_word) words.push_back(std::move(word));
  return words;
}

std::variant<Submission, Refusal> parse_submission(
    std::string_view text, bool base64, std::string_view python_version) {
  auto doc = protocol::parse_json_body(text);
  if (!doc) {
    return Refusal{http::Status::bad_request,
                   json::object{{"error", doc.error().message}}};
  }
  const json::object empty;
  const json::object& body = doc->is_object() ? doc->get_object() : empty;
  json::object errors;
  std::vector<std::string> later;  // language existence, checked last
  Submission s;
  std::optional<std::string> code =
      decoded_text(body, "source_code", base64, errors);
  if (blank(code) && !errors.contains("source_code")) {
    reject(errors, "source_code", "can't be blank");
  }
  if (code) s.source_code = std::move(*code);
  parse_language(body, python_version, s, errors, later);
  s.limits = parse_limits(body, errors);
  s.stdin_text = decoded_text(body, "stdin", base64, errors);
  s.expected_output = decoded_text(body, "expected_output", base64, errors);
  s.command_line_arguments = text_of(body, "command_line_arguments");
  parse_arguments(s, errors);
  for (std::string& message : later) {
    reject(errors, "language_id", std::move(message));
  }
  reject_unsupported(body, errors);
  if (const json::value* r = body.if_contains("redirect_stderr_to_stdout")) {
    s.redirect_stderr_to_stdout = r->is_bool() ? r->get_bool() : false;
  }
  if (!errors.empty()) {
    return Refusal{http::Status::unprocessable_entity, std::move(errors)};
  }
  return s;
}

protocol::EvalRequest eval_request(const Submission& s) {
  // isolate's -t 0 is no CPU limit: the wall clock alone bounds the run.
  const double cpu = s.limits.cpu_time_limit;
  const double seconds = cpu > 0 ? std::min(cpu, s.limits.wall_time_limit)
                                 : s.limits.wall_time_limit;
  return {.code = s.source_code,
          .stdin_data = s.stdin_text.value_or(""),
          .timeout_ms = std::max<int64_t>(
              1, static_cast<int64_t>(std::ceil(seconds * 1000))),
          .args = s.args};
}

}  // namespace playground::compat::judge0
