// Hostile snippets through the real API: each must end with the right
// status, leave the service healthy, and leave no process, mount or cgroup.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/serialize.hpp>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "support/http_client.h"
#include "support/leftovers.h"
#include "support/service_process.h"

namespace playground::testing {
namespace {

constexpr const char* kSecret = "s3cret-value-the-sandbox-must-never-see";

class Hostile : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    secret_file_ = ::testing::TempDir() + "playground-service-secret.txt";
    std::ofstream(secret_file_) << kSecret;
    backend_ = new BackendProcess({"--wall", "2s"},
                                  {{"PLAYGROUND_TEST_SECRET", kSecret}});
  }
  static void TearDownTestSuite() {
    delete backend_;
    backend_ = nullptr;
  }
  void SetUp() override {
    // Asserted per test: a failure in SetUpTestSuite would only skip them.
    ASSERT_TRUE(backend_->started()) << backend_->log();
    before_ = HostState::capture(backend_->pid());
  }

  // Runs `code` and checks the service afterwards.
  boost::json::object attack(const std::string& code, int timeout_ms = 0) {
    HttpReply r = eval(backend_->port(), code, "", timeout_ms);
    EXPECT_EQ(r.status, 200) << r.body;
    auto j = r.json();
    EXPECT_EQ(leftovers(backend_->pid(), before_), "");
    auto healthy = eval_json(backend_->port(), "print('still here')");
    EXPECT_EQ(healthy["stdout"], "still here\n")
        << "service unhealthy after the attack";
    return j;
  }
  static std::string out(const boost::json::object& j) {
    return std::string(j.at("stdout").as_string()) +
           std::string(j.at("stderr").as_string());
  }

  static BackendProcess* backend_;
  static std::string secret_file_;
  HostState before_;
};
BackendProcess* Hostile::backend_ = nullptr;
std::string Hostile::secret_file_;

