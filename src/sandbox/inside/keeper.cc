// The keeper's request loop and the clone of each sandbox init (see keeper.h).
#include "sandbox/inside/keeper.h"

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
#include <cstring>
#include <string>

#include "sandbox/inside/contain.h"
#include "sandbox/inside/seccomp_policy.h"
#include "sandbox/shared/fd_passing.h"
#include "sandbox/shared/init_protocol.h"
#include "sandbox/shared/policy.h"

namespace playground::sandbox::keeper {
namespace {

struct Child {
  int fds[kSpawnFdCount];
  const InitSpec* spec;
  const seccomp_policy::Program* filter;
};

bool write_proc_file(const char* path, const char* text) {
  UniqueFd fd(::open(path, O_WRONLY | O_CLOEXEC));
  if (!fd) return false;
  const size_t len = std::strlen(text);
  return ::write(fd.get(), text, len) == static_cast<ssize_t>(len);
}

void send_text(int sock, const std::string& text) {
  send_with_fds(sock, text);  // a dead service ends the keeper anyway
}

// The service writes our maps with newuidmap and newgidmap (setuid helpers
// that may map its subordinate ids): ask, and wait for its answer.
bool ask_service_for_maps(int sock) {
  send_text(sock, "map");
  char answer[16] = {};
  const ssize_t n = ::recv(sock, answer, sizeof answer - 1, 0);
  if (n > 0 && std::strcmp(answer, "mapped") == 0 && geteuid() == 0) {
    return true;
  }
  errno = n < 0 ? errno : EPERM;
  return false;
}

// Not root: become root of a new user namespace, so the keeper can make
// namespaces and mounts for its sandboxes. It maps our own uid and gid, and
// where the service has subordinate ids also the sandboxes' uid
// (spec.mapped_uid).
bool enter_user_namespace(int sock, const InitSpec& spec) {
  char uid_map[64], gid_map[64];
  std::snprintf(uid_map, sizeof uid_map, "0 %d 1", static_cast<int>(geteuid()));
  std::snprintf(gid_map, sizeof gid_map, "0 %d 1", static_cast<int>(getegid()));
  Step step = Step::userns;
  if (unshare(CLONE_NEWUSER) == 0) {
    step = Step::userns_map;
    if (spec.mapped_uid ? ask_service_for_maps(sock)
                        : write_proc_file("/proc/self/setgroups", "deny") &&
                              write_proc_file("/proc/self/uid_map", uid_map) &&
                              write_proc_file("/proc/self/gid_map", gid_map)) {
      return true;
    }
  }
  send_text(sock, failure_line(step, errno));
  return false;
}

// The keeper's own mount namespace, where the root its clones copy is built.
bool enter_root(int sock, const InitSpec& spec) {
  if (unshare(CLONE_NEWNS) != 0) {
    send_text(sock, failure_line(Step::mount_namespace, errno));
    return false;
  }
  // In a user namespace each init pivots itself (see contain::run_init).
  return contain::prepare_root(sock, /*pivot=*/!spec.user_namespace, spec);
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
  contain::run_init(*c->spec, *c->filter);
}

// Cut loose from the service's process: none of its descriptors (listening
// socket, client connections) stays open, 0-2 point at /dev/null, and the
// keeper dies with the service.
void detach_from_service(int sock, const InitSpec& spec) {
  syscall(SYS_close_range, sock + 1, ~0U, 0);
  if (int null = ::open("/dev/null", O_RDWR | O_CLOEXEC); null >= 0) {
    for (int fd = 0; fd <= 2; ++fd) dup2(null, fd);
    if (null > 2) ::close(null);
  }
  prctl(PR_SET_NAME, "pg-keeper");
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  // The service died before PR_SET_PDEATHSIG was in place: we were
  // reparented.
  if (spec.parent > 0 ? getppid() != spec.parent : getppid() == 1) _exit(0);
  // Inits are reaped by the kernel; the service watches them via pidfds.
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  ignore.sa_flags = SA_NOCLDWAIT;
  sigaction(SIGCHLD, &ignore, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
}

// The seccomp programs, compiled on first use and shared (copy-on-write) by
// every init after; one per kind (without and with a network namespace of
// its own, where local sockets are allowed).
class Filters {
 public:
  // The program for `spec`, or null with errno set when it cannot be built.
  const seccomp_policy::Program* for_spec(const InitSpec& spec) {
    const int kind = spec.namespaces ? 1 : 0;
    seccomp_policy::Program& filter = programs_[kind];
    if (spec.seccomp && filter.instructions.empty()) {
      if (errnos_[kind] == 0 && !seccomp_policy::compile(filter, kind == 1)) {
        errnos_[kind] = errno;
      }
      if (filter.instructions.empty()) {
        errno = errnos_[kind];
        return nullptr;
      }
    }
    return &filter;
  }

 private:
  seccomp_policy::Program programs_[2];
  int errnos_[2] = {0, 0};
};

// Clones one sandbox init with `fds` as its 0..5; the reply carries its
// pidfd. Our copies of `fds` close when the request is done.
void spawn(int sock, const InitSpec& spec, std::vector<UniqueFd> fds,
           Filters& filters) {
  const seccomp_policy::Program* filter = filters.for_spec(spec);
  if (filter == nullptr) {
    send_text(sock, failure_line(Step::seccomp, errno));
    return;
  }
  // The clone child runs on its own copy of this stack (no CLONE_VM).
  alignas(64) static std::array<char, 256 * 1024> stack;
  Child child{.spec = &spec, .filter = filter};
  for (int i = 0; i < kSpawnFdCount; ++i) child.fds[i] = fds[i].get();
  const int flags = spec.namespaces ? kSandboxNamespaces : 0;
  int pidfd = -1;
  const pid_t pid = clone(child_main, stack.data() + stack.size(),
                          flags | CLONE_PIDFD | SIGCHLD, &child, &pidfd);
  const int clone_errno = errno;
  fds.clear();  // the init has its own copies now
  if (pid < 0) {
    send_text(sock, failure_line(Step::clone, clone_errno));
    return;
  }
  const UniqueFd owned(pidfd);
  const int attached[] = {owned.get()};
  send_with_fds(sock, "ok " + std::to_string(pid), attached);
}

}  // namespace

void serve(int sock, const InitSpec& spec) {
  detach_from_service(sock, spec);
  if (spec.user_namespace && !enter_user_namespace(sock, spec)) _exit(1);
  if (spec.filesystem && !enter_root(sock, spec)) {
    _exit(1);
  }
  send_text(sock, "ready");

  Filters filters;
  for (;;) {
    ReceivedMessage message;
    if (receive_with_fds(sock, 4096, kSpawnFdCount, 0, message) <= 0) _exit(0);
    auto request = decode_spawn_request(message.data);
    if (!request || message.truncated || message.fds.size() != kSpawnFdCount) {
      send_text(sock, failure_line(Step::request, EINVAL));
      continue;  // the descriptors close with `message`
    }
    spawn(sock, *request, std::move(message.fds), filters);
  }
}

}  // namespace playground::sandbox::keeper
