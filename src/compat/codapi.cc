// Codapi's API over evaluation (see codapi.h).
#include "compat/codapi.h"

#include <boost/json/serialize.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <random>

#include "common/task.h"
#include "common/utf8.h"
#include "http/router.h"
#include "protocol/json_fields.h"

namespace playground::compat::codapi {
namespace {

using http::Response;
using http::Status;
using http::Verb;
using sandbox::RunStatus;
namespace json = boost::json;
namespace field = http::beast_http;

constexpr std::string_view kSandbox = "python";
constexpr std::string_view kCommand = "run";
constexpr std::string_view kPrefix = "/v1/";
constexpr std::string_view kExecPath = "/v1/exec";
constexpr std::string_view kHealthPath = "/v1/health";
// Codapi's id for an answer given before the request was understood.
constexpr std::string_view kNoId = "-";

class RefusedCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "codapi"; }
  std::string message(int value) const override {
    switch (static_cast<Refused>(value)) {
      case Refused::unknown_sandbox:
        return "unknown sandbox";
      case Refused::unknown_command:
        return "unknown command";
      case Refused::unknown_box:
        return "unknown box";
      case Refused::empty_request:
        return "empty request";
    }
    return "unknown";
  }
};

Error bad(std::string message) {
  return protocol::bad_request(std::move(message));
}

// Codapi's server trims both streams (Go's strings.TrimSpace); ASCII
// whitespace here, which is what a program's output ends with.
std::string trimmed(std::string s) {
  constexpr std::string_view kSpace = " \t\n\v\f\r";
  const size_t last = s.find_last_not_of(kSpace);
  s.erase(last == std::string::npos ? 0 : last + 1);
  s.erase(0, s.find_first_not_of(kSpace));
  return s;
}

std::string_view path_of(std::string_view target) {
  return target.substr(0, target.find('?'));
}

// A string field that may be absent (or null): "" then.
Result<std::string> optional_string(const json::object& body,
                                    std::string_view name) {
  const json::value* v = body.if_contains(name);
  if (v == nullptr || v->is_null()) return std::string();
  if (!v->is_string()) return bad(std::string(name) + " must be a string");
  return std::string(v->get_string());
}

// "files": the program (key "" or "main.py") into `request.code`, the
// others beside it.
Result<void> read_files(const json::value* files,
                        protocol::EvalRequest& request) {
  if (files == nullptr || files->is_null()) {
    return Error{"empty request", Refused::empty_request};
  }
  if (!files->is_object()) {
    return bad("files must be an object of file names to contents");
  }
  bool has_program = false;
  for (const auto& [key, value] : files->get_object()) {
    const std::string name(key);
    if (!value.is_string()) {
      return bad("files[\"" + name.substr(0, 64) + "\"] must be a string");
    }
    if (name != "" && name != "main.py") {
      request.files.push_back({name, std::string(value.get_string())});
      continue;
    }
    if (has_program) {
      return bad("files[\"\"] and files[\"main.py\"] are both the program");
    }
    has_program = true;
    request.code = std::string(value.get_string());
  }
  // Codapi's test: fewer than two files, the first one blank.
  const std::string& first = has_program || request.files.empty()
                                 ? request.code
                                 : request.files.front().content;
  if (request.files.size() + has_program < 2 && trimmed(first).empty()) {
    return Error{"empty request", Refused::empty_request};
  }
  if (!has_program) return bad("files[\"\"], the program to run, is missing");
  return protocol::check_files(request.files);
}

// What ended a run that did not succeed, as Codapi words it.
std::string failure_of(const sandbox::RunResult& run) {
  switch (run.status) {
    case RunStatus::ok:
    case RunStatus::error:
      return "exit status " + std::to_string(run.exit_code);
    case RunStatus::killed:
      // Codapi runs `docker run`, which exits 128+N for a signal N.
      return "exit status " + std::to_string(run.exit_code < 0
                                                 ? 128 - run.exit_code
                                                 : run.exit_code);
    case RunStatus::memory_limit:
      return "memory limit exceeded";
    case RunStatus::output_limit:
      return "output limit exceeded";
    case RunStatus::timeout:
      break;
  }
  return "code execution timeout";
}