// The leftover check must be able to fail: while a sandbox runs it sees it.
TEST_F(Hostile, LeftoverCheckSeesARunningSandbox) {
  auto running = std::async(std::launch::async, [&] {
    return eval_json(backend_->port(),
                     "import time\ntime.sleep(1.5)\nprint('done')");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const std::string during = describe_leftovers_now(backend_->pid(), before_);
  EXPECT_NE(during.find("pg-init"), std::string::npos) << during;
  EXPECT_NE(during.find("python3"), std::string::npos) << during;
  EXPECT_NE(during.find("a sandbox uid"), std::string::npos) << during;
  EXPECT_EQ(running.get()["stdout"], "done\n");
  EXPECT_EQ(leftovers(backend_->pid(), before_), "");
}

TEST_F(Hostile, InfiniteLoopTimesOut) {
  auto j = attack("while True:\n    pass\n", 1000);
  EXPECT_EQ(j.at("status"), "timeout");
  EXPECT_EQ(j.at("exit_code"), -9);
  EXPECT_GT(j.at("cpu_ms").to_number<double>(), 500);  // it really ran
}

TEST_F(Hostile, SleepForeverTimesOut) {
  auto j = attack("import time\ntime.sleep(1e9)\n", 500);
  EXPECT_EQ(j.at("status"), "timeout");
  EXPECT_LT(j.at("time_ms").to_number<double>(), 1500);
}

TEST_F(Hostile, CpuLimitEndsBusyThreadsEvenWithinTheWallTime) {
  // Two busy threads burn CPU twice as fast as wall time: the CPU rlimit
  // (1 s here via --cpu below the 2 s wall) or the deadline ends it.
  auto j = attack(
      "import threading\n"
      "def spin():\n    while True: pass\n"
      "for _ in range(2): threading.Thread(target=spin).start()\n",
      2000);
  EXPECT_EQ(j.at("status"), "timeout");
}

TEST_F(Hostile, ForkBombIsContained) {
  auto j = attack(
      "import os\n"
      "while True:\n"
      "    try:\n        os.fork()\n"
      "    except OSError:\n        pass\n",
      1000);
  EXPECT_EQ(j.at("status"), "timeout");
}

TEST_F(Hostile, ThreadBombIsContained) {
  auto j = attack(
      "import threading, time\n"
      "n = 0\n"
      "try:\n"
      "    while True:\n"
      "        threading.Thread(target=time.sleep, args=(60,), "
      "daemon=True).start()\n"
      "        n += 1\n"
      "except RuntimeError as e:\n"
      "    print('stopped after', n, 'threads:', e)\n",
      2000);
  EXPECT_EQ(j.at("status"), "ok");
  // The pids cgroup (64 tasks) stops it well before any host limit.
  EXPECT_NE(out(j).find("can't start new thread"), std::string::npos) << out(j);
}

TEST_F(Hostile, MemoryBombHitsTheMemoryLimit) {
  auto j = attack("x = []\nwhile True:\n    x.append(' ' * 10**6)\n");
  EXPECT_EQ(j.at("status"), "memory_limit");
  EXPECT_LT(j.at("memory_kb").to_number<int64_t>(), 300 * 1024);
}

// 8 GiB reserved and written: the memory cgroup ends it at the limit (a
// reservation alone costs nothing and is not refused, as with python3).
TEST_F(Hostile, HugeAllocationWrittenHitsTheMemoryLimit) {
  auto j = attack("b = b'x' * (8 * 1024**3)\nprint('NOT STOPPED')\n");
  EXPECT_EQ(j.at("status"), "memory_limit");
  EXPECT_EQ(out(j).find("NOT STOPPED"), std::string::npos);
  EXPECT_LT(j.at("memory_kb").to_number<int64_t>(), 300 * 1024);
}

// A program's own words make no status: printing MemoryError and exiting 1
// is an error like any other.
TEST_F(Hostile, PrintingMemoryErrorIsNotTheMemoryLimit) {
  auto j = attack(
      "import sys\nprint('MemoryError', file=sys.stderr)\nsys.exit(1)\n");
  EXPECT_EQ(j.at("status"), "error");
}

// A child killed at the memory limit is the run's memory limit, even when
// the program carries on and exits 0.
TEST_F(Hostile, ChildKilledAtTheMemoryLimitIsTheRunsMemoryLimit) {
  auto j = attack(
      "import subprocess, sys\n"
      "r = subprocess.run([sys.executable, '-c', 'x = b\"x\" * (1024**3)'])\n"
      "print('child ended with', r.returncode)\n");
  EXPECT_EQ(j.at("status"), "memory_limit") << out(j);
  EXPECT_EQ(j.at("exit_code"), 0);
  EXPECT_NE(out(j).find("child ended with -9"), std::string::npos) << out(j);
}

// Sockets exist only inside the run's own network namespace: talking to
// itself works; the host's loopback listeners (above) and abstract Unix
// sockets, netlink and raw packets do not.
TEST_F(Hostile, SocketsReachOnlyTheSandboxItself) {
  int host = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const char name[] = "\0pg-hostile-abstract";
  std::memcpy(addr.sun_path, name, sizeof name - 1);
  const socklen_t len = offsetof(sockaddr_un, sun_path) + sizeof name - 1;
  ASSERT_EQ(::bind(host, reinterpret_cast<sockaddr*>(&addr), len), 0);
  ASSERT_EQ(::listen(host, 8), 0);
  auto j = attack(
      "import socket\n"
      "a, b = socket.socketpair()\n"
      "a.sendall(b'pair'); print(b.recv(4))\n"
      "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\n"
      "c = socket.create_connection(s.getsockname()); d, _ = s.accept()\n"
      "c.sendall(b'tcp'); print(d.recv(3))\n"
      "u = socket.socket(socket.AF_UNIX)\n"
      "try:\n    u.connect('\\0pg-hostile-abstract'); print('REACHED HOST')\n"
      "except OSError as e:\n    print('abstract refused', e.errno)\n"
      "for family, kind in [(socket.AF_NETLINK, socket.SOCK_RAW),\n"
      "                     (socket.AF_PACKET, socket.SOCK_RAW)]:\n"
      "    try:\n        socket.socket(family, kind); print('OPENED', family)\n"
      "    except OSError as e:\n        print('refused', e.errno)\n");
  const std::string o = out(j);
  EXPECT_NE(o.find("b'pair'\nb'tcp'\nabstract refused"), std::string::npos)
      << o;
  EXPECT_EQ(o.find("REACHED HOST"), std::string::npos) << o;
  EXPECT_EQ(o.find("OPENED"), std::string::npos) << o;
  EXPECT_NE(o.find("refused 1\nrefused 1\n"), std::string::npos) << o;
  pollfd p{host, POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 0), 0) << "the sandbox reached the host's socket";
  ::close(host);
}

// /dev/shm is the run's own and bounded: filling it fails inside, nothing
// of it is left for the next run.
TEST_F(Hostile, DevShmIsPrivateAndBounded) {
  auto j = attack(
      "import os\n"
      "try:\n"
      "    with open('/dev/shm/fill', 'wb') as f:\n"
      "        for _ in range(64):\n            f.write(b'x' * 1024**2)\n"
      "    print('FILLED')\n"
      "except OSError as e:\n    print('full', e.errno)\n");
  // ENOSPC, or EFBIG where the file-size limit (as large) comes first.
  EXPECT_NE(out(j).find("full "), std::string::npos) << out(j);
  EXPECT_EQ(out(j).find("FILLED"), std::string::npos) << out(j);
  auto next = attack("import os\nprint(os.listdir('/dev/shm'))\n");
  EXPECT_EQ(next.at("stdout"), "[]\n");
}

TEST_F(Hostile, StdoutFloodIsCapped) {
  auto j = attack("while True:\n    print('x' * 1000)\n");
  EXPECT_EQ(j.at("status"), "output_limit");
  EXPECT_EQ(j.at("truncated"), true);
  EXPECT_EQ(j.at("stdout").as_string().size(), 1u << 20);
}

TEST_F(Hostile, StderrFloodIsCapped) {
  auto j =
      attack("import sys\nwhile True:\n    sys.stderr.write('e' * 4096)\n");
  EXPECT_EQ(j.at("status"), "output_limit");
  EXPECT_EQ(j.at("truncated"), true);
  EXPECT_LE(
      j.at("stderr").as_string().size() + j.at("stdout").as_string().size(),
      1u << 20);
}

TEST_F(Hostile, FillingTmpStopsAtItsLimit) {
  auto j = attack(
      "import os\n"
      "n = 0\n"
      "try:\n"
      "    with open('/tmp/fill', 'wb') as f:\n"
      "        while True:\n"
      "            f.write(b'x' * 65536)\n"
      "            n += 65536\n"
      "except OSError as e:\n"
      "    print('stopped at', n // 2**20, 'MiB:', e.strerror)\n"
      "try:\n"
      "    for i in range(100000):\n"
      "        open('/tmp/f%d' % i, 'w').close()\n"
      "except OSError as e:\n"
      "    print('files stopped at', i, e.strerror)\n");
  EXPECT_EQ(j.at("status"), "ok") << out(j);
  const std::string o = out(j);
  EXPECT_NE(o.find("stopped at 1"), std::string::npos) << o;  // ~16 MiB
  EXPECT_TRUE(o.find("File too large") != std::string::npos ||
              o.find("No space left") != std::string::npos)
      << o;
  EXPECT_NE(o.find("files stopped at"), std::string::npos) << o;
}

TEST_F(Hostile, WritingOutsideTmpFails) {
  auto j = attack(
      "for path in ['/etc/evil', '/usr/evil', '/evil', "
      "'/proc/sys/kernel/hostname', '/dev/evil']:\n"
      "    try:\n"
      "        open(path, 'w').write('x')\n"
      "        print('WROTE', path)\n"
      "    except OSError as e:\n"
      "        print('refused', path)\n");
  const std::string o = out(j);
  EXPECT_EQ(o.find("WROTE"), std::string::npos) << o;
  EXPECT_EQ(std::count(o.begin(), o.end(), '\n'), 5) << o;
}

TEST_F(Hostile, HostSecretsAreNotVisible) {
  auto j = attack(
      "import os, glob\n"
      "print(os.path.exists('/etc/shadow'))\n"
      "print(open('/etc/passwd').read())\n"
      "for p in glob.glob('/proc/*/environ'):\n"
      "    try: print(p, open(p, 'rb').read())\n"
      "    except OSError as e: print(p, e.strerror)\n"
      "print(dict(os.environ))\n"
      "print(os.listdir('/proc'))\n");
  const std::string o = out(j);
  EXPECT_NE(o.find("False\n"), std::string::npos) << o;  // no /etc/shadow
  EXPECT_EQ(o.find("/root:/bin/bash"), std::string::npos)
      << o;                                            // not the host's passwd
  EXPECT_EQ(o.find(kSecret), std::string::npos) << o;  // service env invisible
  EXPECT_EQ(o.find("PLAYGROUND"), std::string::npos) << o;
  EXPECT_NE(o.find("'PATH': '/usr/bin:/bin'"), std::string::npos) << o;
}

TEST_F(Hostile, HostProcAndServiceFilesAreNotReachable) {
  auto j = attack(
      "import os\n"
      "for p in ['/proc/1/environ', '/proc/1/cmdline', '" +
      secret_file_ + "', '" + bin_dir() +
      "/playground-backend', '/proc/1/root/etc/hostname']:\n"
      "    try:\n"
      "        data = open(p, 'rb').read()\n"
      "        print('READ', p, data[:200])\n"
      "    except OSError as e:\n"
      "        print('refused', p, e.strerror)\n");
  const std::string o = out(j);
  EXPECT_EQ(o.find("READ"), std::string::npos) << o;
  EXPECT_EQ(o.find(kSecret), std::string::npos) << o;
}

// The sandbox's /proc has only process directories: no host facts (memory,
// CPUs, load, uptime, disks, partitions, the kernel's command line, boot
// id, /proc/sys), while what Python needs of it keeps working.
TEST_F(Hostile, ProcShowsNothingOfTheHost) {
  auto j = attack(
      "import os, multiprocessing, resource\n"
      "for p in ['meminfo', 'cpuinfo', 'loadavg', 'stat', 'diskstats',\n"
      "          'uptime', 'partitions', 'cmdline', 'vmstat', 'swaps',\n"
      "          'sys/kernel/random/boot_id', 'sys/kernel/hostname']:\n"
      "    try:\n"
      "        data = open('/proc/' + p, 'rb').read()\n"
      "        print('READ', p, len(data))\n"
      "    except OSError as e:\n"
      "        print('absent', p)\n"
      "print(sorted(n for n in os.listdir('/proc') if not n.isdigit()))\n"
      "print(os.cpu_count() == len(os.sched_getaffinity(0)))\n"
      "print('VmRSS' in open('/proc/self/status').read())\n"
      "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > 0)\n"
      "def square(x):\n"
      "    return x * x\n"
      "if __name__ == '__main__':\n"
      "    with multiprocessing.Pool(2) as pool:\n"
      "        print(pool.map(square, range(4)))\n");
  const std::string o = out(j);
  EXPECT_EQ(o.find("READ"), std::string::npos) << o;
  EXPECT_NE(o.find("['self', 'thread-self']\n"), std::string::npos) << o;
  EXPECT_NE(o.find("True\nTrue\nTrue\n[0, 1, 4, 9]\n"), std::string::npos) << o;
}

// The superblocks ("major:minor") of the host's mounts, from its mountinfo
// text; `skip_fs` names file system types left out.
std::set<std::string> superblocks(const std::string& mountinfo,
                                  const std::set<std::string>& skip_fs = {}) {
  std::set<std::string> found;
  std::istringstream lines(mountinfo);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::string id, parent, device, word;
    fields >> id >> parent >> device;
    if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
      continue;  // not a mountinfo line
    while (fields >> word && word != "-") {
    }
    std::string fs;
    fields >> fs;
    if (!device.empty() && !skip_fs.contains(fs)) found.insert(device);
  }
  return found;
}

