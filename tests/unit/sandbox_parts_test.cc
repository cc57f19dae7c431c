// Pieces of the sandbox that can be checked without starting one: the init
// protocol, the spec derived from the configuration, the seccomp allowlist.
#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <optional>

#include "sandbox/inside/seccomp_policy.h"
#include "sandbox/launcher.h"
#include "sandbox/shared/fd_passing.h"
#include "sandbox/shared/init_protocol.h"
#include "sandbox/shared/program_payload.h"
#include "sandbox/subordinate_ids.h"

namespace playground::sandbox {
namespace {

TEST(ProgramPayload, PlainCodeIsSentAsItIs) {
  EXPECT_EQ(encode_program({.code = "print(1)\n"}), "print(1)\n");
  EXPECT_EQ(encode_program({.code = ""}), "");
}

TEST(ProgramPayload, FramesArgsFilesAndACodeThatStartsWithNul) {
  using namespace std::string_literals;
  EXPECT_EQ(encode_program({.code = "c",
                            .args = {"-v", ""},
                            .files = {{"a.py", "x\n"}, {"d/b", ""}}}),
            "\0pg1\n2 2\n2\n-v0\n4 2\na.pyx\n3 0\nd/bc"s);
  EXPECT_EQ(encode_program({.code = "\0x"s}), "\0pg1\n0 0\n\0x"s);
}

TEST(InitProtocol, SpecRoundTripsAsArgvAndAsSpawnRequest) {
  InitSpec s;
  s.python = "/usr/bin/python3.11";
  s.namespaces = false;
  s.filesystem = false;
  s.seccomp = false;
  s.user_namespace = true;
  s.mapped_uid = true;
  s.uid = 200003;
  s.parent = 42;
  s.rlimits = {{RLIMIT_CPU, 7, 8},
               {RLIMIT_AS, kInheritedHardLimit, kInheritedHardLimit}};
  s.tmp_inodes = 99;
  s.memory_watch_bytes = 123456;
  s.blas_threads = 3;
  s.hidden_dirs = {"/usr/lib/python3/dist-packages",
                   "/usr/lib/python3.11/dist-packages"};
  auto check = [](const InitSpec& back) {
    EXPECT_EQ(back.blas_threads, 3);
    EXPECT_EQ(back.hidden_dirs,
              (std::vector<std::string>{"/usr/lib/python3/dist-packages",
                                        "/usr/lib/python3.11/dist-packages"}));
    EXPECT_EQ(back.python, "/usr/bin/python3.11");
    EXPECT_FALSE(back.namespaces);
    EXPECT_FALSE(back.filesystem);
    EXPECT_FALSE(back.seccomp);
    EXPECT_TRUE(back.user_namespace);
    EXPECT_TRUE(back.mapped_uid);
    EXPECT_EQ(back.uid, 200003);
    EXPECT_EQ(back.parent, 42);
    EXPECT_EQ(back.rlimits,
              (std::vector<Rlimit>{
                  {RLIMIT_CPU, 7, 8},
                  {RLIMIT_AS, kInheritedHardLimit, kInheritedHardLimit}}));
    EXPECT_EQ(back.tmp_inodes, 99);
    EXPECT_EQ(back.memory_watch_bytes, 123456);
  };
  auto args = keeper_argv(s);
  std::vector<const char*> argv;
  for (auto& a : args) argv.push_back(a.c_str());
  auto from_argv =
      decode_keeper_argv(static_cast<int>(argv.size()), argv.data());
  ASSERT_TRUE(from_argv) << from_argv.error().message;
  check(*from_argv);
  auto from_request = decode_spawn_request(encode_spawn_request(s));
  ASSERT_TRUE(from_request) << from_request.error().message;
  check(*from_request);
}

TEST(InitProtocol, ASlotsCachedRequestFollowsItsSpec) {
  SpawnRequestCache cache;
  InitSpec a;
  a.uid = 1001;
  a.rlimits = {{RLIMIT_CPU, 7, 8}};
  InitSpec b = a;
  b.rlimits = {{RLIMIT_CPU, 9, 10}};
  InitSpec c = a;
  c.hidden_dirs = {"/usr/lib/python3/dist-packages"};
  EXPECT_EQ(cache.encode(a), encode_spawn_request(a));
  EXPECT_EQ(cache.encode(a), encode_spawn_request(a));
  EXPECT_EQ(cache.encode(b), encode_spawn_request(b));
  EXPECT_EQ(cache.encode(c), encode_spawn_request(c));
  EXPECT_EQ(cache.encode(a), encode_spawn_request(a));
  a.seccomp = false;
  EXPECT_EQ(cache.encode(a), encode_spawn_request(a));
  a.python = "/usr/bin/python3.11";
  EXPECT_EQ(cache.encode(a), encode_spawn_request(a));
}

TEST(InitProtocol, RejectsUnknownOrMalformedSettings) {
  const char* unknown[] = {"init", "keeper", "bogus=1"};
  EXPECT_FALSE(decode_keeper_argv(3, unknown));
  const char* malformed[] = {"init", "keeper", "seccomp"};
  EXPECT_FALSE(decode_keeper_argv(3, malformed));
  const char* relative[] = {"init", "keeper", "python=python3"};
  EXPECT_FALSE(decode_keeper_argv(3, relative));
  const char* not_keeper[] = {"init", "seccomp=1"};
  EXPECT_FALSE(decode_keeper_argv(2, not_keeper));
  using namespace std::string_literals;
  EXPECT_FALSE(decode_spawn_request("spawn\0rlimit=99,1,1"s));
  EXPECT_FALSE(decode_spawn_request("spawn\0rlimit=1,-2,1"s));
  EXPECT_FALSE(decode_spawn_request("spawn\0seccomp=2"s));
  EXPECT_FALSE(decode_spawn_request("spawn 0\0seccomp=1"s));
  EXPECT_TRUE(decode_spawn_request("spawn\0seccomp=1"s));
  // Only Debian's module directories may be hidden: a keeper never mounts
  // over anything else.
  for (const char* dir : {"/etc", "/usr/lib/python3/dist-packages/../..",
                          "/usr/lib/python3.x/dist-packages",
                          "/usr/lib/python3./dist-packages", "/usr/lib"}) {
    EXPECT_FALSE(decode_spawn_request("spawn\0hide="s + dir)) << dir;
  }
  EXPECT_TRUE(
      decode_spawn_request("spawn\0hide=/usr/lib/python3.12/dist-packages"s));
}

bool is_open(int fd) { return fcntl(fd, F_GETFD) >= 0; }

TEST(UniqueFd, ClosesOnDestructionUnlessReleased) {
  int raw_read = -1, raw_write = -1;
  {
    UniqueFd read, write;
    ASSERT_TRUE(make_pipe(read, write));
    raw_read = read.get();
    raw_write = write.release();
    UniqueFd moved = std::move(read);
    EXPECT_FALSE(read);
    EXPECT_EQ(moved.get(), raw_read);
  }
  EXPECT_FALSE(is_open(raw_read));
  EXPECT_TRUE(is_open(raw_write));
  ::close(raw_write);
}

TEST(FdPassing, DescriptorsArriveOwnedAndExtrasAreRefused) {
  int pair[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair), 0);
  const UniqueFd a(pair[0]), b(pair[1]);
  UniqueFd read, write;
  ASSERT_TRUE(make_pipe(read, write));
  const int two[] = {read.get(), write.get()};
  ASSERT_TRUE(send_with_fds(a.get(), "hello", two));
  ReceivedMessage m;
  ASSERT_EQ(receive_with_fds(b.get(), 64, 2, 0, m), 5);
  EXPECT_EQ(m.data, "hello");
  EXPECT_FALSE(m.truncated);
  ASSERT_EQ(m.fds.size(), 2u);
  EXPECT_TRUE(fcntl(m.fds[0].get(), F_GETFD) & FD_CLOEXEC);
  // More than the receiver takes: flagged, and none of them left open.
  const int three[] = {read.get(), write.get(), read.get()};
  ASSERT_TRUE(send_with_fds(a.get(), "x", three));
  ReceivedMessage extra;
  ASSERT_EQ(receive_with_fds(b.get(), 64, 1, 0, extra), 1);
  EXPECT_TRUE(extra.truncated);
  std::vector<int> received;
  for (auto& fd : extra.fds) received.push_back(fd.get());
  extra = ReceivedMessage{};
  for (int fd : received) EXPECT_FALSE(is_open(fd));
}

TEST(InitProtocol, ParsesReports) {
  auto r = parse_report("exit 3 0 12345 8100\n");
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.cpu_us, 12345);
  EXPECT_EQ(r.maxrss_kb, 8100);
  r = parse_report("exit 0 9 10 20\n");
  EXPECT_EQ(r.signal, 9);
  r = parse_report("fail seccomp 22\nexit 127 0 0 0\n");
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->step, Step::seccomp);
  EXPECT_EQ(r.failure->err, 22);
  EXPECT_EQ(r.failure->error().code, Step::seccomp);
  EXPECT_EQ(layer_of(r.failure->step), Layer::seccomp);
  r = parse_report("fail no-such-step 5\n");
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->step, Step::unknown);
  EXPECT_EQ(layer_of(r.failure->step), Layer::none);
  r = parse_report("fail\n");
  ASSERT_TRUE(r.failure) << "a garbled failure is still a failure";
  EXPECT_EQ(r.failure->err, EPROTO);
  r = parse_report("exit garbage\n");
  EXPECT_FALSE(r.exited);
  EXPECT_EQ(r.memory_exceeded_kb, 0);
  r = parse_report("memory 300123\nexit 0 9 10 20\n");
  EXPECT_EQ(r.memory_exceeded_kb, 300123);
  EXPECT_EQ(r.signal, 9);
  // Only the first exit line counts; words may be spaced out; the last line
  // needs no newline; a line cut short is not an exit.
  r = parse_report("exit 7 0 1\n\n  exit\t2  0 40000000000 512\nexit 5 0 1 1");
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.cpu_us, 40000000000);
  EXPECT_EQ(r.maxrss_kb, 512);
  r = parse_report("exit 1 0 2 3");
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.maxrss_kb, 3);
  r = parse_report("exit 1 0 2x 3\nexiting 0 0 0 0\n");
  EXPECT_FALSE(r.exited);
}

