// Judge0's API, the pure parts (compat/judge0.h) and the submission store
// (compat/judge0_store.h).
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json/serialize.hpp>
#include <regex>
#include <set>

#include "compat/judge0.h"
#include "compat/judge0_store.h"

namespace playground::compat::judge0 {
namespace {

namespace json = boost::json;
using sandbox::RunResult;
using sandbox::RunStatus;
using namespace std::chrono_literals;

constexpr std::string_view kVersion = "3.11.7";

Submission parsed(std::string_view body, bool base64 = false) {
  auto p = parse_submission(body, base64, kVersion);
  if (auto* r = std::get_if<Refusal>(&p)) {
    ADD_FAILURE() << "refused: " << json::serialize(r->body);
    return {};
  }
  return std::get<Submission>(p);
}

// The refusal's body as text, "" when it was accepted.
std::string refused(std::string_view body, int status = 422) {
  auto p = parse_submission(body, false, kVersion);
  auto* r = std::get_if<Refusal>(&p);
  if (r == nullptr) return "";
  EXPECT_EQ(static_cast<int>(r->status), status);
  return json::serialize(r->body);
}

Record finished(RunResult run, std::optional<std::string> expected = {}) {
  Record r{.token = "t", .phase = Phase::done, .run = std::move(run)};
  r.submission.expected_output = std::move(expected);
  return r;
}

RunResult ok_run(std::string out) {
  return {.stdout_bytes = std::move(out), .status = RunStatus::ok};
}

RunResult killed_by(int sig) {
  return {.exit_code = -sig, .status = RunStatus::killed};
}

TEST(Judge0Parse, DefaultsAreJudge0s) {
  Submission s = parsed(R"j({"source_code": "print(1)", "language_id": 71})j");
  EXPECT_EQ(s.source_code, "print(1)");
  EXPECT_EQ(s.language_id, 71);
  EXPECT_FALSE(s.stdin_text);
  EXPECT_FALSE(s.expected_output);
  EXPECT_EQ(s.limits.cpu_time_limit, 5);
  EXPECT_EQ(s.limits.wall_time_limit, 10);
  EXPECT_EQ(s.limits.memory_limit, 128000);
  protocol::EvalRequest run = eval_request(s);
  EXPECT_EQ(run.timeout_ms, 5000);  // the CPU limit, the smaller
  EXPECT_EQ(run.stdin_data, "");
  EXPECT_TRUE(run.args.empty());
}

TEST(Judge0Parse, NumbersAsStringsAndTheSmallerTimeLimit) {
  Submission s = parsed(
      R"({"source_code": "x", "language_id": "71", "stdin": "Judge0",
          "cpu_time_limit": "2.5", "wall_time_limit": 1.2,
          "memory_limit": 2048})");
  EXPECT_EQ(s.stdin_text, "Judge0");
  EXPECT_EQ(eval_request(s).timeout_ms, 1200);
  EXPECT_EQ(eval_request(s).stdin_data, "Judge0");
  // cpu_time_limit 0 is isolate's "no CPU limit": the wall clock applies.
  s = parsed(R"({"source_code": "x", "language_id": 71,
                 "cpu_time_limit": 0, "wall_time_limit": 3})");
  EXPECT_EQ(eval_request(s).timeout_ms, 3000);
}

