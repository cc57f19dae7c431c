// http/wire.h: messages written and read without Beast's composed
// operations, over real loopback TCP connections.
#include "http/wire.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <sstream>

#include "common/task.h"

namespace playground::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// What Beast's own serializer writes for `r`: the same response in Beast's
// basic_fields, field by field in order.
std::string beast_bytes(const Response& r) {
  beast_http::response<beast_http::string_body> message;
  message.version(r.version());
  message.result(r.result_int());
  message.reason(r.reason());
  for (const Field& f : r) message.insert(f.name_string(), f.value());
  message.body() = r.body();
  std::ostringstream out;
  out << message;
  return out.str();
}

// Two ends of one loopback TCP connection on `io`.
struct Pair {
  explicit Pair(asio::io_context& io) : a(io), b(io) {
    tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
    b.socket().connect(acceptor.local_endpoint());
    a.socket() = acceptor.accept();
  }
  beast::tcp_stream a, b;
};

// Runs `body` as a coroutine on `io` to its end.
template <class F>
void run(asio::io_context& io, F body) {
  bool finished = false;
  asio::co_spawn(
      io,
      [&]() -> Task<void> {
        co_await body();
        finished = true;
      },
      asio::detached);
  io.run_for(30s);
  ASSERT_TRUE(finished);
}

TEST(Wire, AResponsesHeaderIsWhatBeastWouldWrite) {
  Response ok{Status::ok, 11};
  ok.set(beast_http::field::content_type, "application/json");
  ok.set("X-Playground-Backend", "gke");
  ok.body() = R"({"stdout":"hello\n"})";
  ok.prepare_payload();
  Response odd;  // a code Beast has no name for, relayed as it came
  odd.version(10);
  odd.result(599);
  odd.keep_alive(true);
  Response no_content{Status::no_content, 11};
  Response low;  // a malformed backend's code, relayed: still three digits
  low.result(99);
  for (const Response* r : {&ok, &odd, &no_content, &low}) {
    EXPECT_EQ(header_bytes(*r) + r->body(), beast_bytes(*r));
  }
  EXPECT_EQ(header_bytes(ok).substr(0, 17), "HTTP/1.1 200 OK\r\n");
}

// The server's own fields go after the response's, before the blank line.
TEST(Wire, TheServersOwnFieldsEndTheHeader) {
  Response ok{Status::ok, 11};
  ok.set(beast_http::field::content_type, "text/plain");
  ok.body() = "hi";
  ok.prepare_payload();
  EXPECT_EQ(header_bytes(ok, "Server: playground\r\n") + ok.body(),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
            "Content-Length: 2\r\nServer: playground\r\n\r\nhi");
  Response with_server = ok;
  with_server.set(beast_http::field::server, "playground");
  EXPECT_EQ(header_bytes(ok, "Server: playground\r\n"),
            header_bytes(with_server));
}

TEST(Wire, ParsesWhatIsBufferedAndAsksForTheRest) {
  const std::string wire =
      "POST /python HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
  beast::flat_buffer buffer;
  auto feed = [&](std::string_view bytes) {
    asio::buffer_copy(buffer.prepare(bytes.size()), asio::buffer(bytes));
    buffer.commit(bytes.size());
  };
  beast_http::request_parser<beast_http::string_body> parser;
  beast::error_code ec;
  feed(wire.substr(0, 20));  // within the start line
  EXPECT_FALSE(parse_buffered(parser, buffer, Until::header, ec));
  EXPECT_FALSE(ec);
  feed(wire.substr(20, wire.size() - 22));  // the header and "hel"
  EXPECT_TRUE(parse_buffered(parser, buffer, Until::header, ec));
  EXPECT_FALSE(parse_buffered(parser, buffer, Until::message, ec));
  EXPECT_FALSE(ec);
  feed(wire.substr(wire.size() - 2));
  EXPECT_TRUE(parse_buffered(parser, buffer, Until::message, ec));
  EXPECT_EQ(parser.get().body(), "hello");
  EXPECT_EQ(buffer.size(), 0u);

  beast_http::request_parser<beast_http::string_body> bad;
  beast::flat_buffer garbage;
  const std::string_view not_http = "NOT HTTP AT ALL\r\n\r\n";
  asio::buffer_copy(garbage.prepare(not_http.size()), asio::buffer(not_http));
  garbage.commit(not_http.size());
  EXPECT_FALSE(parse_buffered(bad, garbage, Until::message, ec));
  EXPECT_TRUE(ec);
}

