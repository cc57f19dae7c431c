// The HTTP contract of POST /py/eval and the service endpoints, against the
// real playground-backend on a loopback port.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <set>
#include <thread>

#include "support/http_client.h"
#include "support/leftovers.h"
#include "support/service_process.h"

namespace playground::testing {
namespace {

class BackendApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    backend_ = new BackendProcess({"--wall", "2s", "--max-wall", "3s"});
  }
  // Asserted per test: a failure in SetUpTestSuite would only skip them.
  void SetUp() override { ASSERT_TRUE(backend_->started()) << backend_->log(); }
  static void TearDownTestSuite() {
    delete backend_;
    backend_ = nullptr;
  }
  static uint16_t port() { return backend_->port(); }
  static BackendProcess* backend_;
};
BackendProcess* BackendApi::backend_ = nullptr;

TEST_F(BackendApi, PrintGoesToStdout) {
  auto r = eval(port(), "print('hello')");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/json");
  auto j = r.json();
  EXPECT_EQ(j.at("stdout"), "hello\n");
  EXPECT_EQ(j.at("stderr"), "");
  EXPECT_EQ(j.at("exit_code"), 0);
  EXPECT_EQ(j.at("status"), "ok");
  EXPECT_EQ(j.at("truncated"), false);
  EXPECT_GT(j.at("time_ms").to_number<double>(), 0);
  EXPECT_GT(j.at("cpu_ms").to_number<double>(), 0);
  EXPECT_GT(j.at("memory_kb").to_number<int64_t>(), 1000);
}

TEST_F(BackendApi, StderrIsSeparate) {
  auto j = eval_json(port(),
                     "import sys\nprint('out')\nprint('err', file=sys.stderr)");
  EXPECT_EQ(j.at("stdout"), "out\n");
  EXPECT_EQ(j.at("stderr"), "err\n");
  EXPECT_EQ(j.at("status"), "ok");
}

TEST_F(BackendApi, UncaughtExceptionGivesTracebackWithLineNumbers) {
  auto j = eval_json(
      port(), "x = 1\n\ndef f():\n    raise ValueError('boom')\n\nf()\n");
  EXPECT_EQ(j.at("status"), "error");
  EXPECT_EQ(j.at("exit_code"), 1);
  const std::string err(j.at("stderr").as_string());
  EXPECT_EQ(err,
            "Traceback (most recent call last):\n"
            "  File \"/tmp/main.py\", line 6, in <module>\n"
            "    f()\n"
            "  File \"/tmp/main.py\", line 4, in f\n"
            "    raise ValueError('boom')\n"
            "ValueError: boom\n");
}

TEST_F(BackendApi, TracebackCaretsAlignWithoutAFinalNewline) {
  // Exactly what `python3 main.py` prints for a file holding "1/0".
  auto j = eval_json(port(), "1/0");
  EXPECT_EQ(j.at("stderr"),
            "Traceback (most recent call last):\n"
            "  File \"/tmp/main.py\", line 1, in <module>\n"
            "    1/0\n"
            "    ~^~\n"
            "ZeroDivisionError: division by zero\n");
}

// Tracebacks read the program's file when they print, as Python's do: a
// program that rewrites its own main.py sees the new line, as it would with
// `python3 main.py`.
TEST_F(BackendApi, TracebackReadsTheProgramFileLikePython) {
  auto j = eval_json(port(),
                     "open(__file__, 'w').write('something else\\n' * 5)\n"
                     "raise KeyError('k')\n");
  EXPECT_EQ(j.at("stderr"),
            "Traceback (most recent call last):\n"
            "  File \"/tmp/main.py\", line 2, in <module>\n"
            "    something else\n"
            "    ^^^^^^^^^^^^^^^\n"
            "KeyError: 'k'\n");
}

// An uncaught exception ends the program as CPython does: through
// sys.excepthook (the program's own, if it set one), with the default
// hook's "Did you mean" suggestions.
TEST_F(BackendApi, UncaughtExceptionsGoThroughSysExcepthook) {
  auto j = eval_json(port(), "length = 3\nprint(lenght)\n");
  EXPECT_NE(std::string(j.at("stderr").as_string())
                .find("NameError: name 'lenght' is not defined. Did you "
                      "mean: 'length'?"),
            std::string::npos)
      << j;
  j = eval_json(port(),
                "import sys\n"
                "sys.excepthook = lambda t, e, tb: print('hooked', t.__name__, "
                "tb.tb_frame.f_code.co_filename, file=sys.stderr)\n"
                "raise ValueError('x')\n");
  EXPECT_EQ(j.at("stderr"), "hooked ValueError /tmp/main.py\n");
  EXPECT_EQ(j.at("exit_code"), 1);
}

TEST_F(BackendApi, SyntaxErrorIsReportedLikePython) {
  auto j = eval_json(port(), "print('ok')\nprint(\n");
  EXPECT_EQ(j.at("status"), "error");
  EXPECT_EQ(j.at("exit_code"), 1);
  const std::string err(j.at("stderr").as_string());
  EXPECT_NE(err.find("File \"/tmp/main.py\", line 2"), std::string::npos)
      << err;
  EXPECT_NE(err.find("SyntaxError"), std::string::npos) << err;
  EXPECT_EQ(j.at("stdout"), "");  // nothing ran
}

TEST_F(BackendApi, SysExitCodeIsKept) {
  auto j = eval_json(port(), "import sys\nprint('bye')\nsys.exit(3)");
  EXPECT_EQ(j.at("exit_code"), 3);
  EXPECT_EQ(j.at("status"), "error");
  EXPECT_EQ(j.at("stdout"), "bye\n");
}

// What a program can observe of Python's shutdown happens, in CPython's
// order, as with `python3 main.py`.
TEST_F(BackendApi, ShutdownRunsThreadsAtexitAndFinalizers) {
  auto j = eval_json(port(),
                     "import atexit, threading, time\n"
                     "class Noisy:\n"
                     "    def __del__(self): print('del at exit')\n"
                     "class Cycle:\n"
                     "    def __init__(self): self.me = self\n"
                     "    def __del__(self): print('cycle collected')\n"
                     "keep = Noisy()\n"
                     "Cycle()\n"
                     "atexit.register(lambda: print('atexit ran'))\n"
                     "def late():\n"
                     "    time.sleep(0.2)\n"
                     "    print('thread joined')\n"
                     "threading.Thread(target=late).start()\n"
                     "print('main done')\n");
  EXPECT_EQ(j.at("status"), "ok");
  // The order `python3 main.py` prints (CPython 3.11): collect, then clear
  // modules.
  EXPECT_EQ(
      j.at("stdout"),
      "main done\nthread joined\natexit ran\ncycle collected\ndel at exit\n");
}