json::object answer_body(std::string_view id, bool ok, int64_t duration,
                         std::string out, std::string err) {
  return {{"id", id},
          {"ok", ok},
          {"duration", duration},
          {"stdout", std::move(out)},
          {"stderr", std::move(err)}};
}

Response refusal(Status status, std::string message, std::string_view id) {
  return http::refusal_response(
      status, answer_body(id, false, 0, "", std::move(message)));
}

// A refusal of the guard ({"error": ...}) in Codapi's shape, its status
// and headers (Retry-After, WWW-Authenticate) kept.
Response reshaped(Response refusal) {
  const Error said = http::error_of(refusal);
  refusal.set(field::field::content_type, "application/json");
  refusal.body() =
      json::serialize(answer_body(kNoId, false, 0, "", said.message));
  refusal.prepare_payload();
  return refusal;
}

Response preflight() {
  Response r{Status::ok, 11};
  r.content_length(0);
  return r;
}

bool is_json(std::string_view content_type) {
  return http::has_media_type(content_type, "application/json");
}

std::optional<size_t> declared_length(const http::RequestHeader& h) {
  const auto it = h.find(field::field::content_length);
  if (it == h.end()) return std::nullopt;
  const std::string_view v = it->value();
  size_t n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  return ec == std::errc() && end == v.data() + v.size()
             ? std::optional<size_t>(n)
             : std::nullopt;
}

// Everything but preflights and health probes passes the guard; an exec
// request must then be JSON of an acceptable size, said in Codapi's words
// before its body is read.
http::Precheck precheck_of(http::Precheck guard, size_t body_limit) {
  return [guard = std::move(guard), body_limit](
             const http::RequestHeader& h,
             const http::RequestContext& ctx) -> std::optional<Response> {
    const std::string_view path = path_of(h.target());
    if (h.method() == Verb::options || path == kHealthPath) return {};
    if (guard) {
      if (auto refused = guard(h, ctx)) return reshaped(std::move(*refused));
    }
    if (path != kExecPath || h.method() != Verb::post) return {};
    if (!is_json(h[field::field::content_type])) {
      return error_answer({"Unsupported Media Type", Errc::invalid_request},
                          kNoId);
    }
    if (declared_length(h).value_or(0) > body_limit) {
      return error_answer({"The request body is larger than the limit of " +
                               std::to_string(body_limit) + " bytes.",
                           Errc::too_large},
                          kNoId);
    }
    return {};
  };
}

Error not_ready() {
  return {"The Python version is not known yet: no backend has answered.",
          Errc::unavailable};
}

Task<Response> exec(const Runner& runner, http::Request& req,
                    http::RequestContext& ctx) {
  const std::string version = runner.python_version();
  if (version.empty()) co_return error_answer(not_ready(), kNoId);
  auto parsed = parse_exec(req.body(), version);
  // Codapi names a request once it is readable: its own refusals have an
  // id, a body it cannot decode has none.
  const std::string id =
      parsed || parsed.error().code.category() == refused_category()
          ? new_id()
          : std::string(kNoId);
  if (!parsed) co_return error_answer(parsed.error(), id);
  auto run = co_await runner.run(std::move(*parsed), req, ctx);
  if (!run) co_return error_answer(run.error(), id);
  co_return http::json_response(Status::ok, exec_answer(*run, id));
}

Task<Response> handle(const Runner& runner, http::Request& req,
                      http::RequestContext& ctx) {
  const std::string_view path = path_of(req.target());
  if (req.method() == Verb::options) co_return preflight();
  const bool health = path == kHealthPath;
  if (!health && path != kExecPath) {
    co_return refusal(Status::not_found,
                      "404 page not found: " + http::shown_path(path), kNoId);
  }
  const bool allowed =
      health ? req.method() != Verb::post : req.method() == Verb::post;
  if (!allowed) {
    Response r = refusal(
        Status::method_not_allowed,
        "unsupported method: " + std::string(req.method_string()), kNoId);
    r.set(field::field::allow, health ? "GET, HEAD, OPTIONS" : "POST, OPTIONS");
    co_return r;
  }
  if (!health) co_return co_await exec(runner, req, ctx);
  // The widget's probe: is the server up? A frontend that has not heard
  // from any backend yet cannot run anything.
  if (runner.python_version().empty()) {
    co_return error_answer(not_ready(), kNoId);
  }
  co_return http::json_response(Status::ok, json::object{{"ok", true}});
}

}  // namespace

