// Piston v2's request and answer (compat/piston.h) and the byte encodings
// (common/encoding.h), without a service.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "common/encoding.h"
#include "compat/piston.h"

namespace playground::compat {
namespace {

using sandbox::RunResult;
using sandbox::RunStatus;

constexpr std::string_view kVersion = "3.11.2";

std::string error_of(std::string_view body) {
  auto parsed = piston::parse_execute(body, kVersion);
  return parsed ? "(accepted)" : parsed.error().message;
}

TEST(PistonVersion, RangesAsNodeSemverReadsThem) {
  for (std::string_view yes :
       {"*", "x", "3", "3.x", "3.11", "3.11.x", "3.11.2", "=3.11.2", "v3.11.2",
        "^3", "^3.10", "~3.11", "~3.11.1", ">=3.8", ">=3.11.2"}) {
    EXPECT_TRUE(piston::version_matches(yes, kVersion)) << yes;
  }
  for (std::string_view no :
       {"2", "2.7", "3.10", "3.12", "3.11.3", "^2", "^3.12", "~3.10", ">=3.12",
        "latest", "3.11.2.1", "4.x"}) {
    EXPECT_FALSE(piston::version_matches(no, kVersion)) << no;
  }
}

TEST(PistonExecute, ErrorsInPistonsOrderAndWords) {
  EXPECT_EQ(error_of("{}"), "language is required as a string");
  EXPECT_EQ(error_of(R"j({"language": 3})j"),
            "language is required as a string");
  EXPECT_EQ(error_of(R"j({"language": "python"})j"),
            "version is required as a string");
  EXPECT_EQ(error_of(R"j({"language": "python", "version": "3"})j"),
            "files is required as an array");
  EXPECT_EQ(error_of(R"j({"language": "python", "version": "3",
                         "files": [{"content": "x"}, {"name": "a"}]})j"),
            "files[1].content is required as a string");
  EXPECT_EQ(error_of(R"j({"language": "python", "version": "2.7",
                         "files": [{"content": "x"}]})j"),
            "python-2.7 runtime is unknown");
  EXPECT_EQ(error_of(R"j({"language": "ruby", "version": "*",
                         "files": [{"content": "x"}]})j"),
            "ruby-* runtime is unknown");
  EXPECT_EQ(error_of(R"j({"language": "python", "version": "3",
                         "files": [{"content": "eA==", "encoding": "base64"}]})j"),
            "files must include at least one utf8 encoded file");
  EXPECT_EQ(error_of(R"j({"language": "python", "version": "3",
                         "files": [{"content": "x"}], "run_timeout": "5"})j"),
            "If specified, run_timeout must be a number");
  EXPECT_EQ(error_of(R"j({"language": "python", "version": "3", "files":
                         [{"content": "x"}, {"content": "!", "encoding": "hex"}]})j"),
            "files[1].content is not valid hex.");
  EXPECT_EQ(error_of(R"j({"language": "python", "version": "3", "files":
                         [{"content": "x"}, {"name": "../x", "content": ""}]})j"),
            "The file name \"../x\" has an empty, \".\" or \"..\" part.");
  EXPECT_NE(error_of("{nope").find("not valid JSON"), std::string::npos);
}

TEST(PistonExecute, TheFirstUtf8FileIsTheProgramTheOthersBesideIt) {
  auto parsed = piston::parse_execute(
      R"j({"language": "py3", "version": "3.x", "files": [
           {"name": "data.bin", "content": "AAEC", "encoding": "base64"},
           {"name": "main.py", "content": "print(1)"},
           {"content": "68690a", "encoding": "hex"},
           {"name": "lib/util.py", "content": "X = 1"}],
          "stdin": "line", "args": ["a", "b"],
          "run_timeout": 2500, "run_cpu_time": 1500,
          "compile_timeout": 10000, "run_memory_limit": -1})j",
      kVersion);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->code, "print(1)");
  ASSERT_EQ(parsed->files.size(), 3u);
  EXPECT_EQ(parsed->files[0].name, "data.bin");
  EXPECT_EQ(parsed->files[0].content, std::string("\0\1\2", 3));
  EXPECT_EQ(parsed->files[1].name, "file2.code");  // Piston's name for it
  EXPECT_EQ(parsed->files[1].content, "hi\n");
  EXPECT_EQ(parsed->files[2].name, "lib/util.py");
  EXPECT_EQ(parsed->stdin_data, "line\n");  // Piston ends stdin with \n
  EXPECT_EQ(parsed->args, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(parsed->timeout_ms, 1500);  // the smaller of wall and CPU
}

