// Encoding of the init's settings and decoding of its report (see
// init_protocol.h).
#include "sandbox/shared/init_protocol.h"

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <sstream>

namespace playground::sandbox {
namespace {

bool to_int(std::string_view s, int64_t& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

namespace {

// The spec's fields by name: the one list the encoder and decoder share.
struct BoolField {
  std::string_view key;
  bool InitSpec::*member;
};
struct IntField {
  std::string_view key;
  int64_t InitSpec::*member;
};
constexpr BoolField kBoolFields[] = {
    {"namespaces", &InitSpec::namespaces},
    {"filesystem", &InitSpec::filesystem},
    {"drop_privileges", &InitSpec::drop_privileges},
    {"user_namespace", &InitSpec::user_namespace},
    {"mapped_uid", &InitSpec::mapped_uid},
    {"seccomp", &InitSpec::seccomp},
};
constexpr IntField kIntFields[] = {
    {"uid", &InitSpec::uid},
    {"parent", &InitSpec::parent},
    {"tmp_bytes", &InitSpec::tmp_bytes},
    {"tmp_inodes", &InitSpec::tmp_inodes},
    {"memory_watch_bytes", &InitSpec::memory_watch_bytes},
    {"blas_threads", &InitSpec::blas_threads},
};
constexpr std::string_view kPython = "python";
// Repeated, one per limit: "rlimit=<resource>,<soft>,<hard>".
constexpr std::string_view kRlimit = "rlimit";
// Repeated, one per directory: "hide=/usr/lib/python3/dist-packages".
constexpr std::string_view kHide = "hide";

std::string encode_rlimit(const Rlimit& r) {
  return std::string(kRlimit) + "=" + std::to_string(r.resource) + "," +
         std::to_string(r.soft) + "," + std::to_string(r.hard);
}

bool decode_rlimit(std::string_view value, Rlimit& out) {
  int64_t parts[3];
  for (int i = 0; i < 3; ++i) {
    const size_t comma = i < 2 ? value.find(',') : value.size();
    if (comma == std::string_view::npos) return false;
    if (!to_int(value.substr(0, comma), parts[i])) return false;
    value.remove_prefix(std::min(comma + 1, value.size()));
  }
  if (parts[0] < 0 || parts[0] >= RLIM_NLIMITS) return false;
  if (parts[1] < kInheritedHardLimit || parts[2] < kInheritedHardLimit)
    return false;
  out = {static_cast<int>(parts[0]), parts[1], parts[2]};
  return true;
}

// One "key=value" field into `s`; false for an unknown key or a bad value.
bool decode_field(std::string_view key, std::string_view value, InitSpec& s) {
  if (key == kPython) {
    s.python = std::string(value);
    return true;
  }
  if (key == kHide) {
    if (!is_hideable_module_dir(value)) return false;
    s.hidden_dirs.emplace_back(value);
    return true;
  }
  if (key == kRlimit) {
    Rlimit r;
    if (!decode_rlimit(value, r)) return false;
    s.rlimits.push_back(r);
    return true;
  }
  int64_t n = 0;
  if (!to_int(value, n) || n < 0) return false;
  for (const BoolField& f : kBoolFields) {
    if (key == f.key) {
      if (n > 1) return false;
      s.*f.member = n != 0;
      return true;
    }
  }
  for (const IntField& f : kIntFields) {
    if (key == f.key) {
      s.*f.member = n;
      return true;
    }
  }
  return false;
}

std::vector<std::string_view> split_nul(std::string_view message) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= message.size()) {
    size_t nul = message.find('\0', start);
    if (nul == std::string_view::npos) nul = message.size();
    parts.push_back(message.substr(start, nul - start));
    start = nul + 1;
  }
  return parts;
}

constexpr std::string_view kKeeperCommand = "keeper";
constexpr std::string_view kSpawnCommand = "spawn";

}  // namespace

bool is_hideable_module_dir(std::string_view dir) {
  // /usr/lib/python3/dist-packages or /usr/lib/python3.N/dist-packages.
  constexpr std::string_view head = "/usr/lib/python3";
  constexpr std::string_view tail = "/dist-packages";
  if (!dir.starts_with(head) || !dir.ends_with(tail) ||
      dir.size() < head.size() + tail.size()) {
    return false;
  }
  std::string_view minor =
      dir.substr(head.size(), dir.size() - head.size() - tail.size());
  if (minor.empty()) return true;
  if (minor.size() < 2 || minor.front() != '.') return false;
  minor.remove_prefix(1);
  return minor.find_first_not_of("0123456789") == std::string_view::npos;
}

std::vector<std::string> encode_spec(const InitSpec& s) {
  std::vector<std::string> out = {std::string(kPython) + "=" + s.python};
  for (const BoolField& f : kBoolFields)
    out.push_back(std::string(f.key) + (s.*f.member ? "=1" : "=0"));
  for (const IntField& f : kIntFields)
    out.push_back(std::string(f.key) + "=" + std::to_string(s.*f.member));
  for (const Rlimit& r : s.rlimits) out.push_back(encode_rlimit(r));
  for (const std::string& dir : s.hidden_dirs) {
    out.push_back(std::string(kHide) + "=" + dir);
  }
  return out;
}

Result<InitSpec> decode_spec(const std::vector<std::string_view>& fields) {
  InitSpec s;
  for (std::string_view field : fields) {
    const size_t eq = field.find('=');
    if (eq == std::string_view::npos) return Error{"malformed setting"};
    const std::string_view key = field.substr(0, eq);
    if (!decode_field(key, field.substr(eq + 1), s)) {
      return Error{"bad or unknown setting " + std::string(key)};
    }
  }
  if (s.python.empty() || s.python[0] != '/') {
    return Error{"python must be an absolute path"};
  }
  return s;
}

std::vector<std::string> keeper_argv(const InitSpec& spec) {
  std::vector<std::string> argv = {"playground-sandbox-init",
                                   std::string(kKeeperCommand)};
  for (std::string& field : encode_spec(spec)) argv.push_back(std::move(field));
  return argv;
}

Result<InitSpec> decode_keeper_argv(int argc, const char* const* argv) {
  if (argc < 2 || argv[1] != kKeeperCommand) return Error{"not a keeper"};
  return decode_spec(std::vector<std::string_view>(argv + 2, argv + argc));
}

std::string encode_spawn_request(const InitSpec& spec) {
  std::string out(kSpawnCommand);
  for (const std::string& field : encode_spec(spec)) {
    out.push_back('\0');
    out += field;
  }
  return out;
}

const std::string& SpawnRequestCache::encode(const InitSpec& spec) {
  if (request_.empty() || !(spec == spec_)) {
    request_ = encode_spawn_request(spec);
    spec_ = spec;
  }
  return request_;
}

Result<InitSpec> decode_spawn_request(std::string_view message) {
  std::vector<std::string_view> parts = split_nul(message);
  if (parts.empty() || parts[0] != kSpawnCommand) {
    return Error{"malformed spawn request"};
  }
  parts.erase(parts.begin());
  return decode_spec(parts);
}

Error StepFailure::error() const {
  return Error{"sandbox step \"" + std::string(name(step)) +
                   "\" failed: " + std::strerror(err),
               step};
}

std::string failure_line(Step step, int err) {
  return "fail " + std::string(name(step)) + " " + std::to_string(err) + "\n";
}

StepFailure parse_failure_line(std::string_view line) {
  std::istringstream words{std::string(line)};
  std::string kind, step;
  StepFailure failure{.step = Step::unknown, .err = EPROTO};
  if (words >> kind >> step && kind == "fail") {
    failure.step = step_named(step);
    words >> failure.err;
  }
  return failure;
}

namespace {

// The first words of `line` (split at whitespace) into `out`; how many.
template <size_t N>
size_t first_words(std::string_view line,
                   std::array<std::string_view, N>& out) {
  constexpr std::string_view space = " \t\r\v\f";
  size_t n = 0;
  while (n < N) {
    const size_t begin = line.find_first_not_of(space);
    if (begin == std::string_view::npos) break;
    line.remove_prefix(begin);
    const size_t end = std::min(line.find_first_of(space), line.size());
    out[n++] = line.substr(0, end);
    line.remove_prefix(end);
  }
  return n;
}

}  // namespace

// Read once per run by the service: split by hand, not through streams.
InitReport parse_report(std::string_view lines) {
  InitReport r;
  while (!lines.empty()) {
    const size_t eol = std::min(lines.find('\n'), lines.size());
    const std::string_view line = lines.substr(0, eol);
    lines.remove_prefix(std::min(eol + 1, lines.size()));
    std::array<std::string_view, 5> words;
    const size_t n = first_words(line, words);
    if (n == 0) continue;
    if (words[0] == "exit" && !r.exited) {
      int64_t code, signal, cpu_us, maxrss_kb;
      if (n == 5 && to_int(words[1], code) && to_int(words[2], signal) &&
          to_int(words[3], cpu_us) && to_int(words[4], maxrss_kb)) {
        r.exited = true;
        r.exit_code = static_cast<int>(code);
        r.signal = static_cast<int>(signal);
        r.cpu_us = cpu_us;
        r.maxrss_kb = maxrss_kb;
      }
    } else if (words[0] == "memory") {
      int64_t kb = 0;
      if (n >= 2 && to_int(words[1], kb)) r.memory_exceeded_kb = kb;
    } else if (words[0] == "fail" && !r.failure) {
      r.failure = parse_failure_line(line);
    }
  }
  return r;
}

}  // namespace playground::sandbox
