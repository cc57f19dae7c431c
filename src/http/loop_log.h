// An event loop's log: its lines written by batch once the loop has run
// what was ready (one write(2) per batch, not per request), and, when stderr
// is full because its reader stalled, kept until epoll says stderr has room
// again. The loop itself never waits for the log's reader.
//
//   boost::asio::io_context io(1);
//   http::LoopLog loop_log(io);   // on io's thread, after io, before run()
//   io.run();
#pragma once

#include <boost/asio/io_context.hpp>

namespace playground::http {

// Batches this thread's log lines on `io` while it lives; must be made on
// the thread that runs `io`, and end before `io` does.
class LoopLog {
 public:
  explicit LoopLog(boost::asio::io_context& io);
  ~LoopLog();
  LoopLog(const LoopLog&) = delete;
  LoopLog& operator=(const LoopLog&) = delete;
};

}  // namespace playground::http
