// The keeper's request loop and the clone of each sandbox init (see keeper.h).
#include "sandbox/keeper.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "sandbox/contain.h"
#include "sandbox/init_protocol.h"
#include "sandbox/seccomp_policy.h"

namespace playground::sandbox::keeper {
namespace {

struct Child {
  int fds[kSpawnFdCount];
  const SpawnRequest* request;
  const seccomp_policy::Program* filter;
};

bool write_proc_file(const char* path, const char* text) {
  int fd = ::open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  size_t len = std::strlen(text);
  bool ok = ::write(fd, text, len) == static_cast<ssize_t>(len);
  ::close(fd);
  return ok;
}

void send_text(int sock, const std::string& text) {
  [[maybe_unused]] ssize_t n =
      send(sock, text.data(), text.size(), MSG_NOSIGNAL);
}

// Not root: become root of a new user namespace that maps only our own uid
// and gid, so the keeper can make namespaces and mounts for its sandboxes.
bool enter_user_namespace(int sock) {
  char uid_map[64], gid_map[64];
  std::snprintf(uid_map, sizeof uid_map, "0 %d 1", static_cast<int>(geteuid()));
  std::snprintf(gid_map, sizeof gid_map, "0 %d 1", static_cast<int>(getegid()));
  Step step = Step::userns;
  if (unshare(CLONE_NEWUSER) == 0) {
    step = Step::userns_map;
    if (write_proc_file("/proc/self/setgroups", "deny") &&
        write_proc_file("/proc/self/uid_map", uid_map) &&
        write_proc_file("/proc/self/gid_map", gid_map)) {
      return true;
    }
  }
  send_text(sock, failure_line(step, errno));
  return false;
}

bool enter_root(int sock, bool user_namespace, int64_t sandbox_uid) {
  if (unshare(CLONE_NEWNS) != 0) {
    send_text(sock, failure_line(Step::mount_namespace, errno));
    return false;
  }
  // In a user namespace each init pivots itself (see contain::run_init).
  return contain::prepare_root(sock, /*pivot=*/!user_namespace, sandbox_uid);
}

// Before the init runs, failures are reported on the status pipe directly.
[[noreturn]] void fail_early(int status_fd, Step step) {
  const std::string line = failure_line(step, errno);
  [[maybe_unused]] ssize_t w = ::write(status_fd, line.data(), line.size());
  _exit(126);
}

// Runs in the cloned child, already in its new namespaces.
int child_main(void* arg) {
  auto* c = static_cast<Child*>(arg);
  const int status_fd = c->fds[kStatusFd];
  // Move the descriptors above the target range first, then into 0..5.
  int moved[kSpawnFdCount];
  for (int i = 0; i < kSpawnFdCount; ++i) {
    moved[i] = fcntl(c->fds[i], F_DUPFD_CLOEXEC, 16);
    if (moved[i] < 0) fail_early(status_fd, Step::descriptors);
  }
  for (int i = 0; i < kSpawnFdCount; ++i) {
    if (dup2(moved[i], i) < 0) fail_early(moved[kStatusFd], Step::descriptors);
  }
  syscall(SYS_close_range, kSpawnFdCount, ~0U, 0);
  contain::run_init(c->request->spec, *c->filter);
}

// Receives one request and its descriptors; false when the service is gone.
bool receive(int sock, std::string& message, int fds[kSpawnFdCount],
             int& nfds) {
  std::array<char, 4096> buf;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kSpawnFdCount)];
  iovec iov{buf.data(), buf.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  do {
    n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  if (n <= 0) return false;
  message.assign(buf.data(), static_cast<size_t>(n));
  nfds = 0;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr;
       c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
      size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      for (size_t i = 0; i < count; ++i) {
        int fd;
        std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
        if (nfds < kSpawnFdCount) {
          fds[nfds++] = fd;
        } else {
          ::close(fd);
        }
      }
    }
  }
  return true;
}

void reply(int sock, const std::string& text, int fd) {
  iovec iov{const_cast<char*>(text.data()), text.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  if (fd >= 0) {
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
  }
  sendmsg(sock, &msg, MSG_NOSIGNAL);
}

}  // namespace

