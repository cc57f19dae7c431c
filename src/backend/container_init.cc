// A minimal pid 1 for the backend's container (see container_init.h).
#include "backend/container_init.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/log.h"

namespace playground::backend {

std::optional<int> run_as_container_init() {
  if (::getpid() != 1) return std::nullopt;
  // Block signals before forking so none arrives between fork and wait; the
  // service unblocks them again.
  sigset_t all, previous;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, &previous);
  const pid_t service = ::fork();
  if (service < 0) {
    sigprocmask(SIG_SETMASK, &previous, nullptr);
    log::warn("running as pid 1 without an init: fork failed");
    return std::nullopt;
  }
  if (service == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    sigprocmask(SIG_SETMASK, &previous, nullptr);
    return std::nullopt;
  }
  prctl(PR_SET_NAME, "pg-init");
  // The kernel drops signals that pid 1 leaves at their default action, even
  // blocked ones, so each gets a handler (never run: they stay blocked and
  // are taken by sigwaitinfo).
  struct sigaction noted {};
  noted.sa_handler = [](int) {};
  for (int sig :
       {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGCHLD}) {
    sigaction(sig, &noted, nullptr);
  }
  for (;;) {
    siginfo_t info;
    const int sig = sigwaitinfo(&all, &info);
    if (sig < 0) continue;  // EINTR
    if (sig != SIGCHLD) {
      // Termination and user signals go to the service (SIGKILL and
      // SIGSTOP cannot be caught, and reach pid 1 only from outside).
      ::kill(service, sig);
      continue;
    }
    int status = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
      if (pid != service) continue;  // an orphan, now reaped
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      return 128 + WTERMSIG(status);
    }
  }
}

}  // namespace playground::backend
