// Signals, drain, grace period and exit (see graceful_shutdown.h).
#include "http/graceful_shutdown.h"

#include <signal.h>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdlib>

#include "common/log.h"

namespace playground::http {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;

// The drain of one run: what the signal, the grace timer and the server's
// drained callback share.
class Drain {
 public:
  Drain(asio::io_context& io, Server& server, const ShutdownPlan& plan)
      : io_(io),
        server_(server),
        plan_(plan),
        signals_(io, SIGTERM, SIGINT),
        grace_(io) {}

  // Waits for the first signal, then drains; true when the grace period
  // ran out first.
  bool run() {
    signals_.async_wait([this](const error_code& ec, int sig) {
      if (!ec) begin(sig);
    });
    io_.run();
    // Shutdown has begun; a second signal must not cut the cleanup short.
    // (Clear the set first: asio resets the signals to SIG_DFL when it goes.)
    signals_.clear();
    ::signal(SIGTERM, SIG_IGN);
    ::signal(SIGINT, SIG_IGN);
    return grace_expired_;
  }

 private:
  boost::json::object with_progress(boost::json::object fields) const {
    if (!plan_.progress) return fields;
    for (auto& f : plan_.progress()) fields[f.key()] = std::move(f.value());
    return fields;
  }

  void begin(int sig) {
    // Later signals while draining are noted and otherwise ignored.
    signals_.async_wait([](const error_code& again, int) {
      if (!again) log::info("already shutting down");
    });
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
      signals_.cancel();
      if (plan_.stop_when_drained) io_.stop();
    });
  }

  asio::io_context& io_;
  Server& server_;
  const ShutdownPlan& plan_;
  asio::signal_set signals_;
  asio::steady_timer grace_;
  bool grace_expired_ = false;
};

}  // namespace

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
