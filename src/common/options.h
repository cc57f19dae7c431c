// Options: command-line flags and environment variables for one program.
//
//   Options opts("playground-backend", "Runs Python snippets in a sandbox.");
//   opts.add_int("port", "PLAYGROUND_PORT", &cfg.port, 1, 65535, "TCP port");
//   auto parsed = opts.parse(argc, argv);   // env first, then flags win
//   if (!parsed) { die(parsed.error().message); }
//   if (*parsed == ParseOutcome::help) { std::cout << opts.help(); }
//
// Every setting has a flag and an environment variable, so the same binary is
// configured by hand, by compose files and by Kubernetes ConfigMaps alike.
// CLI11 reads the command line and the variables and writes --help; the values
// are checked here, with the parsers below (CLI11's own read "010" as octal and
// sizes with other units).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace playground {

// `health_check`: --health-check was given; ask the running service (see
// http/health_check.h) instead of starting one.
enum class ParseOutcome { run, help, health_check };

class Options {
 public:
  Options(std::string program, std::string summary);
  ~Options();

  // Integer in [min, max].
  void add_int(std::string flag, std::string env, int64_t* target, int64_t min,
               int64_t max, std::string help);
  // Byte count: "1048576", "512K", "16M", "2MiB", "1G".
  void add_bytes(std::string flag, std::string env, int64_t* target,
                 int64_t min, int64_t max, std::string help);
  // Duration in milliseconds: "250", "250ms", "5s".
  void add_millis(std::string flag, std::string env, int64_t* target,
                  int64_t min, int64_t max, std::string help);
  void add_string(std::string flag, std::string env, std::string* target,
                  std::string help);
  // A string checked by `validate`, which returns an error sentence or "".
  void add_checked(std::string flag, std::string env, std::string* target,
                   std::function<std::string(std::string_view)> validate,
                   std::string help);

  // Reads argv, and the environment for what argv leaves out (flags win; an
  // empty variable counts as unset). Fails on unknown flags, missing values
  // and values out of range, naming the offending flag or variable; --help
  // wins over all of these.
  Result<ParseOutcome> parse(int argc, const char* const* argv);
  std::string help() const;

 private:
  struct Setting {
    std::string flag;
    std::string env;
    CLI::Option* option;
    std::function<std::string(std::string_view)> set;  // "" on success
  };
  void add(std::string flag, std::string env, std::string value_name,
           std::string default_text, std::string help,
           std::function<std::string(std::string_view)> set);

  std::unique_ptr<CLI::App> app_;
  CLI::Option* health_check_;
  std::vector<Setting> settings_;
};

// The shared token both services use: the file `token_file` names when it is
// not empty (trailing newlines dropped), else $PLAYGROUND_TOKEN, else "".
// A file that cannot be read or is empty is an error, never "no token"; so
// is a token with a space, a control character or a byte beyond ASCII: it
// goes in a header line as it is, and a line break there would split it.
Result<std::string> load_token(const std::string& token_file);

// --ops-access: who may read the operations endpoints (/metrics, the
// frontend's /api/backends, a backend's /readyz details). "token" (the
// default): with a shared token configured, only requests carrying it;
// without one (a local set-up), everyone. "public": everyone.
void add_ops_access_option(Options& options, std::string* ops_access);

// Parsers shared with other modules (and unit-tested directly).
bool parse_int(std::string_view text, int64_t& out);
bool parse_bytes(std::string_view text, int64_t& out);
bool parse_millis(std::string_view text, int64_t& out);

}  // namespace playground