bool parse_options(int argc, const char* const* argv, Options& out) {
  if (argc < 2 || std::strcmp(argv[1], "keeper") != 0) return false;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "user_namespace=1") == 0)
      out.user_namespace = true;
    else if (std::strcmp(argv[i], "user_namespace=0") == 0)
      out.user_namespace = false;
    else if (std::strcmp(argv[i], "filesystem=1") == 0)
      out.filesystem = true;
    else if (std::strcmp(argv[i], "filesystem=0") == 0)
      out.filesystem = false;
    else if (std::strncmp(argv[i], "parent=", 7) == 0 &&
             std::atoi(argv[i] + 7) > 0)
      out.parent = std::atoi(argv[i] + 7);
    else if (std::strncmp(argv[i], "uid=", 4) == 0 &&
             std::atoll(argv[i] + 4) > 0)
      out.sandbox_uid = std::atoll(argv[i] + 4);
    else
      return false;
  }
  return true;
}

void serve(int sock, const Options& options) {
  // Nothing of the service's (its listening socket, client connections)
  // stays open here; 0-2 point at /dev/null.
  syscall(SYS_close_range, sock + 1, ~0U, 0);
  if (int null = ::open("/dev/null", O_RDWR | O_CLOEXEC); null >= 0) {
    for (int fd = 0; fd <= 2; ++fd) dup2(null, fd);
    if (null > 2) ::close(null);
  }
  prctl(PR_SET_NAME, "pg-keeper");
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  // The service died before PR_SET_PDEATHSIG was in place: we were
  // reparented.
  if (options.parent > 0 ? getppid() != options.parent : getppid() == 1) {
    _exit(0);
  }
  // Inits are reaped by the kernel; the service watches them via pidfds.
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  ignore.sa_flags = SA_NOCLDWAIT;
  sigaction(SIGCHLD, &ignore, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  if (options.user_namespace && !enter_user_namespace(sock)) _exit(1);
  if (options.filesystem &&
      !enter_root(sock, options.user_namespace, options.sandbox_uid)) {
    _exit(1);
  }
  send_text(sock, "ready");

  // The clone child runs on its own copy of this stack (no CLONE_VM).
  alignas(64) static std::array<char, 256 * 1024> stack;
  // Built on first use and shared (copy-on-write) by every init after; one
  // per kind (without and with a private network: local sockets).
  seccomp_policy::Program filters[2];
  int filter_errnos[2] = {0, 0};
  for (;;) {
    std::string message;
    int fds[kSpawnFdCount];
    int nfds = 0;
    if (!receive(sock, message, fds, nfds)) _exit(0);
    auto request = decode_spawn_request(message);
    if (!request || nfds != kSpawnFdCount) {
      for (int i = 0; i < nfds; ++i) ::close(fds[i]);
      reply(sock, failure_line(Step::request, EINVAL), -1);
      continue;
    }
    const int kind = request->spec.private_network ? 1 : 0;
    seccomp_policy::Program& filter = filters[kind];
    if (request->spec.seccomp && filter.instructions.empty() &&
        filter_errnos[kind] == 0) {
      if (!seccomp_policy::compile(filter, kind == 1)) {
        filter_errnos[kind] = errno;
      }
    }
    if (request->spec.seccomp && filter.instructions.empty()) {
      for (int fd : fds) ::close(fd);
      reply(sock, failure_line(Step::seccomp, filter_errnos[kind]), -1);
      continue;
    }
    Child child;
    std::memcpy(child.fds, fds, sizeof fds);
    child.request = &*request;
    child.filter = &filter;
    int pidfd = -1;
    pid_t pid =
        clone(child_main, stack.data() + stack.size(),
              request->clone_flags | CLONE_PIDFD | SIGCHLD, &child, &pidfd);
    const int clone_errno = errno;
    for (int fd : fds) ::close(fd);
    if (pid < 0) {
      reply(sock, failure_line(Step::clone, clone_errno), -1);
      continue;
    }
    reply(sock, "ok " + std::to_string(pid), pidfd);
    ::close(pidfd);
  }
}

}  // namespace playground::sandbox::keeper
