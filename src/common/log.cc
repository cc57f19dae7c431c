// Structured JSON-lines logger (see log.h).
#include "common/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>

#include "common/json.h"

namespace playground::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::info)};

// Lines waiting to be written, in the order they were made. `g_write` is
// held from taking lines out to writing them, so batches keep their order.
std::mutex g_write;
std::mutex g_pending_mutex;
std::string g_pending;
constexpr size_t kMaxPending = 16 * 1024;

// This thread's wake (empty: its lines are written at once), and whether
// it was called and its flush has not run yet.
thread_local std::function<void()> t_wake;
thread_local bool t_woken = false;

void write_all(std::string_view text) {
  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(STDERR_FILENO, p, left);
    if (n <= 0) return;  // nowhere to report a failing log sink
    p += n;
    left -= static_cast<size_t>(n);
  }
}

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

// Appends the RFC 3339 UTC time with milliseconds, e.g.
// 2026-11-21T23:25:44.123Z. The date and time up to the second are made
// once a second per thread: gmtime_r takes glibc's time-zone lock and cost
// as much as the rest of a request's line.
void append_timestamp(std::string& out) {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t secs = system_clock::to_time_t(now);
  const auto millis =
      duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  // Fixed-width fields, written by hand: snprintf shows in profiles.
  auto put = [](char* at, int width, int value) {
    for (int i = width - 1; i >= 0; --i, value /= 10) {
      at[i] = static_cast<char>('0' + value % 10);
    }
  };
  thread_local std::time_t t_second = -1;
  thread_local char t_prefix[] = "0000-00-00T00:00:00";
  if (secs != t_second) {
    std::tm tm{};
    gmtime_r(&secs, &tm);
    put(t_prefix, 4, tm.tm_year + 1900);
    put(t_prefix + 5, 2, tm.tm_mon + 1);
    put(t_prefix + 8, 2, tm.tm_mday);
    put(t_prefix + 11, 2, tm.tm_hour);
    put(t_prefix + 14, 2, tm.tm_min);
    put(t_prefix + 17, 2, tm.tm_sec);
    t_second = secs;
  }
  char fraction[] = ".000Z";
  put(fraction + 1, 3, static_cast<int>(millis));
  out.append(t_prefix, sizeof t_prefix - 1);
  out.append(fraction, sizeof fraction - 1);
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
  std::string text;
  text.reserve(192);
  for (const auto& field : fields) {
    const std::string_view key = field.key();
    if (key == "ts" || key == "level" || key == "msg") continue;  // no repeats
    if (!text.empty()) text.push_back(',');
    json::append_string(text, key);
    text.push_back(':');
    json::append_text(text, field.value());
  }
  write_text(level, message, text);
}

void write_text(Level level, std::string_view message,
                std::string_view fields_text) {
  if (!enabled(level)) return;
  // Written straight into one string, this thread's own: this runs for
  // every request, and the string keeps its memory from line to line.
  thread_local std::string text;
  if (text.capacity() > kMaxPending) text = std::string();  // a rare long one
  text.clear();
  // The time and level are plain ASCII: quoted, not escaped.
  text += "{\"ts\":\"";
  append_timestamp(text);
  text += "\",\"level\":\"";
  text += level_name(level);
  text += "\",\"msg\":";
  json::append_string(text, message);
  if (!fields_text.empty()) {
    text.push_back(',');
    text += fields_text;
  }
  text += "}\n";
  if (t_wake && level <= Level::info) {
    bool full = false;
    {
      std::lock_guard lock(g_pending_mutex);
      g_pending += text;
      full = g_pending.size() >= kMaxPending;
    }
    if (full) {
      flush();
    } else if (!t_woken) {
      t_woken = true;
      t_wake();
    }
    return;
  }
  // At once, after the lines waiting before it (one write(2) for both).
  std::lock_guard writing(g_write);
  std::string waiting;
  {
    std::lock_guard lock(g_pending_mutex);
    waiting.swap(g_pending);
  }
  if (waiting.empty()) {
    write_all(text);
  } else {
    waiting += text;
    write_all(waiting);
  }
}

void batch_on_this_thread(std::function<void()> wake) {
  static const bool registered = [] { return std::atexit(flush) == 0; }();
  (void)registered;
  t_wake = std::move(wake);
  t_woken = false;
}

void flush() {
  t_woken = false;
  std::lock_guard writing(g_write);
  std::string lines;
  {
    std::lock_guard lock(g_pending_mutex);
    lines.swap(g_pending);
  }
  // One write(2) for the batch: atomic with respect to other writers for
  // pipes (up to PIPE_BUF) and files opened O_APPEND, which is what log
  // collectors give us.
  write_all(lines);
  // Keep the capacity for the next batch, unless a burst made it large.
  if (lines.capacity() <= kMaxPending * 2) {
    lines.clear();
    std::lock_guard lock(g_pending_mutex);
    if (g_pending.empty()) g_pending.swap(lines);
  }
}

}  // namespace playground::log
