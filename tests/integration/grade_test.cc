// POST /py/grade against the real playground-backend: verdicts, points,
// hidden cases, bounds and parallel cases (grading/, backend/grader.h).
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json/serialize.hpp>
#include <chrono>
#include <future>
#include <map>
#include <string>

#include "support/http_client.h"
#include "support/service_process.h"

namespace playground::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kToken = "grade-token";

class Grade : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    backend_ =
        new BackendProcess({"--concurrency", "2", "--pool", "2", "--wall", "2s",
                            "--max-wall", "3s", "--max-body", "256K"},
                           {{"PLAYGROUND_TOKEN", kToken}});
  }
  void SetUp() override { ASSERT_TRUE(backend_->started()) << backend_->log(); }
  static void TearDownTestSuite() {
    delete backend_;
    backend_ = nullptr;
  }

  // POST /py/grade as `client` (the frontend's word, believed with the token).
  static HttpReply grade(const boost::json::value& body,
                         const std::string& client = "alice",
                         const std::string& content_type = "application/json") {
    HttpClient c(backend_->port());
    return c.request("POST", "/py/grade", boost::json::serialize(body),
                     content_type,
                     {{"Authorization", std::string("Bearer ") + kToken},
                      {"X-Playground-Client", client}});
  }
  static BackendProcess* backend_;
};
BackendProcess* Grade::backend_ = nullptr;

// One program whose behaviour each case's stdin picks.
constexpr const char* kProgram = R"(import sys, time
what = sys.stdin.read().strip()
if what == "sum":
    print(sum(map(int, sys.argv[1:])))
elif what == "wrong":
    print("first\nsecond")
elif what == "crash":
    raise ValueError("boom")
elif what == "spin":
    while True:
        pass
elif what == "hog":
    b = bytearray(600 << 20)
    print(len(b))
elif what == "flood":
    sys.stdout.write("x" * (4 << 20))
elif what == "sleep":
    time.sleep(0.5)
    print("slept")
)";

boost::json::object case_of(std::string name, std::string stdin_data,
                            std::string expected, int64_t points = 1) {
  return {{"name", std::move(name)},
          {"stdin", std::move(stdin_data)},
          {"expected_stdout", std::move(expected)},
          {"points", points}};
}

boost::json::object find_case(const boost::json::object& report,
                              std::string_view name) {
  for (const auto& t : report.at("tests").as_array()) {
    if (t.at("name").as_string() == name) return t.as_object();
  }
  ADD_FAILURE() << "no case " << name;
  return {};
}

TEST_F(Grade, EachOutcomeHasItsVerdictAndPoints) {
  auto sum = case_of("sum", "sum", "6\n", 3);
  sum["args"] = boost::json::array{"1", "2", "3"};
  auto spin = case_of("spin", "spin", "");
  spin["timeout_ms"] = 300;
  boost::json::array tests{sum,
                           case_of("wrong", "wrong", "first\nthird\n"),
                           case_of("crash", "crash", ""),
                           spin,
                           case_of("hog", "hog", ""),
                           case_of("flood", "flood", "")};
  auto r = grade({{"code", kProgram}, {"tests", tests}});
  ASSERT_EQ(r.status, 200) << r.body;
  const auto j = r.json();
  EXPECT_EQ(find_case(j, "sum").at("verdict"), "passed");
  EXPECT_EQ(find_case(j, "sum").at("points"), 3);
  EXPECT_EQ(find_case(j, "sum").at("stdout"), "6\n");
  const auto wrong = find_case(j, "wrong");
  EXPECT_EQ(wrong.at("verdict"), "wrong_answer");
  EXPECT_EQ(wrong.at("points"), 0);
  EXPECT_EQ(wrong.at("difference").at("line"), 2);
  EXPECT_EQ(wrong.at("difference").at("expected"), "third");
  EXPECT_EQ(wrong.at("difference").at("got"), "second");
  const auto crash = find_case(j, "crash");
  EXPECT_EQ(crash.at("verdict"), "error");
  EXPECT_EQ(crash.at("exit_code"), 1);
  EXPECT_NE(
      std::string(crash.at("stderr").as_string()).find("ValueError: boom"),
      std::string::npos);
  EXPECT_EQ(find_case(j, "spin").at("verdict"), "timeout");
  EXPECT_EQ(find_case(j, "hog").at("verdict"), "memory_limit");
  EXPECT_EQ(find_case(j, "flood").at("verdict"), "output_limit");
  EXPECT_EQ(j.at("passed"), 1);
  EXPECT_EQ(j.at("total"), 6);
  EXPECT_EQ(j.at("score"), 3);
  EXPECT_EQ(j.at("max_score"), 8);
  // In the request's order, whatever order they finished in.
  EXPECT_EQ(j.at("tests").as_array()[0].at("name"), "sum");
  EXPECT_EQ(j.at("tests").as_array()[5].at("name"), "flood");
}

