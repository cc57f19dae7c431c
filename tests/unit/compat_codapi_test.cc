// Codapi's API (src/compat/codapi.h): the exec request read, the answers in
// Codapi's shape and statuses, the CORS headers, and which requests the
// guard sees.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <regex>
#include <set>

#include "compat/codapi.h"

namespace playground::compat::codapi {
namespace {

using http::Status;
using sandbox::RunResult;
using sandbox::RunStatus;
namespace json = boost::json;

constexpr std::string_view kPython = "3.11.2";

Result<protocol::EvalRequest> parse(std::string_view body) {
  return parse_exec(body, kPython);
}

json::object body_of(const http::Response& r) {
  return json::parse(r.body()).as_object();
}

// The five fields of every Codapi answer, in Codapi's order.
void expect_codapi_shape(const json::object& o) {
  std::vector<std::string> keys;
  for (const auto& kv : o) keys.emplace_back(kv.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "ok", "duration", "stdout",
                                            "stderr"}));
}

TEST(CodapiExec, ReadsTheProgramAndItsFiles) {
  auto r = parse(R"J({"sandbox": "python", "command": "run",
                     "files": {"": "print(open('data.txt').read())",
                               "data.txt": "hello", "pkg/m.py": "x = 1"}})J");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->code, "print(open('data.txt').read())");
  ASSERT_EQ(r->files.size(), 2u);
  EXPECT_EQ(r->files[0].name, "data.txt");
  EXPECT_EQ(r->files[0].content, "hello");
  EXPECT_EQ(r->files[1].name, "pkg/m.py");
  EXPECT_FALSE(r->timeout_ms);
  EXPECT_TRUE(r->stdin_data.empty());
}

TEST(CodapiExec, MainPyIsTheProgramToo) {
  auto r = parse(R"J({"sandbox":"python","command":"run",
                     "files":{"main.py":"print(2)"}})J");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->code, "print(2)");
  EXPECT_TRUE(r->files.empty());
  auto both = parse(R"J({"sandbox":"python","command":"run",
                        "files":{"":"print(1)","main.py":"print(2)"}})J");
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().code, Errc::invalid_request);
}

TEST(CodapiExec, UnknownSandboxAndCommandAre404s) {
  for (const char* body :
       {R"J({"sandbox":"ruby","command":"run","files":{"":"puts 1"}})J",
        R"J({"command":"run","files":{"":"print(1)"}})J"}) {
    auto r = parse(body);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().code, Refused::unknown_sandbox);
    EXPECT_EQ(r.error().message, "unknown sandbox");
    EXPECT_EQ(error_answer(r.error(), "python_run_00000000").result(),
              Status::not_found);
  }
  auto r = parse(R"J({"sandbox":"python","command":"test","files":{"":"1"}})J");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Refused::unknown_command);
  EXPECT_EQ(r.error().message, "unknown command");
  auto answer = error_answer(r.error(), "python_run_00000000");
  EXPECT_EQ(answer.result(), Status::not_found);
  expect_codapi_shape(body_of(answer));
  EXPECT_EQ(body_of(answer)["stderr"], "unknown command");
  EXPECT_EQ(body_of(answer)["id"], "python_run_00000000");
}

TEST(CodapiExec, VersionsOfTheSandboxesPythonAreAccepted) {
  for (const char* v : {"", "latest", "3", "3.11", "3.11.2"}) {
    EXPECT_TRUE(version_matches(v, kPython)) << v;
    auto r = parse(std::string(R"J({"sandbox":"python","command":"run",)J") +
                   R"J("version":")J" + v + R"J(","files":{"":"print(1)"}})J");
    EXPECT_TRUE(r) << v;
  }
  for (const char* v : {"2", "3.1", "3.11.20", "3.12", "dev", "3."}) {
    EXPECT_FALSE(version_matches(v, kPython)) << v;
  }
  auto r = parse(R"J({"sandbox":"python","version":"42","command":"run",
                     "files":{"":"print(1)"}})J");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Refused::unknown_box);
  EXPECT_EQ(r.error().message, "unknown box python:42");
  // Codapi answers an unknown version as a failed run, not an HTTP error.
  auto answer = error_answer(r.error(), "python_run_00000000");
  EXPECT_EQ(answer.result(), Status::ok);
  EXPECT_EQ(body_of(answer)["ok"], false);
}

TEST(CodapiExec, EmptyCodeIsAnEmptyRequest) {
  for (const char* body :
       {R"J({"sandbox":"python","command":"run","files":{"":"  \n"}})J",
        R"J({"sandbox":"python","command":"run","files":{}})J",
        R"J({"sandbox":"python","command":"run"})J"}) {
    auto r = parse(body);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().code, Refused::empty_request) << body;
    EXPECT_EQ(r.error().message, "empty request");
    EXPECT_EQ(error_answer(r.error(), "-").result(), Status::bad_request);
  }
  // A blank program beside a file is run, as Codapi does.
  EXPECT_TRUE(parse(R"J({"sandbox":"python","command":"run",
                        "files":{"":"","a.txt":"x"}})J"));
}

