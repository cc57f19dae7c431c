// Signals, drain, grace period and exit (see graceful_shutdown.h).
#include "http/graceful_shutdown.h"

#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "common/log.h"
#include "common/task.h"

namespace playground::http {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;

sigset_t stop_signals() {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  return stop;
}

// When the signals cannot be read: they are unblocked on this thread, so
// that one still ends the process (abruptly) rather than never arriving.
void give_up_on_signal_fd(const std::string& why) {
  log::error(
      "cannot watch for SIGTERM and SIGINT; they will end the "
      "process at once",
      {{"error", why}});
  const sigset_t stop = stop_signals();
  pthread_sigmask(SIG_UNBLOCK, &stop, nullptr);
}

// A descriptor that becomes readable when a stop signal is pending, -1 on
// failure. The signals stay blocked, so they never interrupt a system
// call (a clone(2) restarted by every signal of a burst would never end)
// and never meet a default action that ends the process.
int open_stop_signal_fd() {
  const sigset_t stop = stop_signals();
  const int fd = ::signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK);
  if (fd < 0) give_up_on_signal_fd(std::strerror(errno));
  return fd;
}

// The drain of one run: what the signal, the grace timer and the server's
// drained callback share.
class Drain {
 public:
  Drain(asio::io_context& io, Server& server, const ShutdownPlan& plan)
      : io_(io), server_(server), plan_(plan), signals_(io), grace_(io) {
    const int fd = open_stop_signal_fd();
    if (fd < 0) return;
    error_code ec;
    signals_.assign(fd, ec);
    if (ec) {
      ::close(fd);
      give_up_on_signal_fd(ec.message());
    }
  }

  // Waits for the first signal, then drains; true when the grace period
  // ran out first.
  bool run() {
    // A signal held since start-up is read at once.
    next_signal([this](int sig) { begin(sig); });
    io_.run();
    // The signals stay blocked in every thread: a late one cannot cut the
    // caller's cleanup short.
    return grace_expired_;
  }

 private:
  // Calls `then` with the next stop signal's number.
  template <class Then>
  void next_signal(Then then) {
    if (!signals_.is_open()) return;
    signals_.async_read_some(asio::buffer(&received_, sizeof received_),
                             [this, then](const error_code& ec, size_t n) {
                               if (!ec && n == sizeof received_)
                                 then(static_cast<int>(received_.ssi_signo));
                             });
  }

  boost::json::object with_progress(boost::json::object fields) const {
    if (!plan_.progress) return fields;
    for (auto& f : plan_.progress()) fields[f.key()] = std::move(f.value());
    return fields;
  }

  void begin(int sig) {
    // Later signals while draining are noted and otherwise ignored.
    next_signal([](int) { log::info("already shutting down"); });
    log::info(plan_.draining, with_progress({{"signal", sig}}));
    if (plan_.on_drain) plan_.on_drain();
    grace_.expires_after(plan_.grace);
    grace_.async_wait([this](const error_code& ec) {
      if (ec) return;
      log::warn(plan_.grace_over, with_progress({}));
      grace_expired_ = true;
      io_.stop();
    });
    server_.shutdown([this] {
      grace_.cancel();
      error_code ignored;
      signals_.cancel(ignored);
      if (plan_.stop_when_drained) io_.stop();
    });
  }

  asio::io_context& io_;
  Server& server_;
  const ShutdownPlan& plan_;
  asio::posix::stream_descriptor signals_;
  signalfd_siginfo received_{};
  Timer grace_;
  bool grace_expired_ = false;
};

}  // namespace

void hold_stop_signals() {
  const sigset_t stop = stop_signals();
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
}

void run_until_drained(asio::io_context& io, Server& server,
                       const ShutdownPlan& plan) {
  Drain drain(io, server, plan);
  if (drain.run()) {
    if (plan.before_abandon) plan.before_abandon();
    log::info("stopped");
    log::flush();  // _Exit runs no atexit handler
    std::_Exit(0);
  }
  log::info("stopped");
}

}  // namespace playground::http
