// HTTP/1.1 messages on a socket with the fewest operations: Beast parses and
// holds the messages; reading and writing them is done here.
//
//   std::string head = http::header_bytes(response, "Server: x\r\n");
//   http::WrittenAtOnce w = http::write_at_once(stream, head, response.body());
//   if (w.rest_waits)  // the socket is full: only then a coroutine
//     w.ec = co_await http::write_rest(stream, head, response.body(), w.bytes,
//                                      Clock::now() + 10s);
//   if (!http::parse_buffered(parser, buffer, http::Until::message, ec))
//     ec = co_await http::read_message(stream, buffer, parser,
//                                      http::Until::message);
//
// Why not Beast's async_read and async_write: a proxied request is one read
// and one write each way, and Beast's composed operations cost about half of
// what the frontend spends on it. Its serializer walks the header and body
// through layered buffer views (buffers_cat, buffers_suffix) one iterator
// step at a time; its async_read of bytes already in the buffer still
// completes through a posted handler, a coroutine suspension and a resume.
// Here the header is one string, written with the body by one writev that
// the socket almost always takes whole; bytes already read are parsed at
// once; and only what truly waits (the socket full, a message not yet
// arrived) becomes an asynchronous operation, under the stream's timeout.
#pragma once

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

#include "common/task.h"
#include "http/message.h"

namespace playground::http {

// The status line, the fields, then `more_fields` (whole "Name: value\r\n"
// lines, the server's own) and the blank line of a response, as they go on
// the wire; its body follows as it is.
std::string header_bytes(const Response& response,
                         std::string_view more_fields = {});

// Copies `s` to `at` and returns the end of the copy: for a header written
// into a string sized first, rather than appended piece by piece (each
// append checks the capacity, out of line: most of the cost for a header
// of a few dozen pieces).
inline char* copy_to(char* at, std::string_view s) {
  // An empty view may have no data pointer, which memcpy must not be given.
  if (!s.empty()) std::memcpy(at, s.data(), s.size());
  return at + s.size();
}

// How far a parse goes: the header alone, or the whole message.
enum class Until { header, message };

// Feeds `parser` the bytes `buffer` holds, consuming what it takes, until it
// has what `until` asks. True once it has; false when it needs bytes not read
// yet, or when they are not valid (`ec` set, as Beast's read would).
template <class Parser, class DynamicBuffer>
bool parse_buffered(Parser& parser, DynamicBuffer& buffer, Until until,
                    boost::beast::error_code& ec) {
  auto done = [&] {
    return until == Until::header ? parser.is_header_done() : parser.is_done();
  };
  while (!done() && buffer.size() > 0) {
    const size_t used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec == beast_http::error::need_more) {
      ec = {};
      return false;
    }
    if (ec) return false;
  }
  return done();
}

// Reads from `stream` into `buffer` until `parser` has what `until` asks,
// under the stream's timeout (set by the caller). Ends as Beast's async_read
// does: end_of_stream when the peer closed before a byte of the message,
// partial_message when it closed within one, buffer_overflow when the buffer
// cannot grow.
template <class AsyncStream, class Parser, class DynamicBuffer>
Task<boost::beast::error_code> read_message(AsyncStream& stream,
                                            DynamicBuffer& buffer,
                                            Parser& parser, Until until) {
  constexpr size_t kMinRead = 512, kMaxRead = 65536;
  boost::beast::error_code ec;
  while (!parse_buffered(parser, buffer, until, ec)) {
    if (ec) co_return ec;
    const size_t room = std::clamp<size_t>(buffer.capacity() - buffer.size(),
                                           kMinRead, kMaxRead);
    // A full buffer would read nothing, and again: refused as Beast does.
    const size_t limit = buffer.max_size() - buffer.size();
    if (limit == 0) co_return beast_http::error::buffer_overflow;
    boost::asio::mutable_buffer into;
    try {
      into = buffer.prepare(std::min(room, limit));
    } catch (const std::length_error&) {
      co_return beast_http::error::buffer_overflow;
    }
    auto [rec, n] = co_await stream.async_read_some(into, use_task_nothrow);
    buffer.commit(n);
    if (rec == boost::asio::error::eof) {
      if (!parser.got_some()) co_return beast_http::error::end_of_stream;
      parser.put_eof(ec);
      if (!ec && (until == Until::header ? !parser.is_header_done()
                                         : !parser.is_done())) {
        ec = beast_http::error::partial_message;
      }
      co_return ec;
    }
    if (rec) co_return rec;
  }
  co_return ec;
}

// The buffers of `header` then `body` from byte `from` of the message on.
inline std::array<boost::asio::const_buffer, 2> message_from(
    std::string_view header, std::string_view body, size_t from) {
  if (from < header.size()) {
    return {
        boost::asio::const_buffer(header.data() + from, header.size() - from),
        boost::asio::const_buffer(body.data(), body.size())};
  }
  from -= header.size();
  return {boost::asio::const_buffer(),
          boost::asio::const_buffer(body.data() + from, body.size() - from)};
}

// How much of a message a write took at once, and whether the rest must
// wait for the socket (write_rest).
struct WrittenAtOnce {
  size_t bytes = 0;
  boost::beast::error_code ec;  // a failure, never "would block"
  bool rest_waits = false;
};

// Writes `header` then `body` to `stream` (a Beast basic_stream over TCP)
// as far as its send buffer takes them, with non-blocking writevs: the
// whole message, the usual case. A plain function, not a coroutine: the
// usual case suspends nothing and allocates no frame.
template <class BasicStream>
WrittenAtOnce write_at_once(BasicStream& stream, std::string_view header,
                            std::string_view body) {
  const size_t total = header.size() + body.size();
  auto& socket = stream.socket();
  WrittenAtOnce w;
  if (!socket.non_blocking()) socket.non_blocking(true, w.ec);  // once: ioctl
  while (!w.ec && w.bytes < total) {
    w.bytes += socket.write_some(message_from(header, body, w.bytes), w.ec);
  }
  if (w.ec == boost::asio::error::would_block ||
      w.ec == boost::asio::error::try_again) {
    w.ec = {};
    w.rest_waits = true;
  }
  return w;
}

// What write_at_once left from byte `from` on, by an asynchronous write
// that must end by `deadline`.
template <class BasicStream>
Task<boost::beast::error_code> write_rest(
    BasicStream& stream, std::string_view header, std::string_view body,
    size_t from, std::chrono::steady_clock::time_point deadline) {
  namespace asio = boost::asio;
  stream.expires_at(deadline);
  auto [ec, n] = co_await asio::async_write(
      stream, message_from(header, body, from), use_task_nothrow);
  co_return ec;
}

}  // namespace playground::http
