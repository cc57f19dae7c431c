// The log's JSON lines, read back from stderr.
#include "common/log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace playground {
namespace {

// Runs `body` with stderr going to a file; returns the lines it wrote.
template <class Body>
std::vector<std::string> lines_of(Body body) {
  std::FILE* file = std::tmpfile();
  const int saved = ::dup(STDERR_FILENO);
  ::dup2(::fileno(file), STDERR_FILENO);
  body();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  std::vector<std::string> lines;
  std::rewind(file);
  char buf[4096];
  std::string line;
  while (std::fgets(buf, sizeof buf, file) != nullptr) {
    line += buf;
    if (!line.empty() && line.back() == '\n') {
      line.pop_back();
      lines.push_back(line);
      line.clear();
    }
  }
  std::fclose(file);
  return lines;
}

// Seconds since the epoch of an RFC 3339 UTC time with milliseconds.
std::time_t seconds_of(const std::string& ts) {
  std::tm tm{};
  EXPECT_NE(strptime(ts.c_str(), "%Y-%m-%dT%H:%M:%S", &tm), nullptr) << ts;
  return timegm(&tm);
}

TEST(Log, ALineIsJsonWithTheTimeLevelMessageAndFields) {
  const std::time_t before = std::time(nullptr);
  auto lines = lines_of([] {
    log::write_text(log::Level::warn, "disk \"full\"", R"("left":0)");
  });
  ASSERT_EQ(lines.size(), 1u);
  const auto line = boost::json::parse(lines[0]).as_object();
  const std::string ts(line.at("ts").as_string());
  EXPECT_TRUE(std::regex_match(
      ts, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
      << ts;
  EXPECT_GE(seconds_of(ts), before);
  EXPECT_LE(seconds_of(ts), std::time(nullptr));
  EXPECT_EQ(line.at("level"), "warn");
  EXPECT_EQ(line.at("msg"), "disk \"full\"");
  EXPECT_EQ(line.at("left"), 0);
}

// The time up to the second is kept from line to line: it must still move
// on with the clock.
TEST(Log, TheTimeFollowsTheClockFromLineToLine) {
  auto lines = lines_of([] {
    log::write_text(log::Level::warn, "first", "");
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    log::write_text(log::Level::warn, "second", "");
  });
  ASSERT_EQ(lines.size(), 2u);
  const std::string first(
      boost::json::parse(lines[0]).as_object().at("ts").as_string());
  const std::string second(
      boost::json::parse(lines[1]).as_object().at("ts").as_string());
  EXPECT_GE(seconds_of(second) - seconds_of(first), 1)
      << first << " " << second;
}

}  // namespace
}  // namespace playground