TEST(Judge0Parse, LanguageIdsFollowTheRealVersion) {
  EXPECT_EQ(language_ids("3.11.7"), (std::vector<int>{71, 92}));
  EXPECT_EQ(language_ids("3.12.1"), (std::vector<int>{71, 100}));
  EXPECT_EQ(language_ids("3.13.0"), (std::vector<int>{71, 109}));
  EXPECT_EQ(language_ids("3.10.2"), (std::vector<int>{71}));
  EXPECT_EQ(parsed(R"({"source_code": "x", "language_id": 92})").language_id,
            92);
  EXPECT_EQ(refused(R"({"source_code": "x", "language_id": 4})"),
            R"({"language_id":["language with id 4 doesn't exist"]})");
  EXPECT_EQ(refused(R"({"source_code": "x", "language_id": 150000})"),
            R"({"language_id":["language with id 150000 doesn't exist"]})");
  auto p = parse_submission(R"({"source_code": "x", "language_id": 92})", false,
                            "3.12.1");
  EXPECT_TRUE(std::holds_alternative<Refusal>(p));
}

TEST(Judge0Parse, RefusalsAreJudge0sWordsInItsOrder) {
  // The documentation's example without language_id, as 1.13.1 answers it.
  EXPECT_EQ(refused(R"({"source_code": "x"})"),
            R"({"language_id":["can't be blank",)"
            R"("language with id  doesn't exist"]})");
  EXPECT_EQ(refused(R"({"language_id": 71, "source_code": "  "})"),
            R"({"source_code":["can't be blank"]})");
  EXPECT_EQ(refused(R"({"source_code": "x", "language_id": 71,
                        "cpu_time_limit": 16})"),
            R"({"cpu_time_limit":["must be less than or equal to 15.0"]})");
  EXPECT_EQ(
      refused(R"({"source_code": "x", "language_id": 71, "number_of_runs": 21,
                  "cpu_extra_time": 6, "wall_time_limit": 100000,
                  "memory_limit": 512001, "stack_limit": 128001,
                  "max_processes_and_or_threads": 121,
                  "max_file_size": 4097})"),
      R"({"number_of_runs":["must be less than or equal to 20"],)"
      R"("cpu_extra_time":["must be less than or equal to 5.0"],)"
      R"("wall_time_limit":["must be less than or equal to 20.0"],)"
      R"("memory_limit":["must be less than or equal to 512000"],)"
      R"("stack_limit":["must be less than or equal to 128000"],)"
      R"("max_processes_and_or_threads":["must be less than or equal to 120"],)"
      R"("max_file_size":["must be less than or equal to 4096"]})");
  EXPECT_EQ(refused(R"({"source_code": "x", "language_id": 71,
                        "wall_time_limit": 0.5, "memory_limit": 100,
                        "number_of_runs": 0, "cpu_time_limit": "fast"})"),
            R"({"number_of_runs":["must be greater than 0"],)"
            R"("cpu_time_limit":["is not a number"],)"
            R"("wall_time_limit":["must be greater than or equal to 1"],)"
            R"("memory_limit":["must be greater than or equal to 2048"]})");
  EXPECT_EQ(refused(R"({"source_code": "x", "language_id": 71,
                        "enable_network": true, "callback_url": "http://a",
                        "compiler_options": "-O2"})"),
            R"({"compiler_options":["setting compiler options is only )"
            R"(allowed for compiled languages"],"callback_url":["setting )"
            R"(callback is not allowed"],"enable_network":["enabling )"
            R"(network is not allowed"]})");
  EXPECT_TRUE(refused("{\"source_code\": ", 400)
                  .starts_with(R"({"error":"The body is not valid JSON: )"));
  // Null is Judge0's default, false is allowed.
  EXPECT_EQ(refused(R"({"source_code": "x", "language_id": 71,
                        "cpu_time_limit": null, "enable_network": false})"),
            "");
}

TEST(Judge0Parse, Base64DecodesTheThreeTextFields) {
  Submission s = parsed(
      R"({"source_code": "cHJpbnQoaW5wdXQoKSk=\n", "language_id": 71,
          "stdin": "SnVkZ2Uw", "expected_output": "SnVkZ2Uw\n",
          "command_line_arguments": "SnVkZ2Uw"})",
      /*base64=*/true);
  EXPECT_EQ(s.source_code, "print(input())");
  EXPECT_EQ(s.stdin_text, "Judge0");
  EXPECT_EQ(s.expected_output, "Judge0");
  // Not among them, as in Judge0.
  EXPECT_EQ(s.args, std::vector<std::string>{"SnVkZ2Uw"});
  auto p = parse_submission(R"({"source_code": "!!", "language_id": 71})", true,
                            kVersion);
  ASSERT_TRUE(std::holds_alternative<Refusal>(p));
  EXPECT_EQ(json::serialize(std::get<Refusal>(p).body),
            R"({"source_code":["is not valid base64"]})");
}