// Rebinding builtins in the program must not break how the run ends or is
// reported.
TEST_F(BackendApi, RebindingBuiltinsDoesNotBreakTheRun) {
  auto j = eval_json(port(),
                     "int = 5; print = None; SystemExit = 3; isinstance = 0; "
                     "type = 1; len = 2\n"
                     "import sys\nsys.stdout.write('rebound\\n')\n");
  EXPECT_EQ(j.at("status"), "ok") << j;
  EXPECT_EQ(j.at("stdout"), "rebound\n");
  j = eval_json(port(), "len = 3; type = 'x'\n1/0\n");
  EXPECT_EQ(j.at("exit_code"), 1);
  EXPECT_NE(std::string(j.at("stderr").as_string()).find("ZeroDivisionError"),
            std::string::npos)
      << j;
}

// What `site` adds (and -S would leave out) is there, as in `python3 main.py`.
// The site hook that receives the program is loaded from a pyc the keeper
// compiled once (bound over the interpreter's cached sitecustomize), not
// compiled from source at every start.
constexpr const char* kSiteHookPycMounted =
    "print(any(line.split()[4].endswith('/__pycache__/sitecustomize.'\n"
    "                                     'cpython-%d%d.pyc' % "
    "__import__('sys')"
    ".version_info[:2])\n"
    "          for line in open('/proc/self/mountinfo')))\n";

TEST_F(BackendApi, SiteHookIsLoadedPrecompiled) {
  EXPECT_EQ(eval_json(port(), kSiteHookPycMounted).at("stdout"), "True\n");
}

TEST_F(BackendApi, ExitQuitAndHelpExist) {
  EXPECT_EQ(eval_json(port(), "exit(3)").at("exit_code"), 3);
  EXPECT_EQ(eval_json(port(), "quit()").at("status"), "ok");
  EXPECT_EQ(eval_json(port(), "print(callable(help), exit)").at("stdout"),
            "True Use exit() or Ctrl-D (i.e. EOF) to exit\n");
}

TEST_F(BackendApi, ExitCodesFollowCPython) {
  EXPECT_EQ(eval_json(port(), "import sys; sys.exit(2**70)").at("exit_code"),
            255);
  EXPECT_EQ(eval_json(port(), "import sys; sys.exit(256 + 7)").at("exit_code"),
            7);
  auto j = eval_json(port(), "raise KeyboardInterrupt");
  EXPECT_EQ(j.at("exit_code"), -2);  // CPython ends by SIGINT
  EXPECT_NE(std::string(j.at("stderr").as_string()).find("KeyboardInterrupt"),
            std::string::npos);
}

// The service holds SIGTERM and SIGINT blocked in its own threads; a
// program must start with none blocked, so that Ctrl+C reaches it. (A
// guard: the keepers are spawned with an empty mask and the sandbox's
// init resets its own, so this fails only if both stop doing so.)
TEST_F(BackendApi, AProgramStartsWithNoSignalBlockedAndSigintReachesIt) {
  auto j = eval_json(port(),
                     "import os, signal\n"
                     "print(sorted(signal.pthread_sigmask(signal.SIG_BLOCK, "
                     "[])))\n"
                     "os.kill(os.getpid(), signal.SIGINT)\n"
                     "print('not reached')\n");
  EXPECT_EQ(j.at("stdout"), "[]\n");
  EXPECT_EQ(j.at("exit_code"), -2);
  EXPECT_NE(std::string(j.at("stderr").as_string()).find("KeyboardInterrupt"),
            std::string::npos)
      << j;
}

TEST_F(BackendApi, SysExitWithAMessageGoesToStderrWithCodeOne) {
  auto j = eval_json(port(), "import sys\nsys.exit('bad input')\n");
  EXPECT_EQ(j.at("exit_code"), 1);
  EXPECT_EQ(j.at("stderr"), "bad input\n");
  j = eval_json(port(), "raise SystemExit\n");
  EXPECT_EQ(j.at("exit_code"), 0);
  EXPECT_EQ(j.at("status"), "ok");
}

TEST_F(BackendApi, StdinReachesTheProgram) {
  auto j = eval_json(port(), "a = input()\nb = input()\nprint(int(a) + int(b))",
                     "2\n40\n");
  EXPECT_EQ(j.at("stdout"), "42\n");
}

// POSTs a JSON body as it is and returns the reply.
HttpReply post_json(uint16_t port, const boost::json::object& body) {
  return HttpClient(port).post("/py/eval", boost::json::serialize(body));
}

// The program is a real file in its working directory, as with
// `python3 main.py`: open(__file__), the directory listing, inspect and
// warnings all find it.
TEST_F(BackendApi, TheProgramIsARealFileBesideItsFiles) {
  auto j =
      eval_json(port(),
                "import inspect, os, sys, warnings\n"
                "class Shape:\n"
                "    sides = 3\n"
                "print(open(__file__).read().splitlines()[1])\n"
                "print(sorted(os.listdir('.')), os.getcwd(), sys.path[0])\n"
                "print(inspect.getsource(Shape).splitlines()[0])\n"
                "warnings.warn('careful')\n");
  EXPECT_EQ(j.at("stdout"),
            "class Shape:\n"
            "['main.py'] /tmp /tmp\n"
            "class Shape:\n");
  EXPECT_EQ(j.at("stderr"),
            "/tmp/main.py:7: UserWarning: careful\n"
            "  warnings.warn('careful')\n");
}

