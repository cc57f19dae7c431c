// Structured logging: one JSON object per line on stderr.
//
//   log::info("listening", {{"port", 6000}, {"bind", "127.0.0.1"}});
//   log::warn("cgroups unavailable", {{"reason", err.message}});
//
// One line per event keeps logs greppable and machine-readable (kubectl logs,
// Loki, jq). Lines are written whole, by one write(2) at a time, so
// concurrent lines never interleave.
//
// A thread that serves many requests can batch its lines (one write(2) per
// line is a system call per request):
//
//   log::batch_on_this_thread([&io] { asio::post(io, log::flush); });
//   ...
//   log::flush();   // before std::_Exit: nothing waiting is lost
//
// Its debug and info lines then wait in memory until `wake`'s flush runs
// (on an event loop: once the handlers ready now have run), or until 16 KB
// wait; a warning or an error is written at once, after the lines before it.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <string_view>

namespace playground::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3 };

// Parses "debug", "info", "warn" or "error"; returns false on anything else.
bool parse_level(std::string_view text, Level& out);
void set_level(Level level);
bool enabled(Level level);

void write(Level level, std::string_view message,
           boost::json::object fields = {});
// The same with the fields given as JSON text (`"key":value,...`, without
// braces; none of ts, level or msg): a line written per request builds no
// object. Check enabled(level) first to build nothing for a line not
// written.
void write_text(Level level, std::string_view message,
                std::string_view fields_text);

// Batches this thread's debug and info lines; `wake` runs when a first line
// waits, and must see that flush() runs soon (once per call).
void batch_on_this_thread(std::function<void()> wake);
// Writes every waiting line, of every thread. Also runs at exit().
void flush();

inline void debug(std::string_view m, boost::json::object f = {}) {
  write(Level::debug, m, std::move(f));
}
inline void info(std::string_view m, boost::json::object f = {}) {
  write(Level::info, m, std::move(f));
}
inline void warn(std::string_view m, boost::json::object f = {}) {
  write(Level::warn, m, std::move(f));
}
inline void error(std::string_view m, boost::json::object f = {}) {
  write(Level::error, m, std::move(f));
}

}  // namespace playground::log
