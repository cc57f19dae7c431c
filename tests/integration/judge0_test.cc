// Judge0 CE's API (compat/judge0.h) against the real services: a backend
// alone, and a frontend in front of it. The requests are Judge0's
// documentation examples (docs/api/submissions, with the C programs in
// Python and language 71) and the answers of a live 1.13.1, checked on
// what is deterministic: shapes, key order, statuses, output, messages.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <regex>
#include <thread>

#include "support/http_client.h"
#include "support/service_process.h"

namespace playground::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* kWait = "/submissions?base64_encoded=false&wait=true";

// The C program of Judge0's examples, in Python: reads a name, greets it.
constexpr const char* kHello = "name = input()\nprint(f'hello, {name}')\n";

std::string url_of(uint16_t port) {
  return "http://127.0.0.1:" + std::to_string(port);
}

std::string keys_of(const json::object& o) {
  std::string keys;
  for (const auto& kv : o)
    keys += (keys.empty() ? "" : ",") + std::string(kv.key());
  return keys;
}

bool is_uuid_v4(const json::value& v) {
  static const std::regex uuid(
      "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  return v.is_string() && std::regex_match(std::string(v.get_string()), uuid);
}

json::value parse(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  return ec ? json::value() : v;
}

// One backend, and a frontend in front of it, for every test; each test runs
// against both (the parameter says which).
class Judge0 : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() {
    backend_ = new BackendProcess({"--wall", "2s", "--max-wall", "5s"});
    if (!backend_->started()) return;
    frontend_ = new FrontendProcess(
        {"--backends", "a=" + url_of(backend_->port()), "--rate-limit", "0"});
  }
  static void TearDownTestSuite() {
    delete frontend_;
    delete backend_;
    frontend_ = nullptr;
    backend_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(backend_->started()) << backend_->log();
    ASSERT_TRUE(frontend_ && frontend_->started());
    // The frontend knows the Python version after its first health check.
    ASSERT_TRUE(wait_until(
        [&] { return HttpClient(port()).get("/languages").status == 200; },
        10s));
  }
  static uint16_t port() {
    return GetParam() == "backend" ? backend_->port() : frontend_->port();
  }
  static HttpReply post(const std::string& target, const json::object& body) {
    return HttpClient(port()).post(target, json::serialize(body));
  }
  static HttpReply get(const std::string& target) {
    return HttpClient(port()).get(target);
  }
  // The real interpreter's version, as the backend's /readyz says.
  static std::string python_version() {
    return std::string(HttpClient(backend_->port())
                           .get("/readyz")
                           .json()
                           .at("python")
                           .as_string());
  }
  // GETs the submission until it is neither In Queue nor Processing.
  static json::object finished(const std::string& token,
                               const std::string& query = "") {
    json::object last;
    wait_until(
        [&] {
          last = get("/submissions/" + token + query).json();
          const int64_t id = last["status"].as_object()["id"].as_int64();
          return id > 2;
        },
        15s);
    return last;
  }

  static BackendProcess* backend_;
  static FrontendProcess* frontend_;
};
BackendProcess* Judge0::backend_ = nullptr;
FrontendProcess* Judge0::frontend_ = nullptr;