// The rlimit `resource` of `spec`; nullopt when the init leaves it inherited.
std::optional<Rlimit> rlimit_of(const InitSpec& spec, int resource) {
  for (const Rlimit& r : spec.rlimits) {
    if (r.resource == resource) return r;
  }
  return std::nullopt;
}

TEST(InitSpecFromConfig, AddressSpaceIsTheLimitOnlyWithoutACgroup) {
  LaunchConfig c;
  c.limits.memory_bytes = 100 << 20;
  c.limits.cpu_ms = 1500;
  c.isolation.cgroups = "v2";
  InitSpec s = make_init_spec(c, 0);
  // None: the memory cgroup bounds it.
  EXPECT_EQ(rlimit_of(s, RLIMIT_AS),
            (Rlimit{RLIMIT_AS, kInheritedHardLimit, kInheritedHardLimit}));
  EXPECT_EQ(rlimit_of(s, RLIMIT_NPROC), std::nullopt);  // the pids cgroup
  EXPECT_EQ(s.memory_watch_bytes, 0);  // the cgroup bounds the sum
  EXPECT_EQ(rlimit_of(s, RLIMIT_CPU),
            (Rlimit{RLIMIT_CPU, 2, 3}));  // rounded up
  c.isolation.cgroups = "";
  s = make_init_spec(c, 0);
  EXPECT_EQ(rlimit_of(s, RLIMIT_AS), (Rlimit{RLIMIT_AS, 100 << 20, 100 << 20}));
  EXPECT_EQ(rlimit_of(s, RLIMIT_NPROC), (Rlimit{RLIMIT_NPROC, 64, 64}));
  EXPECT_EQ(s.memory_watch_bytes, 100 << 20);  // the init bounds the sum
}