TEST(PistonExecute, MinusOneAndAbsentLimitsMeanTheDefault) {
  auto parsed = piston::parse_execute(
      R"j({"language": "python", "version": "*", "files": [{"content": ""}],
          "run_timeout": -1, "run_cpu_time": -1})j",
      kVersion);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_FALSE(parsed->timeout_ms.has_value());
  EXPECT_TRUE(parsed->args.empty());
  EXPECT_EQ(parsed->stdin_data, "");
}

boost::json::object run_of(const RunResult& r) {
  return piston::execute_answer(r, kVersion).at("run").as_object();
}

TEST(PistonAnswer, StatusCodeSignalAndMessageAsPistonGivesThem) {
  RunResult ok{.stdout_bytes = "out\n",
               .stderr_bytes = "err\n",
               .time_ms = 12.4,
               .cpu_ms = 9.6,
               .memory_kb = 8000};
  const auto answer = piston::execute_answer(ok, kVersion);
  EXPECT_EQ(answer.at("language"), "python");
  EXPECT_EQ(answer.at("version"), "3.11.2");
  const auto run = answer.at("run").as_object();
  EXPECT_EQ(run.at("stdout"), "out\n");
  EXPECT_EQ(run.at("output"), "out\nerr\n");
  EXPECT_EQ(run.at("code"), 0);
  EXPECT_TRUE(run.at("status").is_null());
  EXPECT_TRUE(run.at("message").is_null());
  EXPECT_TRUE(run.at("signal").is_null());
  EXPECT_EQ(run.at("wall_time").to_number<double>(), 12);
  EXPECT_EQ(run.at("cpu_time").to_number<double>(), 10);
  EXPECT_EQ(run.at("memory").to_number<int64_t>(), 8000 * 1024);

  const auto re = run_of({.exit_code = 3, .status = RunStatus::error});
  EXPECT_EQ(re.at("status"), "RE");
  EXPECT_EQ(re.at("code"), 3);
  EXPECT_EQ(re.at("message"), "Exited with error status 3");

  const auto to = run_of({.exit_code = -9, .status = RunStatus::timeout});
  EXPECT_EQ(to.at("status"), "TO");
  EXPECT_TRUE(to.at("code").is_null());
  EXPECT_EQ(to.at("signal"), "SIGKILL");

  const auto sg = run_of({.exit_code = -11, .status = RunStatus::killed});
  EXPECT_EQ(sg.at("status"), "SG");
  EXPECT_EQ(sg.at("signal"), "SIGSEGV");
  EXPECT_EQ(sg.at("message"), "Caught fatal signal 11");

  EXPECT_EQ(run_of({.status = RunStatus::output_limit}).at("status"), "OL");
  const auto oom = run_of({.exit_code = 1, .status = RunStatus::memory_limit});
  EXPECT_EQ(oom.at("status"), "SG");
  EXPECT_EQ(oom.at("signal"), "SIGKILL");
}

TEST(PistonAnswer, RefusalsSayMessageWithTheirStatus) {
  auto busy = piston::error_answer({"full", Errc::at_capacity});
  EXPECT_EQ(busy.result(), http::Status::service_unavailable);
  EXPECT_EQ(busy[http::beast_http::field::retry_after], "1");
  EXPECT_EQ(boost::json::parse(busy.body()).at("message"), "full");
  EXPECT_EQ(piston::error_answer({"no", Errc::invalid_request}).result(),
            http::Status::bad_request);
}

TEST(Encoding, Base64BothWaysHexOneWay) {
  using encoding::base64_decode;
  using encoding::base64_encode;
  using encoding::hex_decode;
  for (std::string_view bytes :
       {std::string_view(""), std::string_view("f"), std::string_view("fo"),
        std::string_view("foo"), std::string_view("foob"),
        std::string_view("\0\xff\x80 binary", 10)}) {
    const std::string text = base64_encode(bytes);
    EXPECT_EQ(text.size() % 4, 0u);
    EXPECT_EQ(base64_decode(text), std::string(bytes)) << text;
  }
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_decode("Zm9v\nYmE=\n"), "fooba");  // Ruby's line breaks
  EXPECT_EQ(base64_decode("Zm9vYg"), "foob");         // no padding
  EXPECT_FALSE(base64_decode("Zm9v!"));
  EXPECT_FALSE(base64_decode("Zg==Zg=="));  // data after the padding
  EXPECT_FALSE(base64_decode("Z"));         // six bits are not a byte
  EXPECT_EQ(hex_decode("68690A"), "hi\n");
  EXPECT_FALSE(hex_decode("6"));
  EXPECT_FALSE(hex_decode("zz"));
}

}  // namespace
}  // namespace playground::compat
