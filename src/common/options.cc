// Command-line and environment configuration (see options.h).
#include "common/options.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>

namespace playground {
namespace {

// Help as the services have always printed it: the kind of value after the
// flag, and its variable and default on a line under the description (CLI11
// puts them on the flag's line, pushing the description out of its column).
class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_option_opts(const CLI::Option* o) const override {
    return o->get_type_size() == 0 ? "" : " " + o->get_type_name();
  }
  std::string make_option_desc(const CLI::Option* o) const override {
    std::string text = o->get_description();
    if (o->get_envname().empty()) return text;
    text += "\n[env " + o->get_envname();
    if (!o->get_default_str().empty()) {
      text += ", default " + o->get_default_str();
    }
    return text + "]";
  }
};

std::string range_error(const std::string& what, int64_t min, int64_t max) {
  return "must be " + what + " between " + std::to_string(min) + " and " +
         std::to_string(max);
}

// Multiplies without overflow; false when the product does not fit.
bool checked_mul(int64_t a, int64_t b, int64_t& out) {
  return !__builtin_mul_overflow(a, b, &out);
}

}  // namespace

bool parse_int(std::string_view text, int64_t& out) {
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end;
}

bool parse_bytes(std::string_view text, int64_t& out) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    ++digits;
  }
  int64_t number = 0;
  if (!parse_int(text.substr(0, digits), number)) return false;
  std::string_view unit = text.substr(digits);
  int64_t scale = 1;
  if (unit.empty() || unit == "B") {
    scale = 1;
  } else if (unit == "K" || unit == "KiB" || unit == "k") {
    scale = int64_t{1} << 10;
  } else if (unit == "M" || unit == "MiB") {
    scale = int64_t{1} << 20;
  } else if (unit == "G" || unit == "GiB") {
    scale = int64_t{1} << 30;
  } else {
    return false;
  }
  return checked_mul(number, scale, out);
}

bool parse_millis(std::string_view text, int64_t& out) {
  int64_t number = 0;
  if (text.size() > 2 && text.substr(text.size() - 2) == "ms") {
    return parse_int(text.substr(0, text.size() - 2), out);
  }
  if (text.size() > 1 && text.back() == 's') {
    return parse_int(text.substr(0, text.size() - 1), number) &&
           checked_mul(number, 1000, out);
  }
  return parse_int(text, out);
}

Options::Options(std::string program, std::string summary)
    : app_(std::make_unique<CLI::App>(summary + "\n", std::move(program))) {
  app_->formatter(std::make_shared<HelpFormatter>());
  // A flag given twice: the last one wins (CLI11's default is an error).
  app_->option_defaults()->multi_option_policy(
      CLI::MultiOptionPolicy::TakeLast);
  app_->set_help_flag("-h,--help", "Show this help and exit.");
  health_check_ =
      app_->add_flag("--health-check")
          ->description(
              "Ask the service these settings describe for GET /healthz\n"
              "and exit 0 when it answers 200, else 1 (for container\n"
              "health checks).");
}

Options::~Options() = default;

void Options::add(std::string flag, std::string env, std::string value_name,
                  std::string default_text, std::string help,
                  std::function<std::string(std::string_view)> set) {
  CLI::Option* option = app_->add_option("--" + flag)
                            ->description(std::move(help))
                            ->envname(env)
                            ->type_name(std::move(value_name))
                            ->default_str(std::move(default_text));
  settings_.push_back(
      {std::move(flag), std::move(env), option, std::move(set)});
}

void Options::add_int(std::string flag, std::string env, int64_t* target,
                      int64_t min, int64_t max, std::string help) {
  add(std::move(flag), std::move(env), "N", std::to_string(*target),
      std::move(help), [=](std::string_view v) -> std::string {
        int64_t n = 0;
        if (!parse_int(v, n) || n < min || n > max) {
          return range_error("an integer", min, max);
        }
        *target = n;
        return "";
      });
}