TEST(InitSpecFromConfig, EveryRlimitOfThePolicyIsSet) {
  LaunchConfig c;
  const InitSpec s = make_init_spec(c, 0);
  EXPECT_EQ(s.rlimits.size(), std::size(kRlimits));  // NPROC too: no cgroups
  EXPECT_EQ(rlimit_of(s, RLIMIT_CORE), (Rlimit{RLIMIT_CORE, 0, 0}));
  EXPECT_EQ(rlimit_of(s, RLIMIT_MEMLOCK), (Rlimit{RLIMIT_MEMLOCK, 0, 0}));
  EXPECT_EQ(rlimit_of(s, RLIMIT_MSGQUEUE), (Rlimit{RLIMIT_MSGQUEUE, 0, 0}));
  EXPECT_EQ(rlimit_of(s, RLIMIT_FSIZE),
            (Rlimit{RLIMIT_FSIZE, c.limits.tmp_bytes, c.limits.tmp_bytes}));
  EXPECT_EQ(rlimit_of(s, RLIMIT_NOFILE),
            (Rlimit{RLIMIT_NOFILE, c.limits.open_files, c.limits.open_files}));
}

TEST(InitSpecFromConfig, EachSlotHasItsOwnUidWithoutAPidNamespace) {
  LaunchConfig c;
  c.isolation.namespaces = true;
  EXPECT_EQ(make_init_spec(c, 0).uid, 65534);
  EXPECT_EQ(make_init_spec(c, 3).uid, 65534);
  c.isolation.namespaces = false;
  EXPECT_EQ(make_init_spec(c, 0).uid, kSlotUidBase);
  EXPECT_EQ(make_init_spec(c, 3).uid, kSlotUidBase + 3);
}

