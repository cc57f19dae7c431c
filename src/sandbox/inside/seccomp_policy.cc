// The sandbox's syscall allowlist (see seccomp_policy.h).
#include "sandbox/inside/seccomp_policy.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <initializer_list>
#include <string>

#include "sandbox/shared/policy.h"
#include "sandbox/shared/unique_fd.h"

namespace playground::sandbox::seccomp_policy {

const std::vector<std::string_view>& allowed_syscalls() {
  // Grouped by purpose. Deliberately absent: socket/socketpair/connect and the
  // rest of networking (allowed only in a private network namespace, for
  // local sockets: local_socket_syscalls), ptrace, process_vm_*, kcmp,
  // pidfd_getfd, unshare, setns, mount and the new mount API, pivot_root,
  // chroot, keyctl, add_key, request_key, io_uring_*, bpf, perf_event_open,
  // userfaultfd, module and kexec calls, name_to_handle_at/open_by_handle_at,
  // mknod, SysV IPC and POSIX message queues, clock and host settings, swap,
  // quota, reboot; inotify (watches on the bind-mounted /usr see the host's
  // activity) and memfd_create (its memory escapes the address-space limit when
  // no memory cgroup is there to count it).
  static const std::vector<std::string_view> names = {
      // files and descriptors
      "read",
      "write",
      "readv",
      "writev",
      "pread64",
      "pwrite64",
      "preadv",
      "pwritev",
      "preadv2",
      "pwritev2",
      "open",
      "openat",
      "openat2",
      "creat",
      "close",
      "close_range",
      "lseek",
      "stat",
      "fstat",
      "lstat",
      "newfstatat",
      "statx",
      "access",
      "faccessat",
      "faccessat2",
      "readlink",
      "readlinkat",
      "getdents",
      "getdents64",
      "getcwd",
      "chdir",
      "fchdir",
      "rename",
      "renameat",
      "renameat2",
      "mkdir",
      "mkdirat",
      "rmdir",
      "unlink",
      "unlinkat",
      "link",
      "linkat",
      "symlink",
      "symlinkat",
      "chmod",
      "fchmod",
      "fchmodat",
      "chown",
      "fchown",
      "lchown",
      "fchownat",
      "truncate",
      "ftruncate",
      "fallocate",
      "fsync",
      "fdatasync",
      "umask",
      "utime",
      "utimes",
      "utimensat",
      "futimesat",
      "statfs",
      "fstatfs",
      "flock",
      "fcntl",
      "ioctl",
      "dup",
      "dup2",
      "dup3",
      "pipe",
      "pipe2",
      "sendfile",
      "splice",
      "tee",
      "copy_file_range",
      "readahead",
      "fadvise64",
      "getxattr",
      "lgetxattr",
      "fgetxattr",
      "listxattr",
      "llistxattr",
      "flistxattr",
      // memory
      "brk",
      "mmap",
      "munmap",
      "mprotect",
      "mremap",
      "madvise",
      "msync",
      "mincore",
      "membarrier",
      // waiting and events
      "poll",
      "ppoll",
      "select",
      "pselect6",
      "epoll_create",
      "epoll_create1",
      "epoll_ctl",
      "epoll_wait",
      "epoll_pwait",
      "epoll_pwait2",
      "eventfd",
      "eventfd2",
      "timerfd_create",
      "timerfd_settime",
      "timerfd_gettime",
      "signalfd",
      "signalfd4",
      "futex",
      "futex_waitv",
      "set_robust_list",
      "get_robust_list",
      "nanosleep",
      "clock_nanosleep",
      "pause",
      "sched_yield",
      // signals
      "rt_sigaction",
      "rt_sigprocmask",
      "rt_sigreturn",
      "rt_sigpending",
      "rt_sigtimedwait",
      "rt_sigsuspend",
      "rt_sigqueueinfo",
      "rt_tgsigqueueinfo",
      "sigaltstack",
      "tkill",
      "tgkill",
      "alarm",
      "getitimer",
      "setitimer",
      "timer_create",
      "timer_settime",
      "timer_gettime",
      "timer_getoverrun",
      "timer_delete",
      // processes and threads (clone and kill are filtered below)
      "fork",
      "vfork",
      "execve",
      "execveat",
      "exit",
      "exit_group",
      "wait4",
      "waitid",
      "set_tid_address",
      "rseq",
      "arch_prctl",
      "prctl",
      "pidfd_open",
      "pidfd_send_signal",
      "restart_syscall",
      // identity (the kernel refuses any change a sandboxed user may not make)
      "getpid",
      "getppid",
      "gettid",
      "getuid",
      "geteuid",
      "getgid",
      "getegid",
      "getgroups",
      "getresuid",
      "getresgid",
      "getpgid",
      "getpgrp",
      "getsid",
      "setsid",
      "setpgid",
      "setuid",
      "setgid",
      "setreuid",
      "setregid",
      "setresuid",
      "setresgid",
      "setgroups",
      "setfsuid",
      "setfsgid",
      "capget",
      "capset",
      // time, limits and system information
      "clock_gettime",
      "clock_getres",
      "gettimeofday",
      "time",
      "times",
      "getrusage",
      "getrlimit",
      "setrlimit",
      "sysinfo",
      "uname",
      "getrandom",
      "getcpu",
      "sched_getaffinity",
      "sched_setaffinity",
      "sched_getparam",
      "sched_getscheduler",
      "sched_get_priority_max",
      "sched_get_priority_min",
      "sched_getattr",
      "getpriority",
      "setpriority",
  };
  return names;
}

const std::vector<std::string_view>& local_socket_syscalls() {
  static const std::vector<std::string_view> names = {
      "socket",      "socketpair", "bind",       "listen",
      "accept",      "accept4",    "connect",    "getsockname",
      "getpeername", "getsockopt", "setsockopt", "shutdown",
      "sendto",      "recvfrom",   "sendmsg",    "recvmsg"};
  return names;
}

namespace {

// Adds a rule; false (with errno) when libseccomp refuses it.
bool add_rule(scmp_filter_ctx ctx, uint32_t action, int nr,
              std::initializer_list<scmp_arg_cmp> args = {}) {
  const int rc = seccomp_rule_add_array(ctx, action, nr,
                                        static_cast<unsigned>(args.size()),
                                        args.size() ? args.begin() : nullptr);
  if (rc < 0) errno = -rc;
  return rc >= 0;
}

// Allows each call of `names` this architecture has, unconditionally.
bool allow_all(scmp_filter_ctx ctx, const std::vector<std::string_view>& names,
               std::initializer_list<std::string_view> except = {}) {
  for (std::string_view name : names) {
    if (std::find(except.begin(), except.end(), name) != except.end()) continue;
    int nr = seccomp_syscall_resolve_name(std::string(name).c_str());
    if (nr == __NR_SCMP_ERROR) continue;  // not a syscall on this architecture
    if (!add_rule(ctx, SCMP_ACT_ALLOW, nr)) return false;
  }
  return true;
}

// In a network namespace of its own: sockets of the local families.
bool allow_local_sockets(scmp_filter_ctx ctx) {
  if (!allow_all(ctx, local_socket_syscalls(), {"socket", "socketpair"}))
    return false;
  for (scmp_datum_t family : {AF_UNIX, AF_INET, AF_INET6}) {
    if (!add_rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket),
                  {SCMP_A0(SCMP_CMP_EQ, family)}))
      return false;
  }
  return add_rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socketpair),
                  {SCMP_A0(SCMP_CMP_EQ, AF_UNIX)});
}

