// Fuzz target: the configuration of both programs from flags and environment
// (backend::parse_backend_config, frontend::parse_frontend_config over
// Options and its number parsers), with their real option tables.
//
// Input: read with FuzzedDataProvider: which program, then up to 4
// environment variables and up to 8 arguments, made of the programs' own
// flag and variable names (read from their --help) and fuzzed values.
// --token-file is left out: it reads a file.
// Properties:
//  - parse_int, parse_bytes and parse_millis agree with a reference written
//    with 128-bit arithmetic on every value;
//  - parsing is deterministic (same settings or the same error);
//  - accepted settings are in their documented ranges and consistent
//    (wall <= max-wall, tmp <= memory, the backends parse, ...);
//  - a flag wins over its variable: dropping the variables of every flag
//    given on the command line changes nothing;
//  - --help lists every flag.
#include <fuzzer/FuzzedDataProvider.h>
#include <stdlib.h>

#include <cstddef>
#include <cstdint>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "backend/config.h"
#include "common/log.h"
#include "common/options.h"
#include "frontend/backend_list.h"
#include "frontend/config.h"
#include "fuzz_check.h"

namespace {

using namespace playground;
using Int = __int128;

struct Setting {
  std::string flag;
  std::string env;
};

// The flags and variables a program's --help lists.
template <class Config, class Parse>
std::vector<Setting> settings_of(Parse parse) {
  Config cfg;
  std::string help;
  const char* argv[] = {"fuzz", "--help"};
  auto outcome = parse(2, argv, cfg, help);
  FUZZ_CHECK(outcome.ok() && *outcome == ParseOutcome::help);
  std::vector<Setting> out;
  std::istringstream lines(help);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with("  --") && !line.starts_with("  --help")) {
      out.push_back({line.substr(4, line.find(' ', 4) - 4), ""});
    }
    if (auto at = line.find("[env "); at != std::string::npos && !out.empty()) {
      const size_t start = at + 5;
      out.back().env =
          line.substr(start, line.find_first_of(",]", start) - start);
    }
  }
  return out;
}

const std::vector<Setting>& backend_settings() {
  static const auto s =
      settings_of<backend::BackendConfig>(backend::parse_backend_config);
  return s;
}
const std::vector<Setting>& frontend_settings() {
  static const auto s =
      settings_of<frontend::FrontendConfig>(frontend::parse_frontend_config);
  return s;
}

// Reference number parsers.
bool ref_int(std::string_view t, Int& out) {
  const bool negative = !t.empty() && t.front() == '-';
  if (negative) t.remove_prefix(1);
  if (t.empty()) return false;
  Int v = 0;
  for (char c : t) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
    if (v > (Int{1} << 64)) v = Int{1} << 64;  // saturate: out of range anyway
  }
  out = negative ? -v : v;
  return out >= INT64_MIN && out <= INT64_MAX;
}

bool ref_bytes(std::string_view t, Int& out) {
  size_t digits = 0;
  while (digits < t.size() && t[digits] >= '0' && t[digits] <= '9') ++digits;
  Int n = 0;
  if (digits == 0 || !ref_int(t.substr(0, digits), n)) return false;
  const std::string_view unit = t.substr(digits);
  Int scale = 0;
  if (unit.empty() || unit == "B") scale = 1;
  if (unit == "K" || unit == "KiB" || unit == "k") scale = Int{1} << 10;
  if (unit == "M" || unit == "MiB") scale = Int{1} << 20;
  if (unit == "G" || unit == "GiB") scale = Int{1} << 30;
  out = n * scale;
  return scale != 0 && out <= INT64_MAX;
}

bool ref_millis(std::string_view t, Int& out) {
  if (t.size() > 2 && t.ends_with("ms"))
    return ref_int(t.substr(0, t.size() - 2), out);
  if (t.size() > 1 && t.ends_with("s")) {
    if (!ref_int(t.substr(0, t.size() - 1), out)) return false;
    out *= 1000;
    return out >= INT64_MIN && out <= INT64_MAX;
  }
  return ref_int(t, out);
}

void check_numbers(std::string_view value) {
  int64_t got = 0;
  Int want = 0;
  bool ok = parse_int(value, got);
  FUZZ_CHECK(ok == ref_int(value, want) && (!ok || got == want));
  ok = parse_bytes(value, got);
  FUZZ_CHECK(ok == ref_bytes(value, want) && (!ok || got == want));
  ok = parse_millis(value, got);
  FUZZ_CHECK(ok == ref_millis(value, want) && (!ok || got == want));
}

bool in(int64_t v, int64_t lo, int64_t hi) { return v >= lo && v <= hi; }

