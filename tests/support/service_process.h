// ServiceProcess: a real program of ours (playground-backend or
// playground-frontend), started on a loopback port (a free one unless the
// arguments name one).
//
//   BackendProcess backend({"--concurrency", "1"});
//   FrontendProcess frontend({"--backends", "a=http://127.0.0.1:" + port});
//   auto r = eval(backend.port(), "print(1)");
//   EXPECT_EQ(backend.stop(), 0);      // SIGTERM, then its exit status
//
// It runs with an environment of only what the test passes, its stderr (the
// JSON log) is collected, and the destructor stops it whatever happened.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace playground::testing {

// Directory of the built programs (build/<preset>/bin).
std::string bin_dir();

// Polls `done` every 20 ms until it is true or `timeout` passes; its last
// answer.
bool wait_until(const std::function<bool()>& done,
                std::chrono::milliseconds timeout);

class ServiceProcess {
 public:
  // `wrapper` runs before the program, e.g. {"/usr/bin/setpriv",
  // "--reuid=65534", ...}.
  ServiceProcess(const std::string& program, std::vector<std::string> args,
                 std::map<std::string, std::string> env,
                 std::vector<std::string> wrapper);
  ~ServiceProcess();
  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  bool started() const { return port_ != 0; }
  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }

  // Whether the program has ended (left unreaped, for stop() to collect).
  bool has_exited() const;
  // Sends SIGTERM and SIGINT back to back, with no pause, until the program
  // has ended or `limit` passes; whether it ended.
  bool signal_until_exited(std::chrono::milliseconds limit);
  // Sends `sig` and waits for the exit; returns the exit code, or 128+signal.
  int stop(int sig = SIGTERM,
           std::chrono::milliseconds wait = std::chrono::seconds(15));
  std::string log() const;
  bool wait_for_log(const std::string& needle,
                    std::chrono::milliseconds timeout) const;
  // Stops reading the program's stderr, as a stalled log collector would:
  // once the pipe is full, its writes block. resume_log() reads on.
  void pause_log();
  void resume_log();

 private:
  struct Output;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  int exit_status_ = -1;
  std::shared_ptr<Output> output_;
};

class BackendProcess : public ServiceProcess {
 public:
  explicit BackendProcess(std::vector<std::string> args = {},
                          std::map<std::string, std::string> env = {},
                          std::vector<std::string> wrapper = {})
      : ServiceProcess("playground-backend", std::move(args), std::move(env),
                       std::move(wrapper)) {}
};

class FrontendProcess : public ServiceProcess {
 public:
  explicit FrontendProcess(std::vector<std::string> args = {},
                           std::map<std::string, std::string> env = {},
                           std::vector<std::string> wrapper = {})
      : ServiceProcess("playground-frontend", std::move(args), std::move(env),
                       std::move(wrapper)) {}
};

}  // namespace playground::testing