TEST(InitSpecFromConfig, SubordinateIdsAreMappedOnlyInAUserNamespace) {
  LaunchConfig c;
  c.isolation.namespaces = true;
  c.mapped_uid_base = 2100000000;
  EXPECT_FALSE(make_init_spec(c, 1).mapped_uid);
  c.isolation.user_namespace = true;
  EXPECT_TRUE(make_init_spec(c, 1).mapped_uid);
  EXPECT_EQ(make_init_spec(c, 1).uid, kSandboxUid);  // the inside uid
  c.mapped_uid_base = 0;
  EXPECT_FALSE(make_init_spec(c, 1).mapped_uid);
}

TEST(SubordinateIds, RangesOfTheUserByNameOrNumber) {
  const std::string text =
      "alice:100000:65536\n"
      "bob:165536:65536\n"
      "# not a range\n"
      "999:300000:4096\n"
      "bob:x:5\n"
      "bob:400000:0\n"
      "bob:500000\n"
      "bob:600000:64";  // no final newline
  EXPECT_EQ(
      subordinate_ranges(text, "bob", 999),
      (std::vector<IdRange>{{165536, 65536}, {300000, 4096}, {600000, 64}}));
  EXPECT_EQ(subordinate_ranges(text, "carol", 1000), std::vector<IdRange>{});
  EXPECT_EQ(subordinate_ranges(text, "", 999),
            (std::vector<IdRange>{{300000, 4096}}));
}

TEST(SeccompPolicy, AllowlistLeavesOutDangerousCalls) {
  const auto& allowed = seccomp_policy::allowed_syscalls();
  for (std::string_view forbidden :
       {"socket",         "socketpair",      "connect",
        "bind",           "ptrace",          "process_vm_readv",
        "unshare",        "setns",           "mount",
        "umount2",        "pivot_root",      "chroot",
        "keyctl",         "add_key",         "bpf",
        "io_uring_setup", "perf_event_open", "userfaultfd",
        "init_module",    "kexec_load",      "open_by_handle_at",
        "mknod",          "clone3",          "clone",
        "kill",           "inotify_init1",   "inotify_add_watch",
        "memfd_create",   "prlimit64"}) {
    EXPECT_EQ(std::find(allowed.begin(), allowed.end(), forbidden),
              allowed.end())
        << forbidden << " must not be allowed unconditionally";
  }
}

// Runs `probe` in a child under the filter; returns its exit code.
int under_filter(int (*probe)(), bool private_network = false) {
  pid_t child = fork();
  if (child == 0) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        !seccomp_policy::install(private_network))
      _exit(100);
    _exit(probe());
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 200 + WTERMSIG(status);
}

// In a private network namespace: local sockets, and no other family.
TEST(SeccompPolicy, PrivateNetworkAllowsLocalSocketsOnly) {
  EXPECT_EQ(under_filter(
                [] {
                  int fds[2];
                  const bool ok =
                      socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0 &&
                      socket(AF_UNIX, SOCK_DGRAM, 0) >= 0 &&
                      socket(AF_INET, SOCK_STREAM, 0) >= 0 &&
                      socket(AF_INET6, SOCK_DGRAM, 0) >= 0;
                  return ok ? 0 : 1;
                },
                true),
            0);
  for (int (*probe)() :
       {+[] {
          return socket(AF_NETLINK, SOCK_RAW, 0) < 0 && errno == EPERM ? 0 : 1;
        },
        +[] {
          return socket(AF_PACKET, SOCK_RAW, 0) < 0 && errno == EPERM ? 0 : 1;
        },
        +[] {
          int fds[2];
          return socketpair(AF_INET, SOCK_STREAM, 0, fds) < 0 && errno == EPERM
                     ? 0
                     : 1;
        }}) {
    EXPECT_EQ(under_filter(probe, true), 0);
  }
  // And none at all without it.
  EXPECT_EQ(under_filter([] {
              int fds[2];
              return socketpair(AF_UNIX, SOCK_STREAM, 0, fds) < 0 &&
                             errno == EPERM
                         ? 0
                         : 1;
            }),
            0);
}