std::string read_text(const char* path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

// The sandbox's mount table names none of the host's file systems (each
// would show the host's device and its mount options): /usr is an overlay,
// /dev a tmpfs of its own with its own nodes, /etc's files copies.
TEST_F(Hostile, MountTableShowsNothingOfTheHost) {
  auto j = attack(
      "import os\n"
      "print(open('/proc/self/mountinfo').read())\n"
      "print(open('/proc/self/mountstats').read())\n"
      "print('WRITE', open('/dev/null', 'w').write('x'),\n"
      "      len(open('/dev/urandom', 'rb').read(4)))\n");
  const std::string o = out(j);
  const auto host = superblocks(read_text("/proc/self/mountinfo"));
  const auto sandbox = superblocks(o, {"proc"});
  ASSERT_GE(sandbox.size(), 5u) << o;
  for (const std::string& device : sandbox) {
    EXPECT_FALSE(host.contains(device)) << device << " is the host's\n" << o;
  }
  EXPECT_NE(o.find("device overlay mounted on /usr with fstype overlay"),
            std::string::npos)
      << o;
  EXPECT_NE(o.find("WRITE 1 4\n"), std::string::npos) << o;
}

TEST_F(Hostile, NoNetworkEvenToLoopback) {
  // A listener the test owns: the sandbox must not reach it.
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr),
            0);
  ASSERT_EQ(::listen(listener, 8), 0);
  socklen_t len = sizeof addr;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);

  auto j = attack(
      "import socket\n"
      "try:\n"
      "    socket.create_connection(('127.0.0.1', " +
      std::to_string(port) +
      "), timeout=1)\n"
      "    print('CONNECTED')\n"
      "except OSError as e:\n"
      "    print('connect refused:', e)\n"
      "try:\n"
      "    print('RESOLVED', socket.getaddrinfo('example.com', 80))\n"
      "except OSError as e:\n"
      "    print('dns refused:', e)\n");
  const std::string o = out(j);
  EXPECT_NE(o.find("connect refused"), std::string::npos) << o;
  EXPECT_NE(o.find("dns refused"), std::string::npos) << o;
  EXPECT_EQ(o.find("CONNECTED"), std::string::npos) << o;
  EXPECT_EQ(o.find("RESOLVED"), std::string::npos) << o;
  pollfd p{listener, POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 0), 0) << "the sandbox reached the test's listener";
  ::close(listener);
}