TEST(CodapiExec, MalformedBodiesAre400sThatSayWhy) {
  const std::pair<const char*, const char*> cases[] = {
      {"{", "line 1"},
      {"[1]", "JSON object"},
      {R"J({"sandbox":1,"command":"run","files":{"":"1"}})J",
       "sandbox must be a string"},
      {R"J({"sandbox":"python","command":"run","files":["print(1)"]})J",
       "files must be an object"},
      {R"J({"sandbox":"python","command":"run","files":{"":1}})J",
       R"J(files[""] must be a string)J"},
      {R"J({"sandbox":"python","command":"run","files":{"a.py":"x=1"}})J",
       "program to run, is missing"},
      {R"J({"sandbox":"python","command":"run",
           "files":{"":"1","../etc/passwd":"x"}})J",
       "../etc/passwd"},
  };
  for (const auto& [body, says] : cases) {
    auto r = parse(body);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().code, Errc::invalid_request) << body;
    EXPECT_NE(r.error().message.find(says), std::string::npos)
        << body << ": " << r.error().message;
    EXPECT_EQ(error_answer(r.error(), "-").result(), Status::bad_request);
  }
}

TEST(CodapiAnswer, IdsAreSandboxCommandAndEightRandomHexDigits) {
  const std::regex shape("python_run_[0-9a-f]{8}");
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    const std::string id = new_id();
    EXPECT_TRUE(std::regex_match(id, shape)) << id;
    seen.insert(id);
  }
  EXPECT_GT(seen.size(), 15u);
}

TEST(CodapiAnswer, SuccessIsTrimmedOutputAndWholeMilliseconds) {
  RunResult run{.stdout_bytes = "\n hello world\n\n",
                .stderr_bytes = "warning\n",
                .exit_code = 0,
                .status = RunStatus::ok,
                .time_ms = 31.6};
  const json::object a = exec_answer(run, "python_run_0a1b2c3d");
  expect_codapi_shape(a);
  EXPECT_EQ(a.at("id"), "python_run_0a1b2c3d");
  EXPECT_EQ(a.at("ok"), true);
  EXPECT_EQ(a.at("duration"), 32);
  EXPECT_EQ(a.at("stdout"), "hello world");
  EXPECT_EQ(a.at("stderr"), "warning");
}

TEST(CodapiAnswer, FailuresPutEverythingInStderr) {
  struct Case {
    RunStatus status;
    int exit_code;
    std::string out, err, stderr_text;
  };
  const Case cases[] = {
      {RunStatus::error, 1, "partial\n", "Traceback...\nValueError: x\n",
       "partialTraceback...\nValueError: x (exit status 1)"},
      {RunStatus::error, 3, "", "", "exit status 3"},
      {RunStatus::timeout, -9, "tick\n", "", "code execution timeout"},
      {RunStatus::killed, -11, "", "", "exit status 139"},
      {RunStatus::memory_limit, -9, "", "MemoryError\n",
       "MemoryError (memory limit exceeded)"},
      {RunStatus::output_limit, -9, "yyyy", "", "yyyy (output limit exceeded)"},
  };
  for (const Case& c : cases) {
    RunResult run{.stdout_bytes = c.out,
                  .stderr_bytes = c.err,
                  .exit_code = c.exit_code,
                  .status = c.status,
                  .time_ms = 5};
    const json::object a = exec_answer(run, "python_run_0a1b2c3d");
    expect_codapi_shape(a);
    EXPECT_EQ(a.at("ok"), false) << sandbox::to_string(c.status);
    EXPECT_EQ(a.at("stdout"), "") << sandbox::to_string(c.status);
    EXPECT_EQ(a.at("stderr").as_string(), c.stderr_text)
        << sandbox::to_string(c.status);
    EXPECT_EQ(a.at("duration"), 5);
  }
}

TEST(CodapiAnswer, InvalidUtf8OutputBecomesReplacementCharacters) {
  RunResult run{.stdout_bytes =
                    "a\xff"
                    "b"};
  EXPECT_EQ(exec_answer(run, "x").at("stdout"),
            "a\xEF\xBF\xBD"
            "b");
}

