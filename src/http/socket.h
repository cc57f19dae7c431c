// The socket and stream types of a server's connections.
#pragma once

#include <boost/asio/basic_stream_socket.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/basic_stream.hpp>

#include "common/task.h"

namespace playground::http {

// A connection's socket and stream run on the io_context's own executor
// (common/task.h): any_io_executor's type erasure costs 48 bytes in each I/O
// object, and a stream holds four (its socket and three timers).
using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, Executor>;
using Stream = boost::beast::basic_stream<boost::asio::ip::tcp, Executor>;

}  // namespace playground::http
