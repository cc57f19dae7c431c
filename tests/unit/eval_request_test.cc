// Validation of POST /py/eval bodies.
#include "protocol/eval_request.h"

#include <gtest/gtest.h>

#include "http/message.h"
#include "sandbox/shared/step.h"

namespace playground::protocol {
namespace {

TEST(EvalRequest, JsonWithAllFields) {
  auto r = parse_eval_request(
      "application/json; charset=utf-8",
      R"J({"code":"print(1)","stdin":"x","timeout_ms":2000,"extra":1})J");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->code, "print(1)");
  EXPECT_EQ(r->stdin_data, "x");
  EXPECT_EQ(r->timeout_ms, 2000);
}

TEST(EvalRequest, JsonFilesAndArgs) {
  auto r = parse_eval_request(
      "application/json",
      R"J({"code":"1","files":[{"name":"a.py","content":"x = 1\n"},
          {"name":"d/b.txt","content":""}],"args":["-n","3"]})J");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->files.size(), 2u);
  EXPECT_EQ(r->files[0].name, "a.py");
  EXPECT_EQ(r->files[0].content, "x = 1\n");
  EXPECT_EQ(r->files[1].name, "d/b.txt");
  EXPECT_EQ(r->args, (std::vector<std::string>{"-n", "3"}));
}

TEST(EvalRequest, BytesThatAreNotUtf8TravelAsBase64) {
  auto r = parse_eval_request(
      "application/json",
      R"J({"code":"1","stdin":"/4A=","stdin_encoding":"base64","files":[
          {"name":"a.bin","content":"AAH/","encoding":"base64"},
          {"name":"b.txt","content":"AAH/","encoding":"utf8"}]})J");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->stdin_data, "\xff\x80");
  EXPECT_EQ(r->files[0].content, std::string("\0\1\xff", 3));
  EXPECT_EQ(r->files[1].content, "AAH/");
  for (
      std::string_view bad :
      {R"J({"code":"1","stdin":"x","stdin_encoding":"hex"})J",
       R"J({"code":"1","stdin":"!!","stdin_encoding":"base64"})J",
       R"J({"code":"1","files":[{"name":"a","content":"x","encoding":7}]})J"}) {
    auto refused = parse_eval_request("application/json", bad);
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().code, Errc::invalid_request);
  }
}

TEST(EvalRequest, OutputEncodingAsksForTheExactBytes) {
  auto r = parse_eval_request("application/json",
                              R"J({"code":"1","output_encoding":"base64"})J");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->output_base64);
  auto plain = parse_eval_request("application/json",
                                  R"J({"code":"1","output_encoding":"utf8"})J");
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_FALSE(plain->output_base64);
  EXPECT_FALSE(parse_eval_request("application/json",
                                  R"J({"code":"1","output_encoding":"hex"})J"));
}

TEST(EvalRequest, FileNames) {
  for (const char* ok : {"helper.py", "data/in.txt", "a/b/c/d/e/f/g/h",
                         ".hidden", "with space.txt", "ünï.py", "..a"}) {
    EXPECT_EQ(file_name_problem(ok), "") << ok;
  }
  for (const char* bad : {"", "/abs", "../up", "a/../b", "./a", "a/", "a//b",
                          "main.py", "tab\there", "a/b/c/d/e/f/g/h/i"}) {
    EXPECT_NE(file_name_problem(bad), "") << bad;
  }
  EXPECT_NE(file_name_problem(std::string(256, 'a')), "");
  EXPECT_EQ(file_name_problem("dir/main.py"), "");  // only the program's own
}

