// Codapi's API (/v1/exec, /v1/health, CORS) on the real backend and
// frontend on loopback: runs and their outcomes in Codapi's conventions,
// Codapi's refusals and statuses, and the CORS headers on every answer,
// errors included, with preflights and probes passing the guard.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <future>
#include <regex>
#include <thread>

#include "support/http_client.h"
#include "support/service_process.h"

namespace playground::testing {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

std::string exec_body(const std::string& code,
                      const std::string& sandbox = "python",
                      const std::string& command = "run") {
  return json::serialize(json::object{{"sandbox", sandbox},
                                      {"command", command},
                                      {"files", json::object{{"", code}}}});
}

HttpReply exec(uint16_t port, const std::string& body,
               const std::map<std::string, std::string>& headers = {}) {
  return HttpClient(port).request("POST", "/v1/exec", body, "application/json",
                                  headers);
}

// The four headers the widget's page needs on every answer.
void expect_cors(const HttpReply& r, const std::string& origin = "*") {
  EXPECT_EQ(r.header("access-control-allow-origin"), origin) << r.body;
  EXPECT_EQ(r.header("access-control-allow-methods"), "POST, OPTIONS");
  EXPECT_EQ(r.header("access-control-allow-headers"),
            "authorization, content-type");
  EXPECT_EQ(r.header("access-control-max-age"), "3600");
}

// A refusal in Codapi's shape: ok false, nothing run, the reason in stderr.
void expect_refusal(const HttpReply& r, int status, const std::string& says) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/json");
  json::object o = r.json();
  EXPECT_EQ(o["ok"], false) << r.body;
  EXPECT_EQ(o["duration"], 0) << r.body;
  EXPECT_EQ(o["stdout"], "") << r.body;
  ASSERT_TRUE(o["stderr"].is_string()) << r.body;
  EXPECT_NE(std::string(o["stderr"].as_string()).find(says), std::string::npos)
      << r.body;
  expect_cors(r);
}

class CodapiBackend : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    backend_ = new BackendProcess({"--wall", "1s", "--max-wall", "2s"});
  }
  static void TearDownTestSuite() {
    delete backend_;
    backend_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(backend_->started()) << backend_->log(); }
  uint16_t port() const { return backend_->port(); }

  static BackendProcess* backend_;
};
BackendProcess* CodapiBackend::backend_ = nullptr;

TEST_F(CodapiBackend, ExecRunsTheProgramWithItsFiles) {
  const std::string body = json::serialize(json::object{
      {"sandbox", "python"},
      {"version", "3"},
      {"command", "run"},
      {"files",
       json::object{{"", "import helper\nprint(helper.greet('world'))\n"},
                    {"helper.py", "def greet(n):\n    return 'hello ' + n\n"}}},
  });
  HttpReply r = exec(port(), body);
  ASSERT_EQ(r.status, 200) << r.body;
  expect_cors(r);
  json::object o = r.json();
  EXPECT_TRUE(std::regex_match(std::string(o["id"].as_string()),
                               std::regex("python_run_[0-9a-f]{8}")))
      << r.body;
  EXPECT_EQ(o["ok"], true);
  EXPECT_EQ(o["stdout"], "hello world");  // trimmed, as Codapi does
  EXPECT_EQ(o["stderr"], "");
  EXPECT_TRUE(o["duration"].is_int64()) << r.body;
}

TEST_F(CodapiBackend, NonZeroExitIsOkFalseWithTheStreamsInStderr) {
  HttpReply r =
      exec(port(), exec_body("print('before')\nraise ValueError('x')"));
  ASSERT_EQ(r.status, 200) << r.body;
  json::object o = r.json();
  EXPECT_EQ(o["ok"], false);
  EXPECT_EQ(o["stdout"], "");
  const std::string err(o["stderr"].as_string());
  EXPECT_TRUE(err.starts_with("beforeTraceback (most recent call last):"))
      << err;
  EXPECT_TRUE(err.ends_with("ValueError: x (exit status 1)")) << err;
}

TEST_F(CodapiBackend, TimeoutIsCodeExecutionTimeout) {
  HttpReply r = exec(port(), exec_body("import time\ntime.sleep(30)"));
  ASSERT_EQ(r.status, 200) << r.body;
  json::object o = r.json();
  EXPECT_EQ(o["ok"], false);
  EXPECT_EQ(o["stdout"], "");
  EXPECT_EQ(o["stderr"], "code execution timeout");
}

