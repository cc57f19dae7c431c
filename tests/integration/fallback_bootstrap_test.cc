// The fallback bootstrap (python_startup.h), run by the real interpreter the
// way a sandbox without a private filesystem runs it: `python3 -I -S -c`,
// fd 3 carrying the program, fd 5 the ready byte. (The site hook, the way
// every other sandbox starts, is exercised by every backend test.)
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "sandbox/inside/python_startup.h"
#include "sandbox/shared/program_payload.h"

namespace playground::sandbox {
namespace {

std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, n);
  return out;
}

TEST(FallbackBootstrap, RunsTheProgramWithItsFilesAndArguments) {
  char dir[] = "/tmp/pg-fallback-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  int code[2], ready[2], out[2];
  ASSERT_EQ(pipe2(code, O_CLOEXEC), 0);
  ASSERT_EQ(pipe2(ready, O_CLOEXEC), 0);
  ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
  const std::string& source = fallback_bootstrap_source();
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Above the targets first (a pipe may already sit at 3 or 5), then in
    // place; dup2 leaves the targets open across exec.
    const int c = fcntl(code[0], F_DUPFD_CLOEXEC, 10);
    const int r = fcntl(ready[1], F_DUPFD_CLOEXEC, 10);
    const int o = fcntl(out[1], F_DUPFD_CLOEXEC, 10);
    if (c < 0 || r < 0 || o < 0 || chdir(dir) != 0 || dup2(c, 3) < 0 ||
        dup2(r, 5) < 0 || dup2(o, 1) < 0 || dup2(o, 2) < 0) {
      _exit(120);
    }
    execl("/usr/bin/python3", "python3", "-I", "-S", "-c", source.c_str(),
          nullptr);
    _exit(127);
  }
  signal(SIGPIPE, SIG_IGN);  // a failed write is reported, not fatal
  ::close(code[0]);
  ::close(ready[1]);
  ::close(out[1]);
  // Ready before any program arrives, once told to preload nothing.
  const std::string no_preload(kPreloadBytes, ' ');
  ASSERT_EQ(::write(code[1], no_preload.data(), no_preload.size()),
            static_cast<ssize_t>(no_preload.size()));
  pollfd p{ready[0], POLLIN, 0};
  ASSERT_EQ(poll(&p, 1, 10'000), 1);
  EXPECT_EQ(read_all(ready[0]), "r");
  const std::string payload = encode_program(
      {.code = "import sys, helper\n"
               "print(sys.argv, helper.X, __file__ == __import__('os')"
               ".getcwd() + '/main.py')\n"
               "print(exit)\n"
               "raise SystemExit(3)\n",
       .args = {"a", "b c"},
       .files = {{"helper.py", "X = 7\n"}}});
  ASSERT_EQ(::write(code[1], payload.data(), payload.size()),
            static_cast<ssize_t>(payload.size()));
  ::close(code[1]);
  const std::string output = read_all(out[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3) << output;
  EXPECT_EQ(output,
            "['main.py', 'a', 'b c'] 7 True\n"
            "Use exit() or Ctrl-D (i.e. EOF) to exit\n");
  EXPECT_TRUE(std::filesystem::exists(std::string(dir) + "/main.py"));
  ::close(ready[0]);
  ::close(out[0]);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace playground::sandbox