TEST_F(Grade, CompareModes) {
  const char* code = "print('Yes  ', 3.14159)\nprint()\n";
  auto with = [&](boost::json::value compare, const char* expected) {
    auto r = grade({{"code", code},
                    {"compare", compare},
                    {"tests", boost::json::array{case_of("a", "", expected)}}});
    EXPECT_EQ(r.status, 200) << r.body;
    return std::string(find_case(r.json(), "a").at("verdict").as_string());
  };
  EXPECT_EQ(with("exact", "Yes   3.14159\n\n"), "passed");
  EXPECT_EQ(with("exact", "Yes 3.14159\n"), "wrong_answer");
  EXPECT_EQ(with("lines", "Yes   3.14159"), "passed");
  EXPECT_EQ(with("tokens", "Yes 3.14159"), "passed");
  EXPECT_EQ(with("tokens", "yes 3.1416"), "wrong_answer");
  EXPECT_EQ(with(boost::json::object{{"mode", "tokens"},
                                     {"case_insensitive", true},
                                     {"float_abs", 1e-4}},
                 "yes 3.1416"),
            "passed");
}

TEST_F(Grade, HiddenCasesShowVerdictsOnly) {
  auto hidden = case_of("secret", "sum", "SECRET-4711\n");
  hidden["args"] = boost::json::array{"SECRET-", "4711"};
  hidden["hidden"] = true;
  auto r = grade({{"code", "import sys\nprint(''.join(sys.argv[1:]))\n"},
                  {"tests", boost::json::array{hidden}}});
  ASSERT_EQ(r.status, 200) << r.body;
  const auto t = find_case(r.json(), "secret");
  EXPECT_EQ(t.at("verdict"), "passed");
  EXPECT_EQ(t.at("hidden"), true);
  EXPECT_FALSE(t.contains("stdout"));
  EXPECT_FALSE(t.contains("difference"));
  EXPECT_EQ(r.body.find("SECRET"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("4711"), std::string::npos) << r.body;
  // A failing hidden case does not show its difference either.
  hidden["expected_stdout"] = "SECRET-0000\n";
  r = grade({{"code", "import sys\nprint(''.join(sys.argv[1:]))\n"},
             {"tests", boost::json::array{hidden}}});
  EXPECT_EQ(find_case(r.json(), "secret").at("verdict"), "wrong_answer");
  EXPECT_EQ(r.body.find("SECRET"), std::string::npos) << r.body;
  EXPECT_EQ(backend_->log().find("SECRET"), std::string::npos);
}

TEST_F(Grade, CasesRunInParallelWithoutShuttingOthersOut) {
  boost::json::array tests;
  for (int i = 0; i < 8; ++i) {
    tests.push_back(case_of("sleep " + std::to_string(i), "sleep", "slept\n"));
  }
  const auto start = Clock::now();
  auto graded = std::async(std::launch::async, [&] {
    auto r = grade({{"code", kProgram}, {"tests", tests}}, "alice");
    return std::make_pair(r, Clock::now());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  // Another client's run is let in between the cases, not after all 8.
  HttpClient bob(backend_->port());
  auto quick = bob.request("POST", "/py/eval", R"j({"code": "print('hi')"})j",
                           "application/json",
                           {{"Authorization", std::string("Bearer ") + kToken},
                            {"X-Playground-Client", "bob"}});
  const auto quick_done = Clock::now();
  auto [r, graded_done] = graded.get();
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("passed"), 8) << r.body;
  EXPECT_EQ(quick.status, 200) << quick.body;
  EXPECT_LT(quick_done, graded_done)
      << "the other client waited for the whole grading";
  // 8 runs of 0.5 s one after another take 4 s; on two slots about 2 s.
  const double seconds =
      std::chrono::duration<double>(graded_done - start).count();
  EXPECT_LT(seconds, 3.6) << "the cases did not run in parallel";
}

TEST_F(Grade, BoundsAndBadRequests) {
  auto ok_case = case_of("a", "", "1\n");
  auto status = [&](boost::json::value body,
                    const std::string& type = "application/json") {
    auto r = grade(body, "alice", type);
    EXPECT_TRUE(r.json().contains("error")) << r.body;
    return r.status;
  };
  EXPECT_EQ(status({{"code", "print(1)"}}), 400);
  EXPECT_EQ(status({{"code", "print(1)"}, {"tests", boost::json::array{}}}),
            400);
  EXPECT_EQ(status({{"tests", boost::json::array{ok_case}}}), 400);
  EXPECT_EQ(status({{"code", "print(1)"},
                    {"tests", boost::json::array{ok_case, ok_case}}}),
            400)
      << "two cases of one name";
  EXPECT_EQ(status({{"code", "print(1)"},
                    {"compare", "fuzzy"},
                    {"tests", boost::json::array{ok_case}}}),
            400);
  EXPECT_EQ(status({{"code", "print(1)"},
                    {"compare", {{"mode", "lines"}, {"float_abs", 0.1}}},
                    {"tests", boost::json::array{ok_case}}}),
            400);
  auto negative = ok_case;
  negative["points"] = -1;
  EXPECT_EQ(
      status({{"code", "print(1)"}, {"tests", boost::json::array{negative}}}),
      400);
  boost::json::array many;
  for (int i = 0; i < 101; ++i)
    many.push_back(case_of(std::to_string(i), "", ""));
  EXPECT_EQ(status({{"code", "print(1)"}, {"tests", many}}), 400);
  boost::json::array slow;
  for (int i = 0; i < 2; ++i) {
    auto c = case_of(std::to_string(i), "", "");
    c["timeout_ms"] = 200'000;
    slow.push_back(c);
  }
  EXPECT_EQ(status({{"code", "print(1)"}, {"tests", slow}}), 400);
  EXPECT_EQ(
      status({{"code", "print(1)"}, {"tests", boost::json::array{ok_case}}},
             "application/x-www-form-urlencoded"),
      415);
  EXPECT_EQ(status({{"code", std::string(300 << 10, '#')},
                    {"tests", boost::json::array{ok_case}}}),
            413);
  // Without the token: refused before anything runs.
  HttpClient c(backend_->port());
  EXPECT_EQ(c.post("/py/grade", R"j({"code":"print(1)","tests":[]})j").status,
            401);
}

// Through the frontend: POST /grade and the exercises, over two backends.
class FrontendGrade : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    a_ = new BackendProcess({"--concurrency", "2", "--pool", "1"});
    b_ = new BackendProcess({"--concurrency", "2", "--pool", "1"});
    frontend_ = new FrontendProcess(
        {"--backends",
         "a=http://127.0.0.1:" + std::to_string(a_->port()) +
             ",b=http://127.0.0.1:" + std::to_string(b_->port()),
         "--rate-limit", "0", "--exercises", PLAYGROUND_SOURCE_DIR "/exercises",
         "--health-interval", "200ms"});
  }
  void SetUp() override {
    ASSERT_TRUE(frontend_->started()) << frontend_->log();
    ASSERT_TRUE(a_->started() && b_->started());
  }
  static void TearDownTestSuite() {
    delete frontend_;
    delete a_;
    delete b_;
  }
  static HttpReply post(const std::string& target,
                        const boost::json::value& body) {
    HttpClient c(frontend_->port());
    return c.post(target, boost::json::serialize(body));
  }
  static BackendProcess* a_;
  static BackendProcess* b_;
  static FrontendProcess* frontend_;
};
BackendProcess* FrontendGrade::a_ = nullptr;
BackendProcess* FrontendGrade::b_ = nullptr;
FrontendProcess* FrontendGrade::frontend_ = nullptr;