TEST_F(BackendApi, FilesAreWrittenBesideMainAndImportable) {
  boost::json::object body{
      {"code",
       "import helper\n"
       "from pkg.tools import double\n"
       "print(helper.greet('you'), double(21))\n"
       "print(open('data/input.txt').read(), end='')\n"
       "import os\n"
       "print(sorted(os.listdir('.')))\n"},
      {"files", boost::json::array{
                    boost::json::object{
                        {"name", "helper.py"},
                        {"content", "def greet(n):\n    return 'hi ' + n\n"}},
                    boost::json::object{
                        {"name", "pkg/tools.py"},
                        {"content", "def double(x):\n    return 2 * x\n"}},
                    boost::json::object{{"name", "data/input.txt"},
                                        {"content", "line one\nline two\n"}}}}};
  auto r = post_json(port(), body);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  EXPECT_EQ(j.at("stdout"),
            "hi you 42\n"
            "line one\nline two\n"
            // Importing helper wrote its bytecode cache, as python3 does.
            "['__pycache__', 'data', 'helper.py', 'main.py', 'pkg']\n")
      << j;
  EXPECT_EQ(j.at("status"), "ok") << j;
}

// Each run has its own working directory: what one run was given or wrote
// is gone for the next.
TEST_F(BackendApi, FilesDoNotOutliveTheirRun) {
  auto r = post_json(
      port(), {{"code", "open('left.txt', 'w').write('x')\nprint('wrote')\n"},
               {"files", boost::json::array{boost::json::object{
                             {"name", "given.txt"}, {"content", "secret"}}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("stdout"), "wrote\n");
  for (int i = 0; i < 4; ++i) {  // every pre-started sandbox, not just one
    auto j = eval_json(port(), "import os\nprint(sorted(os.listdir('.')))\n");
    EXPECT_EQ(j.at("stdout"), "['main.py']\n");
  }
}

// What cannot fit in the run's /tmp is refused before anything runs: 413
// with the sizes, not a failure inside the sandbox.
TEST(BackendFiles, FilesOverTheWorkingDirectoryAre413) {
  BackendProcess backend({"--tmp", "256k", "--tmp-inodes", "16"});
  ASSERT_TRUE(backend.started()) << backend.log();
  auto file = [](const std::string& name, size_t size) {
    return boost::json::object{{"name", name},
                               {"content", std::string(size, 'x')}};
  };
  auto r =
      HttpClient(backend.port())
          .post("/py/eval",
                boost::json::serialize(boost::json::object{
                    {"code", "print('ran')"},
                    {"files", boost::json::array{file("big.txt", 300'000)}}}));
  EXPECT_EQ(r.status, 413) << r.body;
  EXPECT_NE(r.body.find("in whole pages, more than the run's working "
                        "directory holds (262144 bytes)"),
            std::string::npos)
      << r.body;
  boost::json::array many;
  for (int i = 0; i < 20; ++i) many.push_back(file("f" + std::to_string(i), 1));
  r = HttpClient(backend.port())
          .post("/py/eval", boost::json::serialize(boost::json::object{
                                {"code", "print('ran')"}, {"files", many}}));
  EXPECT_EQ(r.status, 413) << r.body;
  EXPECT_NE(r.body.find("21 files and directories, more than the run's "
                        "working directory holds (15)"),
            std::string::npos)
      << r.body;
  // What fits runs.
  r = HttpClient(backend.port())
          .post("/py/eval",
                boost::json::serialize(boost::json::object{
                    {"code", "print(len(open('ok.txt').read()))"},
                    {"files", boost::json::array{file("ok.txt", 10'000)}}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("stdout"), "10000\n");
}

TEST_F(BackendApi, ArgsBecomeSysArgv) {
  boost::json::object body{
      {"code", "import sys\nprint(sys.argv)\n"},
      {"args", boost::json::array{"-v", "two words", "ünïcode", ""}}};
  auto r = post_json(port(), body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("stdout"),
            "['main.py', '-v', 'two words', 'ünïcode', '']\n");
}

// A program that starts with a NUL byte is still Python's SyntaxError (as
// `python3 main.py` of those bytes gives), not taken for the frame that
// carries files and arguments (which would run the print).
TEST_F(BackendApi, CodeStartingWithNulIsPythonsSyntaxError) {
  auto j = eval_json(port(), std::string("\0pg1\n0 0\nprint(1)\n", 16));
  EXPECT_EQ(j.at("status"), "error") << j;
  EXPECT_EQ(j.at("stdout"), "") << j;
  EXPECT_NE(std::string(j.at("stderr").as_string()).find("SyntaxError"),
            std::string::npos)
      << j;
}

TEST_F(BackendApi, BadFilesAndArgsAreClear400s) {
  auto file = [](const std::string& name) {
    return boost::json::object{{"name", name}, {"content", "x"}};
  };
  const std::vector<std::pair<boost::json::object, std::string>> cases = {
      {{{"code", "1"}, {"files", "helper.py"}}, "must be a list"},
      {{{"code", "1"}, {"files", boost::json::array{file("../escape.py")}}},
       "has an empty"},
      {{{"code", "1"}, {"files", boost::json::array{file("/etc/passwd")}}},
       "absolute"},
      {{{"code", "1"}, {"files", boost::json::array{file("a//b")}}}, "empty"},
      {{{"code", "1"}, {"files", boost::json::array{file("main.py")}}},
       "main.py"},
      {{{"code", "1"}, {"files", boost::json::array{file("new\nline")}}},
       "control character"},
      {{{"code", "1"}, {"files", boost::json::array{file("a"), file("a")}}},
       "twice"},
      {{{"code", "1"}, {"files", boost::json::array{file("a"), file("a/b")}}},
       "cannot both exist"},
      {{{"code", "1"},
        {"files", boost::json::array{boost::json::object{{"name", "x"}}}}},
       "two strings"},
      {{{"code", "1"}, {"args", "-v"}}, "list of strings"},
      {{{"code", "1"}, {"args", boost::json::array{1}}}, "list of strings"},
      {{{"code", "1"}, {"args", boost::json::array{std::string("a\0b", 3)}}},
       "NUL"},
      {{{"code", "1"}, {"args", boost::json::array{std::string(5000, 'x')}}},
       "at most 4096 bytes"},
  };
  for (const auto& [body, says] : cases) {
    auto r = post_json(port(), body);
    EXPECT_EQ(r.status, 400) << boost::json::serialize(body);
    EXPECT_NE(r.body.find(says), std::string::npos)
        << boost::json::serialize(body) << " -> " << r.body;
  }
  boost::json::array many;
  for (int i = 0; i < 65; ++i) many.push_back(file("f" + std::to_string(i)));
  auto r = post_json(port(), {{"code", "1"}, {"files", many}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("at most 64 files"), std::string::npos) << r.body;
  boost::json::array args;
  for (int i = 0; i < 257; ++i) args.push_back("a");
  r = post_json(port(), {{"code", "1"}, {"args", args}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("at most 256 arguments"), std::string::npos) << r.body;
}

// What ordinary programs do with processes, threads and local I/O works as
// with `python3 main.py`: asyncio (its self-pipe is a socketpair),
// multiprocessing (semaphores in /dev/shm, connections over socketpairs),
// thread pools and many threads (bounded by the process limit, not by
// address-space arithmetic).
TEST_F(BackendApi, AsyncioRuns) {
  auto j = eval_json(port(),
                     "import asyncio\n"
                     "async def twice(x):\n"
                     "    await asyncio.sleep(0.01)\n"
                     "    return 2 * x\n"
                     "async def main():\n"
                     "    print(await asyncio.gather(*(twice(i) for i in "
                     "range(5))))\n"
                     "asyncio.run(main())\n");
  EXPECT_EQ(j.at("stdout"), "[0, 2, 4, 6, 8]\n") << j;
  EXPECT_EQ(j.at("status"), "ok") << j;
}

TEST_F(BackendApi, MultiprocessingRuns) {
  auto j = eval_json(port(),
                     "import multiprocessing as mp\n"
                     "from concurrent.futures import ProcessPoolExecutor\n"
                     "def square(x):\n"
                     "    return x * x\n"
                     "def put(q, lock):\n"
                     "    with lock:\n"
                     "        q.put('from child')\n"
                     "if __name__ == '__main__':\n"
                     "    with mp.Pool(2) as pool:\n"
                     "        print(pool.map(square, range(6)))\n"
                     "    q, lock = mp.Queue(), mp.Lock()\n"
                     "    p = mp.Process(target=put, args=(q, lock))\n"
                     "    p.start(); print(q.get()); p.join()\n"
                     "    with ProcessPoolExecutor(2) as ex:\n"
                     "        print(list(ex.map(square, [7, 8])))\n");
  EXPECT_EQ(j.at("stdout"), "[0, 1, 4, 9, 16, 25]\nfrom child\n[49, 64]\n")
      << j;
  EXPECT_EQ(j.at("status"), "ok") << j;
}

TEST_F(BackendApi, ManyThreadsRun) {
  auto j = eval_json(
      port(),
      "import threading\n"
      "from concurrent.futures import ThreadPoolExecutor\n"
      "barrier = threading.Barrier(20)\n"
      "def wait():\n"
      "    barrier.wait()\n"
      "threads = [threading.Thread(target=wait) for _ in range(20)]\n"
      "for t in threads: t.start()\n"
      "for t in threads: t.join()\n"
      "print('barrier passed')\n"
      "with ThreadPoolExecutor(32) as ex:\n"
      "    print(sum(ex.map(lambda x: x, range(100))))\n"
      "gate = threading.Event()\n"
      "many = [threading.Thread(target=gate.wait) for _ in range(60)]\n"
      "for t in many: t.start()\n"
      "gate.set()\n"
      "for t in many: t.join()\n"
      "print(len(many), 'threads')\n");
  EXPECT_EQ(j.at("stdout"), "barrier passed\n4950\n60 threads\n") << j;
  EXPECT_EQ(j.at("status"), "ok") << j;
}

// cpu_ms is the whole run's: a child never waited for counts too.
TEST_F(BackendApi, CpuTimeCountsChildrenNeverWaitedFor) {
  auto j = eval_json(port(),
                     "import os, time\n"
                     "if os.fork() == 0:\n"
                     "    start = time.process_time()\n"
                     "    while time.process_time() - start < 0.4:\n"
                     "        pass\n"
                     "    os._exit(0)\n"
                     "time.sleep(0.8)\n"
                     "print('done')\n");
  EXPECT_EQ(j.at("stdout"), "done\n") << j;
  EXPECT_GE(j.at("cpu_ms").to_number<double>(), 380) << j;
}

// The machine's time zone, as python3 main.py sees it.
TEST_F(BackendApi, TimeZoneIsTheMachines) {
  FILE* host =
      ::popen("/usr/bin/python3 -c 'import time; print(time.tzname)'", "r");
  ASSERT_NE(host, nullptr);
  char line[256] = {};
  ASSERT_NE(std::fgets(line, sizeof line, host), nullptr);
  ::pclose(host);
  auto j = eval_json(port(), "import time\nprint(time.tzname)\n");
  EXPECT_EQ(j.at("stdout"), line);
}

TEST_F(BackendApi, LargeStdinThatIsNeverReadDoesNotHang) {
  auto j =
      eval_json(port(), "print('ignored stdin')", std::string(1 << 20, 'x'));
  EXPECT_EQ(j.at("status"), "ok");
  EXPECT_EQ(j.at("stdout"), "ignored stdin\n");
}

// A program and an input larger than a pipe holds are written in parts as
// Python reads them (the small ones go in one write): both arrive whole.
TEST_F(BackendApi, ProgramAndStdinLargerThanAPipeArriveWhole) {
  std::string code = "import sys\n";
  for (int i = 0; i < 3000; ++i) {
    code += "x" + std::to_string(i) + " = " + std::to_string(i) +
            "  # padding the program past a pipe's 64 KiB\n";
  }
  code +=
      "data = sys.stdin.buffer.read()\n"
      "print(len(data), sum(data) % 1000003, data[-9:].decode(), x2999)\n";
  ASSERT_GT(code.size(), 128u * 1024);
  std::string input;
  for (int i = 0; input.size() < 600 * 1024; ++i) input += std::to_string(i);
  int64_t sum = 0;
  for (unsigned char c : input) sum += c;
  auto j = eval_json(port(), code, input);
  ASSERT_EQ(j.at("status"), "ok") << boost::json::serialize(j).substr(0, 500);
  EXPECT_EQ(j.at("stdout").as_string(),
            std::to_string(input.size()) + " " + std::to_string(sum % 1000003) +
                " " + input.substr(input.size() - 9) + " 2999\n");
}

TEST_F(BackendApi, SnippetsRunAsMainWithoutBootstrapLeftovers) {
  auto j = eval_json(
      port(),
      "print(sorted(k for k in globals() if not k.startswith('__')))\n"
      "import sys\nprint(__name__, __file__, sys.argv)\n");
  EXPECT_EQ(j.at("stdout"), "[]\n__main__ /tmp/main.py ['main.py']\n");
}

TEST_F(BackendApi, UrlencodedFormBody) {
  HttpClient c(port());
  auto r = c.post("/py/eval", "code=print(input()%2B'!')&stdin=form",
                  "application/x-www-form-urlencoded");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("stdout"), "form!\n");
}

TEST_F(BackendApi, MultipartFormBody) {
  const std::string body =
      "--BOUNDARY\r\nContent-Disposition: form-data; name=\"code\"; "
      "filename=\"main.py\"\r\n"
      "Content-Type: text/x-python\r\n\r\nprint(input() * 2)\r\n"
      "--BOUNDARY\r\nContent-Disposition: form-data; "
      "name=\"stdin\"\r\n\r\nab\r\n--BOUNDARY--\r\n";
  HttpClient c(port());
  auto r = c.post("/py/eval", body, "multipart/form-data; boundary=BOUNDARY");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("stdout"), "abab\n");
}

TEST_F(BackendApi, UnicodeOutputSurvives) {
  auto j =
      eval_json(port(), "print('h\u00e9llo \u2713 \U0001F600 \u4e2d\u6587')");
  EXPECT_EQ(j.at("stdout"), "h\u00e9llo \u2713 \U0001F600 \u4e2d\u6587\n");
}

TEST_F(BackendApi, InvalidUtf8OutputStillGivesValidJson) {
  auto r =
      eval(port(),
           "import sys\nsys.stdout.buffer.write(b'ok \\xff\\xfe \\xe2\\x82')\n"
           "sys.stderr.buffer.write(b'\\xc0\\xaf')");
  ASSERT_EQ(r.status, 200);
  boost::system::error_code ec;
  auto v =
      boost::json::parse(r.body, ec);  // strict parser: rejects invalid UTF-8
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(v.at("stdout"), "ok \xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD");
  EXPECT_EQ(v.at("stderr"), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

void expect_json_error(const HttpReply& r, int status,
                       const std::string& says) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/json") << r.body;
  auto j = r.json();
  ASSERT_TRUE(j.contains("error")) << r.body;
  EXPECT_NE(std::string(j.at("error").as_string()).find(says),
            std::string::npos)
      << r.body;
}

TEST_F(BackendApi, BadRequestsGet400) {
  HttpClient c(port());
  expect_json_error(c.post("/py/eval", "{not json"), 400, "not valid JSON");
  expect_json_error(c.post("/py/eval", "{}"), 400,
                    "\"code\" field is required");
  expect_json_error(c.post("/py/eval", R"({"code": 42})"), 400,
                    "must be a string");
  expect_json_error(c.post("/py/eval", R"({"code": "x", "timeout_ms": -1})"),
                    400, "timeout_ms");
  expect_json_error(c.post("/py/eval", R"({"code": "x", "stdin": []})"), 400,
                    "stdin");
  // The connection is still usable after each 400.
  EXPECT_EQ(c.post("/py/eval", R"J({"code": "print(1)"})J").status, 200);
}

TEST_F(BackendApi, OversizedBodyGets413BeforeItIsSent) {
  // Content-Length alone decides: the server answers without reading 3 MB.
  std::string head =
      "POST /py/eval HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 3000000\r\n\r\n";
  std::string reply = raw_exchange(port(), head, 3000);
  EXPECT_EQ(reply.rfind("HTTP/1.1 413", 0), 0u) << reply;
  EXPECT_NE(reply.find("application/json"), std::string::npos);
  // And a real oversized body sent in full also gets 413.
  HttpClient c(port());
  expect_json_error(c.post("/py/eval", std::string(3 << 20, ' ')), 413,
                    "larger than the limit");
}

TEST_F(BackendApi, ChunkedBodyOverTheLimitGets413) {
  std::string req =
      "POST /py/eval HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  const std::string chunk(1 << 20, 'a');
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
  for (int i = 0; i < 3; ++i) req += size + chunk + "\r\n";
  req += "0\r\n\r\n";
  std::string reply = raw_exchange(port(), req, 5000);
  EXPECT_EQ(reply.rfind("HTTP/1.1 413", 0), 0u) << reply.substr(0, 200);
}

TEST_F(BackendApi, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  HttpClient c(port());
  expect_json_error(c.get("/nope"), 404, "/nope");
  auto r = c.get("/py/eval");
  expect_json_error(r, 405, "not allowed");
  EXPECT_EQ(r.header("allow"), "POST");
  r = c.request("DELETE", "/healthz");
  expect_json_error(r, 405, "not allowed");
  EXPECT_EQ(r.header("allow"), "GET, HEAD");
}

TEST_F(BackendApi, UnsupportedContentTypeIs415) {
  HttpClient c(port());
  expect_json_error(c.post("/py/eval", "print(1)", "text/plain"), 415,
                    "Content-Type");
  expect_json_error(c.post("/py/eval", "print(1)", ""), 415, "Content-Type");
}

TEST_F(BackendApi, ExpectContinueIsHonoured) {
  std::string req =
      "POST /py/eval HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Expect: 100-continue\r\nContent-Length: 17\r\n\r\n";
  std::string first = raw_exchange(port(), req, 500);
  EXPECT_EQ(first.rfind("HTTP/1.1 100 Continue", 0), 0u) << first;
}

TEST_F(BackendApi, KeepAliveReusesOneConnection) {
  HttpClient c(port());
  auto a = c.post("/py/eval", R"J({"code":"print(1)"})J");
  const uint16_t first = c.local_port();
  auto b = c.post("/py/eval", R"J({"code":"print(2)"})J");
  auto h = c.get("/healthz");
  EXPECT_EQ(a.json().at("stdout"), "1\n");
  EXPECT_EQ(b.json().at("stdout"), "2\n");
  EXPECT_EQ(h.status, 200);
  EXPECT_TRUE(a.keep_alive && b.keep_alive);
  EXPECT_EQ(c.local_port(), first);  // no reconnect happened
}

TEST_F(BackendApi, TimeoutIsClampedToTheConfiguredMaximum) {
  // --max-wall is 3 s; asking for 60 s still ends at about 3 s.
  const auto start = std::chrono::steady_clock::now();
  auto j = eval_json(port(), "import time\ntime.sleep(30)", "", 60000);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  EXPECT_EQ(j.at("status"), "timeout");
  EXPECT_EQ(j.at("exit_code"), -9);
  EXPECT_GE(j.at("time_ms").to_number<double>(), 2900);
  EXPECT_LT(seconds, 10);
}

TEST_F(BackendApi, ShortTimeoutIsHonoured) {
  auto j = eval_json(port(),
                     "import time\nprint('before', flush=True)\ntime.sleep(10)",
                     "", 300);
  EXPECT_EQ(j.at("status"), "timeout");
  EXPECT_EQ(j.at("stdout"), "before\n");  // output before the deadline is kept
  EXPECT_LT(j.at("time_ms").to_number<double>(), 1000);
}

TEST_F(BackendApi, HealthReadinessAndMetrics) {
  HttpClient c(port());
  auto h = c.get("/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.json().at("status"), "ok");
  auto r = c.get("/readyz");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  EXPECT_EQ(j.at("ready"), true);
  EXPECT_EQ(j.at("sandbox_self_test"), "passed");
  // With every layer, programs run as the interpreter's own script.
  EXPECT_EQ(j.at("program"), "python3 main.py");
  auto iso = j.at("isolation").as_object();
  // Running as root on Linux every layer must be active; say which is not.
  EXPECT_EQ(iso.at("missing").as_array().size(), 0u) << r.body;
  EXPECT_EQ(iso.at("namespaces"), true);
  EXPECT_EQ(iso.at("seccomp"), true);
  c.post("/py/eval", R"J({"code":"print(1)"})J");
  auto m = c.get("/metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_EQ(m.header("content-type").rfind("text/plain", 0), 0u);
  EXPECT_NE(
      m.body.find(
          "playground_http_requests_total{route=\"/py/eval\",code=\"200\"}"),
      std::string::npos);
  EXPECT_NE(m.body.find("playground_eval_duration_seconds_bucket"),
            std::string::npos);
  EXPECT_NE(m.body.find("playground_eval_queue_depth 0"), std::string::npos);
  EXPECT_NE(m.body.find("playground_sandboxes_running 0"), std::string::npos);
  EXPECT_NE(m.body.find("playground_evals_total{status=\"ok\"}"),
            std::string::npos);
}

TEST_F(BackendApi, EachRequestLogsOneStructuredLine) {
  eval(port(), "print('log me')");
  ASSERT_TRUE(backend_->wait_for_log("\"eval_status\":\"ok\"",
                                     std::chrono::seconds(5)));
  const std::string log = backend_->log();
  EXPECT_NE(log.find("\"msg\":\"request\",\"method\":\"POST\",\"path\":\"/py/"
                     "eval\",\"status\":200"),
            std::string::npos)
      << log;
}

TEST(BackendOverload, FullQueueGets503WithRetryAfter) {
  BackendProcess backend({"--concurrency", "1", "--queue", "1"});
  ASSERT_TRUE(backend.started()) << backend.log();
  std::vector<std::future<HttpReply>> replies;
  for (int i = 0; i < 4; ++i) {
    replies.push_back(std::async(std::launch::async, [&] {
      return eval(backend.port(), "import time\ntime.sleep(1)\nprint('done')");
    }));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  int ok = 0, busy = 0;
  for (auto& f : replies) {
    HttpReply r = f.get();
    if (r.status == 200) {
      ++ok;
      EXPECT_EQ(r.json().at("stdout"), "done\n");
    } else {
      EXPECT_EQ(r.status, 503) << r.body;
      EXPECT_EQ(r.header("retry-after"), "1");
      EXPECT_EQ(r.header("content-type"), "application/json");
      ++busy;
    }
  }
  EXPECT_EQ(ok, 2);  // one running, one queued
  EXPECT_EQ(busy, 2);
}

TEST(BackendToken, RequiredWhenConfigured) {
  BackendProcess backend({}, {{"PLAYGROUND_TOKEN", "t0ken"}});
  ASSERT_TRUE(backend.started()) << backend.log();
  HttpClient c(backend.port());
  auto r = c.post("/py/eval", R"J({"code":"print(1)"})J");
  expect_json_error(r, 401, "Bearer");
  EXPECT_EQ(r.header("www-authenticate"), "Bearer");
  r = c.request("POST", "/py/eval", R"J({"code":"print(1)"})J",
                "application/json", {{"Authorization", "Bearer wrong"}});
  EXPECT_EQ(r.status, 401);
  r = c.request("POST", "/py/eval", R"J({"code":"print(1)"})J",
                "application/json", {{"Authorization", "Bearer t0ken"}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(c.get("/healthz").status, 200);  // probes need no token
}

// The event loop never waits for the log's reader: with the backend's
// stderr not read (a stalled collector: the pipe fills after 64 KB),
// requests and an evaluation are still answered; once read again, every
// request's line arrives.
TEST(BackendLog, AStalledLogSinkHoldsNoEvaluationUp) {
  BackendProcess backend;
  ASSERT_TRUE(backend.started()) << backend.log();
  backend.pause_log();
  // 400 lines of about 400 bytes: more than twice what the pipe holds.
  const std::string path = "/stalled-" + std::string(200, 'x');
  auto answered = std::async(std::launch::async, [&] {
    HttpClient client(backend.port());
    int n = 0;
    for (int i = 0; i < 400; ++i) n += client.get(path).status == 404;
    const HttpReply run = eval(backend.port(), "print('still running')");
    return std::pair(n, run);
  });
  const bool in_time =
      answered.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
  backend.resume_log();
  ASSERT_TRUE(in_time) << "requests waited for the log";
  const auto [not_found, run] = answered.get();
  EXPECT_EQ(not_found, 400);
  EXPECT_EQ(run.status, 200) << run.body;
  EXPECT_NE(run.body.find("still running"), std::string::npos) << run.body;
  auto lines = [&] {
    const std::string log = backend.log();
    size_t count = 0;
    for (size_t at = log.find(path); at != std::string::npos;
         at = log.find(path, at + 1)) {
      count++;
    }
    return count;
  };
  EXPECT_TRUE(
      wait_until([&] { return lines() == 400; }, std::chrono::seconds(10)))
      << lines();
  // Its exit, after a wait for room, is clean.
  EXPECT_EQ(backend.stop(), 0) << backend.log();
  EXPECT_NE(backend.log().find("\"msg\":\"stopped\""), std::string::npos);
}

TEST(BackendShutdown, SigtermFinishesRunningEvaluationsAndExitsZero) {
  auto backend = std::make_unique<BackendProcess>();
  ASSERT_TRUE(backend->started()) << backend->log();
  const pid_t pid = backend->pid();
  const uint16_t port = backend->port();
  auto running = std::async(std::launch::async, [&] {
    return eval(port, "import time\ntime.sleep(1)\nprint('finished')");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ::kill(pid, SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  // No new connections once shutting down.
  HttpReply refused = HttpClient(port).get("/healthz");
  EXPECT_EQ(refused.status, 0);
  HttpReply r = running.get();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json().at("stdout"), "finished\n");
  EXPECT_EQ(backend->stop(SIGTERM), 0) << backend->log();
  EXPECT_TRUE(cgroup_groups_of(pid).empty());  // its cgroups are removed
  EXPECT_NE(backend->log().find("\"msg\":\"stopped\""), std::string::npos);
}

// A SIGTERM during start-up (a rolling update soon after a pod starts)
// waits until the service can drain: it then stops by itself, cleanly,
// removing the cgroups start-up made, instead of dying with them left
// behind. A shell in front of the backend starts a watcher, then becomes
// the backend (exec keeps the pid). The watcher reads /proc/PID/status
// with shell builtins only (fast, and no external kill needed) and sends
// the signal as soon as the backend holds SIGTERM and SIGINT (SigBlk
// 0x4002), then says so on the backend's stderr.
TEST(BackendShutdown, SigtermDuringStartUpStopsCleanlyOnceReady) {
  const std::string signal_once_held =
      "(i=0; while [ $i -lt 100000 ]; do"
      "   while read -r key value; do"
      "     case \"$key $value\" in"
      "       'SigBlk: '*4002) kill -TERM $$; echo sent-during-start-up >&2;"
      "                        exit 0;;"
      "     esac;"
      "   done < /proc/$$/status;"
      "   i=$((i + 1));"
      " done) & exec \"$@\"";
  BackendProcess backend({}, {}, {"/bin/sh", "-c", signal_once_held, "sh"});
  const pid_t pid = backend.pid();
  // It stops on its own: the signal sent during start-up drains it.
  EXPECT_TRUE(wait_until([&] { return backend.has_exited(); },
                         std::chrono::seconds(20)))
      << backend.log();
  EXPECT_EQ(backend.stop(SIGKILL), 0) << backend.log();
  EXPECT_TRUE(cgroup_groups_of(pid).empty());
  const std::string log = backend.log();
  const size_t sent = log.find("sent-during-start-up");
  ASSERT_NE(sent, std::string::npos) << log;
  EXPECT_LT(sent, log.find("\"msg\":\"listening\"")) << log;
  EXPECT_NE(log.find("\"msg\":\"shutting down: no new connections, "
                     "finishing running evaluations\",\"signal\":15"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("\"msg\":\"stopped\""), std::string::npos) << log;
}

// Signals keep coming (an impatient operator, a supervisor) while the
// backend cleans up after its drain: none of them may end it before its
// cgroups are removed and its last line is written. (When the signals
// were taken by Asio's signal_set, clearing it restored their default
// action for a moment: one of these then killed the process in 2 of 10
// runs.) The window was microseconds wide, hence no pause between them.
TEST(BackendShutdown, SignalsDuringCleanupCannotCutItShort) {
  BackendProcess backend;
  ASSERT_TRUE(backend.started()) << backend.log();
  const pid_t pid = backend.pid();
  ::kill(pid, SIGTERM);
  ASSERT_TRUE(backend.wait_for_log("shutting down", std::chrono::seconds(5)))
      << backend.log();
  EXPECT_TRUE(backend.signal_until_exited(std::chrono::seconds(10)))
      << backend.log();
  EXPECT_EQ(backend.stop(SIGTERM), 0) << backend.log();
  EXPECT_TRUE(cgroup_groups_of(pid).empty());
  EXPECT_NE(backend.log().find("\"msg\":\"stopped\""), std::string::npos)
      << backend.log();
}

// A run that outlasts --shutdown-grace: a second signal is noted and
// ignored, then the grace period ends the process (status 0) with the run,
// its sandbox and its cgroup.
TEST(BackendShutdown, GraceOverEndsRunningEvaluationsSecondSignalIgnored) {
  BackendProcess backend(
      {"--wall", "10s", "--max-wall", "10s", "--shutdown-grace", "1s"});
  ASSERT_TRUE(backend.started()) << backend.log();
  const pid_t pid = backend.pid();
  auto running = std::async(std::launch::async, [port = backend.port()] {
    return eval(port, "import time\ntime.sleep(8)");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ::kill(pid, SIGTERM);
  ASSERT_TRUE(backend.wait_for_log("finishing running evaluations",
                                   std::chrono::seconds(2)))
      << backend.log();
  ::kill(pid, SIGINT);
  EXPECT_TRUE(backend.wait_for_log("\"msg\":\"already shutting down\"",
                                   std::chrono::seconds(2)))
      << backend.log();
  EXPECT_EQ(backend.stop(SIGTERM), 0) << backend.log();
  EXPECT_EQ(running.get().status, 0);  // closed unanswered
  EXPECT_TRUE(cgroup_groups_of(pid).empty());
  const std::string log = backend.log();
  EXPECT_NE(log.find("\"msg\":\"shutting down: no new connections, "
                     "finishing running evaluations\",\"signal\":15,"
                     "\"running\":1"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("\"msg\":\"shutdown grace period over; stopping with "
                     "evaluations still running\",\"running\":1"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("\"msg\":\"stopped\""), std::string::npos) << log;
}

// Not root: no cgroups to write to, so the service must say so and run with
// every other layer, through a user namespace.
TEST(BackendUnprivileged, RunsWithReducedIsolationAndSaysSo) {
  BackendProcess backend({}, {},
                         {"--reuid=65534", "--regid=65534", "--clear-groups"});
  ASSERT_TRUE(backend.started()) << backend.log();
  HttpClient c(backend.port());
  auto ready = c.get("/readyz");
  ASSERT_EQ(ready.status, 200) << ready.body;
  auto iso = ready.json().at("isolation").as_object();
  EXPECT_EQ(iso.at("user_namespace"), true) << ready.body;
  EXPECT_EQ(iso.at("namespaces"), true) << ready.body;
  EXPECT_EQ(iso.at("filesystem"), true) << ready.body;
  EXPECT_EQ(iso.at("seccomp"), true) << ready.body;
  EXPECT_EQ(ready.json().at("program"), "python3 main.py") << ready.body;
  EXPECT_TRUE(iso.at("cgroups").is_null()) << ready.body;
  ASSERT_EQ(iso.at("missing").as_array().size(), 1u) << ready.body;
  EXPECT_NE(
      std::string(iso.at("missing").as_array()[0].as_string()).find("cgroups"),
      std::string::npos);
  EXPECT_NE(backend.log().find("\"msg\":\"running with reduced isolation\""),
            std::string::npos)
      << backend.log();
  // Its own network namespace (in its user namespace): local sockets, but
  // the service's port on the host's loopback is out of reach.
  auto j = eval_json(backend.port(),
                     "import os, socket\nprint(sorted(os.listdir('/')))\n"
                     "try:\n    socket.create_connection(('127.0.0.1', " +
                         std::to_string(backend.port()) +
                         "), timeout=1)\nexcept OSError as e:\n    "
                         "print('no network')\n");
  // The sandbox root mirrors whichever of these the host has.
  std::set<std::string> names = {"dev", "etc", "proc", "tmp", "usr"};
  for (const char* top : {"bin", "sbin", "lib", "lib32", "lib64", "libx32"}) {
    if (std::filesystem::exists(std::string("/") + top)) names.insert(top);
  }
  std::string expected = "[";
  for (auto& n : names)
    expected += (expected.size() > 1 ? ", '" : "'") + n + "'";
  EXPECT_EQ(std::string(j["stdout"].as_string()), expected + "]\nno network\n");
  // In its user namespace too, the site hook comes precompiled.
  EXPECT_EQ(eval_json(backend.port(), kSiteHookPycMounted)["stdout"], "True\n");
  auto timeout = eval_json(backend.port(), "while True: pass", "", 500);
  EXPECT_EQ(timeout["status"], "timeout");
}

// The memory (PSS, KiB) of every python3 running as `uid`.
long python_memory_kb(uid_t uid) {
  long total = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream comm(entry.path() / "comm");
    std::string command;
    if (!(comm >> command) || command != "python3") continue;
    struct stat st {};
    if (::stat(entry.path().c_str(), &st) != 0 || st.st_uid != uid) continue;
    std::ifstream rollup(entry.path() / "smaps_rollup");
    std::string line;
    while (std::getline(rollup, line)) {
      if (line.rfind("Pss:", 0) == 0) {
        total += std::stol(line.substr(4));
        break;
      }
    }
  }
  return total;
}

// Not root, so no memory cgroup: the run's processes together are still
// bounded. The init sums their memory every 10 ms and ends the run past
// --memory; ten children touching 180 MB each reached 1.86 GB against a
// 256 MB limit before.
TEST(BackendUnprivileged, MemoryOfAllProcessesIsBoundedWithoutCgroups) {
  BackendProcess backend({"--memory", "256M"}, {},
                         {"--reuid=65534", "--regid=65534", "--clear-groups"});
  ASSERT_TRUE(backend.started()) << backend.log();
  std::atomic<bool> stop{false};
  std::atomic<long> peak_kb{0};
  std::thread sampler([&] {
    while (!stop) {
      peak_kb = std::max(peak_kb.load(), python_memory_kb(65534));
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  auto j = eval_json(backend.port(),
                     "import os, time\n"
                     "kids = []\n"
                     "for i in range(10):\n"
                     "    pid = os.fork()\n"
                     "    if pid == 0:\n"
                     "        block = bytearray(b'x') * (180 << 20)\n"
                     "        time.sleep(5)\n"
                     "        os._exit(0)\n"
                     "    kids.append(pid)\n"
                     "for pid in kids:\n"
                     "    os.waitpid(pid, 0)\n"
                     "print('all survived')\n",
                     "", 10000);
  stop = true;
  sampler.join();
  std::cout << "ten children touching 180 MB each under --memory 256M "
               "without cgroups: peak "
            << peak_kb / 1024 << " MiB of all the run's processes, status "
            << j["status"] << "\n";
  EXPECT_EQ(j["status"], "memory_limit") << j;
  EXPECT_EQ(j["stdout"], "") << j;
  EXPECT_LT(peak_kb.load(), 384 * 1024);  // 1.5 x --memory
}

TEST(BackendCli, HelpAndBadFlags) {
  auto run = [](const std::string& args, const std::string& env = "") {
    std::string cmd =
        env + " " + bin_dir() + "/playground-backend " + args + " 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    int status = pclose(p);
    return std::make_pair(WEXITSTATUS(status), out);
  };
  auto [help_code, help] = run("--help");
  EXPECT_EQ(help_code, 0);
  for (const char* flag : {"--port", "--bind", "--memory", "--concurrency",
                           "--queue", "PLAYGROUND_TOKEN_FILE", "--isolation"}) {
    EXPECT_NE(help.find(flag), std::string::npos) << flag;
  }
  auto [bad_code, bad] = run("--memory 12X");
  EXPECT_EQ(bad_code, 2);
  EXPECT_NE(bad.find("--memory"), std::string::npos) << bad;
  auto [unknown_code, unknown] = run("--colour");
  EXPECT_EQ(unknown_code, 2);
  EXPECT_NE(unknown.find("--colour"), std::string::npos) << unknown;
  // A broken variable is named, and does not keep --help from answering.
  auto [env_code, env] = run("", "PLAYGROUND_PORT=abc");
  EXPECT_EQ(env_code, 2);
  EXPECT_NE(env.find("environment variable PLAYGROUND_PORT"), std::string::npos)
      << env;
  auto [env_help_code, env_help] = run("--help", "PLAYGROUND_PORT=abc");
  EXPECT_EQ(env_help_code, 0) << env_help;
  EXPECT_NE(env_help.find("--port"), std::string::npos) << env_help;
}

}  // namespace
}  // namespace playground::testing