TEST(Wire, AMessageLargerThanTheSocketTakesAtOnceArrivesWhole) {
  asio::io_context io;
  Pair p(io);
  Response big{Status::ok, 11};
  // Far beyond a loopback socket's send and receive buffers together.
  big.body().assign(32 << 20, 'x');
  for (size_t i = 0; i < big.body().size(); i += 4096) big.body()[i] = 'y';
  big.prepare_payload();
  const std::string header = header_bytes(big);
  bool read_whole = false;
  run(io, [&]() -> Task<void> {
    // The reader starts only once the socket is full.
    asio::co_spawn(
        io,
        [&]() -> Task<void> {
          asio::steady_timer t(io, 200ms);
          co_await t.async_wait(use_task);
          beast::flat_buffer buffer;
          beast_http::response_parser<beast_http::string_body> parser;
          parser.body_limit(64 << 20);
          auto ec = co_await read_message(p.b, buffer, parser, Until::message);
          EXPECT_FALSE(ec) << ec.message();
          read_whole = parser.is_done() && parser.get().body() == big.body();
        },
        asio::detached);
    WrittenAtOnce w = write_at_once(p.a, header, big.body());
    EXPECT_TRUE(w.rest_waits);  // 32 MiB: more than the socket takes
    EXPECT_FALSE(w.ec) << w.ec.message();
    auto ec = co_await write_rest(p.a, header, big.body(), w.bytes,
                                  Clock::now() + 20s);
    EXPECT_FALSE(ec) << ec.message();
    // Nothing more comes: a reader still short of bytes ends at once.
    p.a.socket().shutdown(tcp::socket::shutdown_send);
  });
  EXPECT_TRUE(read_whole);
}

TEST(Wire, AReaderThatNeverReadsTimesTheWriteOut) {
  asio::io_context io;
  Pair p(io);
  const std::string body(32 << 20, 'x');
  run(io, [&]() -> Task<void> {
    const auto start = Clock::now();
    const std::string_view header = "HTTP/1.1 200 OK\r\n\r\n";
    WrittenAtOnce w = write_at_once(p.a, header, body);
    EXPECT_TRUE(w.rest_waits);  // 32 MiB: more than the socket takes
    auto ec =
        co_await write_rest(p.a, header, body, w.bytes, Clock::now() + 300ms);
    EXPECT_EQ(ec, beast::error::timeout) << ec.message();
    EXPECT_LT(Clock::now() - start, 5s);
  });
}

TEST(Wire, APeerClosingEndsTheReadAsBeastWould) {
  asio::io_context io;
  // Closed before a byte: end_of_stream. Closed within a message:
  // partial_message. Closed ending a message delimited by the close: done.
  struct Case {
    std::string sent;
    beast::error_code want;
    std::string body;
  };
  const std::vector<Case> cases = {
      {"", beast_http::error::end_of_stream, ""},
      {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
       beast_http::error::partial_message, ""},
      {"HTTP/1.1 200 OK\r\nConn", beast_http::error::partial_message, ""},
      {"HTTP/1.1 200 OK\r\n\r\nto the end", {}, "to the end"},
  };
  for (const Case& c : cases) {
    Pair p(io);
    asio::write(p.a.socket(), asio::buffer(c.sent));
    p.a.socket().shutdown(tcp::socket::shutdown_send);
    run(io, [&]() -> Task<void> {
      beast::flat_buffer buffer;
      beast_http::response_parser<beast_http::string_body> parser;
      p.b.expires_after(5s);
      auto ec = co_await read_message(p.b, buffer, parser, Until::message);
      EXPECT_EQ(ec, c.want) << c.sent << ": " << ec.message();
      if (!ec) {
        EXPECT_EQ(parser.get().body(), c.body);
      }
    });
    io.restart();
  }
}

TEST(Wire, ANeverEndingHeaderStopsAtItsLimit) {
  asio::io_context io;
  Pair p(io);
  const std::string endless =
      "GET / HTTP/1.1\r\nX-Long: " + std::string(100000, 'a');
  asio::co_spawn(
      io,
      [&]() -> Task<void> {
        co_await asio::async_write(p.a, asio::buffer(endless),
                                   use_task_nothrow);
      },
      asio::detached);
  run(io, [&]() -> Task<void> {
    beast::flat_buffer buffer;
    beast_http::request_parser<beast_http::empty_body> parser;
    parser.header_limit(8192);
    p.b.expires_after(5s);
    auto ec = co_await read_message(p.b, buffer, parser, Until::header);
    EXPECT_EQ(ec, beast_http::error::header_limit) << ec.message();
    EXPECT_LT(buffer.size(), 8192u + 65536u);
  });
}

}  // namespace
}  // namespace playground::http