bool valid_level(const std::string& s) {
  log::Level level;
  return log::parse_level(s, level);
}

bool check_listener(const http::ListenerConfig& l) {
  return in(l.port, 0, 65535) && in(l.header_timeout_ms, 100, 600'000) &&
         in(l.body_timeout_ms, 100, 600'000) &&
         in(l.idle_timeout_ms, 100, 3'600'000) &&
         in(l.shutdown_grace_ms, 0, 3'600'000) &&
         in(l.max_connections, 1, 1'000'000);
}

std::string dump_listener(const http::ListenerConfig& l) {
  std::ostringstream o;
  o << l.bind << '|' << l.port << '|' << l.header_timeout_ms << '|'
    << l.body_timeout_ms << '|' << l.idle_timeout_ms << '|'
    << l.shutdown_grace_ms << '|' << l.max_connections;
  return o.str();
}

// Parses; returns "error: ...", "help" or every setting as text, after
// checking the settings' ranges.
std::string parse_backend(const std::vector<std::string>& args) {
  std::vector<const char*> argv{"playground-backend"};
  for (const auto& a : args) argv.push_back(a.c_str());
  backend::BackendConfig cfg;
  std::string help;
  auto outcome = backend::parse_backend_config(static_cast<int>(argv.size()),
                                               argv.data(), cfg, help);
  if (!outcome) {
    FUZZ_CHECK(!outcome.error().message.empty());
    return "error: " + outcome.error().message;
  }
  if (*outcome == ParseOutcome::help) {
    for (const auto& s : backend_settings()) {
      FUZZ_CHECK(help.find("--" + s.flag + " ") != std::string::npos);
    }
    return "help";
  }
  const sandbox::Limits& l = cfg.limits;
  FUZZ_CHECK(check_listener(cfg.listener));
  FUZZ_CHECK(in(l.wall_ms, 1, l.max_wall_ms) && l.max_wall_ms <= 3'600'000);
  FUZZ_CHECK(in(l.cpu_ms, 1000, 3'600'000));
  FUZZ_CHECK(in(l.memory_bytes, 16LL << 20, 64LL << 30));
  FUZZ_CHECK(in(l.max_processes, 4, 4096));
  FUZZ_CHECK(in(l.output_bytes, 1024, 256LL << 20));
  FUZZ_CHECK(in(l.tmp_bytes, 64 << 10, l.memory_bytes));
  FUZZ_CHECK(in(l.tmp_inodes, 16, 1'000'000));
  FUZZ_CHECK(in(l.open_files, 16, 65536));
  FUZZ_CHECK(in(cfg.concurrency, 1, 1024) && in(cfg.pool, 0, 1024));
  FUZZ_CHECK(in(cfg.queue, 0, 100'000));
  FUZZ_CHECK(in(cfg.body_bytes, 1024, 256LL << 20));
  FUZZ_CHECK(valid_level(cfg.log_level));
  FUZZ_CHECK(cfg.python.starts_with("/usr/"));
  FUZZ_CHECK(cfg.isolation == "strict" || cfg.isolation == "best-effort");
  const char* token = getenv("PLAYGROUND_TOKEN");
  FUZZ_CHECK(cfg.token == (token ? token : ""));
  std::ostringstream o;
  o << dump_listener(cfg.listener) << '|' << l.wall_ms << '|' << l.max_wall_ms
    << '|' << l.cpu_ms << '|' << l.memory_bytes << '|' << l.max_processes << '|'
    << l.output_bytes << '|' << l.tmp_bytes << '|' << l.tmp_inodes << '|'
    << l.open_files << '|' << cfg.concurrency << '|' << cfg.pool << '|'
    << cfg.queue << '|' << cfg.body_bytes << '|' << cfg.token << '|'
    << cfg.log_level << '|' << cfg.python << '|' << cfg.init_path << '|'
    << cfg.isolation;
  return o.str();
}

std::string parse_frontend(const std::vector<std::string>& args) {
  std::vector<const char*> argv{"playground-frontend"};
  for (const auto& a : args) argv.push_back(a.c_str());
  frontend::FrontendConfig cfg;
  std::string help;
  auto outcome = frontend::parse_frontend_config(static_cast<int>(argv.size()),
                                                 argv.data(), cfg, help);
  if (!outcome) {
    FUZZ_CHECK(!outcome.error().message.empty());
    return "error: " + outcome.error().message;
  }
  if (*outcome == ParseOutcome::help) {
    for (const auto& s : frontend_settings()) {
      FUZZ_CHECK(help.find("--" + s.flag + " ") != std::string::npos);
    }
    return "help";
  }
  FUZZ_CHECK(check_listener(cfg.listener));
  auto backends = frontend::parse_backend_list(cfg.backends_text);
  FUZZ_CHECK(backends.ok() && !cfg.backends.empty());
  FUZZ_CHECK(backends->size() == cfg.backends.size());
  FUZZ_CHECK(in(cfg.attempts, 1, 64));
  FUZZ_CHECK(in(cfg.connect_timeout_ms, 10, 600'000));
  FUZZ_CHECK(in(cfg.upstream_timeout_ms, 100, 3'600'000));
  FUZZ_CHECK(in(cfg.health_interval_ms, 50, 600'000));
  FUZZ_CHECK(in(cfg.health_timeout_ms, 10, 600'000));
  FUZZ_CHECK(in(cfg.unhealthy_after, 1, 1000));
  FUZZ_CHECK(in(cfg.healthy_after, 1, 1000));
  FUZZ_CHECK(in(cfg.rate_limit, 0, 1'000'000));
  FUZZ_CHECK(in(cfg.rate_burst, 1, 1'000'000));
  FUZZ_CHECK(in(cfg.body_bytes, 1024, 256LL << 20));
  FUZZ_CHECK(valid_level(cfg.log_level));
  const char* token = getenv("PLAYGROUND_TOKEN");
  FUZZ_CHECK(cfg.token == (token ? token : ""));
  std::ostringstream o;
  o << dump_listener(cfg.listener) << '|' << cfg.backends_text << '|'
    << cfg.token << '|' << cfg.ca_file << '|' << cfg.attempts << '|'
    << cfg.connect_timeout_ms << '|' << cfg.upstream_timeout_ms << '|'
    << cfg.health_interval_ms << '|' << cfg.health_timeout_ms << '|'
    << cfg.unhealthy_after << '|' << cfg.healthy_after << '|' << cfg.rate_limit
    << '|' << cfg.rate_burst << '|' << cfg.body_bytes << '|' << cfg.log_level;
  return o.str();
}

// The flags argv assigns, walked the way a command line is read.
std::set<std::string> flags_given(const std::vector<std::string>& args) {
  std::set<std::string> flags;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (!arg.starts_with("--")) continue;
    arg.remove_prefix(2);
    const size_t eq = arg.find('=');
    flags.insert(std::string(arg.substr(0, eq)));
    if (eq == std::string_view::npos) ++i;  // the next one is its value
  }
  return flags;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const bool backend = in.ConsumeBool();
  const std::vector<Setting>& settings =
      backend ? backend_settings() : frontend_settings();
  auto parse = backend ? parse_backend : parse_frontend;
  auto value = [&] {
    std::string v = in.ConsumeRandomLengthString(48);
    std::erase(v, '\0');  // not expressible in argv or the environment
    check_numbers(v);
    return v;
  };

  for (const auto& s : backend_settings()) unsetenv(s.env.c_str());
  for (const auto& s : frontend_settings()) unsetenv(s.env.c_str());
  unsetenv("PLAYGROUND_TOKEN");

  std::vector<std::pair<std::string, std::string>> env;
  const int env_count = in.ConsumeIntegralInRange(0, 4);
  for (int i = 0; i < env_count; ++i) {
    const size_t k = in.ConsumeIntegralInRange<size_t>(0, settings.size());
    std::string name =
        k == settings.size() ? "PLAYGROUND_TOKEN" : settings[k].env;
    if (name == "PLAYGROUND_TOKEN_FILE") continue;
    env.emplace_back(std::move(name), value());
  }
  std::vector<std::string> args;
  const int arg_count = in.ConsumeIntegralInRange(0, 8);
  for (int i = 0; i < arg_count; ++i) {
    const std::string& flag =
        settings[in.ConsumeIntegralInRange<size_t>(0, settings.size() - 1)]
            .flag;
    switch (in.ConsumeIntegralInRange(0, 2)) {
      case 0:
        args.push_back("--" + flag + "=" + value());
        break;
      case 1:
        args.push_back("--" + flag);
        break;
      default:
        args.push_back(value());
    }
  }
  for (const auto& a : args) {
    if (a.find("token-file") != std::string::npos) return -1;  // reads files
  }

  for (const auto& [name, v] : env) setenv(name.c_str(), v.c_str(), 1);
  const std::string first = parse(args);
  FUZZ_CHECK(parse(args) == first);
  if (first == "help" || first.starts_with("error: ")) return 0;

  // A flag wins over its variable: without the variables the command line
  // overrides, the settings are the same.
  const std::set<std::string> given = flags_given(args);
  for (const auto& s : settings) {
    if (given.count(s.flag)) unsetenv(s.env.c_str());
  }
  FUZZ_CHECK(parse(args) == first);
  return 0;
}