// The calls allowed only with some arguments.
bool allow_with_arguments(scmp_filter_ctx ctx) {
  // clone only without namespace flags: threads and plain fork.
  constexpr scmp_datum_t kNamespaceFlags = kAllNamespaces;
  return add_rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone),
                  {SCMP_A0(SCMP_CMP_MASKED_EQ, kNamespaceFlags, 0)}) &&
         // clone3 passes its flags in memory a filter cannot read; ENOSYS
         // makes the C library fall back to clone.
         add_rule(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3)) &&
         // kill only for pid >= 0 (one process, or the caller's own group):
         // never kill(-1), which would reach every process of the same user
         // were the pid namespace unavailable. The kernel reads pid as 32
         // bits, so test bit 31.
         add_rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(kill),
                  {SCMP_A0(SCMP_CMP_MASKED_EQ, 0x80000000u, 0)}) &&
         // prlimit64 only on the caller itself (pid 0): how the C library's
         // getrlimit/setrlimit call it; never on another process, the init
         // included.
         add_rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64),
                  {SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffu, 0)});
}

// The BPF program of `ctx`. libseccomp 2.5 exports only to a descriptor; a
// memfd keeps it in memory.
bool export_program(scmp_filter_ctx ctx, Program& out) {
  const UniqueFd fd(memfd_create("seccomp-bpf", MFD_CLOEXEC));
  if (!fd) return false;
  if (int rc = seccomp_export_bpf(ctx, fd.get()); rc < 0) {
    errno = -rc;
    return false;
  }
  const off_t size = lseek(fd.get(), 0, SEEK_END);
  if (size <= 0 || size % static_cast<off_t>(sizeof(sock_filter)) != 0) {
    errno = EINVAL;
    return false;
  }
  out.instructions.resize(static_cast<size_t>(size) / sizeof(sock_filter));
  const ssize_t n =
      pread(fd.get(), out.instructions.data(), static_cast<size_t>(size), 0);
  if (n != size) {
    errno = EIO;
    return false;
  }
  return true;
}

}  // namespace

bool compile(Program& out, bool private_network) {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
  if (ctx == nullptr) {
    errno = ENOMEM;
    return false;
  }
  // A binary tree instead of a linear list of comparisons.
  seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
  const bool ok = allow_all(ctx, allowed_syscalls()) &&
                  (!private_network || allow_local_sockets(ctx)) &&
                  allow_with_arguments(ctx) && export_program(ctx, out);
  const int saved = errno;
  seccomp_release(ctx);
  if (!ok) out.instructions.clear();  // empty: no program (keeper.cc)
  errno = saved;
  return ok;
}

bool load(const Program& program) {
  sock_fprog prog{static_cast<unsigned short>(program.instructions.size()),
                  const_cast<sock_filter*>(program.instructions.data())};
  return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0;
}

bool install(bool private_network) {
  Program program;
  return compile(program, private_network) && load(program);
}

}  // namespace playground::sandbox::seccomp_policy
