// `make run`'s script, scripts/run-local.sh, for real: it starts a frontend
// and two backends, prints the URL, serves, and Ctrl+C stops all three.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>

#include "support/http_client.h"
#include "support/service_process.h"

namespace playground::testing {
namespace {

using namespace std::chrono_literals;

bool listening(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok =
      ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

TEST(LocalStack, StartsThreeProgramsServesAndStopsOnCtrlC) {
  const uint16_t front = free_port(), gke = free_port(), aks = free_port();
  int out[2];
  ASSERT_EQ(::pipe2(out, O_CLOEXEC), 0);
  const pid_t script = ::fork();
  if (script == 0) {
    // Its own process group, as a shell gives a foreground job: Ctrl+C is
    // SIGINT to the whole group.
    ::setpgid(0, 0);
    ::dup2(out[1], STDERR_FILENO);
    ::setenv("BIN", bin_dir().c_str(), 1);
    ::setenv("PLAYGROUND_FRONTEND_PORT", std::to_string(front).c_str(), 1);
    ::setenv("PLAYGROUND_GKE_PORT", std::to_string(gke).c_str(), 1);
    ::setenv("PLAYGROUND_AKS_PORT", std::to_string(aks).c_str(), 1);
    const std::string path =
        std::string(PLAYGROUND_SOURCE_DIR) + "/scripts/run-local.sh";
    ::execl("/bin/bash", "bash", path.c_str(), nullptr);
    ::_exit(127);
  }
  ::close(out[1]);
  ASSERT_GT(script, 0);
  ::setpgid(script, script);

  // Read its stderr until the banner (or 30 s).
  std::string text;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  ::fcntl(out[0], F_SETFL, O_NONBLOCK);
  while (text.find("Playground is running") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    char buf[4096];
    const ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n > 0) {
      text.append(buf, static_cast<size_t>(n));
    } else {
      std::this_thread::sleep_for(20ms);
    }
  }
  ASSERT_NE(text.find("Playground is running: open http://127.0.0.1:" +
                      std::to_string(front) + "/"),
            std::string::npos)
      << text;

  // The UI and an evaluation, answered by each backend in turn.
  HttpClient client(front);
  EXPECT_EQ(client.get("/").status, 200);
  std::set<std::string> served;
  for (int i = 0; i < 2; ++i) {
    auto r = client.post("/python", R"j({"code": "print(6 * 7)"})j");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["stdout"].as_string(), "42\n");
    served.insert(r.header("x-playground-backend"));
  }
  EXPECT_EQ(served, (std::set<std::string>{"gke", "aks"}));
  // The shipped exercises are served, and graded by the backends.
  auto exercises = client.get("/api/exercises");
  ASSERT_EQ(exercises.status, 200) << exercises.body;
  EXPECT_GE(exercises.json()["exercises"].as_array().size(), 3u);
  auto graded =
      client.post("/api/exercises/sum-two/grade",
                  R"j({"code": "print(sum(map(int, input().split())))"})j");
  ASSERT_EQ(graded.status, 200) << graded.body;
  EXPECT_EQ(graded.json()["passed"], 4) << graded.body;

  // Ctrl+C: everything stops, promptly, and the ports are free again.
  ASSERT_EQ(::kill(-script, SIGINT), 0);
  int status = 0;
  bool exited = false;
  for (int i = 0; i < 500 && !exited; ++i) {
    exited = ::waitpid(script, &status, WNOHANG) == script;
    if (!exited) std::this_thread::sleep_for(20ms);
  }
  if (!exited) {
    ::kill(-script, SIGKILL);
    ::waitpid(script, &status, 0);
  }
  ::close(out[0]);
  EXPECT_TRUE(exited) << "run-local.sh did not stop within 10 s";
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_FALSE(listening(front));
  EXPECT_FALSE(listening(gke));
  EXPECT_FALSE(listening(aks));
  // No program of the group is left running.
  EXPECT_EQ(::kill(-script, 0), -1);
}

}  // namespace
}  // namespace playground::testing