TEST(EvalRequest, JsonOnlyCodeIsRequired) {
  auto r =
      parse_eval_request("application/json", R"({"code":"","stdin":null})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->code, "");
  EXPECT_FALSE(r->timeout_ms.has_value());
}

// Every optional field may be null, meaning absent, and names the request
// does not know are ignored, wherever they stand among the known ones.
TEST(EvalRequest, NullFieldsAreAbsentAndUnknownOnesIgnored) {
  auto r = parse_eval_request(
      "application/json",
      R"({"lang":"python","stdin":null,"stdin_encoding":null,"code":"x=1",)"
      R"("output_encoding":null,"timeout_ms":null,"files":null,"args":null,)"
      R"("extra":{"code":"not this"}})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->code, "x=1");
  EXPECT_EQ(r->stdin_data, "");
  EXPECT_FALSE(r->output_base64);
  EXPECT_FALSE(r->timeout_ms.has_value());
  EXPECT_TRUE(r->files.empty());
  EXPECT_TRUE(r->args.empty());
  // Each is read from its own name, in any order.
  r = parse_eval_request(
      "application/json",
      R"({"args":["-v"],"timeout_ms":250,"stdin":"aGk=","code":"pass",)"
      R"("stdin_encoding":"base64","output_encoding":"base64"})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->code, "pass");
  EXPECT_EQ(r->stdin_data, "hi");
  EXPECT_TRUE(r->output_base64);
  EXPECT_EQ(r->timeout_ms, 250);
  ASSERT_EQ(r->args.size(), 1u);
  EXPECT_EQ(r->args[0], "-v");
}

TEST(EvalRequest, JsonErrorsAre400WithAReason) {
  struct Case {
    const char* body;
    const char* says;
  } cases[] = {
      {"{not json", "not valid JSON"},
      {R"({"code":"x"} x)", "extra data at line 1, column 14"},
      {R"({"code":"x"}{})", "extra data"},
      {R"({"code":"x")", "incomplete JSON"},
      {"", "incomplete JSON"},
      {"[1,2]", "JSON object"},
      {"{}", "\"code\" field is required"},
      {R"({"code":null})", "\"code\" field is required"},
      {R"({"code":5})", "must be a string"},
      {R"({"code":"x","stdin":5})", "\"stdin\" field must be a string"},
      {R"({"code":"x","timeout_ms":0})", "timeout_ms"},
      {R"({"code":"x","timeout_ms":-5})", "timeout_ms"},
      {R"({"code":"x","timeout_ms":1.5})", "timeout_ms"},
      {R"({"code":"x","timeout_ms":"100"})", "timeout_ms"},
  };
  for (const auto& c : cases) {
    auto r = parse_eval_request("application/json", c.body);
    ASSERT_FALSE(r) << c.body;
    EXPECT_EQ(r.error().code, Errc::invalid_request) << c.body;
    EXPECT_NE(r.error().message.find(c.says), std::string::npos)
        << c.body << " -> " << r.error().message;
  }
}

// A JSON error says what is wrong and where; a lone surrogate (half of a
// UTF-16 pair, e.g. a string cut in the middle of an emoji) is named.
TEST(EvalRequest, JsonErrorsSayWhatAndWhere) {
  auto lone = parse_eval_request("application/json",
                                 R"J({"code": "print('\ud800')"})J");
  ASSERT_FALSE(lone);
  EXPECT_NE(lone.error().message.find("lone UTF-16 surrogate"),
            std::string::npos)
      << lone.error().message;
  EXPECT_NE(lone.error().message.find("line 1, column"), std::string::npos)
      << lone.error().message;
  for (const char* other :
       {R"J({"code": "\udc00"})J", R"J({"code": "x\uD83D"})J"}) {
    auto r = parse_eval_request("application/json", other);
    ASSERT_FALSE(r) << other;
    EXPECT_NE(r.error().message.find("lone UTF-16 surrogate"),
              std::string::npos)
        << other << ": " << r.error().message;
  }
  // A whole pair before an unrelated error is not blamed.
  auto unrelated = parse_eval_request("application/json",
                                      R"J({"code": "\ud83d\ude00" oops})J");
  ASSERT_FALSE(unrelated);
  EXPECT_EQ(unrelated.error().message.find("surrogate"), std::string::npos)
      << unrelated.error().message;
  auto second_line =
      parse_eval_request("application/json", "{\"code\": \"x\",\n  oops}");
  ASSERT_FALSE(second_line);
  EXPECT_NE(second_line.error().message.find("at line 2, column 3"),
            std::string::npos)
      << second_line.error().message;
  // Both halves of a pair are a character like any other.
  auto pair = parse_eval_request("application/json",
                                 R"J({"code": "print('\ud83d\ude00')"})J");
  ASSERT_TRUE(pair) << pair.error().message;
  EXPECT_EQ(pair->code, "print('\xf0\x9f\x98\x80')");
}

TEST(EvalRequest, HugeTimeoutsAreAcceptedForClamping) {
  auto r = parse_eval_request("application/json",
                              R"({"code":"x","timeout_ms":1e30})");
  ASSERT_TRUE(r);
  EXPECT_GT(*r->timeout_ms, 1'000'000'000);
  r = parse_eval_request("application/json",
                         R"({"code":"x","timeout_ms":18446744073709551615})");
  ASSERT_TRUE(r);
  EXPECT_GT(*r->timeout_ms, 1'000'000'000);
}

TEST(EvalRequest, DeeplyNestedJsonIsRejectedNotOverflowed) {
  std::string deep = R"({"code":"x","a":)" + std::string(10000, '[') +
                     std::string(10000, ']') + "}";
  auto r = parse_eval_request("application/json", deep);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::invalid_request);
}

TEST(EvalRequest, FormBodies) {
  auto r = parse_eval_request("application/x-www-form-urlencoded",
                              "code=print(input())&stdin=hi&timeout_ms=300");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->code, "print(input())");
  EXPECT_EQ(r->stdin_data, "hi");
  EXPECT_EQ(r->timeout_ms, 300);
  r = parse_eval_request("application/x-www-form-urlencoded", "stdin=hi");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::invalid_request);
  r = parse_eval_request("application/x-www-form-urlencoded",
                         "code=x&timeout_ms=abc");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::invalid_request);
}

TEST(EvalRequest, OtherMediaTypesAre415) {
  EXPECT_FALSE(is_supported_media_type("text/plain"));
  EXPECT_FALSE(is_supported_media_type(""));
  EXPECT_TRUE(is_supported_media_type("Application/JSON ; charset=utf-8"));
  auto r = parse_eval_request("text/plain", "print(1)");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::unsupported_media_type);
}

}  // namespace
}  // namespace playground::protocol