// [LIVE] 1.13.1: POST /submissions?base64_encoded=false&wait=true.
TEST_P(Judge0, WaitAcceptedAsTheLiveServerAnswers) {
  auto r =
      post(kWait, {{"language_id", 71},
                   {"source_code", "print(sum(map(int, input().split())))"},
                   {"stdin", "3 4"},
                   {"expected_output", "7"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/json");
  json::object j = r.json();
  EXPECT_EQ(keys_of(j),
            "stdout,time,memory,stderr,token,compile_output,message,status");
  EXPECT_EQ(j.at("stdout"), "7\n");
  EXPECT_TRUE(std::regex_match(std::string(j.at("time").as_string()),
                               std::regex("[0-9]+\\.[0-9]{3}")));
  EXPECT_GT(j.at("memory").as_int64(), 0);
  EXPECT_EQ(j.at("stderr"), nullptr);
  EXPECT_TRUE(is_uuid_v4(j.at("token")));
  EXPECT_EQ(j.at("compile_output"), nullptr);
  EXPECT_EQ(j.at("message"), nullptr);
  EXPECT_EQ(json::serialize(j.at("status")),
            R"({"id":3,"description":"Accepted"})");
  // A wait=true submission can be read again by its token.
  auto again = get("/submissions/" + std::string(j.at("token").as_string()));
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.json().at("stdout"), "7\n");
}

// create_a_submission.md's wait=true example (language_id as a string).
TEST_P(Judge0, DocsWaitExampleAndWrongAnswer) {
  json::object body{{"source_code", kHello},
                    {"language_id", "71"},
                    {"stdin", "Judge0"},
                    {"expected_output", "hello, Judge0"}};
  auto j = post("/submissions?wait=true", body).json();
  EXPECT_EQ(j.at("stdout"), "hello, Judge0\n");
  EXPECT_EQ(json::serialize(j.at("status")),
            R"({"id":3,"description":"Accepted"})");
  body["expected_output"] = "hello, world";
  j = post("/submissions?wait=true", body).json();
  EXPECT_EQ(json::serialize(j.at("status")),
            R"({"id":4,"description":"Wrong Answer"})");
  // Trailing spaces and CRLF do not count, leading space does.
  body["expected_output"] = "hello, Judge0  \r\n\n";
  EXPECT_EQ(post(kWait, body).json().at("status").at("id"), 3);
  body["expected_output"] = " hello, Judge0";
  EXPECT_EQ(post(kWait, body).json().at("status").at("id"), 4);
}

TEST_P(Judge0, TimeLimitExceeded) {
  auto r = post(kWait + std::string("&fields=status,message,time"),
                {{"source_code", "while True: pass"},
                 {"language_id", 71},
                 {"cpu_time_limit", 1}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto j = r.json();
  EXPECT_EQ(keys_of(j), "time,message,status");
  EXPECT_EQ(json::serialize(j.at("status")),
            R"({"id":5,"description":"Time Limit Exceeded"})");
  EXPECT_EQ(j.at("message"), "Time limit exceeded");
}

TEST_P(Judge0, RuntimeErrorNzec) {
  auto j = post(kWait + std::string("&fields=stderr,exit_code,message,status"),
                {{"source_code",
                  "import sys\nprint('bad', file=sys.stderr)\nsys.exit(3)"},
                 {"language_id", 71}})
               .json();
  EXPECT_EQ(json::serialize(j.at("status")),
            R"j({"id":11,"description":"Runtime Error (NZEC)"})j");
  EXPECT_EQ(j.at("stderr"), "bad\n");
  EXPECT_EQ(j.at("exit_code"), 3);
  EXPECT_EQ(j.at("message"), "Exited with error status 3");
}

TEST_P(Judge0, SignalsHaveTheirStatus) {
  auto j = post(kWait + std::string("&fields=exit_signal,message,status"),
                {{"source_code",
                  "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)"},
                 {"language_id", 71}})
               .json();
  EXPECT_EQ(json::serialize(j.at("status")),
            R"j({"id":7,"description":"Runtime Error (SIGSEGV)"})j");
  EXPECT_EQ(j.at("exit_signal"), 11);
  EXPECT_EQ(j.at("message"), "Caught fatal signal 11");
  j = post(kWait,
           {{"source_code", "import os\nos.abort()"}, {"language_id", 71}})
          .json();
  EXPECT_EQ(j.at("status").at("id"), 10);
}

TEST_P(Judge0, Base64BothWays) {
  // create_a_submission.md's base64 example: "input" is not a field Judge0
  // reads, so the token is all it answers.
  auto r = post("/submissions?base64_encoded=true",
                {{"source_code",
                  "bmFtZSA9IGlucHV0KCkKcHJpbnQoZid"
                  "oZWxsbywge25hbWV9JykK"},
                 {"language_id", 71},
                 {"input", "SnVkZ2Uw"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(keys_of(r.json()), "token");
  EXPECT_TRUE(is_uuid_v4(r.json().at("token")));
  // With stdin, as the example means it; the answer as get_a_submission.md
  // shows it (Ruby's Base64.encode64, a newline at the end).
  auto j = post("/submissions?base64_encoded=true&wait=true",
                {{"source_code",
                  "bmFtZSA9IGlucHV0KCkKcHJpbnQoZid"
                  "oZWxsbywge25hbWV9JykK"},
                 {"language_id", 71},
                 {"stdin", "SnVkZ2Uw"},
                 {"expected_output", "aGVsbG8sIEp1ZGdlMA=="}})
               .json();
  EXPECT_EQ(j.at("stdout"), "aGVsbG8sIEp1ZGdlMAo=\n");
  EXPECT_EQ(j.at("status").at("id"), 3);
  const std::string token(j.at("token").as_string());
  auto plain = get("/submissions/" + token).json();
  EXPECT_EQ(plain.at("stdout"), "hello, Judge0\n");
}

// create_a_submission.md's "\xFE" example, in Python 3. Through a
// frontend too: it asks the backend for the output's exact bytes.
// Binary stdin, base64 in the request: the program reads the exact bytes,
// through a frontend too (it forwards them as base64).
TEST_P(Judge0, BinaryStdinArrivesByteForByte) {
  auto j = post("/submissions?base64_encoded=true&wait=true",
                {{"source_code",
                  // print(sys.stdin.buffer.read())
                  "aW1wb3J0IHN5cwpwcmludChzeXMuc3RkaW4uYnVmZmVyLnJlYWQoKSk="},
                 {"language_id", 71},
                 {"stdin", "/wAB"}})  // ff 00 01
               .json();
  EXPECT_EQ(j.at("status").at("id"), 3) << json::serialize(j);
  // base64 of "b'\xff\x00\x01'\n"
  EXPECT_EQ(j.at("stdout"), "YidceGZmXHgwMFx4MDEnCg==\n");
}

TEST_P(Judge0, OutputThatIsNotUtf8NeedsBase64) {
  auto r =
      post(kWait,
           {{"source_code", "import sys\nsys.stdout.buffer.write(b'\\xfe\\n')"},
            {"language_id", 71}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto j = r.json();
  EXPECT_EQ(keys_of(j), "token,error");
  const std::string sentence =
      "some attributes for this submission cannot be converted to UTF-8, "
      "use base64_encoded=true query parameter";
  EXPECT_EQ(j.at("error").as_string(), sentence);
  const std::string token(j.at("token").as_string());
  auto plain = get("/submissions/" + token);
  EXPECT_EQ(plain.status, 400);
  EXPECT_EQ(plain.body, json::serialize(json::object{{"error", sentence}}));
  auto encoded = get("/submissions/" + token + "?base64_encoded=true");
  ASSERT_EQ(encoded.status, 200);
  EXPECT_EQ(encoded.json().at("stdout"), "/go=\n");
}

TEST_P(Judge0, AsyncSubmissionQueuedThenFinished) {
  auto r = post("/submissions",
                {{"source_code", "import time\ntime.sleep(1)\nprint('done')"},
                 {"language_id", 71}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto j = r.json();
  EXPECT_EQ(keys_of(j), "token");
  const std::string token(j.at("token").as_string());
  auto pending = get("/submissions/" + token).json();
  const int64_t id = pending.at("status").at("id").as_int64();
  EXPECT_TRUE(id == 1 || id == 2) << json::serialize(pending);
  EXPECT_EQ(pending.at("stdout"), nullptr);
  EXPECT_EQ(pending.at("time"), nullptr);
  EXPECT_EQ(pending.at("token").as_string(), token);
  auto done = finished(token, "?fields=*");
  EXPECT_EQ(done.at("status").at("id"), 3);
  EXPECT_EQ(done.at("stdout"), "done\n");
  EXPECT_EQ(done.at("source_code"),
            "import time\ntime.sleep(1)\nprint('done')");
  EXPECT_EQ(done.at("language").at("name").as_string(),
            "Python (" + python_version() + ")");
  EXPECT_TRUE(done.at("finished_at").is_string());
  // get_a_submission.md's fields example, in the serializer's order.
  auto some = get("/submissions/" + token +
                  "?fields=stdout,stderr,status_id,language_id")
                  .json();
  EXPECT_EQ(json::serialize(some),
            R"({"language_id":71,"stdout":"done\n","status_id":3,)"
            R"("stderr":null})");
}

TEST_P(Judge0, CommandLineArgumentsWithoutAShell) {
  auto j = post(kWait, {{"source_code", "import sys\nprint(sys.argv[1:])"},
                        {"language_id", 71},
                        {"command_line_arguments", "a 'b c' $(id) x;y"}})
               .json();
  EXPECT_EQ(j.at("stdout"), "['a', 'b c', '(id)', 'xy']\n");
}

TEST_P(Judge0, Refusals) {
  // create_a_submission.md: no language_id, an unknown one, a wall time
  // limit over the maximum (1.13's 20.0, where the old docs say 150).
  auto r = post("/submissions", {{"source_code", kHello}, {"stdin", "world"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.body, R"({"language_id":["can't be blank",)"
                    R"("language with id  doesn't exist"]})");
  r = post("/submissions", {{"source_code", kHello},
                            {"language_id", 150000},
                            {"stdin", "world"},
                            {"expected_output", "hello, world"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.body,
            R"({"language_id":["language with id 150000 doesn't exist"]})");
  r = post("/submissions",
           {{"source_code", kHello},
            {"language_id", 71},
            {"number_of_runs", 1},
            {"stdin", "Judge0"},
            {"expected_output", "hello, Judge0"},
            {"cpu_time_limit", 1},
            {"cpu_extra_time", 0.5},
            {"wall_time_limit", 100000},
            {"memory_limit", 128000},
            {"stack_limit", 128000},
            {"enable_per_process_and_thread_time_limit", false},
            {"enable_per_process_and_thread_memory_limit", false},
            {"max_file_size", 1024}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.body,
            R"({"wall_time_limit":["must be less than or equal to 20.0"]})");
  r = post("/submissions?fields=stdout,bogus",
           {{"source_code", "x"}, {"language_id", 71}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, R"({"error":"invalid fields: [bogus]"})");
  r = get("/submissions/00000000-0000-0000-0000-000000000000");
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(r.json().contains("error"));
  r = get("/submissions/batch?tokens=a,b");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, R"({"error":"batched submissions are not allowed"})");
}

TEST_P(Judge0, LanguagesAndStatuses) {
  const std::string name = "Python (" + python_version() + ")";
  auto r = get("/languages");
  ASSERT_EQ(r.status, 200);
  json::array list = parse(r.body).as_array();
  ASSERT_GE(list.size(), 1u);
  EXPECT_EQ(json::serialize(list[0]),
            json::serialize(json::object{{"id", 71}, {"name", name}}));
  // 92 is ce.judge0.com's Python 3.11, listed only when this is a 3.11.
  const bool has_92 = list.size() == 2 && list[1].at("id") == 92;
  EXPECT_EQ(has_92, python_version().starts_with("3.11."));
  auto one = get("/languages/71").json();
  EXPECT_EQ(one.at("name").as_string(), name);
  EXPECT_EQ(one.at("is_archived"), false);
  EXPECT_EQ(get("/languages/70").status, 404);
  EXPECT_EQ(get("/languages/all").status, 200);
  r = get("/statuses");
  ASSERT_EQ(r.status, 200);
  json::array statuses = parse(r.body).as_array();
  ASSERT_EQ(statuses.size(), 14u);
  EXPECT_EQ(json::serialize(statuses[0]),
            R"({"id":1,"description":"In Queue"})");
  EXPECT_EQ(json::serialize(statuses[13]),
            R"({"id":14,"description":"Exec Format Error"})");
}

// A service of the parameter's kind keeping one submission for 1 s: full
// while it runs, the oldest finished dropped for a new one, then expired.
TEST_P(Judge0, StoreIsBounded) {
  const std::vector<std::string> keep = {"--judge0-keep", "1",
                                         "--judge0-keep-for", "1s"};
  std::unique_ptr<ServiceProcess> service;
  if (GetParam() == "backend") {
    service = std::make_unique<BackendProcess>(keep);
  } else {
    std::vector<std::string> args = {
        "--backends", "a=" + url_of(backend_->port()), "--rate-limit", "0"};
    args.insert(args.end(), keep.begin(), keep.end());
    service = std::make_unique<FrontendProcess>(args);
  }
  ASSERT_TRUE(service->started()) << service->log();
  HttpClient client(service->port());
  ASSERT_TRUE(
      wait_until([&] { return client.get("/languages").status == 200; }, 10s));
  const std::string slow = json::serialize(json::object{
      {"source_code", "import time\ntime.sleep(1)"}, {"language_id", 71}});
  auto first = client.post("/submissions", slow);
  ASSERT_EQ(first.status, 201) << first.body;
  const std::string token(first.json().at("token").as_string());
  auto full = client.post("/submissions", slow);
  EXPECT_EQ(full.status, 503);
  EXPECT_EQ(full.body, R"({"error":"queue is full"})");
  ASSERT_TRUE(wait_until(
      [&] {
        return client.get("/submissions/" + token).json()["status"].at("id") ==
               3;
      },
      10s));
  auto second = client.post(
      kWait, json::serialize(json::object{{"source_code", "print(2)"},
                                          {"language_id", 71}}));
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(client.get("/submissions/" + token).status, 404);
  const std::string token2(second.json().at("token").as_string());
  EXPECT_EQ(client.get("/submissions/" + token2).status, 200);
  std::this_thread::sleep_for(1200ms);
  EXPECT_EQ(client.get("/submissions/" + token2).status, 404);
}

// The store outlives the runs it waits for: SIGTERM with one in flight
// ends the service cleanly.
TEST_P(Judge0, StopsCleanlyWithARunInFlight) {
  std::unique_ptr<ServiceProcess> service;
  if (GetParam() == "backend") {
    service = std::make_unique<BackendProcess>();
  } else {
    service = std::make_unique<FrontendProcess>(std::vector<std::string>{
        "--backends", "a=" + url_of(backend_->port()), "--rate-limit", "0"});
  }
  ASSERT_TRUE(service->started()) << service->log();
  HttpClient client(service->port());
  ASSERT_TRUE(
      wait_until([&] { return client.get("/languages").status == 200; }, 10s));
  auto r = client.post(
      "/submissions",
      json::serialize(json::object{
          {"source_code", "import time\ntime.sleep(1)"}, {"language_id", 71}}));
  ASSERT_EQ(r.status, 201) << r.body;
  std::this_thread::sleep_for(200ms);  // running now
  EXPECT_EQ(service->stop(), 0) << service->log();
}

INSTANTIATE_TEST_SUITE_P(Services, Judge0,
                         ::testing::Values("backend", "frontend"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace playground::testing