void Options::add_bytes(std::string flag, std::string env, int64_t* target,
                        int64_t min, int64_t max, std::string help) {
  add(std::move(flag), std::move(env), "BYTES", std::to_string(*target),
      std::move(help), [=](std::string_view v) -> std::string {
        int64_t n = 0;
        if (!parse_bytes(v, n) || n < min || n > max) {
          return range_error("a size (e.g. 65536, 512K, 16M, 1G)", min, max) +
                 " bytes";
        }
        *target = n;
        return "";
      });
}

void Options::add_millis(std::string flag, std::string env, int64_t* target,
                         int64_t min, int64_t max, std::string help) {
  add(std::move(flag), std::move(env), "MS", std::to_string(*target) + "ms",
      std::move(help), [=](std::string_view v) -> std::string {
        int64_t n = 0;
        if (!parse_millis(v, n) || n < min || n > max) {
          return range_error("a duration (e.g. 250ms, 5s)", min, max) +
                 " milliseconds";
        }
        *target = n;
        return "";
      });
}

void Options::add_string(std::string flag, std::string env, std::string* target,
                         std::string help) {
  add_checked(
      std::move(flag), std::move(env), target,
      [](std::string_view) { return std::string(); }, std::move(help));
}

void Options::add_checked(std::string flag, std::string env,
                          std::string* target,
                          std::function<std::string(std::string_view)> validate,
                          std::string help) {
  add(std::move(flag), std::move(env), "TEXT", *target, std::move(help),
      [=](std::string_view v) -> std::string {
        std::string problem = validate(v);
        if (problem.empty()) *target = std::string(v);
        return problem;
      });
}

Result<ParseOutcome> Options::parse(int argc, const char* const* argv) {
  // CLI11 lists the options argv gave in parse_order(), never emptied: this
  // parse's start there.
  const size_t earlier = app_->parse_order().size();
  try {
    app_->parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return ParseOutcome::help;
  } catch (const CLI::ParseError& e) {
    return Error{std::string(e.what()) + "; see --help"};
  }
  // The values are checked only now, not by CLI11 validators: those run
  // before --help is looked at (a bad variable would hide the help) and name
  // the flag even when the value came from its variable.
  const auto from_argv = app_->parse_order().begin() + earlier;
  const auto end = app_->parse_order().end();
  for (const Setting& s : settings_) {
    const bool flag = std::find(from_argv, end, s.option) != end;
    for (const std::string& value : s.option->results()) {
      const std::string problem = s.set(value);
      if (!problem.empty()) {
        return Error{
            (flag ? "flag --" + s.flag : "environment variable " + s.env) +
            " " + problem + " (got \"" + value + "\")"};
      }
    }
  }
  return health_check_->count() > 0 ? ParseOutcome::health_check
                                    : ParseOutcome::run;
}

std::string Options::help() const { return app_->help(); }

namespace {

Result<std::string> checked_token(std::string token, std::string_view from) {
  for (const char c : token) {
    if (c < '!' || c > '~') {
      return Error{std::string(from) +
                   " holds a space, a control character or a byte beyond "
                   "ASCII; a token is printable ASCII alone"};
    }
  }
  return token;
}

}  // namespace

Result<std::string> load_token(const std::string& token_file) {
  if (token_file.empty()) {
    const char* token = std::getenv("PLAYGROUND_TOKEN");
    return checked_token(token ? token : "", "PLAYGROUND_TOKEN");
  }
  std::ifstream in(token_file);
  if (!in) return Error{"cannot read the token file " + token_file};
  std::stringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' ||
                            token.back() == ' ')) {
    token.pop_back();
  }
  if (token.empty()) return Error{"the token file " + token_file + " is empty"};
  return checked_token(std::move(token), "the token file " + token_file);
}

void add_ops_access_option(Options& options, std::string* ops_access) {
  options.add_checked(
      "ops-access", "PLAYGROUND_OPS_ACCESS", ops_access,
      [](std::string_view v) -> std::string {
        return v == "token" || v == "public" ? "" : "must be token or public";
      },
      "Who may read /metrics and the other operations endpoints: token\n"
      "(only requests with the shared token, when one is set) or public.");
}

}  // namespace playground