TEST_F(Hostile, DoubleForkedDaemonDoesNotOutliveItsRequest) {
  const std::string marker = ::testing::TempDir() + "daemon-alive";
  auto j = attack(
      "import os, time\n"
      "if os.fork() == 0:\n"
      "    os.setsid()\n"
      "    if os.fork() == 0:\n"
      "        time.sleep(3)\n"
      "        os._exit(0)\n"
      "    os._exit(0)\n"
      "os.wait()\n"
      "print('parent leaves')\n");
  EXPECT_EQ(j.at("status"), "ok");
  EXPECT_EQ(j.at("stdout"), "parent leaves\n");
  // attack() already found no process left; make sure none reappears.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(leftovers(backend_->pid(), before_), "");
}

TEST_F(Hostile, KillEverythingIsRefused) {
  auto j = attack("import os\nos.kill(-1, 9)\n");
  EXPECT_EQ(j.at("status"), "error");
  EXPECT_NE(out(j).find("PermissionError"), std::string::npos) << out(j);
}

TEST_F(Hostile, PtraceIsRefused) {
  auto j = attack(
      "import ctypes, os\n"
      "libc = ctypes.CDLL(None, use_errno=True)\n"
      "print(libc.ptrace(0, 0, None, None), os.strerror(ctypes.get_errno()))\n"
      "print(libc.ptrace(16, 1, None, None), "
      "os.strerror(ctypes.get_errno()))\n");
  EXPECT_EQ(j.at("stdout"),
            "-1 Operation not permitted\n-1 Operation not permitted\n");
}

