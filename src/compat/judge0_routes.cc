// Judge0's routes over a Runner and the submission store (see judge0.h).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <exception>

#include "common/log.h"
#include "common/task.h"
#include "compat/judge0.h"
#include "compat/judge0_store.h"

namespace playground::compat::judge0 {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using http::Response;
using http::Status;
using Clock = SubmissionStore::Clock;

constexpr std::string_view kSubmissionsPrefix = "/submissions/";
constexpr std::string_view kLanguagesPrefix = "/languages/";

Response not_ready() {
  return error_answer(
      Status::service_unavailable,
      "The Python version is not known yet: no backend has answered.");
}

Response answer_with(Status status, const json::value& body) {
  return http::json_response(status, body);
}

Response refusal_answer(const Refusal& refusal) {
  return answer_with(refusal.status, refusal.body);
}

// The path's last part after `prefix` ("/submissions/<token>?x" -> token).
std::string_view rest_of(std::string_view target, std::string_view prefix) {
  target = target.substr(0, target.find('?'));
  return target.substr(prefix.size());
}

// A submission without wait: its run, on its own. It owns what it needs,
// the store included, since the request that started it is answered at
// once; its context never stops (nobody waits on a connection).
Task<void> run_later(std::shared_ptr<SubmissionStore> store, Runner runner,
                     std::string token, protocol::EvalRequest request,
                     http::Request header, std::string remote) {
  http::RequestContext ctx{.remote = std::move(remote)};
  store->start(token);
  std::optional<sandbox::RunResult> run;
  std::string failure;
  try {
    auto result = co_await runner.run(std::move(request), header, ctx);
    if (result) {
      run = std::move(*result);
    } else {
      failure = result.error().message;
    }
  } catch (const std::exception& e) {
    // A submission that never finishes would hold its place for good.
    log::error("judge0 submission failed", {{"error", e.what()}});
    failure = "The run failed on the server.";
  }
  store->finish(token, std::move(run), std::move(failure), Clock::now());
}

// wait=true: the run in this request, then its answer (201 either way, the
// token with Judge0's sentence when the output is not UTF-8).
Task<Response> run_now(const Runner& runner, SubmissionStore& store,
                       const std::string& token, const Query& query,
                       std::string_view version, http::Request& req,
                       http::RequestContext& ctx) {
  const std::optional<Record> record = store.find(token, Clock::now());
  if (!record)
    co_return error_answer(Status::service_unavailable, "queue is full");
  protocol::EvalRequest request = eval_request(record->submission);
  store.start(token);
  auto run = co_await runner.run(std::move(request), req, ctx);
  if (!run) {
    store.erase(token);  // the client gets an error, not the token
    co_return error_answer(run.error());
  }
  const std::optional<Record> finished =
      store.finish(token, std::move(*run), "", Clock::now());
  if (!finished) {
    // Never: a submission not finished is never dropped.
    co_return error_answer(Status::internal_server_error,
                           "The submission was lost.");
  }
  auto body = answer(*finished, query, version);
  if (!body) {
    co_return answer_with(Status::created,
                          {{"token", token}, {"error", body.error().message}});
  }
  co_return answer_with(Status::created, *body);
}

http::Handler create(const Runner& runner,
                     std::shared_ptr<SubmissionStore> store) {
  return [&runner, store](http::Request& req,
                          http::RequestContext& ctx) -> Task<Response> {
    const std::string version = runner.python_version();
    if (version.empty()) co_return not_ready();
    auto query = parse_query(req.target());
    if (!query) co_return error_answer(query.error());
    auto parsed = parse_submission(req.body(), query->base64, version);
    if (auto* refused = std::get_if<Refusal>(&parsed)) {
      co_return refusal_answer(*refused);
    }
    Submission& submission = std::get<Submission>(parsed);
    auto token = store->add(std::move(submission), Clock::now());
    if (!token) {
      co_return error_answer(Status::service_unavailable, "queue is full");
    }
    if (query->wait) {
      co_return co_await run_now(runner, *store, *token, *query, version, req,
                                 ctx);
    }
    http::Request header;
    header.base() = req.base();  // who asked (the token, the client's name)
    const std::optional<Record> record = store->find(*token, Clock::now());
    if (!record) {
      co_return error_answer(Status::service_unavailable, "queue is full");
    }
    asio::co_spawn(
        co_await asio::this_coro::executor,
        run_later(store, runner, *token, eval_request(record->submission),
                  std::move(header), ctx.remote),
        asio::detached);
    co_return answer_with(Status::created, {{"token", *token}});
  };
}

http::Handler fetch(const Runner& runner,
                    std::shared_ptr<SubmissionStore> store) {
  return [&runner, store](http::Request& req,
                          http::RequestContext&) -> Task<Response> {
    const std::string version = runner.python_version();
    if (version.empty()) co_return not_ready();
    auto query = parse_query(req.target());
    if (!query) co_return error_answer(query.error());
    const std::string token(rest_of(req.target(), kSubmissionsPrefix));
    const std::optional<Record> record = store->find(token, Clock::now());
    if (!record) {
      co_return error_answer(Status::not_found,
                             "There is no submission with this token (it "
                             "may have expired).");
    }
    auto body = answer(*record, *query, version);
    if (!body) co_return error_answer(body.error());
    co_return answer_with(Status::ok, *body);
  };
}

// GET /languages, /languages/all, /languages/<id>, /statuses.
void add_lists(const Runner& runner, const http::Precheck& guard,
               std::vector<http::Route>& out) {
  auto list = [&runner](http::Request& req,
                        http::RequestContext&) -> Task<Response> {
    const std::string version = runner.python_version();
    if (version.empty()) co_return not_ready();
    const std::string_view target = req.target();
    const std::string_view rest = target.starts_with(kLanguagesPrefix)
                                      ? rest_of(target, kLanguagesPrefix)
                                      : "";
    if (target.starts_with("/languages?") || target == "/languages") {
      co_return answer_with(Status::ok, languages(version, false));
    }
    if (rest == "all")
      co_return answer_with(Status::ok, languages(version, true));
    auto one = language(rest, version);
    if (!one) {
      co_return error_answer(Status::not_found,
                             "There is no language with this id.");
    }
    co_return answer_with(Status::ok, *one);
  };
  out.push_back({.path = "/languages",
                 .methods = {http::Verb::get},
                 .precheck = guard,
                 .handler = list});
  out.push_back({.path = std::string(kLanguagesPrefix),
                 .prefix = true,
                 .methods = {http::Verb::get},
                 .precheck = guard,
                 .handler = list});
  out.push_back(
      {.path = "/statuses",
       .methods = {http::Verb::get},
       .precheck = guard,
       .handler = [](http::Request&, http::RequestContext&) -> Task<Response> {
         co_return answer_with(Status::ok, statuses());
       }});
}

}  // namespace

std::vector<http::Route> routes(const Runner& runner, size_t body_limit,
                                std::shared_ptr<SubmissionStore> store,
                                const http::Precheck& guard) {
  std::vector<http::Route> out;
  out.push_back({.path = "/submissions",
                 .methods = {http::Verb::post},
                 .body_limit = body_limit,
                 .cancel_on_disconnect = true,
                 .precheck = guard,
                 .handler = create(runner, store)});
  out.push_back({.path = std::string(kSubmissionsPrefix),
                 .prefix = true,
                 .methods = {http::Verb::get},
                 .precheck = guard,
                 .handler = fetch(runner, store)});
  // Judge0's own answer when batches are switched off.
  out.push_back(
      {.path = "/submissions/batch",
       .methods = {http::Verb::get, http::Verb::post},
       .body_limit = body_limit,
       .precheck = guard,
       .handler = [](http::Request&, http::RequestContext&) -> Task<Response> {
         co_return error_answer(Status::bad_request,
                                "batched submissions are not "
                                "allowed");
       }});
  add_lists(runner, guard, out);
  return out;
}

}  // namespace playground::compat::judge0
