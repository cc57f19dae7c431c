// Flags, environment variables and value parsers.
#include "common/options.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <optional>

#include "backend/config.h"

namespace playground {
namespace {

TEST(ParseBytes, AcceptsPlainNumbersAndBinaryUnits) {
  int64_t n = 0;
  ASSERT_TRUE(parse_bytes("1048576", n));
  EXPECT_EQ(n, 1048576);
  ASSERT_TRUE(parse_bytes("512K", n));
  EXPECT_EQ(n, 512 * 1024);
  ASSERT_TRUE(parse_bytes("16M", n));
  EXPECT_EQ(n, 16 << 20);
  ASSERT_TRUE(parse_bytes("2MiB", n));
  EXPECT_EQ(n, 2 << 20);
  ASSERT_TRUE(parse_bytes("1G", n));
  EXPECT_EQ(n, 1LL << 30);
}

TEST(ParseBytes, RejectsGarbageAndOverflow) {
  int64_t n = 0;
  EXPECT_FALSE(parse_bytes("", n));
  EXPECT_FALSE(parse_bytes("M", n));
  EXPECT_FALSE(parse_bytes("12X", n));
  EXPECT_FALSE(parse_bytes("-5", n));
  EXPECT_FALSE(parse_bytes("99999999999999999G", n));
}

TEST(ParseMillis, AcceptsMillisecondsAndSeconds) {
  int64_t n = 0;
  ASSERT_TRUE(parse_millis("250", n));
  EXPECT_EQ(n, 250);
  ASSERT_TRUE(parse_millis("250ms", n));
  EXPECT_EQ(n, 250);
  ASSERT_TRUE(parse_millis("5s", n));
  EXPECT_EQ(n, 5000);
  EXPECT_FALSE(parse_millis("5m", n));
  EXPECT_FALSE(parse_millis("s", n));
}

TEST(Options, FlagWinsOverEnvironmentAndBothForms) {
  int64_t port = 6000;
  std::string bind = "127.0.0.1";
  Options o("prog", "test");
  o.add_int("port", "PG_TEST_PORT", &port, 1, 65535, "port");
  o.add_string("bind", "PG_TEST_BIND", &bind, "bind");
  setenv("PG_TEST_PORT", "7000", 1);
  setenv("PG_TEST_BIND", "0.0.0.0", 1);
  const char* argv[] = {"prog", "--port=7100"};
  auto r = o.parse(2, argv);
  unsetenv("PG_TEST_PORT");
  unsetenv("PG_TEST_BIND");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, ParseOutcome::run);
  EXPECT_EQ(port, 7100);
  EXPECT_EQ(bind, "0.0.0.0");
}

TEST(Options, HealthCheckIsAModeAndTheOtherFlagsStillApply) {
  int64_t port = 6000;
  Options o("prog", "test");
  o.add_int("port", "PG_TEST_PORT", &port, 1, 65535, "port");
  const char* argv[] = {"prog", "--health-check", "--port", "7200"};
  auto r = o.parse(4, argv);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, ParseOutcome::health_check);
  EXPECT_EQ(port, 7200);
  const char* plain[] = {"prog", "--port", "7300"};
  EXPECT_EQ(*o.parse(3, plain), ParseOutcome::run);
}

TEST(Options, ErrorsNameTheSetting) {
  int64_t port = 6000;
  Options o("prog", "test");
  o.add_int("port", "PG_TEST_PORT", &port, 1, 65535, "port");
  const char* out_of_range[] = {"prog", "--port", "70000"};
  auto r = o.parse(3, out_of_range);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("flag --port must be an integer"),
            std::string::npos)
      << r.error().message;
  const char* unknown[] = {"prog", "--prot", "1"};
  r = o.parse(3, unknown);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("--prot"), std::string::npos)
      << r.error().message;
  const char* missing[] = {"prog", "--port"};
  r = o.parse(2, missing);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("--port"), std::string::npos)
      << r.error().message;
  setenv("PG_TEST_PORT", "abc", 1);
  const char* none[] = {"prog"};
  r = o.parse(1, none);
  unsetenv("PG_TEST_PORT");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("environment variable PG_TEST_PORT"),
            std::string::npos)
      << r.error().message;
}

TEST(Options, ValuesAreDecimalAndTheLastFlagWins) {
  int64_t port = 6000;
  Options o("prog", "test");
  o.add_int("port", "PG_TEST_PORT", &port, 1, 65535, "port");
  const char* octal[] = {"prog", "--port", "010"};
  ASSERT_TRUE(o.parse(3, octal));
  EXPECT_EQ(port, 10);
  const char* hex[] = {"prog", "--port=0x10"};
  EXPECT_FALSE(o.parse(2, hex));
  const char* twice[] = {"prog", "--port", "7000", "--port=7001"};
  ASSERT_TRUE(o.parse(4, twice));
  EXPECT_EQ(port, 7001);
  const char* negative[] = {"prog", "--port", "-1"};
  auto r = o.parse(3, negative);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("flag --port"), std::string::npos);
}

// A broken variable must not keep --help from answering (it used to).
TEST(Options, HelpWinsOverABrokenVariableOrFlag) {
  int64_t port = 6000;
  Options o("prog", "test");
  o.add_int("port", "PG_TEST_PORT", &port, 1, 65535, "port");
  setenv("PG_TEST_PORT", "abc", 1);
  const char* help[] = {"prog", "--help"};
  auto r = o.parse(2, help);
  const char* bad_flag_then_help[] = {"prog", "--port", "abc", "-h"};
  auto r2 = o.parse(4, bad_flag_then_help);
  unsetenv("PG_TEST_PORT");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, ParseOutcome::help);
  ASSERT_TRUE(r2) << r2.error().message;
  EXPECT_EQ(*r2, ParseOutcome::help);
}

