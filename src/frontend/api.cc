// Routes and handlers of playground-frontend (see api.h).
#include "frontend/api.h"

#include <boost/json/array.hpp>
#include <cmath>

#include "common/encoding.h"
#include "common/json.h"
#include "common/task.h"
#include "common/utf8.h"
#include "frontend/ui_assets.h"
#include "http/message.h"
#include "http/ops_routes.h"
#include "protocol/eval_request.h"
#include "protocol/eval_result.h"
#include "protocol/grade_request.h"

namespace playground::frontend {

// Literals appended as "..."sv: their length is known, no strlen per append.
using namespace std::string_view_literals;

namespace {

using http::Response;
using http::Status;
using http::Verb;
namespace field = boost::beast::http;
using http::Handler;

// The UI loads nothing but its own files: no inline script, no third party.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

Response static_file(const UiAsset& asset, const http::Request& req) {
  const bool gzip =
      !asset.gzip.empty() && accepts_gzip(req[field::field::accept_encoding]);
  // Each encoding is its own representation, with its own validator.
  std::string etag(asset.etag);
  if (gzip) etag.insert(etag.size() - 1, "-gzip");
  const bool fresh = etag_matches(req[field::field::if_none_match], etag);
  Response r{fresh ? Status::not_modified : Status::ok, 11};
  r.set(field::field::content_type, asset.content_type);
  r.set(field::field::etag, etag);
  if (!asset.gzip.empty()) r.set(field::field::vary, "Accept-Encoding");
  if (gzip) r.set(field::field::content_encoding, "gzip");
  // Revalidate every time: the ETag makes that a 304 with no body.
  r.set(field::field::cache_control, "no-cache");
  r.set("X-Content-Type-Options", "nosniff");
  r.set("Referrer-Policy", "no-referrer");
  if (asset.content_type.starts_with("text/html")) {
    r.set("Content-Security-Policy", kContentSecurityPolicy);
    r.set("X-Frame-Options", "DENY");
  }
  if (!fresh) r.body() = std::string(gzip ? asset.gzip : asset.body);
  r.prepare_payload();
  return r;
}

Handler constant(std::function<Response()> make) {
  return [make = std::move(make)](http::Request&,
                                  http::RequestContext&) -> Task<Response> {
    co_return make();
  };
}

// `,"key":bytes`: as text when they are UTF-8, else as base64 with
// `encoding_key` saying so (a binary file from another API, say), since
// JSON carries only text.
void append_bytes(std::string& out, std::string_view key,
                  std::string_view encoding_key, std::string_view bytes) {
  out.push_back(',');
  json::append_string(out, key);
  out.push_back(':');
  if (utf8::is_valid(bytes)) {
    json::append_string(out, bytes);
    return;
  }
  json::append_string(out, encoding::base64_encode(bytes));
  out.push_back(',');
  json::append_string(out, encoding_key);
  out += ":\"base64\""sv;
}

// A form's request as a backend's /py/eval takes it: JSON. Written straight
// into one string.
std::string for_backend(const protocol::EvalRequest& request) {
  std::string out;
  out.reserve(request.code.size() + request.stdin_data.size() + 64);
  out += "{\"code\":"sv;
  json::append_string(out, request.code);
  // No stdin is an empty one, to the backend as to Python.
  if (!request.stdin_data.empty()) {
    append_bytes(out, "stdin", "stdin_encoding", request.stdin_data);
  }
  if (request.timeout_ms) {
    out += ",\"timeout_ms\":" + std::to_string(*request.timeout_ms);
  }
  if (request.output_base64) out += ",\"output_encoding\":\"base64\""sv;
  if (!request.files.empty()) {
    out += ",\"files\":["sv;
    for (size_t i = 0; i < request.files.size(); ++i) {
      const protocol::ProgramFile& f = request.files[i];
      out += i == 0 ? "{\"name\":" : ",{\"name\":";
      json::append_string(out, f.name);
      append_bytes(out, "content", "encoding", f.content);
      out.push_back('}');
    }
    out.push_back(']');
  }
  if (!request.args.empty()) {
    out += ",\"args\":["sv;
    for (size_t i = 0; i < request.args.size(); ++i) {
      if (i > 0) out.push_back(',');
      json::append_string(out, request.args[i]);
    }
    out.push_back(']');
  }
  out.push_back('}');
  return out;
}

// 429 (with Retry-After) when this address is over its request rate.
std::optional<Response> refuse_over_rate(FrontendApi& api,
                                         const std::string& remote) {
  auto wait = api.limiter.take(remote, RateLimiter::Clock::now());
  if (!wait) return std::nullopt;
  Response r = http::json_error(
      Status::too_many_requests,
      "Too many requests from this address; try again shortly.");
  r.set(field::field::retry_after,
        std::to_string(std::max(1, static_cast<int>(std::ceil(*wait)))));
  return r;
}

// The UI's files, and its page at / too.
void add_ui_routes(std::vector<http::Route>& routes) {
  for (const UiAsset& asset : ui_assets()) {
    auto serve = [&asset](http::Request& req,
                          http::RequestContext&) -> Task<Response> {
      co_return static_file(asset, req);
    };
    routes.push_back({.path = std::string(asset.path),
                      .methods = {Verb::get},
                      .handler = serve});
    if (asset.path == "/index.html") {
      routes.push_back({.path = "/", .methods = {Verb::get}, .handler = serve});
    }
  }
}

constexpr std::string_view kExercisesPrefix = "/api/exercises/";

// Forwards `upstream_text` (JSON for a backend's `target`) within the
// client's fair share of runs: its other requests wait in its own line here.
// The body limit bounds what is forwarded too (JSON escapes a control byte
// as six, so a form body can grow sixfold): a backend with the same limit
// then never answers 413 to a request this frontend accepted.
Task<Response> forward_in_share(FrontendApi& api, http::RequestContext& ctx,
                                std::string_view target,
                                std::string upstream_text) {
  const auto limit = static_cast<size_t>(api.config.body_bytes);
  if (upstream_text.size() > limit) {
    ctx.log.set("forward_bytes", upstream_text.size());
    co_return http::json_error(
        Status::payload_too_large,
        "Encoded as JSON for the backend, the request takes " +
            std::to_string(upstream_text.size()) +
            " bytes, more than the limit of " + std::to_string(limit) +
            " bytes.");
  }
  std::optional<ClientShare::Permit> permit = api.share.try_acquire(ctx.remote);
  if (!permit) {
    auto waited = co_await api.share.acquire(ctx.remote, ctx.client_gone);
    if (waited) permit.emplace(std::move(*waited));
  }
  if (!permit) {
    if (ctx.client_gone.stop_requested()) {
      ctx.log.set("upstream", "cancelled");
      co_return http::json_error(Status::service_unavailable,
                                 "The client went away.");
    }
    co_return http::error_response(
        {"Too many runs from this address are running or waiting (" +
             std::to_string(api.config.runs_per_client) + " run at once, " +
             std::to_string(api.config.waiting_per_client) +
             " may wait); try again when one has finished.",
         Errc::rate_limited});
  }
  Forwarded f = co_await api.gateway.forward(target, upstream_text, ctx.remote,
                                             ctx.client_gone);
  ctx.log.set("backend", f.backend.empty() ? "none" : f.backend);
  ctx.log.set("attempts", f.attempts);
  if (f.cancelled) ctx.log.set("upstream", "cancelled");
  co_return std::move(f.response);
}

// An answer known at once, as a handler's awaitable.
Task<Response> answer_now(Response r) { co_return r; }

// Not a coroutine itself: a valid request becomes forward_in_share's, so a
// request takes one coroutine frame less.
Task<Response> handle_python(FrontendApi& api, http::Request& req,
                             http::RequestContext& ctx) {
  const std::string_view type = req[field::field::content_type];
  auto parsed = protocol::parse_eval_request(type, req.body());
  if (!parsed) return answer_now(http::error_response(parsed.error()));
  // JSON goes on as it came: the backend parses it with this same code, so
  // it reads what was checked here. Encoding it again cost a scan and a
  // copy of the whole body (2.5% of a small request's instructions).
  std::string upstream = http::has_media_type(type, "application/json")
                             ? std::move(req.body())
                             : for_backend(*parsed);
  return forward_in_share(api, ctx, kEvalTarget, std::move(upstream));
}

Task<Response> handle_grade(FrontendApi& api, http::Request& req,
                            http::RequestContext& ctx) {
  // Checked here too, so a bad request costs no backend a thing; the
  // backend applies its own default time limit to the total.
  auto parsed = protocol::parse_grade_request(
      req[field::field::content_type], req.body(), /*default_timeout_ms=*/0);
  if (!parsed) co_return http::error_response(parsed.error());
  ctx.log.set("grade_cases", parsed->tests.size());
  co_return co_await forward_in_share(api, ctx, kGradeTarget,
                                      std::move(req.body()));
}

// GET /api/exercises/<id> and POST /api/exercises/<id>/grade.
Task<Response> handle_exercise(FrontendApi& api, http::Request& req,
                               http::RequestContext& ctx) {
  std::string_view rest = req.target();
  rest = rest.substr(0, rest.find('?'));
  rest.remove_prefix(kExercisesPrefix.size());
  const bool grading = rest.ends_with("/grade");
  if (grading) rest.remove_suffix(std::string_view("/grade").size());
  const Exercise* exercise = api.exercises.find(rest);
  if (exercise == nullptr) {
    co_return http::json_error(
        Status::not_found,
        "There is no exercise \"" + std::string(rest.substr(0, 64)) + "\".");
  }
  const bool post = req.method() == Verb::post;
  if (post != grading) {
    Response r = http::json_error(
        Status::method_not_allowed,
        grading ? "Grade with POST." : "Read an exercise with GET.");
    r.set(field::field::allow, grading ? "POST" : "GET, HEAD");
    co_return r;
  }
  if (!grading) {
    co_return http::json_response(Status::ok, exercise->public_json());
  }
  auto code = protocol::exercise_submission(req[field::field::content_type],
                                            req.body());
  if (!code) co_return http::error_response(code.error());
  ctx.log.set("exercise", exercise->id);
  co_return co_await forward_in_share(api, ctx, kGradeTarget,
                                      exercise->grade_request(*code));
}

// POST /grade, and the exercises: the list, one exercise, its grading.
// Grading costs runs, so it shares /python's rate limit.
void add_grading_routes(FrontendApi& api, std::vector<http::Route>& routes) {
  const size_t limit = static_cast<size_t>(api.config.body_bytes);
  // Both gradings: the rate limit, then a JSON body.
  const http::Precheck grading =
      [&api](const http::RequestHeader& h,
             const http::RequestContext& ctx) -> std::optional<Response> {
    if (auto refused = refuse_over_rate(api, ctx.remote)) return refused;
    return protocol::refuse_non_json(h);
  };
  routes.push_back(
      {.path = "/grade",
       .methods = {Verb::post},
       .body_limit = limit,
       .cancel_on_disconnect = true,
       .precheck = grading,
       .handler = [&api](http::Request& req, http::RequestContext& ctx) {
         return handle_grade(api, req, ctx);
       }});
  routes.push_back({.path = "/api/exercises",
                    .methods = {Verb::get},
                    .handler = constant([&api] {
                      return http::json_response(
                          Status::ok,
                          {{"exercises", api.exercises.list_json()}});
                    })});
  routes.push_back({.path = std::string(kExercisesPrefix),
                    .prefix = true,
                    .methods = {Verb::get, Verb::post},
                    .body_limit = limit,
                    .cancel_on_disconnect = true,
                    .precheck = [grading](const http::RequestHeader& h,
                                          const http::RequestContext& ctx)
                        -> std::optional<Response> {
                      if (h.method() != Verb::post) return std::nullopt;
                      return grading(h, ctx);
                    },
                    .handler =
                        [&api](http::Request& req, http::RequestContext& ctx) {
                          return handle_exercise(api, req, ctx);
                        }});
}

}  // namespace

compat::Runner compat_runner(FrontendApi& api) {
  return {
      .run = [&api](protocol::EvalRequest request, const http::Request&,
                    http::RequestContext& ctx)
          -> Task<Result<sandbox::RunResult>> {
        // The program's exact bytes: Judge0's base64 answers want them.
        request.output_base64 = true;
        const Response answer = co_await forward_in_share(api, ctx, kEvalTarget,
                                                          for_backend(request));
        if (answer.result() != Status::ok) co_return http::error_of(answer);
        co_return protocol::result_from_json(answer.body());
      },
      .python_version = [&api] { return api.gateway.python_version(); },
  };
}

std::vector<http::Route> make_routes(FrontendApi& api) {
  std::vector<http::Route> routes;
  add_ui_routes(routes);

  http::Route python;
  python.path = "/python";
  python.methods = {Verb::post};
  python.body_limit = static_cast<size_t>(api.config.body_bytes);
  python.precheck =
      [&api](const http::RequestHeader& h,
             const http::RequestContext& ctx) -> std::optional<Response> {
    if (auto refused = refuse_over_rate(api, ctx.remote)) return refused;
    return protocol::refuse_media_type(h);
  };
  // A client that leaves closes the request's backend connection too, so
  // the backend kills the run.
  python.cancel_on_disconnect = true;
  python.handler = [&api](http::Request& req, http::RequestContext& ctx) {
    return handle_python(api, req, ctx);
  };
  routes.push_back(std::move(python));
  add_grading_routes(api, routes);
  const http::Precheck rate_limited =
      [&api](const http::RequestHeader&,
             const http::RequestContext& ctx) -> std::optional<Response> {
    return refuse_over_rate(api, ctx.remote);
  };
  for (http::Route& r : api.compat.routes(rate_limited)) {
    routes.push_back(std::move(r));
  }

  // Operations endpoints: every backend's address, and the metrics; with a
  // token configured only for requests carrying it (see --ops-access).
  const http::Precheck ops_guard =
      http::ops_only(api.config.token, api.config.public_ops());
  routes.push_back({.path = "/api/backends",
                    .methods = {Verb::get},
                    .quiet = true,
                    .precheck = ops_guard,
                    .handler = constant([&api] {
                      return http::json_response(Status::ok,
                                                 api.gateway.describe());
                    })});
  routes.push_back(http::healthz_route());
  routes.push_back(
      {.path = "/readyz",
       .methods = {Verb::get},
       .quiet = true,
       .handler = constant([&api] {
         const size_t healthy = api.gateway.healthy_count();
         return http::json_response(
             healthy > 0 ? Status::ok : Status::service_unavailable,
             {{"ready", healthy > 0}, {"healthy_backends", healthy}});
       })});
  routes.push_back(http::metrics_route(api.registry, ops_guard));
  return routes;
}

}  // namespace playground::frontend