TEST_F(Hostile, BecomingRootIsRefused) {
  auto j = attack(
      "import os, pwd\n"
      "print(os.getuid() == os.getgid(), os.getuid() >= 1 << 20,\n"
      "      pwd.getpwuid(os.getuid()).pw_name)\n"
      "os.setuid(0)\n");
  EXPECT_EQ(j.at("status"), "error");
  // A uid of its slot's own, in its backend's range, named nobody.
  EXPECT_EQ(j.at("stdout"), "True True nobody\n");
  EXPECT_NE(out(j).find("PermissionError"), std::string::npos) << out(j);
}

// The init runs at -20 so a fork bomb cannot starve it; the snippet gets
// the service's own niceness back (0 here) and may not raise it again.
TEST_F(Hostile, RunsAtTheServicesPriorityAndCannotRaiseIt) {
  auto j = attack(
      "import os\nprint(os.getpriority(os.PRIO_PROCESS, 0))\n"
      "os.setpriority(os.PRIO_PROCESS, 0, -5)\n");
  EXPECT_EQ(j.at("stdout"), "0\n");
  EXPECT_NE(out(j).find("PermissionError"), std::string::npos) << out(j);
}

TEST_F(Hostile, UnshareAndMountAreRefused) {
  auto j = attack(
      "import ctypes, os\n"
      "libc = ctypes.CDLL(None, use_errno=True)\n"
      "print('unshare', libc.unshare(0x10000000), "
      "os.strerror(ctypes.get_errno()))\n"
      "print('mount', libc.mount(b'none', b'/tmp', b'tmpfs', 0, None), "
      "os.strerror(ctypes.get_errno()))\n"
      "print('chroot', libc.chroot(b'/tmp'), "
      "os.strerror(ctypes.get_errno()))\n");
  EXPECT_EQ(j.at("stdout"),
            "unshare -1 Operation not permitted\n"
            "mount -1 Operation not permitted\n"
            "chroot -1 Operation not permitted\n");
}

