// One connection's read/handle/write loop (see session.h).
#include "http/session.h"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>

#include "common/json.h"
#include "common/log.h"
#include "common/task.h"
#include "http/exchange.h"
#include "http/wire.h"

namespace playground::http {

// Literals appended as "..."sv: their length is known, no strlen per append.
using namespace std::string_view_literals;

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using Clock = std::chrono::steady_clock;
constexpr size_t kFirstReadBytes = ReadBufferPool::kBufferBytes;

// An idle connection waits on one operation for as long as it idles. So its
// two are awaited without a coroutine frame of their own (use_awaitable's
// initiation is one; asio::deferred has none), and allocated to their size:
// asio recycles blocks sized for the largest operation that used them (a
// response's write, three times an idle read).
constexpr auto nothrow_frameless = asio::as_tuple(asio::deferred);

// From the heap, just the size asked for (given std::allocator, asio
// recycles).
template <class T>
struct ExactAllocator {
  using value_type = T;
  ExactAllocator() = default;
  template <class U>
  ExactAllocator(const ExactAllocator<U>&) {}
  T* allocate(size_t n) {
    return static_cast<T*>(::operator new(n * sizeof(T)));
  }
  void deallocate(T* p, size_t n) { ::operator delete(p, n * sizeof(T)); }
  friend bool operator==(const ExactAllocator&, const ExactAllocator&) {
    return true;
  }
};

// The read of the next request's first bytes: co_await gives {error, n}.
auto read_first_bytes(Socket& socket, asio::mutable_buffer into) {
  return asio::async_initiate<decltype(nothrow_frameless),
                              void(beast::error_code, size_t)>(
      [](auto handler, Socket* socket, asio::mutable_buffer into) {
        socket->async_read_some(
            into,
            asio::bind_allocator(ExactAllocator<void>(), std::move(handler)));
      },
      nothrow_frameless, &socket, into);
}

// A parked connection's wait for them: co_await gives {error}.
auto wait_for_bytes(Socket& socket) {
  return asio::async_initiate<decltype(nothrow_frameless),
                              void(beast::error_code)>(
      [](auto handler, Socket* socket) {
        socket->async_wait(
            Socket::wait_read,
            asio::bind_allocator(ExactAllocator<void>(), std::move(handler)));
      },
      nothrow_frameless, &socket);
}

using Idle = Connection::Idle;

// What an idle connection does once the read of its next request's first
// bytes ends: serve them, wait for bytes without a buffer (the sweep parked
// it), or close.
enum class AfterIdle : uint8_t { serve, park, close };

AfterIdle after_first_read(const ServerState& s, Connection& c,
                           ReadBuffer& buffer,
                           const std::tuple<beast::error_code, size_t>& read) {
  const auto& [ec, n] = read;
  if (ec == asio::error::operation_aborted && c.idle == Idle::parked &&
      !s.draining) {
    return AfterIdle::park;
  }
  c.idle = Idle::no;
  // (Closed: the sweep found it past its deadline just as bytes came.)
  if (ec || s.draining || !c.stream.socket().is_open()) return AfterIdle::close;
  buffer.commit(n);
  return AfterIdle::serve;
}

// After a parked connection's wait for bytes: false when it must close.
bool after_wait(Connection& c, const std::tuple<beast::error_code>& waited) {
  if (std::get<0>(waited)) {
    c.idle = Idle::no;
    return false;
  }
  c.idle = Idle::reading;  // the bytes are here: the read ends at once
  return true;
}

// Idle from now: until the next request's first bytes are in, within the
// deadline the sweep keeps. A new connection owes its first request within
// the header timeout; only one that has been served waits for the idle
// timeout (the header timeout starts again once the first bytes are here).
void begin_idle(const ServerState& s, Connection& c) {
  c.idle = Idle::reading;
  c.idle_since = s.sweeps;
  c.idle_deadline = Clock::now() + (c.served ? s.options.idle_timeout
                                             : s.options.header_timeout);
}

// The headers every answer gets (Server too, written with the header);
// a HEAD request gets the GET answer's header, Content-Length included,
// without its body.
void finish_response(Response& res, const Exchange& ex) {
  // HTTP/1.1 keeps a connection alive unless "Connection: close" says
  // otherwise: the usual answer needs no change (Beast's keep_alive would
  // parse the field's token list for every request).
  if (res.version() == 11 && res.count(beast_http::field::connection) == 0) {
    if (ex.close_after) res.insert(beast_http::field::connection, "close");
  } else {
    res.keep_alive(!ex.close_after);
  }
  // The server's name is not a field: header_bytes writes it (one
  // allocation and sorted insert less per answer). One a handler set goes.
  if (res.count(beast_http::field::server) != 0) {
    res.erase(beast_http::field::server);
  }
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

// The request's log line, written straight into one string (one per
// request: no JSON object is built), and not at all when its level is off.
void log_request(const Exchange& ex, RequestContext& ctx, const Delivery& d,
                 Clock::time_point started) {
  const bool routine =
      ex.route && ex.route->quiet && d.code < 400 && !d.write_error;
  const log::Level level = routine ? log::Level::debug : log::Level::info;
  if (!log::enabled(level)) return;
  const auto elapsed = Clock::now() - started;
  // This thread's, kept from line to line (log::write_text copies it).
  thread_local std::string line;
  if (line.capacity() > 16 * 1024) line = std::string();  // a rare long one
  line.clear();
  line += "\"method\":"sv;
  json::append_string(line, ex.method);
  line += ",\"path\":"sv;
  json::append_string(line, ex.path);
  line += ",\"status\":"sv;
  line += std::to_string(d.code);
  line += ",\"ms\":"sv;  // to two decimals, rounded
  json::append_hundredths(
      line,
      (std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count() +
       5) /
          10);
  line += ",\"remote\":"sv;
  json::append_string(line, ctx.remote);
  line += ",\"in\":"sv;
  line += std::to_string(ex.body_bytes);
  line += ",\"out\":"sv;
  line += std::to_string(d.out_bytes);
  if (d.write_error) {
    line += ",\"write_error\":"sv;
    json::append_string(line, d.write_error.message());
  }
  if (d.client_gone) line += ",\"client_gone\":true"sv;
  ctx.log.append_to(line);
  log::write_text(level, "request", line);
}

// One request on `c` (from `buffer` first): read and handled, its answer
// written, counted and logged. A client that went away mid-request gets
// nothing: logged as nginx's 499 (client closed request), never written.
// The request's state lives in this frame, not in the session's, which
// stays small while the connection idles. False when the connection must
// close.
Task<bool> serve_request(ServerState& s, Connection& c, ReadBuffer& buffer) {
  const auto started = Clock::now();
  RequestContext ctx{.remote = c.remote};
  c.served = true;
  Exchange ex;
  co_await read_and_handle(s, c, buffer, ctx, ex);
  if (!ex.response) co_return false;
  Delivery d{.client_gone = ctx.client_gone.stop_requested()};
  if (s.draining || d.client_gone) ex.close_after = true;
  Response& res = *ex.response;
  finish_response(res, ex);
  d.code = d.client_gone ? 499 : res.result_int();
  d.out_bytes = d.client_gone ? 0 : res.body().size();
  if (!d.client_gone) {
    const std::string header = header_bytes(res, s.server_field);
    WrittenAtOnce w = write_at_once(c.stream, header, res.body());
    if (w.rest_waits) {
      w.ec = co_await write_rest(c.stream, header, res.body(), w.bytes,
                                 Clock::now() + s.options.write_timeout);
    }
    d.write_error = w.ec;
  }
  s.requests_of(ex.route, d.code).inc();
  log_request(ex, ctx, d, started);
  const bool keep_open = !d.write_error && !ex.close_after;
  // A pipelined request is in the buffer already, and may be answered
  // without a wait: let the loop's other connections have their turn
  // first. Here rather than in the session's loop, whose frame every idle
  // connection keeps.
  if (keep_open && buffer.size() > 0)
    co_await asio::post(c.stream.socket().get_executor(), asio::deferred);
  co_return keep_open;
}

// Closing a socket with unread input makes the kernel send RST, which can
// destroy the response (a 413, say) before the client reads it. So, like
// nginx's lingering close, read and discard what is still arriving, bounded
// in time and bytes, before closing.
Task<void> close_lingering(Connection& c) {
  beast::error_code ignored;
  c.stream.socket().shutdown(Socket::shutdown_send, ignored);
  constexpr size_t kMaxDiscard = 16 << 20;
  // What is read is thrown away, so every closing connection of the thread
  // reads into the same scratch: 16 KB in each coroutine's frame made
  // 10,000 connections closing at once take 160 MB.
  static thread_local std::array<char, 16384> scratch;
  size_t discarded = 0;
  c.stream.expires_after(std::chrono::seconds(2));
  while (discarded < kMaxDiscard) {
    auto [ec, n] = co_await c.stream.async_read_some(asio::buffer(scratch),
                                                     use_task_nothrow);
    if (ec) break;
    discarded += n;
  }
  c.stream.close();
}

// Once a sweep interval: closes the idle connections past their deadline,
// as a timer would (their read or wait ends), and parks the ones idle since
// the previous sweep.
void sweep(ServerState& s) {
  const auto now = Clock::now();
  size_t parked = 0;
  for (Connection& c : s.open) {
    if (c.idle == Idle::no) continue;
    if (now >= c.idle_deadline) {
      c.stream.close();
      continue;
    }
    if (c.idle == Idle::reading && c.idle_since < s.sweeps) {
      c.idle = Idle::parked;
      beast::error_code ignored;
      c.stream.socket().cancel(ignored);
    }
    if (c.idle == Idle::parked) ++parked;
  }
  ++s.sweeps;
  // The gauge counts every loop's.
  s.shared->parked.add(static_cast<double>(parked) -
                       static_cast<double>(s.parked));
  s.parked = parked;
}

}  // namespace

// The wait for a next request is written out here rather than in a
// coroutine of its own: its frame would live as long as the connection
// idles. It is one read with no timer (the sweep keeps the deadline); a
// connection parked by the sweep has its read cancelled, gives its buffer
// back and waits for bytes without one, then reads them.
Task<void> run_session(std::shared_ptr<ServerState> s, Connection c) {
  s->opened(c);
  ReadBuffer buffer{ReadBufferAllocator<char>(&s->read_buffers)};
  while (!s->draining) {
    if (buffer.size() == 0) {
      // A large request leaves a large buffer; idle, a connection keeps
      // only what a typical request needs.
      if (buffer.capacity() > 4 * kFirstReadBytes) buffer.shrink_to_fit();
      begin_idle(*s, c);
      // The reads' and waits' results go straight to plain functions: a
      // value kept across a co_await would be one more in the frame every
      // idle connection keeps.
      AfterIdle next = AfterIdle::park;
      do {
        next = after_first_read(
            *s, c, buffer,
            co_await read_first_bytes(c.stream.socket(),
                                      buffer.prepare(kFirstReadBytes)));
        if (next == AfterIdle::park) {
          buffer.shrink_to_fit();  // empty: gives the memory back
          if (!after_wait(c, co_await wait_for_bytes(c.stream.socket())))
            next = AfterIdle::close;
        }
      } while (next == AfterIdle::park);
      if (next == AfterIdle::close) break;
    }
    if (!co_await serve_request(*s, c, buffer)) break;
  }
  co_await close_lingering(c);
  s->closed(c);
}

Task<void> sweep_idle_connections(std::shared_ptr<ServerState> s) {
  while (!s->draining && s->acceptor.is_open()) {
    s->sweep_timer.expires_after(s->options.sweep_interval);
    auto [ec] = co_await s->sweep_timer.async_wait(use_task_nothrow);
    if (ec || s->draining) break;
    sweep(*s);
    // The connections parked just now give their buffers back as their
    // reads' cancellations run, which are queued before this resumes; then
    // the pages left free go back to the system.
    co_await asio::post(s->io, use_task);
    s->read_buffers.release_free_pages();
  }
}

}  // namespace playground::http
