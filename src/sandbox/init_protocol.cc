// Encoding of the init's settings and decoding of its report (see
// init_protocol.h).
#include "sandbox/init_protocol.h"

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

std::vector<std::string> to_args(const InitSpec& s) {
  auto flag = [](bool b) { return b ? "1" : "0"; };
  return {
      "playground-sandbox-init",
      "python=" + s.python,
      std::string("filesystem=") + flag(s.filesystem),
      std::string("hostname=") + flag(s.hostname),
      std::string("drop_privileges=") + flag(s.drop_privileges),
      std::string("user_namespace=") + flag(s.user_namespace),
      std::string("seccomp=") + flag(s.seccomp),
      std::string("private_network=") + flag(s.private_network),
      "uid=" + std::to_string(s.uid),
      "cpu_seconds=" + std::to_string(s.cpu_seconds),
      "address_space_bytes=" + std::to_string(s.address_space_bytes),
      "file_size_bytes=" + std::to_string(s.file_size_bytes),
      "open_files=" + std::to_string(s.open_files),
      "max_processes=" + std::to_string(s.max_processes),
      "tmp_bytes=" + std::to_string(s.tmp_bytes),
      "tmp_inodes=" + std::to_string(s.tmp_inodes),
      "memory_watch_bytes=" + std::to_string(s.memory_watch_bytes),
  };
}

Result<InitSpec> from_args(int argc, const char* const* argv) {
  InitSpec s;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto eq = arg.find('=');
    if (eq == std::string_view::npos) return Error{"malformed argument"};
    std::string_view key = arg.substr(0, eq), value = arg.substr(eq + 1);
    int64_t n = 0;
    if (key == "python") {
      s.python = std::string(value);
      continue;
    }
    if (!to_int(value, n) || n < 0) {
      return Error{"bad value for " + std::string(key)};
    }
    if (key == "filesystem")
      s.filesystem = n != 0;
    else if (key == "hostname")
      s.hostname = n != 0;
    else if (key == "drop_privileges")
      s.drop_privileges = n != 0;
    else if (key == "user_namespace")
      s.user_namespace = n != 0;
    else if (key == "seccomp")
      s.seccomp = n != 0;
    else if (key == "private_network")
      s.private_network = n != 0;
    else if (key == "uid")
      s.uid = n;
    else if (key == "cpu_seconds")
      s.cpu_seconds = n;
    else if (key == "address_space_bytes")
      s.address_space_bytes = n;
    else if (key == "file_size_bytes")
      s.file_size_bytes = n;
    else if (key == "open_files")
      s.open_files = n;
    else if (key == "max_processes")
      s.max_processes = n;
    else if (key == "tmp_bytes")
      s.tmp_bytes = n;
    else if (key == "tmp_inodes")
      s.tmp_inodes = n;
    else if (key == "memory_watch_bytes")
      s.memory_watch_bytes = n;
    else
      return Error{"unknown setting " + std::string(key)};
  }
  if (s.python.empty() || s.python[0] != '/') {
    return Error{"python must be an absolute path"};
  }
  return s;
}

std::string encode_spawn_request(int clone_flags, const InitSpec& spec) {
  std::string out = "spawn " + std::to_string(clone_flags);
  auto args = to_args(spec);
  for (size_t i = 1; i < args.size(); ++i) {  // args[0] is the program name
    out.push_back('\0');
    out += args[i];
  }
  return out;
}

Result<SpawnRequest> decode_spawn_request(std::string_view message) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= message.size()) {
    size_t nul = message.find('\0', start);
    if (nul == std::string_view::npos) nul = message.size();
    parts.emplace_back(message.substr(start, nul - start));
    start = nul + 1;
  }
  int64_t flags = 0;
  if (parts.empty() || parts[0].rfind("spawn ", 0) != 0 ||
      !to_int(std::string_view(parts[0]).substr(6), flags)) {
    return Error{"malformed spawn request"};
  }
  std::vector<const char*> argv = {"playground-sandbox-init"};
  for (size_t i = 1; i < parts.size(); ++i) argv.push_back(parts[i].c_str());
  auto spec = from_args(static_cast<int>(argv.size()), argv.data());
  if (!spec) return spec.error();
  return SpawnRequest{static_cast<int>(flags), std::move(*spec)};
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

InitReport parse_report(std::string_view lines) {
  InitReport r;
  std::istringstream in{std::string(lines)};
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string kind;
    words >> kind;
    if (kind == "exit" && !r.exited) {
      InitReport e;
      if (words >> e.exit_code >> e.signal >> e.cpu_us >> e.maxrss_kb) {
        r.exited = true;
        r.exit_code = e.exit_code;
        r.signal = e.signal;
        r.cpu_us = e.cpu_us;
        r.maxrss_kb = e.maxrss_kb;
      }
    } else if (kind == "memory") {
      words >> r.memory_exceeded_kb;
    } else if (kind == "fail" && !r.failure) {
      r.failure = parse_failure_line(line);
    }
  }
  return r;
}

}  // namespace playground::sandbox