const std::error_category& refused_category() {
  static const RefusedCategory category;
  return category;
}

std::string new_id() {
  static thread_local std::random_device random;
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", static_cast<unsigned>(random()));
  return std::string(kSandbox) + "_" + std::string(kCommand) + "_" + hex;
}

bool version_matches(std::string_view requested,
                     std::string_view python_version) {
  if (requested.empty() || requested == "latest") return true;
  return python_version == requested ||
         (python_version.starts_with(requested) &&
          python_version[requested.size()] == '.');
}

Result<protocol::EvalRequest> parse_exec(std::string_view text,
                                         std::string_view python_version) {
  auto doc = protocol::parse_json_body(text);
  if (!doc) return doc.error();
  if (!doc->is_object()) {
    return bad("The body must be a JSON object: {sandbox, command, files}.");
  }
  const json::object& body = doc->get_object();
  auto sandbox = optional_string(body, "sandbox");
  if (!sandbox) return sandbox.error();
  auto version = optional_string(body, "version");
  if (!version) return version.error();
  auto command = optional_string(body, "command");
  if (!command) return command.error();
  if (*sandbox != kSandbox) {
    return Error{"unknown sandbox", Refused::unknown_sandbox};
  }
  if (*command != kCommand) {
    return Error{"unknown command", Refused::unknown_command};
  }
  protocol::EvalRequest request;
  if (auto files = read_files(body.if_contains("files"), request); !files) {
    return files.error();
  }
  if (!version_matches(*version, python_version)) {
    return Error{"unknown box python:" + version->substr(0, 64),
                 Refused::unknown_box};
  }
  return request;
}

json::object exec_answer(const sandbox::RunResult& run, std::string_view id) {
  std::string out = trimmed(utf8::make_valid(run.stdout_bytes));
  std::string err = trimmed(utf8::make_valid(run.stderr_bytes));
  const auto duration = static_cast<int64_t>(std::llround(run.time_ms));
  if (run.status == RunStatus::ok) {
    return answer_body(id, true, duration, std::move(out), std::move(err));
  }
  // Codapi puts what a failed run printed, then why it failed, in stderr;
  // the widget shows stderr only when stdout is empty.
  const std::string why = failure_of(run);
  std::string printed = run.status == RunStatus::timeout ? "" : out + err;
  return answer_body(id, false, duration, "",
                     printed.empty() ? why : printed + " (" + why + ")");
}

http::Response error_answer(const Error& error, std::string_view id) {
  Status status = http::status_of(error);
  std::string message = error.message;
  if (error.code.category() == refused_category()) {
    const auto refused = static_cast<Refused>(error.code.value());
    status = refused == Refused::unknown_box     ? Status::ok
             : refused == Refused::empty_request ? Status::bad_request
                                                 : Status::not_found;
  } else if (error.code == Errc::at_capacity) {
    status = Status::too_many_requests;  // Codapi's "busy", never 503
    message = "busy: try again later";
  }
  return refusal(status, std::move(message), id);
}

std::vector<std::pair<std::string, std::string>> cors_headers(
    std::string_view origin) {
  std::vector<std::pair<std::string, std::string>> headers = {
      {"Access-Control-Allow-Origin", std::string(origin)},
      {"Access-Control-Allow-Methods", "POST, OPTIONS"},
      {"Access-Control-Allow-Headers", "authorization, content-type"},
      {"Access-Control-Max-Age", "3600"},
  };
  // One named origin: caches must not hand this answer to another origin's
  // page as if it had been allowed.
  if (origin != "*") headers.emplace_back("Vary", "Origin");
  return headers;
}

std::vector<http::Route> routes(const Runner& runner, const ApiOptions& options,
                                const http::Precheck& guard) {
  return {{.path = std::string(kPrefix),
           .prefix = true,
           .methods = {Verb::post, Verb::get, Verb::options},
           .body_limit = options.body_limit,
           .cancel_on_disconnect = true,
           .precheck = precheck_of(guard, options.body_limit),
           .handler =
               [&runner](http::Request& req, http::RequestContext& ctx) {
                 return handle(runner, req, ctx);
               },
           .headers = cors_headers(options.cors_origin)}};
}

}  // namespace playground::compat::codapi