TEST_F(Hostile, DeepRecursionIsAnOrdinaryError) {
  auto j = attack("def f(n):\n    return f(n + 1)\nf(0)\n");
  EXPECT_EQ(j.at("status"), "error");
  EXPECT_NE(out(j).find("RecursionError"), std::string::npos);
}

TEST_F(Hostile, RecursionPastTheLimitEndsCleanly) {
  // Python 3.11 keeps Python frames on the heap, so this ends at the memory
  // limit; a C-level stack overflow would end in SIGSEGV. Either is clean.
  auto j = attack(
      "import sys\nsys.setrecursionlimit(10**8)\ndef f(n):\n    return f(n + "
      "1)\nf(0)\n");
  const std::string status(j.at("status").as_string());
  EXPECT_TRUE(status == "memory_limit" || status == "killed") << status;
  EXPECT_LT(j.at("exit_code").to_number<int>(), 0);
}

// Files given with a request are written by the sandbox's own Python into
// its own /tmp: nothing appears on the host, a traversing name is refused
// before anything runs, and writing through a link the program makes stays
// inside the sandbox's read-only view.
TEST_F(Hostile, GivenFilesStayInTheRunsOwnDirectory) {
  const std::string marker = "pg-hostile-given-file";
  const std::string body = boost::json::serialize(boost::json::object{
      {"code",
       "import os\n"
       "try:\n    os.symlink('/etc', 'etc-link')\n"
       "except OSError:\n    pass\n"
       "try:\n    open('etc-link/evil', 'w').write('x'); print('WROTE')\n"
       "except OSError:\n    print('refused')\n"
       "print(sorted(n for n in os.listdir('.') if n != 'etc-link'))\n"},
      {"files", boost::json::array{boost::json::object{
                    {"name", marker}, {"content", kSecret}}}}});
  HttpReply r = HttpClient(backend_->port()).post("/py/eval", body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("stdout").as_string(),
            "refused\n['main.py', '" + marker + "']\n");
  EXPECT_FALSE(std::filesystem::exists("/tmp/" + marker));
  EXPECT_FALSE(std::filesystem::exists(marker));
  EXPECT_FALSE(std::filesystem::exists("/etc/evil"));
  for (const char* name :
       {"../../../tmp/pg-hostile-escape", "/tmp/pg-hostile-escape",
        "a/../../pg-hostile-escape"}) {
    HttpReply refused =
        HttpClient(backend_->port())
            .post("/py/eval",
                  boost::json::serialize(boost::json::object{
                      {"code", "print(1)"},
                      {"files", boost::json::array{boost::json::object{
                                    {"name", name}, {"content", "x"}}}}}));
    EXPECT_EQ(refused.status, 400) << name;
  }
  EXPECT_FALSE(std::filesystem::exists("/tmp/pg-hostile-escape"));
  EXPECT_EQ(leftovers(backend_->pid(), before_), "");
}

