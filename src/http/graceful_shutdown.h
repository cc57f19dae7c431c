// The shutdown both services share. On SIGTERM (a rolling update) or
// SIGINT (Ctrl+C): stop accepting, stop the service's own background work,
// let in-flight requests finish within a grace period, then stop. A second
// signal meanwhile is logged and ignored.
//
//   http::hold_stop_signals();  // first, before any thread
//   ...
//   server.start();
//   http::run_until_drained(io, server, {
//       .grace = std::chrono::milliseconds(cfg.listener.shutdown_grace_ms),
//       .draining = "shutting down: no new connections, finishing requests",
//       .grace_over = "shutdown grace period over; stopping now",
//       .on_drain = [&] { gateway.stop(); }});
//   std::_Exit(0);
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <string>

#include "http/server.h"

namespace playground::http {

struct ShutdownPlan {
  std::chrono::milliseconds grace{30'000};
  // Logged (info) at the first signal, with its number and `progress()`.
  std::string draining;
  // Logged (warn) when the grace period runs out, with `progress()`.
  std::string grace_over;
  // What is still running, for both lines (empty when not set).
  std::function<boost::json::object()> progress;
  // Runs at the first signal, before the server stops accepting.
  std::function<void()> on_drain;
  // Stop the I/O loop as soon as every connection is closed, rather than
  // when no work at all is left (a name lookup cannot be cancelled, and
  // would hold the exit until it returned).
  bool stop_when_drained = false;
  // When the grace period ran out: the requests still suspended reference
  // the caller's objects, so the process leaves without unwinding them,
  // after this (ending what must not outlive the process).
  std::function<void()> before_abandon;
};

// Blocks SIGTERM and SIGINT on the calling thread, and so on every thread
// it starts afterwards. Call it in main before any thread starts and before
// anything is set up that a death by default action would leave behind
// (cgroups). From then on a stop signal is only ever read, as data, by
// run_until_drained: one sent during start-up waits for it, none interrupts
// a system call, and none can end the process during its cleanup. (What
// the process starts must set its own mask: posix_spawnattr_setsigmask.)
void hold_stop_signals();

// Runs `io` until a signal's drain is over, logging "stopped"; the stop
// signals must be held (hold_stop_signals) in every thread. Returns when
// every request was answered, with the signals still held so that a late
// one cannot cut the caller's cleanup short; when the grace period ran
// out, calls `before_abandon` and exits (status 0).
void run_until_drained(boost::asio::io_context& io, Server& server,
                       const ShutdownPlan& plan);

}  // namespace playground::http
