// Structured logging: one JSON object per line on stderr.
//
//   log::info("listening", {{"port", 6000}, {"bind", "127.0.0.1"}});
//   log::warn("cgroups unavailable", {{"reason", err.message}});
//
// One line per event keeps logs greppable and machine-readable (kubectl logs,
// Loki, jq). Lines are written whole, by one write(2) at a time, so
// concurrent lines never interleave.
//
// An event loop's thread batches its lines (one write(2) per line is a
// system call per request) and never waits for the log's reader:
//
//   log::batch_on_this_thread({
//       .soon = [&io] { asio::post(io, log::write_ready); },
//       .when_sink_has_room = [&](int fd) { /* wait for fd writable, then
//                                             log::sink_has_room() */ }});
//   ...
//   log::end_batching_on_this_thread();   // before the loop is gone
//   log::flush();   // before std::_Exit: nothing waiting is lost
//
// (http::LoopLog does that for an io_context.) Its debug and info lines
// wait in memory until `soon`'s write_ready() runs (on an event loop: once
// the handlers ready now have run), or until 16 KB wait; a warning or an
// error is written at once, after the lines before it.
//
// When stderr is a pipe or a socket, a stalled reader (a log collector
// that stopped reading) fills it. Lines then wait, up to a megabyte (more
// are dropped and counted in a warning once the reader is back), while a
// loop waits for room; threads without a loop hand theirs to a loop. A
// process with no loop writes as a plain program does, waiting.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <string>
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

// What an event loop gives the log.
struct LoopHooks {
  // Runs when a first line waits; must see that write_ready() runs soon on
  // this thread (once per call).
  std::function<void()> soon;
  // Runs when stderr (`fd`) is full; must call sink_has_room() on this
  // thread once `fd` is writable (once per call).
  std::function<void(int fd)> when_sink_has_room;
};
// Makes this thread's lines wait for its loop, as above.
void batch_on_this_thread(LoopHooks hooks);
// Before this thread's loop is gone: writes what waits, as far as stderr
// takes it now, and stops batching (another loop waits for a full stderr).
void end_batching_on_this_thread();
// Writes what waits, of every thread, as far as stderr takes it now.
void write_ready();
void sink_has_room();
// Writes every waiting line, of every thread, waiting up to 2 s for a full
// stderr (what is left then is dropped). Also runs at exit().
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