TEST_F(CodapiBackend, UnknownSandboxCommandOrVersion) {
  expect_refusal(exec(port(), exec_body("puts 1", "ruby")), 404,
                 "unknown sandbox");
  expect_refusal(exec(port(), exec_body("print(1)", "python", "test")), 404,
                 "unknown command");
  const std::string v42 =
      R"J({"sandbox":"python","version":"42","command":"run",)J"
      R"J("files":{"":"print(1)"}})J";
  expect_refusal(exec(port(), v42), 200, "unknown box python:42");
  expect_refusal(exec(port(), exec_body(" \n")), 400, "empty request");
}

TEST_F(CodapiBackend, BadRequestsAreCodapiShaped400s) {
  expect_refusal(exec(port(), "{not json"), 400, "not valid JSON");
  EXPECT_EQ(exec(port(), "{not json").json()["id"], "-");
  HttpReply text = HttpClient(port()).request(
      "POST", "/v1/exec", exec_body("print(1)"), "text/plain");
  expect_refusal(text, 400, "Unsupported Media Type");
  HttpReply with_charset =
      HttpClient(port()).request("POST", "/v1/exec", exec_body("print(1)"),
                                 "application/json; charset=utf-8");
  EXPECT_EQ(with_charset.status, 200) << with_charset.body;
  expect_refusal(HttpClient(port()).get("/v1/exec"), 405,
                 "unsupported method: GET");
  expect_refusal(HttpClient(port()).get("/v1/nothing"), 404,
                 "404 page not found");
}