// The site customisation that receives each program (python_startup.h) is
// part of the read-only root every sandbox of a keeper shares: a program can
// neither change it for later runs nor make it act again in its own
// processes (a child python3, or itself after exec) to reach the pipes.
TEST_F(Hostile, SiteHookCannotBeChangedOrReplayed) {
  auto j = attack(
      "import os, sys, subprocess\n"
      "hook = '/etc/python3.%d/sitecustomize.py' % sys.version_info[1]\n"
      "print(open(hook).readline().startswith('# Playground sandbox'))\n"
      "for attempt in (lambda: open(hook, 'a').write('print(1)'),\n"
      "                lambda: os.rename(hook, hook + '.old'),\n"
      "                lambda: os.chmod(hook, 0o777),\n"
      "                lambda: os.unlink(hook)):\n"
      "    try:\n"
      "        attempt(); print('CHANGED')\n"
      "    except OSError as e:\n"
      "        print('refused')\n"
      "r, w = os.pipe()\n"
      "os.dup2(r, 3); os.dup2(w, 5)\n"
      "c = subprocess.run([sys.executable, '-c', 'print(2)'], pass_fds=(3, "
      "5),\n"
      "                   capture_output=True, text=True, timeout=5)\n"
      "print(c.stdout.strip(), repr(c.stderr), c.returncode)\n");
  EXPECT_EQ(out(j), "True\nrefused\nrefused\nrefused\nrefused\n2 '' 0\n") << j;
  // The next run starts from the untouched hook.
  EXPECT_EQ(out(attack("import sys\nprint(sys.argv)")), "['main.py']\n");
  EXPECT_EQ(leftovers(backend_->pid(), before_), "");
}

TEST_F(Hostile, TenMegabyteCodeIsRejectedUnread) {
  HttpClient c(backend_->port());
  HttpReply r =
      c.post("/py/eval", "{\"code\": \"" + std::string(10 << 20, '#') + "\"}");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(leftovers(backend_->pid(), before_), "");
  EXPECT_EQ(eval_json(backend_->port(), "print(1)")["stdout"], "1\n");
}