TEST(Judge0Parse, ArgumentsAreSplitWithoutAShell) {
  using Args = std::vector<std::string>;
  EXPECT_EQ(split_arguments("  a  b\tc "), (Args{"a", "b", "c"}));
  EXPECT_EQ(split_arguments(R"('one two' "three \"four\"" five\ six)"),
            (Args{"one two", "three \"four\"", "five six"}));
  EXPECT_EQ(split_arguments(R"(a'b'"c" '' "")"), (Args{"abc", "", ""}));
  // No expansion, no command: Judge0 deletes $&;<>|` first, so a command
  // substitution or a second command is plain text.
  EXPECT_EQ(split_arguments("$(id) `id`; rm -rf / | cat > x"),
            (Args{"(id)", "id", "rm", "-rf", "/", "cat", "x"}));
  EXPECT_EQ(split_arguments("'$HOME' *"), (Args{"HOME", "*"}));
  EXPECT_EQ(split_arguments(R"('a\b' "c\d")"), (Args{"a\\b", "c\\d"}));
  EXPECT_FALSE(split_arguments("'open"));
  EXPECT_FALSE(split_arguments("\"open"));
  EXPECT_EQ(split_arguments(""), Args{});

  Submission s = parsed(R"({"source_code": "x", "language_id": 71,
                            "command_line_arguments": "-v 'a b'"})");
  EXPECT_EQ(eval_request(s).args, (Args{"-v", "a b"}));
  EXPECT_EQ(refused(R"({"source_code": "x", "language_id": 71,
                        "command_line_arguments": "'a"})"),
            R"({"command_line_arguments":["has an unterminated quote"]})");
  const std::string long_args(513, 'a');
  EXPECT_EQ(refused(R"({"source_code": "x", "language_id": 71,
                        "command_line_arguments": ")" +
                    long_args + "\"}"),
            R"({"command_line_arguments":["is too long )"
            R"j((maximum is 512 characters)"]})j");
}

TEST(Judge0Query, WaitBase64AndFields) {
  auto q = parse_query("/submissions?wait=true&base64_encoded=true");
  ASSERT_TRUE(q);
  EXPECT_TRUE(q->wait);
  EXPECT_TRUE(q->base64);
  EXPECT_TRUE(q->fields.empty());
  // Only "true" is true, as in Judge0.
  q = parse_query("/submissions?wait=1&base64_encoded=TRUE");
  ASSERT_TRUE(q);
  EXPECT_FALSE(q->wait);
  EXPECT_FALSE(q->base64);
  q = parse_query("/submissions/x?fields=stdout,%20status_id");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->fields, (std::vector<std::string>{"stdout", "status_id"}));
  q = parse_query("/submissions/x?fields=stdout,nope,bad");
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().message, "invalid fields: [nope, bad]");
}

TEST(Judge0Answer, StatusPerRunEnd) {
  EXPECT_EQ(status_of(finished(ok_run("7\n"))), StatusId::accepted);
  EXPECT_EQ(status_of(finished({.exit_code = 1, .status = RunStatus::error})),
            StatusId::nzec);
  EXPECT_EQ(status_of(finished({.status = RunStatus::timeout})),
            StatusId::time_limit_exceeded);
  EXPECT_EQ(status_of(finished(killed_by(SIGSEGV))), StatusId::sigsegv);
  EXPECT_EQ(status_of(finished(killed_by(SIGXFSZ))), StatusId::sigxfsz);
  EXPECT_EQ(status_of(finished(killed_by(SIGFPE))), StatusId::sigfpe);
  EXPECT_EQ(status_of(finished(killed_by(SIGABRT))), StatusId::sigabrt);
  EXPECT_EQ(status_of(finished(killed_by(SIGTERM))), StatusId::other);
  EXPECT_EQ(status_of(finished({.status = RunStatus::memory_limit})),
            StatusId::other);
  EXPECT_EQ(status_of(finished({.status = RunStatus::output_limit})),
            StatusId::sigxfsz);
  // A time limit comes before the comparison, as in Judge0's verify.
  EXPECT_EQ(status_of(finished({.status = RunStatus::timeout}, "x")),
            StatusId::time_limit_exceeded);
  Record r{.phase = Phase::in_queue};
  EXPECT_EQ(status_of(r), StatusId::in_queue);
  r.phase = Phase::processing;
  EXPECT_EQ(status_of(r), StatusId::processing);
  r.phase = Phase::done;  // without a run
  EXPECT_EQ(status_of(r), StatusId::internal_error);
}

TEST(Judge0Answer, ExpectedOutputComparedLineWise) {
  auto verdict = [](std::string expected, std::string out) {
    return status_of(finished(ok_run(std::move(out)), std::move(expected)));
  };
  // [LIVE] 1.13.1's results, and the rule's edges.
  EXPECT_EQ(verdict("3", "3\n"), StatusId::accepted);
  EXPECT_EQ(verdict("3\n", "3"), StatusId::accepted);
  EXPECT_EQ(verdict("3", "3 \n"), StatusId::accepted);
  EXPECT_EQ(verdict("a\nb", "a \nb\n"), StatusId::accepted);
  EXPECT_EQ(verdict("3", "3\r\n"), StatusId::accepted);
  EXPECT_EQ(verdict("3", "3\n\n\n"), StatusId::accepted);
  EXPECT_EQ(verdict("3", " 3\n"), StatusId::wrong_answer);
  EXPECT_EQ(verdict("a\nb", "a\n\nb\n"), StatusId::wrong_answer);
  EXPECT_EQ(verdict("hello, Judge0", "hello, judge0\n"),
            StatusId::wrong_answer);
}

