// An event loop's log: its lines written by batch once the loop has run
// what was ready (one write(2) per batch, not per request), and, when stderr
// is full because its reader stalled, kept until epoll says stderr has room
// again. The loop itself never waits for the log's reader.
//
//   http::batch_log_on(io);   // on io's thread, before io.run()
#pragma once

#include <boost/asio/io_context.hpp>

namespace playground::http {

void batch_log_on(boost::asio::io_context& io);

}  // namespace playground::http