// Each slot's sandboxes run as a uid of their own, in a range of their
// backend's own: a per-user kernel quota is no channel between sandboxes.
// One sandbox queues real-time signals to itself until the kernel refuses
// (the pending-signal limit counts per user) and holds them; meanwhile a
// sandbox of another backend on this host can still queue one. With one
// shared uid (65534) it got EAGAIN.
void expect_quotas_not_shared(BackendProcess& a, BackendProcess& b) {
  ASSERT_TRUE(a.started()) << a.log();
  ASSERT_TRUE(b.started()) << b.log();
  // sigqueue, not kill: the kernel holds kill()'s signals past the limit.
  const std::string queue_one =
      "import ctypes, os, signal, time\n"
      "libc = ctypes.CDLL(None, use_errno=True)\n"
      "signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGRTMIN})\n"
      "def queue():\n"
      "    return libc.sigqueue(os.getpid(), signal.SIGRTMIN, 0) == 0\n";
  auto hog = std::async(std::launch::async, [&] {
    return eval_json(a.port(),
                     queue_one +
                         "n = 0\n"
                         "while n < 100000 and queue():\n"
                         "    n += 1\n"
                         "print('refused after', n, ctypes.get_errno() == 11)\n"
                         "time.sleep(3)\n",
                     "", 10000);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto other = eval_json(b.port(), queue_one + "print('queued', queue())\n");
  EXPECT_EQ(other["stdout"], "queued True\n") << other;
  auto held = hog.get();
  EXPECT_EQ(held["stdout"], "refused after 256 True\n") << held;
}

TEST(HostileUids, PerUserQuotasAreNotSharedAcrossBackends) {
  BackendProcess a, b;
  expect_quotas_not_shared(a, b);
}

// A system user with subordinate ids, as an operator would give the user a
// service runs as (the tests run as root; made once, kept).
constexpr const char* kSubidUser = "pg-subids";
bool ensure_subid_user() {
  const std::string user = kSubidUser;
  if (std::system(("id -u " + user + " >/dev/null 2>&1").c_str()) != 0 &&
      std::system(("useradd --system --user-group --no-create-home "
                   "--home-dir /nonexistent --shell /usr/sbin/nologin " +
                   user)
                      .c_str()) != 0) {
    return false;
  }
  const std::string ids = "2100000000-2100065535";
  for (const char* file : {"/etc/subuid", "/etc/subgid"}) {
    if (!std::filesystem::exists(file)) std::ofstream{file};  // usermod's
  }
  return read_text("/etc/subuid").find(user + ":") != std::string::npos ||
         std::system(("usermod --add-subuids " + ids + " --add-subgids " + ids +
                      " " + user)
                         .c_str()) == 0;
}

// The host uids of the Python processes under `service` (pooled and
// running sandboxes alike).
std::set<uid_t> python_uids_under(pid_t service) {
  std::map<pid_t, pid_t> parent;
  std::map<pid_t, uid_t> python_uid;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream status(entry.path() / "status");
    std::string line, command;
    pid_t ppid = 0;
    uid_t uid = 0;
    while (std::getline(status, line)) {
      if (line.rfind("Name:", 0) == 0)
        std::istringstream(line.substr(5)) >> command;
      if (line.rfind("PPid:", 0) == 0)
        std::istringstream(line.substr(5)) >> ppid;
      if (line.rfind("Uid:", 0) == 0) std::istringstream(line.substr(4)) >> uid;
    }
    const pid_t pid = std::stoi(name);
    parent[pid] = ppid;
    if (command == "python3") python_uid[pid] = uid;
  }
  std::set<uid_t> uids;
  for (auto [pid, uid] : python_uid) {
    for (pid_t p = pid; p > 1; p = parent.count(p) ? parent[p] : 0) {
      if (p == service) uids.insert(uid);
    }
  }
  return uids;
}

// The same for services that are not root: each keeper's user namespace
// maps its sandboxes' uid to a subordinate id of the slot's own (with
// newuidmap), claimed per backend process. Before, every sandbox of every
// unprivileged backend ran as the service's own host uid. (Since Linux 5.14
// pending signals are also counted per user namespace, so the quota part
// held before too; what is per user on the host still is not.)
TEST(HostileUids, PerUserQuotasAreNotSharedAcrossUnprivilegedBackends) {
  ASSERT_TRUE(ensure_subid_user());
  const std::vector<std::string> as_user = {
      std::string("--reuid=") + kSubidUser,
      std::string("--regid=") + kSubidUser, "--clear-groups"};
  BackendProcess a({}, {}, as_user), b({}, {}, as_user);
  ASSERT_TRUE(a.started() && b.started()) << a.log() << b.log();
  // Each backend's pooled sandbox: a host uid of its slot's, not the
  // service's own, not shared with the other backend.
  ASSERT_TRUE(wait_until(
      [&] {
        return !python_uids_under(a.pid()).empty() &&
               !python_uids_under(b.pid()).empty();
      },
      std::chrono::seconds(10)));
  const std::set<uid_t> of_a = python_uids_under(a.pid());
  const std::set<uid_t> of_b = python_uids_under(b.pid());
  for (uid_t uid : of_a) {
    EXPECT_FALSE(of_b.contains(uid)) << uid << " runs sandboxes of both";
    EXPECT_GE(uid, 2100000000u) << "not a subordinate id";
  }
  for (uid_t uid : of_b) EXPECT_GE(uid, 2100000000u) << "not a subordinate id";
  expect_quotas_not_shared(a, b);
  for (BackendProcess* backend : {&a, &b}) {
    EXPECT_NE(backend->log().find("a subordinate uid of its own"),
              std::string::npos)
        << backend->log();
  }
  // Two backends, two claims: their first uids differ.
  auto first_uid = [](const std::string& log) {
    const size_t at = log.find("\"first_uid\":");
    return at == std::string::npos ? std::string() : log.substr(at, 24);
  };
  EXPECT_NE(first_uid(a.log()), first_uid(b.log())) << a.log() << b.log();
  EXPECT_NE(first_uid(a.log()), "");
}

TEST(HostileUids, UnprivilegedWithoutSubordinateIdsSaysSo) {
  BackendProcess shared({}, {},
                        {"--reuid=65534", "--regid=65534", "--clear-groups"});
  ASSERT_TRUE(shared.started()) << shared.log();
  EXPECT_NE(shared.log().find("\"every sandbox runs as the service's own "
                              "uid\",\"reason\":\"no range for user nobody"),
            std::string::npos)
      << shared.log();
  EXPECT_EQ(eval_json(shared.port(), "print(1)")["stdout"], "1\n");
}

}  // namespace
}  // namespace playground::testing
