// One connection's read/handle/write loop (see session.h).
#include "http/session.h"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cmath>

#include "common/json.h"
#include "common/log.h"
#include "http/exchange.h"

namespace playground::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
// What one read of an idle connection asks for: a typical request whole.
constexpr size_t kFirstReadBytes = 2048;

std::string remote_address(Connection& c) {
  beast::error_code ec;
  auto ep = c.stream.socket().remote_endpoint(ec);
  return ec ? "unknown" : ep.address().to_string();
}

// Idle keep-alive: reads the first bytes of the next request. One read,
// where waiting for readability would cost a second operation and a timer
// per request. False when the connection closed, idled out or the server
// is draining.
asio::awaitable<bool> await_request(ServerState& s, Connection& c,
                                    beast::flat_buffer& buffer, bool served) {
  // A large request leaves a large buffer; idle, a connection keeps only
  // what a typical request needs.
  if (buffer.capacity() > 4 * kFirstReadBytes) buffer.shrink_to_fit();
  c.idle = true;
  // A new connection owes its first request within the header timeout;
  // only one that has been served waits for the idle timeout (the header
  // timeout starts once the first bytes are here).
  c.stream.expires_after(served ? s.options.idle_timeout
                                : s.options.header_timeout);
  auto [ec, n] = co_await c.stream.async_read_some(
      buffer.prepare(kFirstReadBytes), nothrow);
  c.idle = false;
  if (ec || s.draining) co_return false;
  buffer.commit(n);
  co_return true;
}

// The headers every answer gets; a HEAD request gets the GET answer's
// header, Content-Length included, without its body.
void finish_response(Response& res, const Exchange& ex,
                     const std::string& server_name) {
  res.keep_alive(!ex.close_after);
  res.set(beast_http::field::server, server_name);
  if (ex.route != nullptr) {
    for (const auto& [name, value] : ex.route->headers) res.set(name, value);
  }
  if (ex.method == "HEAD") {
    if (!res.has_content_length() && !res.body().empty()) {
      res.content_length(res.body().size());
    }
    res.body().clear();
  }
}

// What became of an answer, for the request's metric and log line.
struct Delivery {
  unsigned code = 0;  // 499 when the client went away first
  size_t out_bytes = 0;
  beast::error_code write_error;
  bool client_gone = false;
};

// `,"key":` in front of a field of the request's line.
void append_key(std::string& line, std::string_view key) {
  line.push_back(',');
  json::append_string(line, key);
  line.push_back(':');
}

// The request's log line, written straight into one string (one per
// request: no JSON object is built), and not at all when its level is off.
void log_request(const Exchange& ex, RequestContext& ctx, const Delivery& d,
                 Clock::time_point started) {
  const bool routine =
      ex.route && ex.route->quiet && d.code < 400 && !d.write_error;
  const log::Level level = routine ? log::Level::debug : log::Level::info;
  if (!log::enabled(level)) return;
  const double ms =
      std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  std::string line;
  line.reserve(192);
  line += "\"method\":";
  json::append_string(line, ex.method);
  append_key(line, "path");
  json::append_string(line, ex.path);
  append_key(line, "status");
  line += std::to_string(d.code);
  append_key(line, "ms");
  json::append_text(line, std::round(ms * 100) / 100);
  append_key(line, "remote");
  json::append_string(line, ctx.remote);
  append_key(line, "in");
  line += std::to_string(ex.body_bytes);
  append_key(line, "out");
  line += std::to_string(d.out_bytes);
  if (d.write_error) {
    append_key(line, "write_error");
    json::append_string(line, d.write_error.message());
  }
  if (d.client_gone) line += ",\"client_gone\":true";
  for (const auto& field : ctx.log) {
    const std::string_view key = field.key();
    if (key == "ts" || key == "level" || key == "msg") continue;
    append_key(line, key);
    json::append_text(line, field.value());
  }
  log::write_text(level, "request", line);
}

// Writes the exchange's answer, counts and logs it. A client that went away
// mid-request gets nothing: logged as nginx's 499 (client closed request),
// never written. False when the connection must close.
asio::awaitable<bool> deliver(ServerState& s, Connection& c, Exchange& ex,
                              RequestContext& ctx, Clock::time_point started) {
  Delivery d{.client_gone = ctx.client_gone.stop_requested()};
  if (s.draining || d.client_gone) ex.close_after = true;
  Response& res = *ex.response;
  finish_response(res, ex, s.options.server_name);
  d.code = d.client_gone ? 499 : res.result_int();
  d.out_bytes = d.client_gone ? 0 : res.body().size();
  if (!d.client_gone) {
    c.stream.expires_after(s.options.write_timeout);
    std::tie(d.write_error, std::ignore) =
        co_await beast_http::async_write(c.stream, res, nothrow);
  }
  s.requests.with({metric_label(ex.route), std::to_string(d.code)}).inc();
  log_request(ex, ctx, d, started);
  co_return !d.write_error && !ex.close_after;
}

// Closing a socket with unread input makes the kernel send RST, which can
// destroy the response (a 413, say) before the client reads it. So, like
// nginx's lingering close, read and discard what is still arriving, bounded
// in time and bytes, before closing.
asio::awaitable<void> close_lingering(Connection& c) {
  beast::error_code ignored;
  c.stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  constexpr size_t kMaxDiscard = 16 << 20;
  // What is read is thrown away, so every closing connection of the thread
  // reads into the same scratch: 16 KB in each coroutine's frame made
  // 10,000 connections closing at once take 160 MB.
  static thread_local std::array<char, 16384> scratch;
  size_t discarded = 0;
  c.stream.expires_after(std::chrono::seconds(2));
  while (discarded < kMaxDiscard) {
    auto [ec, n] =
        co_await c.stream.async_read_some(asio::buffer(scratch), nothrow);
    if (ec) break;
    discarded += n;
  }
  c.stream.close();
}

}  // namespace

asio::awaitable<void> run_session(std::shared_ptr<ServerState> s,
                                  tcp::socket socket) {
  Connection c(std::move(socket));
  s->opened(c);
  const std::string remote = remote_address(c);
  beast::flat_buffer buffer;
  bool served = false;
  while (!s->draining) {
    if (buffer.size() == 0) {
      const bool arrived = co_await await_request(*s, c, buffer, served);
      if (!arrived) break;
    }
    const auto started = Clock::now();
    RequestContext ctx{.remote = remote};
    served = true;
    Exchange ex = co_await read_and_handle(*s, c, buffer, ctx);
    if (!ex.response) break;
    if (!co_await deliver(*s, c, ex, ctx, started)) break;
  }
  co_await close_lingering(c);
  s->closed(c);
}

}  // namespace playground::http