namespace playground::http {
namespace {

// The one mapping from what failed to the HTTP status that answers it.
TEST(ErrorModel, StatusAtTheEdge) {
  EXPECT_EQ(status_of({"x", Errc::invalid_request}), Status::bad_request);
  EXPECT_EQ(status_of({"x", Errc::unsupported_media_type}),
            Status::unsupported_media_type);
  EXPECT_EQ(status_of({"x", Errc::too_large}), Status::payload_too_large);
  EXPECT_EQ(status_of({"x", Errc::at_capacity}), Status::service_unavailable);
  EXPECT_EQ(status_of({"x", Errc::rate_limited}), Status::too_many_requests);
  // An answer relayed from a backend reads back as the same error.
  for (Errc e : {Errc::invalid_request, Errc::too_large, Errc::at_capacity,
                 Errc::rate_limited, Errc::unsupported_media_type}) {
    const Error relayed = error_of(error_response({"why", e}));
    EXPECT_EQ(relayed.code, e);
    EXPECT_EQ(relayed.message, "why");
  }
  EXPECT_EQ(error_of(json_error(Status::bad_gateway, "x")).code,
            Errc::unavailable);
  EXPECT_EQ(status_of({"x", Errc::sandbox_failed}),
            Status::internal_server_error);
  // Codes of other categories are the service's own failures.
  EXPECT_EQ(status_of({"x", errno_code(ENOENT)}),
            Status::internal_server_error);
  EXPECT_EQ(status_of({"x", sandbox::Step::seccomp}),
            Status::internal_server_error);
  EXPECT_EQ(status_of({"x"}), Status::internal_server_error);
  // Retry-After where waiting helps, nowhere else.
  EXPECT_EQ(error_response(
                {"busy", Errc::at_capacity})[beast_http::field::retry_after],
            "1");
  EXPECT_TRUE(
      error_response(
          {"bad", Errc::invalid_request})[beast_http::field::retry_after]
          .empty());
  // Codes compare across categories only when they mean the same.
  EXPECT_NE(Error({"x", Errc::invalid_request}).code,
            std::error_code(1, std::generic_category()));
}

}  // namespace
}  // namespace playground::http