// The hidden case of exercises/sum-two.json.
constexpr const char* kHiddenSum = "123456789012345678901234567891";

TEST_F(FrontendGrade, ExercisesAreListedWithoutTheirHiddenCases) {
  HttpClient c(frontend_->port());
  auto list = c.get("/api/exercises");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_GE(list.json().at("exercises").as_array().size(), 3u);
  auto one = c.get("/api/exercises/sum-two");
  ASSERT_EQ(one.status, 200) << one.body;
  const auto e = one.json();
  EXPECT_EQ(e.at("title"), "Sum of two numbers");
  EXPECT_EQ(e.at("tests").as_array().size(), 2u);
  EXPECT_EQ(e.at("hidden_tests"), 2);
  EXPECT_EQ(e.at("max_score"), 5);
  EXPECT_EQ(one.body.find(kHiddenSum), std::string::npos);
  EXPECT_EQ(list.body.find(kHiddenSum), std::string::npos);
  EXPECT_EQ(c.get("/api/exercises/no-such").status, 404);
  EXPECT_EQ(c.post("/api/exercises/sum-two", "{}").status, 405);
  EXPECT_EQ(c.get("/api/exercises/sum-two/grade").status, 405);
}

TEST_F(FrontendGrade, AnExerciseIsGradedOnEveryCaseServerSide) {
  auto right =
      post("/api/exercises/sum-two/grade",
           {{"code", "a, b = map(int, input().split())\nprint(a + b)\n"}});
  ASSERT_EQ(right.status, 200) << right.body;
  EXPECT_EQ(right.json().at("passed"), 4);
  EXPECT_EQ(right.json().at("score"), 5);
  EXPECT_EQ(right.body.find(kHiddenSum), std::string::npos) << right.body;
  // A wrong program: hidden cases fail with a verdict and nothing else.
  auto wrong =
      post("/api/exercises/sum-two/grade",
           {{"code", "a, b = map(int, input().split())\nprint(1 - a - b)\n"}});
  ASSERT_EQ(wrong.status, 200) << wrong.body;
  EXPECT_EQ(wrong.json().at("passed"), 0);
  const auto report = wrong.json();  // outlives the loop over its cases
  for (const auto& t : report.at("tests").as_array()) {
    EXPECT_EQ(t.at("verdict"), "wrong_answer");
    EXPECT_EQ(t.as_object().contains("difference"), !t.at("hidden").as_bool());
  }
  EXPECT_EQ(wrong.body.find(kHiddenSum), std::string::npos) << wrong.body;
  EXPECT_EQ(frontend_->log().find(kHiddenSum), std::string::npos);
  EXPECT_EQ(post("/api/exercises/sum-two/grade", {{"source", "x"}}).status,
            400);
}

