// Structured JSON-lines logger (see log.h).
#include "common/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "common/json.h"

namespace playground::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::info)};

const char* level_name(Level level) {
  switch (level) {
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warn:
      return "warn";
    case Level::error:
      return "error";
  }
  return "info";
}

// RFC 3339 UTC time with milliseconds, e.g. 2026-11-21T23:25:44.123Z.
std::string timestamp() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t secs = system_clock::to_time_t(now);
  const auto millis =
      duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  // Fixed-width fields, written by hand: snprintf shows in profiles.
  char buf[] = "0000-00-00T00:00:00.000Z";
  auto put = [&buf](int at, int width, int value) {
    for (int i = at + width - 1; i >= at; --i, value /= 10) {
      buf[i] = static_cast<char>('0' + value % 10);
    }
  };
  put(0, 4, tm.tm_year + 1900);
  put(5, 2, tm.tm_mon + 1);
  put(8, 2, tm.tm_mday);
  put(11, 2, tm.tm_hour);
  put(14, 2, tm.tm_min);
  put(17, 2, tm.tm_sec);
  put(20, 3, static_cast<int>(millis));
  return std::string(buf, sizeof buf - 1);
}

}  // namespace

bool parse_level(std::string_view text, Level& out) {
  for (Level l : {Level::debug, Level::info, Level::warn, Level::error}) {
    if (text == level_name(l)) {
      out = l;
      return true;
    }
  }
  return false;
}

void set_level(Level level) { g_level.store(static_cast<int>(level)); }

bool enabled(Level level) { return static_cast<int>(level) >= g_level.load(); }

void write(Level level, std::string_view message, boost::json::object fields) {
  if (!enabled(level)) return;
  // Written straight into one string: this runs for every request.
  std::string text;
  text.reserve(256);
  text += "{\"ts\":";
  json::append_string(text, timestamp());
  text += ",\"level\":";
  json::append_string(text, level_name(level));
  text += ",\"msg\":";
  json::append_string(text, message);
  for (const auto& field : fields) {
    const std::string_view key = field.key();
    if (key == "ts" || key == "level" || key == "msg") continue;  // no repeats
    text.push_back(',');
    json::append_string(text, key);
    text.push_back(':');
    json::append_text(text, field.value());
  }
  text += "}\n";
  // One write(2) per line: atomic with respect to other lines for pipes and
  // files opened O_APPEND, which is what log collectors give us.
  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(STDERR_FILENO, p, left);
    if (n <= 0) return;  // nowhere to report a failing log sink
    p += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace playground::log