TEST(SeccompPolicy, RefusesWhatTheContractForbids) {
  EXPECT_EQ(under_filter([] {
              return socket(AF_INET, SOCK_STREAM, 0) < 0 && errno == EPERM ? 0
                                                                           : 1;
            }),
            0);
  EXPECT_EQ(under_filter([] {
              return socket(AF_UNIX, SOCK_STREAM, 0) < 0 && errno == EPERM ? 0
                                                                           : 1;
            }),
            0);
  EXPECT_EQ(under_filter([] {
              return ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) < 0 &&
                             errno == EPERM
                         ? 0
                         : 1;
            }),
            0);
  EXPECT_EQ(under_filter([] {
              return unshare(CLONE_NEWUSER) < 0 && errno == EPERM ? 0 : 1;
            }),
            0);
  EXPECT_EQ(under_filter([] {
              return syscall(SYS_mount, "none", "/", "tmpfs", 0, nullptr) < 0 &&
                             errno == EPERM
                         ? 0
                         : 1;
            }),
            0);
  EXPECT_EQ(
      under_filter([] {
        return syscall(SYS_keyctl, 0, 0, 0, 0, 0) < 0 && errno == EPERM ? 0 : 1;
      }),
      0);
  EXPECT_EQ(under_filter([] {
              return syscall(SYS_io_uring_setup, 1, nullptr) < 0 &&
                             errno == EPERM
                         ? 0
                         : 1;
            }),
            0);
  EXPECT_EQ(under_filter([] {
              return syscall(SYS_bpf, 0, nullptr, 0) < 0 && errno == EPERM ? 0
                                                                           : 1;
            }),
            0);
  // clone3 says ENOSYS so libc falls back to the filterable clone.
  EXPECT_EQ(under_filter([] {
              return syscall(SYS_clone3, nullptr, 0) < 0 && errno == ENOSYS ? 0
                                                                            : 1;
            }),
            0);
  // clone with a namespace flag is refused; kill(-1) is refused, also when
  // passed as 0xffffffff the way ctypes could.
  EXPECT_EQ(under_filter([] {
              return syscall(SYS_clone, CLONE_NEWNET | SIGCHLD, 0, 0, 0, 0) <
                                 0 &&
                             errno == EPERM
                         ? 0
                         : 1;
            }),
            0);
  EXPECT_EQ(
      under_filter([] { return kill(-1, 0) < 0 && errno == EPERM ? 0 : 1; }),
      0);
  EXPECT_EQ(
      under_filter([] {
        return syscall(SYS_kill, 0xffffffffUL, 0) < 0 && errno == EPERM ? 0 : 1;
      }),
      0);
}

TEST(SeccompPolicy, RefusesInotifyMemfdAndOthersLimits) {
  EXPECT_EQ(under_filter([] {
              return syscall(SYS_inotify_init1, 0) < 0 && errno == EPERM ? 0
                                                                         : 1;
            }),
            0);
  EXPECT_EQ(
      under_filter([] {
        return syscall(SYS_memfd_create, "x", 0) < 0 && errno == EPERM ? 0 : 1;
      }),
      0);
  EXPECT_EQ(under_filter([] {
              rlimit r;
              return syscall(SYS_prlimit64, getppid(), RLIMIT_NOFILE, nullptr,
                             &r) < 0 &&
                             errno == EPERM
                         ? 0
                         : 1;
            }),
            0);
  // The C library's own calls (pid 0) still work.
  EXPECT_EQ(under_filter([] {
              rlimit r;
              return getrlimit(RLIMIT_NOFILE, &r) == 0 &&
                             setrlimit(RLIMIT_NOFILE, &r) == 0
                         ? 0
                         : 1;
            }),
            0);
}

TEST(SeccompPolicy, AllowsWhatPythonNeeds) {
  // Plain fork and signalling one's own children still work.
  EXPECT_EQ(under_filter([] {
              pid_t p = fork();
              if (p == 0) _exit(7);
              int st = 0;
              waitpid(p, &st, 0);
              return WIFEXITED(st) && WEXITSTATUS(st) == 7 ? 0 : 1;
            }),
            0);
  EXPECT_EQ(under_filter([] { return kill(getpid(), 0) == 0 ? 0 : 1; }), 0);
  EXPECT_EQ(
      under_filter([] {
        int fds[2];
        return pipe2(fds, O_CLOEXEC) == 0 && write(fds[1], "x", 1) == 1 ? 0 : 1;
      }),
      0);
}

}  // namespace
}  // namespace playground::sandbox