TEST(Options, HelpListsFlagsVariablesAndDefaults) {
  int64_t port = 6000;
  Options o("prog", "Does things.");
  o.add_int("port", "PG_TEST_PORT", &port, 1, 65535, "TCP port.");
  const char* argv[] = {"prog", "--help"};
  auto r = o.parse(2, argv);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, ParseOutcome::help);
  const std::string help = o.help();
  EXPECT_NE(help.find("Does things."), std::string::npos) << help;
  EXPECT_NE(help.find("  --port N"), std::string::npos) << help;
  EXPECT_NE(help.find("[env PG_TEST_PORT, default 6000]"), std::string::npos)
      << help;
  EXPECT_NE(help.find("--health-check"), std::string::npos) << help;
  EXPECT_NE(help.find("--help"), std::string::npos) << help;
}

}  // namespace
}  // namespace playground

namespace playground::backend {
namespace {

int64_t grade_parallel_of(std::vector<const char*> args) {
  args.insert(args.begin(), "playground-backend");
  BackendConfig cfg;
  std::string help;
  auto parsed = parse_backend_config(static_cast<int>(args.size()), args.data(),
                                     cfg, help);
  EXPECT_TRUE(parsed) << parsed.error().message;
  return cfg.grade_parallel;
}

std::vector<std::string> hidden_by(const char* setting) {
  const char* args[] = {"playground-backend", "--module-dirs", setting};
  BackendConfig cfg;
  std::string help;
  auto parsed = parse_backend_config(3, args, cfg, help);
  EXPECT_TRUE(parsed) << parsed.error().message;
  return cfg.hidden_module_dirs;
}

// The token goes into a header line as it is: a line break, a space or a
// control byte in it is refused, from the file and from the environment,
// and the file's trailing newline is not part of it.
TEST(Token, IsPrintableAsciiFromTheFileOrTheEnvironment) {
  const std::string file = ::testing::TempDir() + "/token";
  auto token_in_file = [&](const std::string& text) {
    std::ofstream(file, std::ios::trunc) << text;
    return load_token(file);
  };
  auto ok = token_in_file("s3cret-Token_+/=\n");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(*ok, "s3cret-Token_+/=");
  for (const std::string bad :
       {"one\r\nX-Injected: 1", "two words", "tab\there", "caf\xc3\xa9"}) {
    auto refused = token_in_file(bad + "\n");
    ASSERT_FALSE(refused) << bad;
    EXPECT_NE(refused.error().message.find("printable ASCII"),
              std::string::npos);
  }
  EXPECT_FALSE(token_in_file("\n"));  // empty

  // The variable as it was, back whatever happens below.
  struct Restore {
    std::optional<std::string> was;
    ~Restore() {
      if (was) {
        ::setenv("PLAYGROUND_TOKEN", was->c_str(), 1);
      } else {
        ::unsetenv("PLAYGROUND_TOKEN");
      }
    }
  } restore;
  if (const char* before = std::getenv("PLAYGROUND_TOKEN")) {
    restore.was = before;
  }
  ::setenv("PLAYGROUND_TOKEN", "from-env", 1);
  auto from_env = load_token("");
  ASSERT_TRUE(from_env);
  EXPECT_EQ(*from_env, "from-env");
  ::setenv("PLAYGROUND_TOKEN", "line\nbreak", 1);
  auto broken = load_token("");
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message.find("PLAYGROUND_TOKEN"), std::string::npos);
  ::unsetenv("PLAYGROUND_TOKEN");
  auto none = load_token("");
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, "");
}

// --module-dirs names the Debian module directories the sandbox sees; the
// others (those that exist here) are hidden.
TEST(BackendConfig, ModuleDirsHideWhatTheyDoNotName) {
  EXPECT_TRUE(hidden_by("all").empty());
  const std::vector<std::string> every = hidden_by("none");
  ASSERT_FALSE(every.empty());  // Debian's python3 has dist-packages
  EXPECT_NE(std::ranges::find(every, "/usr/lib/python3/dist-packages"),
            every.end());
  const std::vector<std::string> some =
      hidden_by("/usr/lib/python3/dist-packages");
  EXPECT_EQ(std::ranges::find(some, "/usr/lib/python3/dist-packages"),
            some.end());
  EXPECT_EQ(some.size() + 1, every.size());
  const char* args[] = {"playground-backend", "--module-dirs",
                        "/usr/local/lib"};
  BackendConfig cfg;
  std::string help;
  auto refused = parse_backend_config(3, args, cfg, help);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("not one of Debian's"),
            std::string::npos);
}

// One grading request takes half the slots (two at least, never more than
// there are) unless told otherwise.
TEST(BackendConfig, GradeParallelDefaultsToHalfTheSlots) {
  EXPECT_EQ(grade_parallel_of({"--concurrency", "8"}), 4);
  EXPECT_EQ(grade_parallel_of({"--concurrency", "3"}), 2);
  EXPECT_EQ(grade_parallel_of({"--concurrency", "2"}), 2);
  EXPECT_EQ(grade_parallel_of({"--concurrency", "1"}), 1);
  EXPECT_EQ(grade_parallel_of({"--concurrency", "8", "--grade-parallel", "1"}),
            1);
  EXPECT_EQ(grade_parallel_of({"--concurrency", "2", "--grade-parallel", "6"}),
            2);
}

}  // namespace
}  // namespace playground::backend