TEST(CodapiAnswer, BusyIs429WhateverOurStatus) {
  const http::Response busy =
      error_answer({"No sandbox is free.", Errc::at_capacity}, "python_run_1");
  EXPECT_EQ(busy.result(), Status::too_many_requests);
  EXPECT_EQ(busy[http::beast_http::field::retry_after], "1");
  json::object b = body_of(busy);
  expect_codapi_shape(b);
  EXPECT_EQ(b["stderr"], "busy: try again later");
  EXPECT_EQ(b["duration"], 0);
  EXPECT_EQ(b["ok"], false);
  EXPECT_EQ(error_answer({"slow down", Errc::rate_limited}, "-").result(),
            Status::too_many_requests);
  EXPECT_EQ(error_answer({"too big", Errc::too_large}, "-").result(),
            Status::payload_too_large);
  EXPECT_EQ(error_answer({"down", Errc::unavailable}, "-").result(),
            Status::service_unavailable);
}

using Headers = std::vector<std::pair<std::string, std::string>>;

TEST(CodapiCors, EveryAnswerOfTheRouteCarriesTheCorsHeaders) {
  const Headers any = cors_headers("*");
  EXPECT_EQ(any,
            (Headers{
                {"Access-Control-Allow-Origin", "*"},
                {"Access-Control-Allow-Methods", "POST, OPTIONS"},
                {"Access-Control-Allow-Headers", "authorization, content-type"},
                {"Access-Control-Max-Age", "3600"},
            }));
  const Headers one = cors_headers("https://docs.example.com");
  EXPECT_EQ(one.front().second, "https://docs.example.com");
  EXPECT_EQ(one.back(),
            (std::pair<std::string, std::string>{"Vary", "Origin"}));

  Runner runner;
  auto list = routes(runner, {.cors_origin = "https://docs.example.com"}, {});
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].path, "/v1/");
  EXPECT_TRUE(list[0].prefix);
  EXPECT_EQ(list[0].headers, one);
}

// The guard stands for the backend's token and the frontend's rate limit.
TEST(CodapiGuard, PreflightsAndHealthProbesPassWithoutIt) {
  int asked = 0;
  const http::Precheck guard =
      [&asked](const http::RequestHeader&,
               const http::RequestContext&) -> std::optional<http::Response> {
    ++asked;
    http::Response r =
        http::json_error(Status::unauthorized, "A Bearer token is required.");
    r.set(http::beast_http::field::www_authenticate, "Bearer");
    return r;
  };
  Runner runner;
  auto list = routes(runner, {.body_limit = 100}, guard);
  const http::Precheck& precheck = list.at(0).precheck;
  const http::RequestContext ctx{.remote = "127.0.0.1"};
  auto header = [](http::Verb verb, std::string target) {
    http::RequestHeader h;
    h.method(verb);
    h.target(target);
    h.set(http::beast_http::field::content_type, "application/json");
    return h;
  };
  EXPECT_FALSE(precheck(header(http::Verb::options, "/v1/exec"), ctx));
  EXPECT_FALSE(precheck(header(http::Verb::head, "/v1/health"), ctx));
  EXPECT_FALSE(precheck(header(http::Verb::get, "/v1/health?x=1"), ctx));
  EXPECT_EQ(asked, 0);

  auto refused = precheck(header(http::Verb::post, "/v1/exec"), ctx);
  ASSERT_TRUE(refused);
  EXPECT_EQ(asked, 1);
  EXPECT_EQ(refused->result(), Status::unauthorized);
  EXPECT_EQ((*refused)[http::beast_http::field::www_authenticate], "Bearer");
  json::object b = body_of(*refused);
  expect_codapi_shape(b);
  EXPECT_EQ(b["id"], "-");
  EXPECT_EQ(b["stderr"], "A Bearer token is required.");
}

TEST(CodapiGuard, ExecMustBeJsonWithinTheLimitBeforeItsBodyIsRead) {
  Runner runner;
  auto list = routes(runner, {.body_limit = 100}, {});
  const http::Precheck& precheck = list.at(0).precheck;
  const http::RequestContext ctx;
  http::RequestHeader h;
  h.method(http::Verb::post);
  h.target("/v1/exec");
  h.set(http::beast_http::field::content_type,
        "application/json; charset=utf-8");
  h.set(http::beast_http::field::content_length, "100");
  EXPECT_FALSE(precheck(h, ctx));
  h.set(http::beast_http::field::content_length, "101");
  auto big = precheck(h, ctx);
  ASSERT_TRUE(big);
  EXPECT_EQ(big->result(), Status::payload_too_large);
  expect_codapi_shape(body_of(*big));
  h.set(http::beast_http::field::content_length, "10");
  h.set(http::beast_http::field::content_type, "text/plain");
  auto text = precheck(h, ctx);
  ASSERT_TRUE(text);
  EXPECT_EQ(text->result(), Status::bad_request);
  EXPECT_EQ(body_of(*text)["stderr"], "Unsupported Media Type");
}

}  // namespace
}  // namespace playground::compat::codapi