TEST_F(FrontendGrade, TheShippedExercisesHaveWorkingSolutions) {
  const std::map<std::string, std::string> solutions = {
      {"sum-two", "a, b = map(int, input().split())\nprint(a + b)\n"},
      {"fizzbuzz",
       "n = int(input())\nfor i in range(1, n + 1):\n"
       "    print('Fizz' * (i % 3 == 0) + 'Buzz' * (i % 5 == 0) or i)\n"},
      {"mean-and-deviation",
       "import statistics, sys\n"
       "xs = [float(l) for l in sys.stdin if l.strip()]\n"
       "print(statistics.mean(xs), statistics.pstdev(xs))\n"},
  };
  for (const auto& [id, code] : solutions) {
    auto r = post("/api/exercises/" + id + "/grade", {{"code", code}});
    ASSERT_EQ(r.status, 200) << id << ": " << r.body;
    EXPECT_EQ(r.json().at("passed"), r.json().at("total"))
        << id << ": " << r.body;
    EXPECT_EQ(r.json().at("score"), r.json().at("max_score")) << id;
  }
}

TEST_F(FrontendGrade, GradeFailsOverWhenABackendDies) {
  boost::json::object request{
      {"code", "print(input()[::-1])"},
      {"tests", boost::json::array{case_of("rev", "abc", "cba\n")}}};
  ASSERT_EQ(post("/grade", request).status, 200);
  EXPECT_EQ(a_->stop(SIGKILL), 128 + SIGKILL);
  for (int i = 0; i < 6; ++i) {
    auto r = post("/grade", request);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("x-playground-backend"), "b");
    EXPECT_EQ(r.json().at("passed"), 1);
  }
  HttpClient c(frontend_->port());
  EXPECT_EQ(
      c.post("/grade", "code=1", "application/x-www-form-urlencoded").status,
      415);
  EXPECT_EQ(post("/grade", {{"code", "print(1)"}}).status, 400);
}

}  // namespace
}  // namespace playground::testing
