// Structured logging: one JSON object per line on stderr.
//
//   log::info("listening", {{"port", 6000}, {"bind", "127.0.0.1"}});
//   log::warn("cgroups unavailable", {{"reason", err.message}});
//
// One line per event keeps logs greppable and machine-readable (kubectl logs,
// Loki, jq). Writes are a single write(2) so concurrent lines never interleave.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

namespace playground::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3 };

// Parses "debug", "info", "warn" or "error"; returns false on anything else.
bool parse_level(std::string_view text, Level& out);
void set_level(Level level);
bool enabled(Level level);

void write(Level level, std::string_view message,
           boost::json::object fields = {});

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
