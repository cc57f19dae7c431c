// Piston v2's API over evaluation (see piston.h).
#include "compat/piston.h"

#include <cmath>
#include <csignal>
#include <cstring>
#include <string>

#include "common/encoding.h"
#include "common/task.h"
#include "common/utf8.h"
#include "protocol/json_fields.h"

namespace playground::compat::piston {
namespace {

using http::Status;
using sandbox::RunStatus;
namespace json = boost::json;

constexpr std::string_view kLanguage = "python";
constexpr std::string_view kAliases[] = {"py", "py3", "python3"};

Error bad(std::string message) {
  return protocol::bad_request(std::move(message));
}

bool names_python(std::string_view language) {
  if (language == kLanguage) return true;
  for (std::string_view alias : kAliases) {
    if (language == alias) return true;
  }
  return false;
}

// One part of a version range: "x", "X" and "*" match any number.
bool part_matches(std::string_view want, std::string_view have) {
  return want == "x" || want == "X" || want == "*" || want == have;
}

std::vector<std::string_view> split_dots(std::string_view v) {
  std::vector<std::string_view> parts;
  for (size_t dot; (dot = v.find('.')) != std::string_view::npos;) {
    parts.push_back(v.substr(0, dot));
    v.remove_prefix(dot + 1);
  }
  parts.push_back(v);
  return parts;
}

int number(std::string_view part) {
  int n = 0;
  for (char c : part) {
    if (c < '0' || c > '9' || n > 100000) return -1;
    n = n * 10 + (c - '0');
  }
  return part.empty() ? -1 : n;
}

// A file's "encoding": "base64", "hex", or "utf8" for anything else
// (absent included), as Piston reads it.
std::string_view encoding_of(const json::object& file) {
  const json::value* encoding = file.if_contains("encoding");
  if (encoding == nullptr || !encoding->is_string()) return "utf8";
  const std::string_view how = encoding->get_string();
  return how == "base64" || how == "hex" ? how : "utf8";
}

// A file's content as bytes, per its encoding.
Result<std::string> decoded(const json::object& file, size_t i) {
  const std::string_view how = encoding_of(file);
  std::string content(file.at("content").get_string());
  if (how == "utf8") return content;
  auto bytes = how == "base64" ? encoding::base64_decode(content)
                               : encoding::hex_decode(content);
  if (!bytes) {
    return bad("files[" + std::to_string(i) + "].content is not valid " +
               std::string(how) + ".");
  }
  return std::move(*bytes);
}

// run_timeout, run_cpu_time and run_memory_limit: numbers when given; -1
// (or any value below zero) means the default. compile_* are checked the
// same way and otherwise ignored: Python has no compile stage.
Result<std::optional<int64_t>> limit(const json::object& body,
                                     std::string_view name) {
  const json::value* v = body.if_contains(name);
  if (v == nullptr || v->is_null()) return std::optional<int64_t>();
  if (!v->is_number()) {
    return bad("If specified, " + std::string(name) + " must be a number");
  }
  const double d = v->to_number<double>();
  if (d <= 0) return std::optional<int64_t>();  // 0 and -1: the default
  return std::optional<int64_t>(d >= 9e18 ? INT64_MAX
                                          : static_cast<int64_t>(std::ceil(d)));
}

std::string signal_name(int signal) {
  const char* abbrev = sigabbrev_np(signal);
  return abbrev ? "SIG" + std::string(abbrev) : std::to_string(signal);
}

Error not_ready() {
  return {"The Python version is not known yet: no backend has answered.",
          Errc::unavailable};
}

}  // namespace

json::array runtimes(std::string_view python_version) {
  json::array aliases;
  for (std::string_view alias : kAliases) aliases.emplace_back(alias);
  return {json::object{{"language", kLanguage},
                       {"version", python_version},
                       {"aliases", std::move(aliases)}}};
}

bool version_matches(std::string_view range, std::string_view version) {
  range = http::trim_ows(range);
  if (range.empty() || range == "*" || range == "x" || range == "X") {
    return true;
  }
  // ^3.10: the same major, at least 3.10; ~3.11: the same minor, at least
  // 3.11.0; >=3.8: at least 3.8. Otherwise each part given must be the
  // version's (3, 3.x, 3.11, 3.11.2), as node-semver reads a partial one.
  std::string_view op;
  for (std::string_view o : {">=", "^", "~", "="}) {
    if (range.starts_with(o)) {
      op = o;
      range.remove_prefix(o.size());
      break;
    }
  }
  if (range.starts_with('v')) range.remove_prefix(1);
  const std::vector<std::string_view> want = split_dots(range);
  const std::vector<std::string_view> have = split_dots(version);
  if (want.size() > 3 || have.size() != 3) return false;
  if (op.empty() || op == "=") {
    for (size_t i = 0; i < want.size(); ++i) {
      if (!part_matches(want[i], have[i])) return false;
    }
    return true;
  }
  const size_t fixed = op == "^"   ? 1
                       : op == "~" ? std::min<size_t>(2, want.size())
                                   : 0;
  for (size_t i = 0; i < want.size(); ++i) {
    const int w = number(want[i]);
    const int h = number(have[i]);
    if (w < 0 || h < 0) return false;
    if (i < fixed && w != h) return false;
    if (i >= fixed && w != h) return h > w;
  }
  return true;
}

namespace {

// language, version and files[i].content, checked in Piston's order; the
// files list when they hold.
Result<const json::array*> required_fields(const json::object& body,
                                           std::string_view python_version) {
  const json::value* language = body.if_contains("language");
  const json::value* version = body.if_contains("version");
  const json::value* files = body.if_contains("files");
  if (language == nullptr || !language->is_string() ||
      language->get_string().empty()) {
    return bad("language is required as a string");
  }
  if (version == nullptr || !version->is_string() ||
      version->get_string().empty()) {
    return bad("version is required as a string");
  }
  if (files == nullptr || !files->is_array()) {
    return bad("files is required as an array");
  }
  const json::array& list = files->get_array();
  for (size_t i = 0; i < list.size(); ++i) {
    const json::object* file = list[i].if_object();
    const json::value* content = file ? file->if_contains("content") : nullptr;
    if (content == nullptr || !content->is_string()) {
      return bad("files[" + std::to_string(i) +
                 "].content is required as a string");
    }
  }
  const std::string_view lang = language->get_string();
  const std::string_view range = version->get_string();
  if (!names_python(lang) || !version_matches(range, python_version)) {
    return bad(std::string(lang.substr(0, 64)) + "-" +
               std::string(range.substr(0, 64)) + " runtime is unknown");
  }
  return &list;
}

// The run's time limit from run_timeout and run_cpu_time, every limit
// checked (Piston's order). Our one time limit is on the wall clock, which
// a CPU-time limit also bounds for a program on one core: the smaller of
// the two applies.
Result<std::optional<int64_t>> time_limit(const json::object& body) {
  std::optional<int64_t> wall, cpu;
  for (std::string_view name :
       {"compile_memory_limit", "run_memory_limit", "compile_timeout",
        "run_timeout", "compile_cpu_time", "run_cpu_time"}) {
    auto value = limit(body, name);
    if (!value) return value.error();
    if (name == "run_timeout") wall = *value;
    if (name == "run_cpu_time") cpu = *value;
  }
  if (wall && cpu) return std::optional<int64_t>(std::min(*wall, *cpu));
  return wall ? wall : cpu;
}

// The first utf8 file is the program; the others go beside it, unnamed
// ones as Piston names them.
Result<void> take_files(const json::array& list,
                        protocol::EvalRequest& request) {
  size_t program = list.size();
  for (size_t i = 0; i < list.size() && program == list.size(); ++i) {
    if (encoding_of(list[i].get_object()) == "utf8") program = i;
  }
  if (program == list.size()) {
    return bad("files must include at least one utf8 encoded file");
  }
  for (size_t i = 0; i < list.size(); ++i) {
    const json::object& file = list[i].get_object();
    auto content = decoded(file, i);
    if (!content) return content.error();
    if (i == program) {
      request.code = std::move(*content);
      continue;
    }
    const json::value* name = file.if_contains("name");
    request.files.push_back(
        {name && name->is_string() && !name->get_string().empty()
             ? std::string(name->get_string())
             : "file" + std::to_string(i) + ".code",
         std::move(*content)});
  }
  return protocol::check_files(request.files);
}

// stdin (ended with a newline when it has none, as Piston does) and args.
Result<void> take_input(const json::object& body,
                        protocol::EvalRequest& request) {
  if (const json::value* in = body.if_contains("stdin");
      in != nullptr && !in->is_null()) {
    if (!in->is_string()) return bad("stdin must be a string");
    request.stdin_data = std::string(in->get_string());
    if (!request.stdin_data.empty() && request.stdin_data.back() != '\n') {
      request.stdin_data.push_back('\n');
    }
  }
  if (const json::value* args = body.if_contains("args");
      args != nullptr && !args->is_null()) {
    auto parsed = protocol::args_from_json(*args);
    if (!parsed) return parsed.error();
    request.args = std::move(*parsed);
  }
  return {};
}

}  // namespace

Result<protocol::EvalRequest> parse_execute(std::string_view text,
                                            std::string_view python_version) {
  auto doc = protocol::parse_json_body(text);
  if (!doc) return doc.error();
  const json::object empty;
  const json::object& body = doc->is_object() ? doc->get_object() : empty;
  auto files = required_fields(body, python_version);
  if (!files) return files.error();
  protocol::EvalRequest request;
  if (auto taken = take_files(**files, request); !taken) return taken.error();
  auto timeout = time_limit(body);
  if (!timeout) return timeout.error();
  request.timeout_ms = *timeout;
  if (auto taken = take_input(body, request); !taken) return taken.error();
  return request;
}

json::object execute_answer(const sandbox::RunResult& run,
                            std::string_view python_version) {
  const std::string out = utf8::make_valid(run.stdout_bytes);
  const std::string err = utf8::make_valid(run.stderr_bytes);
  json::value code = nullptr, signal = nullptr, message = nullptr,
              status = nullptr;
  const int by_signal = run.exit_code < 0 ? -run.exit_code : 0;
  switch (run.status) {
    case RunStatus::ok:
      code = run.exit_code;
      break;
    case RunStatus::error:
      code = run.exit_code;
      status = "RE";
      message = "Exited with error status " + std::to_string(run.exit_code);
      break;
    case RunStatus::timeout:
      signal = "SIGKILL";
      status = "TO";
      message = "Time limit exceeded";
      break;
    case RunStatus::output_limit:
      signal = "SIGKILL";
      status = "OL";
      message = "output length exceeded";
      break;
    case RunStatus::memory_limit:
    case RunStatus::killed: {
      const int sig = by_signal != 0 ? by_signal : SIGKILL;
      signal = signal_name(sig);
      status = "SG";
      message = "Caught fatal signal " + std::to_string(sig);
      break;
    }
  }
  json::object stage{
      {"stdout", out},
      {"stderr", err},
      // Both streams are captured apart, so the combined output is stdout
      // then stderr, not their interleaving.
      {"output", out + err},
      {"code", code},
      {"signal", signal},
      {"message", message},
      {"status", status},
      {"cpu_time", std::round(run.cpu_ms)},
      {"wall_time", std::round(run.time_ms)},
      {"memory", run.memory_kb * 1024},
  };
  return {{"run", std::move(stage)},
          {"language", kLanguage},
          {"version", python_version}};
}

http::Response error_answer(const Error& error) {
  return http::refusal_response(http::status_of(error),
                                json::object{{"message", error.message}});
}

std::vector<http::Route> routes(const Runner& runner, size_t body_limit,
                                const http::Precheck& guard) {
  auto list = [&runner](http::Request&,
                        http::RequestContext&) -> Task<http::Response> {
    const std::string version = runner.python_version();
    if (version.empty()) co_return error_answer(not_ready());
    co_return http::json_response(Status::ok, runtimes(version));
  };
  auto execute = [&runner](http::Request& req,
                           http::RequestContext& ctx) -> Task<http::Response> {
    const std::string version = runner.python_version();
    if (version.empty()) co_return error_answer(not_ready());
    auto parsed = parse_execute(req.body(), version);
    if (!parsed) co_return error_answer(parsed.error());
    auto run = co_await runner.run(std::move(*parsed), req, ctx);
    if (!run) co_return error_answer(run.error());
    co_return http::json_response(Status::ok, execute_answer(*run, version));
  };
  std::vector<http::Route> out;
  for (std::string_view base : {"/api/v2/", "/api/v2/piston/"}) {
    out.push_back({.path = std::string(base) + "runtimes",
                   .methods = {http::Verb::get},
                   .precheck = guard,
                   .handler = list});
    out.push_back({.path = std::string(base) + "execute",
                   .methods = {http::Verb::post},
                   .body_limit = body_limit,
                   .cancel_on_disconnect = true,
                   .precheck = guard,
                   .handler = execute});
  }
  return out;
}

}  // namespace playground::compat::piston