TEST(Judge0Answer, DefaultFieldsInSerializerOrder) {
  Record r = finished({.stdout_bytes = "hello\n",
                       .exit_code = 0,
                       .cpu_ms = 16,
                       .memory_kb = 3256});
  r.token = "89f0443c-b6c9-44e4-bce1-442959dfc14c";
  auto a = answer(r, {}, kVersion);
  ASSERT_TRUE(a);
  EXPECT_EQ(json::serialize(*a),
            R"({"stdout":"hello\n","time":"0.016","memory":3256,)"
            R"("stderr":null,"token":"89f0443c-b6c9-44e4-bce1-442959dfc14c",)"
            R"("compile_output":null,"message":null,)"
            R"("status":{"id":3,"description":"Accepted"}})");
  // The documentation's fields example keeps the serializer's order.
  a = answer(r, *parse_query("?fields=stdout,stderr,status_id,language_id"),
             kVersion);
  ASSERT_TRUE(a);
  EXPECT_EQ(json::serialize(*a),
            R"({"language_id":71,"stdout":"hello\n","status_id":3,)"
            R"("stderr":null})");
  a = answer(r, *parse_query("?fields=*"), kVersion);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->size(), 35u);
  EXPECT_EQ(a->at("cpu_time_limit"), "5.0");
  EXPECT_EQ(a->at("memory_limit"), 128000);
  EXPECT_EQ(a->at("exit_code"), 0);
  EXPECT_EQ(a->at("language").at("name"), "Python (3.11.7)");
}

TEST(Judge0Answer, RunEndsInAttributes) {
  auto all = [](Record r) {
    return *answer(r, *parse_query("?fields=*"), kVersion);
  };
  json::object a = all(finished(
      {.stderr_bytes = "boom\n", .exit_code = 3, .status = RunStatus::error}));
  EXPECT_EQ(a.at("stdout"), nullptr);  // empty output is null
  EXPECT_EQ(a.at("stderr"), "boom\n");
  EXPECT_EQ(a.at("exit_code"), 3);
  EXPECT_EQ(a.at("message"), "Exited with error status 3");
  a = all(finished(killed_by(SIGSEGV)));
  EXPECT_EQ(a.at("exit_signal"), 11);
  EXPECT_EQ(a.at("exit_code"), 0);
  EXPECT_EQ(a.at("message"), "Caught fatal signal 11");
  a = all(finished({.status = RunStatus::timeout}));
  EXPECT_EQ(a.at("message"), "Time limit exceeded");
  Record failed{.token = "t", .phase = Phase::done, .failure = "busy"};
  a = all(failed);
  EXPECT_EQ(a.at("status").at("id"), 13);
  EXPECT_EQ(a.at("message"), "busy");
  EXPECT_EQ(a.at("time"), nullptr);
}

TEST(Judge0Answer, Base64AndUtf8) {
  Record r = finished(ok_run("hello, Judge0\n"));
  auto a = answer(r, {.base64 = true}, kVersion);
  ASSERT_TRUE(a);
  // Ruby's Base64.encode64, as the documentation shows it.
  EXPECT_EQ(a->at("stdout"), "aGVsbG8sIEp1ZGdlMAo=\n");
  r = finished(ok_run(std::string(50, 'x')));
  a = answer(r, {.base64 = true}, kVersion);
  const std::string wrapped(a->at("stdout").as_string());
  EXPECT_EQ(wrapped.find('\n'), 60u);
  EXPECT_EQ(wrapped.back(), '\n');
  r = finished(ok_run("\xfe\n"));
  a = answer(r, {}, kVersion);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().message,
            "some attributes for this submission cannot be converted to "
            "UTF-8, use base64_encoded=true query parameter");
  // Only the attributes asked for are checked; valid UTF-8 passes.
  EXPECT_TRUE(answer(r, *parse_query("?fields=status"), kVersion));
  EXPECT_TRUE(answer(finished(ok_run("\xe3\x81\x82\n")), {}, kVersion));
  a = answer(r, {.base64 = true}, kVersion);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->at("stdout"), "/go=\n");
}

