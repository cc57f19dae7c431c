// Routes and handlers of playground-backend (see api.h).
#include "backend/api.h"

#include <unistd.h>

#include <boost/json/array.hpp>
#include <chrono>
#include <cmath>
#include <set>

#include "common/task.h"
#include "http/bearer_token.h"
#include "http/ops_routes.h"
#include "protocol/eval_request.h"
#include "protocol/eval_result.h"
#include "protocol/grade_request.h"
#include "sandbox/launcher.h"

namespace playground::backend {
namespace {

using http::Response;
using http::Status;
using http::Verb;
using protocol::parse_eval_request;

// The program and its files are written into the run's /tmp before it
// starts: what cannot fit there is refused now, with the reason, rather
// than failing inside the sandbox. tmpfs stores whole pages, and the
// directory itself and every subdirectory take an inode too.
std::string too_large_for_tmp(const protocol::EvalRequest& request,
                              const sandbox::Limits& limits) {
  const int64_t page = ::sysconf(_SC_PAGESIZE);
  auto pages = [page](size_t bytes) {
    return (static_cast<int64_t>(bytes) + page - 1) / page * page;
  };
  int64_t bytes = pages(request.code.size());
  std::set<std::string> entries = {"main.py"};
  for (const protocol::ProgramFile& f : request.files) {
    bytes += pages(f.content.size());
    for (size_t slash = f.name.find('/'); slash != std::string::npos;
         slash = f.name.find('/', slash + 1)) {
      entries.insert(f.name.substr(0, slash));
    }
    entries.insert(f.name);
  }
  if (bytes > limits.tmp_bytes) {
    return "The program and its files take " + std::to_string(bytes) +
           " bytes in whole pages, more than the run's working directory "
           "holds (" +
           std::to_string(limits.tmp_bytes) + " bytes).";
  }
  if (static_cast<int64_t>(entries.size()) + 1 > limits.tmp_inodes) {
    return "The program and its files need " + std::to_string(entries.size()) +
           " files and directories, more than the run's working directory "
           "holds (" +
           std::to_string(limits.tmp_inodes - 1) + ").";
  }
  return "";
}

// Who asked, for fair queueing: the frontend's word for its client when the
// request carries the token (every request does when one is configured; the
// precheck refused the others), else the peer's address. Clipped: a client
// name is a key, not a place to store data.
std::string client_of(const BackendApi& api, const http::Request& req,
                      const http::RequestContext& ctx) {
  const std::string_view told = req[protocol::kClientHeader];
  if (api.config.token.empty() || told.empty()) return ctx.remote;
  return "via " + std::string(told.substr(0, 64));
}

// What refuses an evaluation before it runs: files that do not fit, or no
// working sandbox. Empty when it may run.
std::optional<Error> refuse_before_run(const BackendApi& api,
                                       const protocol::EvalRequest& request) {
  if (std::string why = too_large_for_tmp(request, api.config.limits);
      !why.empty()) {
    return Error{why, Errc::too_large};
  }
  if (!api.probe.ready) {
    return Error{
        "The sandbox is not available on this server: " + api.probe.error,
        Errc::unavailable};
  }
  return std::nullopt;
}

Task<Response> handle_eval(BackendApi& api, http::Request& req,
                           http::RequestContext& ctx) {
  auto parsed = parse_eval_request(req[http::beast_http::field::content_type],
                                   req.body());
  if (!parsed) co_return http::error_response(parsed.error());
  if (auto refused = refuse_before_run(api, *parsed)) {
    co_return http::error_response(*refused);
  }
  const auto started = std::chrono::steady_clock::now();
  auto result = co_await api.evaluator.evaluate(
      *parsed, client_of(api, req, ctx), ctx.client_gone);
  if (!result) {
    if (result.error().code == Errc::client_gone) {
      // Logged on the request's line (status 499); nobody reads the answer.
      ctx.log.set("eval_status", "cancelled");
      ctx.log.set("cancelled_after_ms",
                  std::round(std::chrono::duration<double, std::milli>(
                                 std::chrono::steady_clock::now() - started)
                                 .count() *
                             100) /
                      100);
    }
    co_return http::error_response(result.error());
  }
  ctx.log.set("eval_status", sandbox::to_string(result->status));
  ctx.log.set("exit_code", result->exit_code);
  ctx.log.set("time_ms", std::round(result->time_ms * 100) / 100);
  ctx.log.set("code_bytes", parsed->code.size());
  co_return http::json_response(
      Status::ok, protocol::result_to_json(*result, parsed->output_base64));
}

Task<Response> handle_grade(BackendApi& api, http::Request& req,
                            http::RequestContext& ctx) {
  auto parsed =
      protocol::parse_grade_request(req[http::beast_http::field::content_type],
                                    req.body(), api.config.limits.wall_ms);
  if (!parsed) co_return http::error_response(parsed.error());
  if (auto refused = refuse_before_run(
          api, {.code = parsed->code, .files = parsed->files})) {
    co_return http::error_response(*refused);
  }
  auto report = co_await api.grader.grade(*parsed, client_of(api, req, ctx),
                                          ctx.client_gone);
  if (!report) {
    if (report.error().code == Errc::client_gone) {
      ctx.log.set("grade_status", "cancelled");
    }
    co_return http::error_response(report.error());
  }
  ctx.log.set("grade_cases", report->cases.size());
  ctx.log.set("grade_passed", report->passed);
  co_return http::json_response(Status::ok, report_to_json(*report, *parsed));
}

// Probes need only the status; the details (isolation, warnings, load) are
// for operators, who have the token when one is configured.
Response readiness(const BackendApi& api, const http::Request& req) {
  const bool capacity = !api.admission.queue_full();
  const bool ready = api.probe.ready && capacity;
  if (http::require_ops_token(req, api.config.token, api.config.public_ops())) {
    return http::json_response(ready ? Status::ok : Status::service_unavailable,
                               {{"ready", ready}});
  }
  boost::json::array warnings;
  for (auto& w : api.probe.warnings) warnings.emplace_back(w);
  boost::json::object body{
      {"ready", ready},
      {"sandbox_self_test", api.probe.ready ? "passed" : "failed"},
      {"program", api.probe.runs_as_script ? "python3 main.py" : "bootstrap"},
      {"python", api.probe.python_version},
      {"isolation", api.probe.isolation.to_json()},
      {"warnings", std::move(warnings)},
      {"running", api.admission.running()},
      {"queued", api.admission.queued()},
      {"concurrency", api.admission.concurrency()},
      {"queue_limit", api.admission.queue_limit()},
  };
  if (!api.probe.ready) body["error"] = api.probe.error;
  return http::json_response(ready ? Status::ok : Status::service_unavailable,
                             body);
}

// A route that runs programs: the token, then the body's media type, checked
// on the header; a client that leaves kills its runs.
using RefuseMediaType =
    std::optional<Response> (*)(const http::RequestHeader& header);
using ProgramHandler = Task<Response> (*)(BackendApi&, http::Request&,
                                          http::RequestContext&);
http::Route program_route(BackendApi& api, std::string path,
                          RefuseMediaType refuse_media_type,
                          ProgramHandler handle) {
  return {
      .path = std::move(path),
      .methods = {Verb::post},
      .body_limit = static_cast<size_t>(api.config.body_bytes),
      .cancel_on_disconnect = true,
      .precheck =
          [&api, refuse_media_type](const http::RequestHeader& h,
                                    const http::RequestContext&) {
            if (auto refused = http::require_token(h, api.config.token)) {
              return refused;
            }
            return refuse_media_type(h);
          },
      .handler =
          [&api, handle](http::Request& req, http::RequestContext& ctx) {
            return handle(api, req, ctx);
          },
  };
}

}  // namespace

compat::Runner compat_runner(BackendApi& api) {
  return {
      .run = [&api](protocol::EvalRequest request, const http::Request& req,
                    http::RequestContext& ctx)
          -> Task<Result<sandbox::RunResult>> {
        if (auto refused = refuse_before_run(api, request)) co_return *refused;
        auto result = co_await api.evaluator.evaluate(
            request, client_of(api, req, ctx), ctx.client_gone);
        if (result) {
          ctx.log.set("eval_status", sandbox::to_string(result->status));
          ctx.log.set("time_ms", std::round(result->time_ms * 100) / 100);
        }
        co_return result;
      },
      .python_version = [&api] { return api.probe.python_version; },
  };
}

std::vector<http::Route> make_routes(BackendApi& api) {
  std::vector<http::Route> routes;
  routes.push_back(
      program_route(api, "/py/eval", protocol::refuse_media_type, handle_eval));
  routes.push_back(
      program_route(api, "/py/grade", protocol::refuse_non_json, handle_grade));
  routes.push_back(http::healthz_route());
  routes.push_back({
      .path = "/readyz",
      .methods = {Verb::get},
      .quiet = true,
      .handler = [&api](http::Request& req, http::RequestContext&)
          -> Task<Response> { co_return readiness(api, req); },
  });
  const http::Precheck token_only = [&api](const http::RequestHeader& h,
                                           const http::RequestContext&) {
    return http::require_token(h, api.config.token);
  };
  for (http::Route& r : api.compat.routes(token_only)) {
    routes.push_back(std::move(r));
  }
  routes.push_back(http::metrics_route(
      api.registry, http::ops_only(api.config.token, api.config.public_ops())));
  return routes;
}

}  // namespace playground::backend
