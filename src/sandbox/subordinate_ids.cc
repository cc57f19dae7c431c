// Claiming and mapping subordinate ids (see subordinate_ids.h).
#include "sandbox/subordinate_ids.h"

#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include "sandbox/shared/init_protocol.h"

namespace playground::sandbox {
namespace {

// setuid root helpers, by absolute path: no PATH lookup.
constexpr const char* kNewUidMap = "/usr/bin/newuidmap";
constexpr const char* kNewGidMap = "/usr/bin/newgidmap";
// A map helper that has not finished by then is killed.
constexpr int kHelperTimeoutMs = 5000;

bool parse_id(std::string_view text, int64_t& out) {
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && p == end && !text.empty() && out >= 0;
}

std::string read_small_file(const char* path) {
  std::ifstream in(path);
  std::string text(64 * 1024, '\0');  // far more than any real id file
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  return text;
}

std::string user_name(uid_t uid) {
  passwd pw{};
  passwd* found = nullptr;
  std::string buffer(4096, '\0');
  if (getpwuid_r(uid, &pw, buffer.data(), buffer.size(), &found) != 0 ||
      found == nullptr) {
    return "";
  }
  return pw.pw_name;
}

// Holds block `index` of this user's ranges for as long as the socket is
// open; empty when another process holds it.
UniqueFd lock_block(uid_t uid, int64_t index) {
  UniqueFd sock(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!sock) return sock;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  // Abstract (leading NUL): no file to leave behind.
  const std::string name =
      "playground-subids-" + std::to_string(uid) + "-" + std::to_string(index);
  std::memcpy(addr.sun_path + 1, name.data(), name.size());
  const auto len =
      static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
  if (::bind(sock.get(), reinterpret_cast<sockaddr*>(&addr), len) != 0) {
    return UniqueFd();
  }
  return sock;
}

// Runs `helper` with `args` (numbers only), no environment and stdin from
// /dev/null, waits for it, and returns what it wrote to stderr on failure.
Result<void> run_helper(const char* helper,
                        const std::vector<std::string>& args) {
  std::vector<char*> argv{const_cast<char*>(helper)};
  for (const std::string& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  char* envp[] = {nullptr};
  int err[2];
  if (::pipe2(err, O_CLOEXEC) != 0) {
    return Error{std::string("pipe: ") + std::strerror(errno)};
  }
  UniqueFd err_read(err[0]), err_write(err[1]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, err_write.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, err_write.get(), 2);
  // The service holds its stop signals blocked; the helper starts clean.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, helper, &actions, &attr, argv.data(), envp);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  err_write.reset();
  if (rc != 0) {
    return Error{std::string(helper) + ": " + std::strerror(rc)};
  }
  std::string message;
  char chunk[512];
  pollfd p{err_read.get(), POLLIN, 0};
  while (message.size() < 4096 && ::poll(&p, 1, kHelperTimeoutMs) == 1) {
    const ssize_t n = ::read(err_read.get(), chunk, sizeof chunk);
    if (n <= 0) break;
    message.append(chunk, static_cast<size_t>(n));
  }
  ::kill(pid, SIGKILL);  // no-op unless it hangs
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Ok();
  while (!message.empty() && message.back() == '\n') message.pop_back();
  return Error{std::string(helper) + " failed" +
               (message.empty() ? "" : ": " + message)};
}

}  // namespace

std::vector<IdRange> subordinate_ranges(std::string_view text,
                                        std::string_view user, uid_t uid) {
  std::vector<IdRange> ranges;
  const std::string uid_text = std::to_string(uid);
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? "" : text.substr(eol + 1);
    const size_t a = line.find(':');
    const size_t b = a == std::string_view::npos ? a : line.find(':', a + 1);
    if (b == std::string_view::npos) continue;
    const std::string_view owner = line.substr(0, a);
    IdRange r;
    if ((owner == user || owner == uid_text) && !owner.empty() &&
        parse_id(line.substr(a + 1, b - a - 1), r.start) &&
        parse_id(line.substr(b + 1), r.count) && r.count > 0) {
      ranges.push_back(r);
    }
  }
  return ranges;
}

std::optional<SubordinateIds> SubordinateIds::claim(int slots,
                                                    std::string& why) {
  if (::access(kNewUidMap, X_OK) != 0 || ::access(kNewGidMap, X_OK) != 0) {
    why = "no newuidmap and newgidmap (Debian's uidmap package)";
    return std::nullopt;
  }
  const uid_t uid = ::geteuid();
  const std::string user = user_name(uid);
  const auto uids =
      subordinate_ranges(read_small_file("/etc/subuid"), user, uid);
  const auto gids =
      subordinate_ranges(read_small_file("/etc/subgid"), user, uid);
  if (uids.empty() || gids.empty()) {
    why = "no range for user " + (user.empty() ? std::to_string(uid) : user) +
          " in /etc/subuid and /etc/subgid";
    return std::nullopt;
  }
  // Consecutive blocks of the first range of each file, as many as the
  // slots need; the same block numbers in both.
  const int64_t need = (slots + kSubordinateBlock - 1) / kSubordinateBlock;
  const int64_t blocks =
      std::min(uids[0].count, gids[0].count) / kSubordinateBlock;
  for (int64_t first = 0; first + need <= blocks; ++first) {
    SubordinateIds ids;
    for (int64_t i = first; i < first + need; ++i) {
      UniqueFd lock = lock_block(uid, i);
      if (!lock) break;
      ids.locks_.push_back(std::move(lock));
    }
    if (static_cast<int64_t>(ids.locks_.size()) == need) {
      ids.uid_base_ = uids[0].start + first * kSubordinateBlock;
      ids.gid_base_ = gids[0].start + first * kSubordinateBlock;
      return ids;
    }
  }
  why = "every block of " + std::to_string(kSubordinateBlock) +
        " subordinate ids of the first ranges is taken by another service";
  return std::nullopt;
}

Result<void> map_keeper_ids(pid_t pid, int64_t uid, int64_t gid) {
  const std::string target = std::to_string(pid);
  const std::string inner = std::to_string(kSandboxUid);
  if (auto r = run_helper(kNewUidMap, {target, "0", std::to_string(::geteuid()),
                                       "1", inner, std::to_string(uid), "1"});
      !r) {
    return r;
  }
  return run_helper(kNewGidMap, {target, "0", std::to_string(::getegid()), "1",
                                 inner, std::to_string(gid), "1"});
}

}  // namespace playground::sandbox
