// Command-line and environment configuration (see options.h).
#include "common/options.h"

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>

namespace playground {
namespace {

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
    : program_(std::move(program)), summary_(std::move(summary)) {}

void Options::add(Option option) { options_.push_back(std::move(option)); }

Options::Option* Options::find(std::string_view flag) {
  for (auto& o : options_) {
    if (o.flag == flag) return &o;
  }
  return nullptr;
}

void Options::add_int(std::string flag, std::string env, int64_t* target,
                      int64_t min, int64_t max, std::string help) {
  add({std::move(flag), std::move(env), "N", std::move(help),
       std::to_string(*target), [=](std::string_view v) -> std::string {
         int64_t n = 0;
         if (!parse_int(v, n) || n < min || n > max) {
           return range_error("an integer", min, max);
         }
         *target = n;
         return "";
       }});
}

void Options::add_bytes(std::string flag, std::string env, int64_t* target,
                        int64_t min, int64_t max, std::string help) {
  add({std::move(flag), std::move(env), "BYTES", std::move(help),
       std::to_string(*target), [=](std::string_view v) -> std::string {
         int64_t n = 0;
         if (!parse_bytes(v, n) || n < min || n > max) {
           return range_error("a size (e.g. 65536, 512K, 16M, 1G)", min, max) +
                  " bytes";
         }
         *target = n;
         return "";
       }});
}

void Options::add_millis(std::string flag, std::string env, int64_t* target,
                         int64_t min, int64_t max, std::string help) {
  add({std::move(flag), std::move(env), "MS", std::move(help),
       std::to_string(*target) + "ms", [=](std::string_view v) -> std::string {
         int64_t n = 0;
         if (!parse_millis(v, n) || n < min || n > max) {
           return range_error("a duration (e.g. 250ms, 5s)", min, max) +
                  " milliseconds";
         }
         *target = n;
         return "";
       }});
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
  add({std::move(flag), std::move(env), "TEXT", std::move(help), *target,
       [=](std::string_view v) -> std::string {
         std::string problem = validate(v);
         if (problem.empty()) *target = std::string(v);
         return problem;
       }});
}

Result<ParseOutcome> Options::parse(int argc, const char* const* argv) {
  for (auto& o : options_) {
    if (o.env.empty()) continue;
    const char* value = std::getenv(o.env.c_str());
    if (value == nullptr) continue;
    std::string problem = o.set(value);
    if (!problem.empty()) {
      return Error{"environment variable " + o.env + " " + problem +
                   " (got \"" + value + "\")"};
    }
  }
  bool health_check = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") return ParseOutcome::help;
    if (arg == "--health-check") {
      health_check = true;
      continue;
    }
    if (arg.substr(0, 2) != "--") {
      return Error{"unexpected argument \"" + std::string(arg) +
                   "\"; see --help"};
    }
    arg.remove_prefix(2);
    std::string_view value;
    bool has_value = false;
    if (auto eq = arg.find('='); eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_value = true;
    }
    Option* o = find(arg);
    if (o == nullptr) {
      return Error{"unknown flag --" + std::string(arg) + "; see --help"};
    }
    if (!has_value) {
      if (i + 1 >= argc) {
        return Error{"flag --" + o->flag + " needs a value; see --help"};
      }
      value = argv[++i];
    }
    std::string problem = o->set(value);
    if (!problem.empty()) {
      return Error{"flag --" + o->flag + " " + problem + " (got \"" +
                   std::string(value) + "\")"};
    }
  }
  return health_check ? ParseOutcome::health_check : ParseOutcome::run;
}

std::string Options::help() const {
  std::ostringstream out;
  out << "Usage: " << program_ << " [flags]\n\n" << summary_ << "\n\nFlags:\n";
  for (const auto& o : options_) {
    std::string head = "  --" + o.flag + " " + o.value_name;
    out << head;
    if (head.size() < 30) {
      out << std::string(30 - head.size(), ' ');
    } else {
      out << "\n" << std::string(30, ' ');
    }
    out << o.help << "\n" << std::string(30, ' ') << "[env " << o.env;
    if (!o.default_text.empty()) out << ", default " << o.default_text;
    out << "]\n";
  }
  out << "  --health-check              Ask the service these settings "
         "describe "
         "for GET /healthz\n"
         "                              and exit 0 when it answers 200, else 1 "
         "(for container\n"
         "                              health checks).\n";
  out << "  --help                      Show this help and exit.\n";
  return out.str();
}

Result<std::string> load_token(const std::string& token_file) {
  if (token_file.empty()) {
    const char* token = std::getenv("PLAYGROUND_TOKEN");
    return std::string(token ? token : "");
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
  return token;
}

void add_ops_access_option(Options& options, std::string* ops_access) {
  options.add_checked(
      "ops-access", "PLAYGROUND_OPS_ACCESS", ops_access,
      [](std::string_view v) -> std::string {
        return v == "token" || v == "public" ? "" : "must be token or public";
      },
      "Who may read /metrics and the other operations endpoints: token\n"
      "                              (only requests with the shared token, "
      "when one is set) or public.");
}

}  // namespace playground