TEST(Judge0Lists, StatusesAndLanguages) {
  json::array s = statuses();
  ASSERT_EQ(s.size(), 14u);
  EXPECT_EQ(json::serialize(s[0]), R"({"id":1,"description":"In Queue"})");
  EXPECT_EQ(json::serialize(s[10]),
            R"j({"id":11,"description":"Runtime Error (NZEC)"})j");
  EXPECT_EQ(json::serialize(languages("3.11.7", false)),
            R"j([{"id":71,"name":"Python (3.11.7)"},)j"
            R"j({"id":92,"name":"Python (3.11.7)"}])j");
  auto one = language("71", "3.11.7");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->at("is_archived"), false);
  EXPECT_EQ(one->at("compile_cmd"), nullptr);
  EXPECT_FALSE(language("70", "3.11.7"));
  EXPECT_FALSE(language("92", "3.12.1"));
  EXPECT_FALSE(language("71x", "3.11.7"));
}

TEST(Judge0Store, TokensAreRandomUuidV4) {
  const std::regex uuid(
      "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string t = new_token();
    EXPECT_TRUE(std::regex_match(t, uuid)) << t;
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(Judge0Store, PhasesAndExpiry) {
  SubmissionStore store({.count = 10, .keep_for = 60s});
  const auto t0 = SubmissionStore::Clock::now();
  auto token = store.add({.source_code = "x"}, t0);
  ASSERT_TRUE(token);
  EXPECT_EQ(store.find(*token, t0)->phase, Phase::in_queue);
  store.start(*token);
  EXPECT_EQ(store.find(*token, t0)->phase, Phase::processing);
  // Running: kept however long it takes.
  EXPECT_TRUE(store.find(*token, t0 + 1h).has_value());
  store.finish(*token, ok_run("1\n"), "", t0 + 1h);
  const std::optional<Record> r = store.find(*token, t0 + 1h + 59s);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->phase, Phase::done);
  EXPECT_EQ(r->run->stdout_bytes, "1\n");
  EXPECT_FALSE(store.find(*token, t0 + 1h + 60s).has_value());
  EXPECT_EQ(store.size(), 0u);
  EXPECT_EQ(store.bytes(), 0u);
  EXPECT_FALSE(
      store.find("00000000-0000-0000-0000-000000000000", t0).has_value());
}

TEST(Judge0Store, CountBoundDropsOldestFinishedThenRefuses) {
  SubmissionStore store({.count = 3, .keep_for = 1h});
  const auto now = SubmissionStore::Clock::now();
  std::vector<std::string> t;
  for (int i = 0; i < 3; ++i)
    t.push_back(*store.add({.source_code = "x"}, now));
  store.finish(t[1], ok_run(""), "", now);
  store.finish(t[0], ok_run(""), "", now);
  // Full: the oldest finished (t[1]) makes room, then t[0].
  auto a = store.add({.source_code = "x"}, now);
  ASSERT_TRUE(a);
  EXPECT_FALSE(store.find(t[1], now).has_value());
  EXPECT_TRUE(store.find(t[0], now).has_value());
  auto b = store.add({.source_code = "x"}, now);
  ASSERT_TRUE(b);
  EXPECT_FALSE(store.find(t[0], now).has_value());
  // Three running: nothing may go.
  EXPECT_FALSE(store.add({.source_code = "x"}, now));
  EXPECT_EQ(store.size(), 3u);
  store.erase(*a);
  EXPECT_TRUE(store.add({.source_code = "x"}, now));
}

TEST(Judge0Store, ByteBoundCountsProgramsAndOutput) {
  SubmissionStore store({.count = 100, .keep_for = 1h, .bytes = 10'000});
  const auto now = SubmissionStore::Clock::now();
  auto big = store.add({.source_code = std::string(6000, 'x')}, now);
  ASSERT_TRUE(big);
  // A second one of the same size does not fit beside a running one.
  EXPECT_FALSE(store.add({.source_code = std::string(6000, 'x')}, now));
  store.finish(*big, ok_run(std::string(3000, 'o')), "", now);
  EXPECT_GT(store.bytes(), 9000u);
  auto small = store.add({.source_code = "x"}, now);
  ASSERT_TRUE(small);  // the finished big one made room
  EXPECT_FALSE(store.find(*big, now).has_value());
  EXPECT_LT(store.bytes(), 1000u);
}

}  // namespace
}  // namespace playground::compat::judge0
