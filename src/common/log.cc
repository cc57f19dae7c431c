// Structured JSON-lines logger (see log.h).
#include "common/log.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "common/json.h"
#include "common/stderr_sink.h"

namespace playground::log {

// Literals appended as "..."sv: their length is known, no strlen per append.
using namespace std::string_view_literals;

namespace {

std::atomic<int> g_level{static_cast<int>(Level::info)};

// A batch is written once this much waits, without waiting for `soon`.
constexpr size_t kBatch = 16 * 1024;
// What waits while the sink takes nothing; a line beyond it is dropped, and
// counted.
constexpr size_t kBacklog = 1024 * 1024;
// How long the last flush (before the process ends) waits for a full sink.
constexpr auto kLastFlush = std::chrono::seconds(2);

// `g_write` is held from taking lines out of `g_pending` to writing them,
// so batches keep their order, and guards the sink.
std::mutex g_write;
StderrSink g_sink;
bool g_sink_looked_at = false;  // under g_write
// The batch being written (under g_write). It trades places with
// g_pending, so both keep their capacity from batch to batch: a batch is
// often one line, and growing an empty string each time cost an allocation
// per request.
std::string g_batch;
// The sink's last byte is not the end of a line.
bool g_mid_line = false;  // under g_write

// Lines waiting to be written, in the order they were made, and how many
// were dropped because the backlog was full.
std::mutex g_pending_mutex;
std::string g_pending;
size_t g_dropped = 0;
// The size of the batch being written (it may come back to g_pending).
size_t g_in_flight = 0;

// The sink took nothing the last time; `g_waiting`: a loop waits for it to
// have room (one at a time).
std::atomic<bool> g_full{false};
std::atomic<bool> g_waiting{false};

// This thread's loop (none: its lines are written at once), and whether
// its `soon` was called and its flush has not run yet.
thread_local LoopHooks t_loop;
thread_local bool t_woken = false;
// The loops' `soon`s, by thread: threads without a loop hand their lines
// to one of them when the sink is full, rather than wait.
std::mutex g_loops_mutex;
std::vector<std::pair<std::thread::id, std::function<void()>>> g_loops;
// This thread's loop waits for room (`g_waiting` is its).
thread_local bool t_waits = false;

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

// Makes one line into `text` (this thread's, keeping its memory).
void format_line(std::string& text, Level level, std::string_view message,
                 std::string_view fields_text) {
  if (text.capacity() > kBatch) text = std::string();  // a rare long one
  text.clear();
  // The time and level are plain ASCII: quoted, not escaped.
  text += "{\"ts\":\""sv;
  append_timestamp(text);
  text += "\",\"level\":\""sv;
  text += level_name(level);
  text += "\",\"msg\":"sv;
  json::append_string(text, message);
  if (!fields_text.empty()) {
    text.push_back(',');
    text += fields_text;
  }
  text += "}\n"sv;
}

// Queues a line; drops it when the backlog is full. Returns what waits.
size_t queue(std::string_view line) {
  std::lock_guard lock(g_pending_mutex);
  if (g_in_flight + g_pending.size() + line.size() > kBacklog) {
    g_dropped++;
  } else {
    g_pending += line;
  }
  return g_pending.size();
}

// The line telling how many lines were dropped, if any were (and counts
// them as told).
std::string take_dropped_notice() {
  size_t dropped = 0;
  {
    std::lock_guard lock(g_pending_mutex);
    std::swap(dropped, g_dropped);
  }
  if (dropped == 0) return {};
  std::string line;
  format_line(line, Level::warn,
              "log lines dropped: the log's reader took nothing while a "
              "megabyte waited",
              "\"dropped\":" + std::to_string(dropped));
  return line;
}

// Writes what waits, as far as the sink takes it without waiting (a plain
// sink: all of it). Returns false when some still waits for room.
bool write_waiting() {
  std::lock_guard writing(g_write);
  if (!g_sink_looked_at) {
    g_sink.look_at_stderr();
    g_sink_looked_at = true;
  }
  std::string& lines = g_batch;
  for (;;) {
    lines.clear();
    // After a burst, its memory goes: what stays is one batch's worth.
    if (lines.capacity() > kBatch * 2) lines = std::string();
    {
      std::lock_guard lock(g_pending_mutex);
      lines.swap(g_pending);
      g_in_flight = lines.size();
    }
    if (lines.empty()) lines = take_dropped_notice();
    if (lines.empty() && g_sink.all_out()) return true;
    // One write for the batch (through the stage for a pipe, which moves
    // it on whole unless stderr has room for part of it only).
    const StderrSink::Put put = g_sink.put(lines);
    if (put.taken > 0) g_mid_line = lines[put.taken - 1] != '\n';
    std::lock_guard lock(g_pending_mutex);
    g_in_flight = 0;
    if (put.state == StderrSink::State::full) {
      // What is left goes back in front of what came meanwhile.
      g_pending.insert(0, lines, put.taken);
      g_full = true;
      return false;
    }
    // Written, or failed: nowhere to report a failing log sink.
  }
}

bool has_loops() {
  std::lock_guard lock(g_loops_mutex);
  return !g_loops.empty();
}

// The sink is full: the loop of this thread waits for room, or a loop is
// asked to (if there is one: see has_loops).
void wait_for_room() {
  if (g_waiting.exchange(true)) return;  // a loop waits already
  if (t_loop.when_sink_has_room) {
    t_waits = true;
    t_loop.when_sink_has_room(STDERR_FILENO);
    return;
  }
  g_waiting = false;
  std::function<void()> loop_soon;
  {
    std::lock_guard lock(g_loops_mutex);
    if (!g_loops.empty()) loop_soon = g_loops.front().second;
  }
  // Its write_ready() finds the sink full, and waits.
  if (loop_soon) loop_soon();
}

// Drops what waits, but for the rest of a line the sink has part of: the
// next line must not be glued to half a line.
void drop_waiting() {
  std::lock_guard writing(g_write);
  std::lock_guard lock(g_pending_mutex);
  size_t keep = 0;
  if (g_mid_line) {
    const size_t end = g_pending.find('\n');
    keep = end == std::string::npos ? g_pending.size() : end + 1;
  }
  g_dropped += static_cast<size_t>(std::count(
      g_pending.begin() + static_cast<ptrdiff_t>(keep), g_pending.end(), '\n'));
  g_pending.resize(keep);
}

// Writes everything, waiting for room as long as it takes, or until
// `deadline` if given; what still waits then is dropped.
void write_all(std::optional<std::chrono::steady_clock::time_point> deadline) {
  for (;;) {
    if (write_waiting()) return;
    int timeout_ms = -1;
    if (deadline) {
      timeout_ms = static_cast<int>(std::max<int64_t>(
          0, std::chrono::duration_cast<std::chrono::milliseconds>(
                 *deadline - std::chrono::steady_clock::now())
                 .count()));
    }
    pollfd sink{.fd = STDERR_FILENO, .events = POLLOUT, .revents = 0};
    const int ready = ::poll(&sink, 1, timeout_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return drop_waiting();
    g_full = false;
  }
}

// Stderr may have changed since the last look (tests swap it).
void look_at_stderr_again() {
  std::lock_guard writing(g_write);
  g_sink.look_at_stderr();
  g_sink_looked_at = true;
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
  format_line(text, level, message, fields_text);
  const size_t waiting = queue(text);
  if (t_loop.soon) {
    // A loop's debug and info lines go by batch; its warnings at once, as
    // far as the sink takes them now.
    if (level <= Level::info && waiting < kBatch) {
      if (!t_woken) {
        t_woken = true;
        t_loop.soon();
      }
      return;
    }
    write_ready();
    return;
  }
  // No loop here. With no loop at all, write as a plain program does,
  // waiting if need be; else never wait: while the sink is full, the loop
  // that waits for it writes this line too.
  if (!has_loops()) {
    look_at_stderr_again();
    write_all(std::nullopt);
  } else if (g_full || !write_waiting()) {
    wait_for_room();
  }
}

void batch_on_this_thread(LoopHooks hooks) {
  static const bool registered = [] { return std::atexit(flush) == 0; }();
  (void)registered;
  {
    std::lock_guard writing(g_write);
    g_sink.look_at_stderr();
    g_sink_looked_at = true;
  }
  {
    std::lock_guard lock(g_loops_mutex);
    g_loops.emplace_back(std::this_thread::get_id(), hooks.soon);
  }
  t_loop = std::move(hooks);
  t_woken = false;
}

void end_batching_on_this_thread() {
  write_ready();
  {
    std::lock_guard lock(g_loops_mutex);
    std::erase_if(g_loops, [](const auto& loop) {
      return loop.first == std::this_thread::get_id();
    });
  }
  t_loop = {};
  t_woken = false;
  if (t_waits) {
    // Its wait ends with it: another loop, if any, takes it over.
    t_waits = false;
    g_waiting = false;
    if (has_loops()) wait_for_room();
  }
}

void write_ready() {
  t_woken = false;
  if (g_full) {
    wait_for_room();
    return;
  }
  if (!write_waiting()) wait_for_room();
}

void sink_has_room() {
  t_waits = false;
  g_full = false;
  g_waiting = false;
  write_ready();
}

void flush() {
  t_woken = false;
  look_at_stderr_again();
  write_all(std::chrono::steady_clock::now() + kLastFlush);
}

}  // namespace playground::log