TEST_F(CodapiBackend, PreflightIsAnswered) {
  HttpReply r = HttpClient(port()).request(
      "OPTIONS", "/v1/exec", "", "",
      {{"Origin", "https://docs.example.com"},
       {"Access-Control-Request-Method", "POST"},
       {"Access-Control-Request-Headers", "content-type"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
  expect_cors(r);
  EXPECT_EQ(r.header("vary"), "");  // any origin: nothing varies
}

TEST_F(CodapiBackend, HealthAnswersHeadWithCors) {
  HttpReply head = HttpClient(port()).request("HEAD", "/v1/health");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  expect_cors(head);
  HttpReply get = HttpClient(port()).get("/v1/health");
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.json()["ok"], true);
}

TEST_F(CodapiBackend, TooLargeIs413WithCors) {
  const std::string big = exec_body("# " + std::string(3 << 20, 'x'));
  expect_refusal(exec(port(), big), 413, "larger than the limit");
}

TEST(CodapiBackendToken, PreflightsAndProbesNeedNoTokenRunsDo) {
  BackendProcess backend({}, {{"PLAYGROUND_TOKEN", "t0ken"}});
  ASSERT_TRUE(backend.started()) << backend.log();
  HttpReply denied = exec(backend.port(), exec_body("print(1)"));
  expect_refusal(denied, 401, "Bearer");
  EXPECT_EQ(denied.header("www-authenticate"), "Bearer");
  HttpReply preflight = HttpClient(backend.port())
                            .request("OPTIONS", "/v1/exec", "", "",
                                     {{"Origin", "https://docs.example.com"},
                                      {"Access-Control-Request-Method", "POST"},
                                      {"Access-Control-Request-Headers",
                                       "authorization, content-type"}});
  EXPECT_EQ(preflight.status, 200);
  expect_cors(preflight);
  EXPECT_EQ(HttpClient(backend.port()).request("HEAD", "/v1/health").status,
            200);
  HttpReply allowed = exec(backend.port(), exec_body("print(1)"),
                           {{"Authorization", "Bearer t0ken"}});
  EXPECT_EQ(allowed.status, 200) << allowed.body;
  EXPECT_EQ(allowed.json()["stdout"], "1");
}

// Two sleeping runs at once where there is room for one: one of them runs,
// the other is told busy.
std::vector<HttpReply> two_at_once(uint16_t port) {
  std::vector<std::future<HttpReply>> replies;
  for (int i = 0; i < 2; ++i) {
    replies.push_back(std::async(std::launch::async, [port] {
      return exec(port, exec_body("import time\ntime.sleep(1)\nprint('done')"));
    }));
    std::this_thread::sleep_for(300ms);
  }
  std::vector<HttpReply> out;
  for (auto& f : replies) out.push_back(f.get());
  return out;
}

TEST(CodapiBusy, AFullBackendIs429Busy) {
  BackendProcess backend({"--concurrency", "1", "--queue", "0"});
  ASSERT_TRUE(backend.started()) << backend.log();
  std::vector<HttpReply> replies = two_at_once(backend.port());
  EXPECT_EQ(replies[0].status, 200) << replies[0].body;
  EXPECT_EQ(replies[0].json()["stdout"], "done");
  expect_refusal(replies[1], 429, "busy: try again later");
  EXPECT_EQ(replies[1].header("retry-after"), "1");
}

TEST(CodapiBusy, TheFrontendSaysBusyForAFullBackendAndAFullShare) {
  BackendProcess backend({"--concurrency", "1", "--queue", "0"});
  ASSERT_TRUE(backend.started()) << backend.log();
  const std::string backends =
      "a=http://127.0.0.1:" + std::to_string(backend.port());
  // The backend is full (503 to the frontend): Codapi's busy.
  FrontendProcess roomy(
      {"--backends", backends, "--rate-limit", "0", "--runs-per-client", "4"});
  ASSERT_TRUE(roomy.started()) << roomy.log();
  ASSERT_TRUE(wait_until(
      [&] { return HttpClient(roomy.port()).get("/v1/health").status == 200; },
      10s));
  std::vector<HttpReply> replies = two_at_once(roomy.port());
  EXPECT_EQ(replies[0].status, 200) << replies[0].body;
  expect_refusal(replies[1], 429, "busy: try again later");
  // This client's share is full: 429 too, in Codapi's shape.
  FrontendProcess strict({"--backends", backends, "--rate-limit", "0",
                          "--runs-per-client", "1", "--waiting-per-client",
                          "0"});
  ASSERT_TRUE(strict.started()) << strict.log();
  ASSERT_TRUE(wait_until(
      [&] { return HttpClient(strict.port()).get("/v1/health").status == 200; },
      10s));
  replies = two_at_once(strict.port());
  EXPECT_EQ(replies[0].status, 200) << replies[0].body;
  expect_refusal(replies[1], 429, "Too many runs");
}

TEST(CodapiFrontend, ExecRunsThroughTheFrontendWithItsOrigin) {
  BackendProcess backend;
  ASSERT_TRUE(backend.started()) << backend.log();
  FrontendProcess front(
      {"--backends", "a=http://127.0.0.1:" + std::to_string(backend.port()),
       "--rate-limit", "0", "--cors-origin", "https://docs.example.com"});
  ASSERT_TRUE(front.started()) << front.log();
  ASSERT_TRUE(wait_until(
      [&] { return HttpClient(front.port()).get("/v1/health").status == 200; },
      10s));
  HttpReply r = exec(front.port(), exec_body("print(6 * 7)"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["ok"], true);
  EXPECT_EQ(r.json()["stdout"], "42");
  expect_cors(r, "https://docs.example.com");
  EXPECT_EQ(r.header("vary"), "Origin");
  HttpReply preflight =
      HttpClient(front.port())
          .request("OPTIONS", "/v1/exec", "", "",
                   {{"Origin", "https://docs.example.com"},
                    {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(preflight.status, 200);
  expect_cors(preflight, "https://docs.example.com");
  HttpReply head = HttpClient(front.port()).request("HEAD", "/v1/health");
  EXPECT_EQ(head.status, 200);
  expect_cors(head, "https://docs.example.com");
}

TEST(CodapiFrontend, RateLimitIs429WithCorsButPreflightsPass) {
  BackendProcess backend;
  ASSERT_TRUE(backend.started()) << backend.log();
  FrontendProcess front({"--backends",
                         "a=http://127.0.0.1:" + std::to_string(backend.port()),
                         "--rate-limit", "1", "--rate-burst", "1"});
  ASSERT_TRUE(front.started()) << front.log();
  ASSERT_TRUE(wait_until(
      [&] { return HttpClient(front.port()).get("/v1/health").status == 200; },
      10s));
  EXPECT_EQ(exec(front.port(), exec_body("print(1)")).status, 200);
  HttpReply limited = exec(front.port(), exec_body("print(1)"));
  expect_refusal(limited, 429, "Too many requests");
  EXPECT_FALSE(limited.header("retry-after").empty());
  for (int i = 0; i < 3; ++i) {
    HttpReply preflight =
        HttpClient(front.port())
            .request("OPTIONS", "/v1/exec", "", "",
                     {{"Access-Control-Request-Method", "POST"}});
    EXPECT_EQ(preflight.status, 200);
    expect_cors(preflight);
  }
}

}  // namespace
}  // namespace playground::testing
