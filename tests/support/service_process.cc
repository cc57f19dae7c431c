// Starting and stopping the real programs for tests (see backend_process.h).
#include "support/service_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <regex>
#include <thread>

namespace playground::testing {

std::string bin_dir() { return PLAYGROUND_BIN_DIR; }

bool wait_until(const std::function<bool()>& done,
                std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

struct ServiceProcess::Output {
  mutable std::mutex mu;
  mutable std::condition_variable changed;
  std::string text;
  bool closed = false;
  bool paused = false;
  std::thread reader;
};

ServiceProcess::ServiceProcess(const std::string& program,
                               std::vector<std::string> args,
                               std::map<std::string, std::string> env,
                               std::vector<std::string> wrapper)
    : output_(std::make_shared<Output>()) {
  // If the test process dies (a crash, SIGPIPE), its program dies with it.
  std::vector<std::string> argv_s = {"/usr/bin/setpriv", "--pdeathsig", "KILL"};
  argv_s.insert(argv_s.end(), wrapper.begin(), wrapper.end());
  for (std::string a :
       {bin_dir() + "/" + program, std::string("--port"), std::string("0"),
        std::string("--bind"), std::string("127.0.0.1")}) {
    argv_s.push_back(a);
  }
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s;
  for (auto& [k, v] : env) env_s.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);

  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null",
                                   O_RDONLY, 0);
  int rc =
      posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (rc != 0) {
    ::close(pipe_fds[0]);
    pid_ = -1;
    return;
  }
  auto out = output_;
  int fd = pipe_fds[0];
  out->reader = std::thread([out, fd] {
    char buf[4096];
    for (;;) {
      {
        std::unique_lock lock(out->mu);
        out->changed.wait(lock, [&] { return !out->paused; });
      }
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;
      std::lock_guard lock(out->mu);
      out->text.append(buf, static_cast<size_t>(n));
      out->changed.notify_all();
    }
    ::close(fd);
    std::lock_guard lock(out->mu);
    out->closed = true;
    out->changed.notify_all();
  });

  // The "listening" log line carries the port the kernel picked.
  std::unique_lock lock(output_->mu);
  static const std::regex kListening(R"re("msg":"listening".*"port":(\d+))re");
  output_->changed.wait_for(lock, std::chrono::seconds(20), [&] {
    std::smatch m;
    if (std::regex_search(output_->text, m, kListening)) {
      port_ = static_cast<uint16_t>(std::stoi(m[1]));
      return true;
    }
    return output_->closed;
  });
}

void ServiceProcess::pause_log() {
  std::lock_guard lock(output_->mu);
  output_->paused = true;
}

void ServiceProcess::resume_log() {
  std::lock_guard lock(output_->mu);
  output_->paused = false;
  output_->changed.notify_all();
}

ServiceProcess::~ServiceProcess() {
  resume_log();
  if (pid_ > 0 && exit_status_ < 0) stop(SIGTERM);
  if (output_->reader.joinable()) output_->reader.join();
}

bool ServiceProcess::has_exited() const {
  if (pid_ <= 0 || exit_status_ >= 0) return true;
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid_), &info,
                  WEXITED | WNOHANG | WNOWAIT) == 0 &&
         info.si_pid == pid_;
}

bool ServiceProcess::signal_until_exited(std::chrono::milliseconds limit) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (!has_exited() && std::chrono::steady_clock::now() < give_up) {
    ::kill(pid_, SIGTERM);
    ::kill(pid_, SIGINT);
  }
  return has_exited();
}

int ServiceProcess::stop(int sig, std::chrono::milliseconds wait) {
  if (pid_ <= 0) return -1;
  if (exit_status_ >= 0) return exit_status_;
  ::kill(pid_, sig);
  const auto deadline = std::chrono::steady_clock::now() + wait;
  int status = 0;
  for (;;) {
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  exit_status_ =
      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (output_->reader.joinable()) output_->reader.join();
  return exit_status_;
}

std::string ServiceProcess::log() const {
  std::lock_guard lock(output_->mu);
  return output_->text;
}

bool ServiceProcess::wait_for_log(const std::string& needle,
                                  std::chrono::milliseconds timeout) const {
  std::unique_lock lock(output_->mu);
  return output_->changed.wait_for(lock, timeout, [&] {
    return output_->text.find(needle) != std::string::npos || output_->closed;
  }) && output_->text.find(needle) != std::string::npos;
}

}  // namespace playground::testing
