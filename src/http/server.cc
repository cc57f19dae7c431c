// HTTP/1.1 server: listener, one coroutine per connection, routing (see
// server.h).
#include "http/server.h"

#include <sys/socket.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <cmath>
#include <limits>
#include <set>
#include <stop_token>

#include "common/log.h"
#include "http/body_budget.h"

namespace playground::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
// What one read of an idle connection asks for: a typical request whole.
constexpr size_t kFirstReadBytes = 2048;

std::string_view path_of(std::string_view target) {
  auto q = target.find('?');
  return q == std::string_view::npos ? target : target.substr(0, q);
}

// Log fields must stay bounded whatever a client sends.
std::string clip(std::string_view s, size_t max = 256) {
  return std::string(s.substr(0, max));
}

bool expects_continue(const RequestHeader& h) {
  return beast::iequals(h[beast_http::field::expect], "100-continue");
}

// RFC 9112 6.1 and 6.3: a request whose Transfer-Encoding does not end in
// chunked, or that carries one in HTTP/1.0, has no length a server can trust;
// reading on would take its body for the next request (request smuggling).
// Beast already refuses Transfer-Encoding beside Content-Length and
// differing Content-Lengths.
bool has_untrusted_framing(
    const RequestHeader& h,
    const beast_http::request_parser<beast_http::empty_body>& parser) {
  if (h.find(beast_http::field::transfer_encoding) == h.end()) return false;
  return !parser.chunked() || h.version() < 11;
}

// Every route that answers GET answers HEAD too, as HTTP requires of a
// general-purpose server (RFC 9110, 9.1): the same handler, the body dropped
// when written.
bool allows(const Route& route, Verb method) {
  auto has = [&](Verb v) {
    return std::find(route.methods.begin(), route.methods.end(), v) !=
           route.methods.end();
  };
  return has(method) || (method == Verb::head && has(Verb::get));
}

// What the server answers for a handler that threw.
asio::awaitable<Response> call_handler(const Route& route, Request& req,
                                       RequestContext& ctx,
                                       const std::string& path) {
  try {
    co_return co_await route.handler(req, ctx);
  } catch (const std::exception& e) {
    log::error("handler failed", {{"path", path}, {"error", e.what()}});
    co_return json_error(Status::internal_server_error,
                         "The server failed to handle the request.");
  }
}

// While a handler runs: the client closing or resetting the connection
// requests `gone`; bytes of a next (pipelined) request end the watch without.
// Ends when the handler is `done` (which cancels the wait); a handler that
// finished before the watch began leaves nothing to wait for.
asio::awaitable<void> watch_for_disconnect(tcp::socket& socket,
                                           std::stop_source& gone,
                                           const bool& done) {
  while (!done) {
    auto [ec] = co_await socket.async_wait(tcp::socket::wait_read, nothrow);
    if (done) co_return;
    if (ec == asio::error::operation_aborted) co_return;
    if (!ec) {
      char byte;
      const ssize_t n =
          ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n > 0) co_return;  // more input: a pipelined request, not a goodbye
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        continue;
    }
    gone.request_stop();  // end of stream, reset or a socket error
    co_return;
  }
}

// The handler, then the end of the watch beside it.
asio::awaitable<void> handle_while_watching(const Route& route, Request& req,
                                            RequestContext& ctx,
                                            const std::string& path,
                                            tcp::socket& socket,
                                            std::optional<Response>& out,
                                            bool& done) {
  out = co_await call_handler(route, req, ctx, path);
  done = true;
  beast::error_code ignored;
  socket.cancel(ignored);
}

}  // namespace

// One open connection; registered so shutdown can wake the idle ones.
struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool idle = false;
};

struct Server::State : std::enable_shared_from_this<Server::State> {
  State(asio::io_context& io, ServerOptions o, std::vector<Route> r,
        metrics::Registry& registry)
      : io(io),
        options(std::move(o)),
        routes(std::move(r)),
        acceptor(io),
        requests(registry.counter_family(
            "playground_http_requests_total",
            "HTTP requests answered, by route and status code.",
            {"route", "code"})),
        connections(registry.gauge("playground_http_connections",
                                   "Open HTTP connections.")) {}

  asio::io_context& io;
  ServerOptions options;
  std::vector<Route> routes;
  tcp::acceptor acceptor;
  metrics::CounterFamily& requests;
  metrics::Gauge& connections;
  std::set<Connection*> open;
  BodyBudget bodies{options.body_memory, options.body_memory_per_address};
  bool draining = false;
  std::function<void()> on_drained;

  const Route* find_route(std::string_view path) const {
    for (const auto& r : routes) {
      if (r.path == path) return &r;
    }
    return nullptr;
  }

  void maybe_drained() {
    if (draining && open.empty() && on_drained) {
      auto done = std::move(on_drained);
      on_drained = nullptr;
      done();
    }
  }

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> session(tcp::socket socket);
  asio::awaitable<void> linger(Connection& c);
  asio::awaitable<std::optional<Response>> read_and_handle(
      Connection& c, beast::flat_buffer& buffer, RequestContext& ctx,
      bool& close_after, std::string& method, std::string& path,
      std::string& route_name, size_t& body_bytes);
};

asio::awaitable<void> Server::State::accept_loop() {
  auto self = shared_from_this();
  while (!draining) {
    auto [ec, socket] = co_await acceptor.async_accept(nothrow);
    if (ec) {
      if (ec == asio::error::operation_aborted || draining) break;
      log::warn("accept failed", {{"error", ec.message()}});
      // Out of descriptors and similar: back off instead of spinning.
      asio::steady_timer t(io, std::chrono::milliseconds(50));
      co_await t.async_wait(nothrow);
      continue;
    }
    if (open.size() >= options.max_connections) {
      log::warn("connection limit reached; closing new connection",
                {{"limit", options.max_connections}});
      beast::error_code ignored;
      socket.close(ignored);
      continue;
    }
    socket.set_option(tcp::no_delay(true));
    asio::co_spawn(io, self->session(std::move(socket)), asio::detached);
  }
}

asio::awaitable<std::optional<Response>> Server::State::read_and_handle(
    Connection& c, beast::flat_buffer& buffer, RequestContext& ctx,
    bool& close_after, std::string& method, std::string& path,
    std::string& route_name, size_t& body_bytes) {
  beast_http::request_parser<beast_http::empty_body> header_parser;
  header_parser.header_limit(static_cast<uint32_t>(options.header_limit));
  // The route's limit applies once the route is known (below); Beast's
  // default would otherwise answer "bad request" for any body over 1 MB.
  header_parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  c.stream.expires_after(options.header_timeout);
  auto [hec, hn] = co_await beast_http::async_read_header(
      c.stream, buffer, header_parser, nothrow);
  if (hec) {
    close_after = true;
    if (hec == beast_http::error::header_limit) {
      method = "-";
      co_return json_error(Status::request_header_fields_too_large,
                           "The request headers are larger than the limit of " +
                               std::to_string(options.header_limit) +
                               " bytes.");
    }
    if (hec == beast_http::error::end_of_stream ||
        hec == beast::error::timeout || hec == asio::error::connection_reset ||
        hec == asio::error::eof || hec == asio::error::operation_aborted) {
      co_return std::nullopt;  // the client went away or idled out
    }
    method = "-";
    co_return json_error(
        Status::bad_request,
        "The request is not valid HTTP/1.1: " + hec.message() + ".");
  }

  const RequestHeader& header = header_parser.get();
  method = std::string(header.method_string());
  path = clip(path_of(header.target()));
  if (has_untrusted_framing(header, header_parser)) {
    close_after = true;
    co_return json_error(Status::bad_request,
                         "Transfer-Encoding must end in chunked, in HTTP/1.1, "
                         "without Content-Length.");
  }
  const bool has_body =
      header_parser.content_length().value_or(0) > 0 || header_parser.chunked();
  // Answering before the body is read leaves it on the wire: close then
  // (and when the client asked to close).
  auto reject = [&](Response r) {
    if (has_body || !header_parser.keep_alive()) close_after = true;
    return r;
  };

  const Route* route = find_route(path_of(header.target()));
  if (route == nullptr) {
    route_name = "unmatched";
    co_return reject(
        json_error(Status::not_found, "There is no endpoint " + path + "."));
  }
  route_name = route->path;
  if (!allows(*route, header.method())) {
    std::string allow;
    for (Verb v : route->methods) {
      if (!allow.empty()) allow += ", ";
      allow += std::string(beast_http::to_string(v));
      if (v == Verb::get) allow += ", HEAD";
    }
    Response r = json_error(Status::method_not_allowed,
                            "Method " + method + " is not allowed on " + path +
                                "; use " + allow + ".");
    r.set(beast_http::field::allow, allow);
    co_return reject(std::move(r));
  }
  if (route->precheck) {
    if (auto early = route->precheck(header, ctx))
      co_return reject(std::move(*early));
  }
  if (header_parser.content_length().value_or(0) > route->body_limit) {
    close_after = true;
    co_return json_error(Status::payload_too_large,
                         "The request body is larger than the limit of " +
                             std::to_string(route->body_limit) + " bytes.");
  }
  // The body's memory is reserved before a byte of it is read; it is given
  // back when this request is done (`hold` lives until then).
  std::optional<BodyBudget::Hold> hold =
      has_body ? bodies.reserve(
                     ctx.remote,
                     header_parser.content_length().value_or(route->body_limit))
               : std::nullopt;
  if (has_body && !hold) {
    close_after = true;
    Response busy =
        json_error(Status::service_unavailable,
                   "Too many request bodies are being received at once "
                   "(from your address or in all); retry shortly.");
    busy.set(beast_http::field::retry_after, "1");
    co_return busy;
  }
  if (has_body && expects_continue(header)) {
    beast_http::response<beast_http::empty_body> go{Status::continue_,
                                                    header.version()};
    c.stream.expires_after(options.write_timeout);
    auto [wec, wn] = co_await beast_http::async_write(c.stream, go, nothrow);
    if (wec) co_return std::nullopt;
  }

  beast_http::request_parser<beast_http::string_body> parser{
      std::move(header_parser)};
  parser.body_limit(route->body_limit);
  c.stream.expires_after(options.body_timeout);
  auto [bec, bn] =
      co_await beast_http::async_read(c.stream, buffer, parser, nothrow);
  if (bec) {
    close_after = true;
    if (bec == beast_http::error::body_limit) {
      co_return json_error(Status::payload_too_large,
                           "The request body is larger than the limit of " +
                               std::to_string(route->body_limit) + " bytes.");
    }
    if (bec == beast::error::timeout) {
      co_return json_error(Status::request_timeout,
                           "The request body did not arrive in time.");
    }
    if (bec == beast_http::error::end_of_stream || bec == asio::error::eof ||
        bec == asio::error::connection_reset) {
      co_return std::nullopt;
    }
    co_return json_error(
        Status::bad_request,
        "The request body could not be read: " + bec.message() + ".");
  }
  Request req = parser.release();
  body_bytes = req.body().size();
  if (!req.keep_alive()) close_after = true;
  // Bytes already buffered belong to a pipelined request: that client is
  // still there, and its data would hide the end of the stream anyway.
  if (!route->cancel_on_disconnect || buffer.size() > 0) {
    co_return co_await call_handler(*route, req, ctx, path);
  }
  std::stop_source gone;
  ctx.client_gone = gone.get_token();
  std::optional<Response> out;
  bool done = false;
  co_await (handle_while_watching(*route, req, ctx, path, c.stream.socket(),
                                  out, done) &&
            watch_for_disconnect(c.stream.socket(), gone, done));
  co_return out;
}

// Closing a socket with unread input makes the kernel send RST, which can
// destroy the response (a 413, say) before the client reads it. So, like
// nginx's lingering close, read and discard what is still arriving, bounded
// in time and bytes, before closing.
asio::awaitable<void> Server::State::linger(Connection& c) {
  constexpr size_t kMaxDiscard = 16 << 20;
  std::array<char, 16384> scratch;
  size_t discarded = 0;
  c.stream.expires_after(std::chrono::seconds(2));
  while (discarded < kMaxDiscard) {
    auto [ec, n] =
        co_await c.stream.async_read_some(asio::buffer(scratch), nothrow);
    if (ec) break;
    discarded += n;
  }
}

asio::awaitable<void> Server::State::session(tcp::socket socket) {
  auto self = shared_from_this();
  Connection c(std::move(socket));
  open.insert(&c);
  connections.set(static_cast<double>(open.size()));
  RequestContext base;
  {
    beast::error_code ec;
    auto ep = c.stream.socket().remote_endpoint(ec);
    base.remote = ec ? "unknown" : ep.address().to_string();
  }
  beast::flat_buffer buffer;
  bool served = false;

  while (!draining) {
    if (buffer.size() == 0) {
      // Idle keep-alive: read the first bytes of the next request under the
      // idle timeout (the header timeout starts once they are here). One
      // read, where waiting for readability would cost a second operation
      // and a timer per request.
      // A large request leaves a large buffer; idle, a connection keeps
      // only what a typical request needs.
      if (buffer.capacity() > 4 * kFirstReadBytes) buffer.shrink_to_fit();
      c.idle = true;
      // A new connection owes its first request within the header timeout;
      // only one that has been served waits for the idle timeout.
      c.stream.expires_after(served ? options.idle_timeout
                                    : options.header_timeout);
      auto [ec, n] = co_await c.stream.async_read_some(
          buffer.prepare(kFirstReadBytes), nothrow);
      c.idle = false;
      if (ec || draining) break;  // closed, idled out or shutting down
      buffer.commit(n);
    }
    const auto started = std::chrono::steady_clock::now();
    RequestContext ctx = base;
    bool close_after = false;
    std::string method, path, route_name = "unmatched";
    size_t body_bytes = 0;
    served = true;
    std::optional<Response> res = co_await read_and_handle(
        c, buffer, ctx, close_after, method, path, route_name, body_bytes);
    if (!res) break;
    // A client that went away mid-request gets nothing: logged as nginx's
    // 499 (client closed request), never written.
    const bool client_gone = ctx.client_gone.stop_requested();
    if (draining || client_gone) close_after = true;
    res->keep_alive(!close_after);
    res->set(beast_http::field::server, options.server_name);
    if (method == "HEAD") {
      // The GET answer's header, Content-Length included, without its body.
      if (!res->has_content_length() && !res->body().empty()) {
        res->content_length(res->body().size());
      }
      res->body().clear();
    }
    const unsigned code = client_gone ? 499 : res->result_int();
    const size_t out_bytes = client_gone ? 0 : res->body().size();
    beast::error_code wec;
    if (!client_gone) {
      c.stream.expires_after(options.write_timeout);
      std::tie(wec, std::ignore) =
          co_await beast_http::async_write(c.stream, *res, nothrow);
    }

    requests.with({route_name, std::to_string(code)}).inc();
    const double ms = std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - started)
                          .count();
    boost::json::object fields{
        {"method", method},     {"path", path},
        {"status", code},       {"ms", std::round(ms * 100) / 100},
        {"remote", ctx.remote}, {"in", body_bytes},
        {"out", out_bytes}};
    if (wec) fields["write_error"] = wec.message();
    if (client_gone) fields["client_gone"] = true;
    for (auto& f : ctx.log) fields[f.key()] = std::move(f.value());
    const Route* route = find_route(route_name);
    const bool routine = route && route->quiet && code < 400 && !wec;
    log::write(routine ? log::Level::debug : log::Level::info, "request",
               std::move(fields));
    if (wec || close_after) break;
  }

  beast::error_code ignored;
  c.stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  co_await linger(c);
  c.stream.close();
  open.erase(&c);
  connections.set(static_cast<double>(open.size()));
  maybe_drained();
}

Server::Server(asio::io_context& io, ServerOptions options,
               std::vector<Route> routes, metrics::Registry& registry)
    : state_(std::make_shared<State>(io, std::move(options), std::move(routes),
                                     registry)) {}

Server::~Server() {
  beast::error_code ignored;
  state_->acceptor.close(ignored);
}

Result<void> Server::listen() {
  auto& s = *state_;
  beast::error_code ec;
  auto address = asio::ip::make_address(s.options.bind, ec);
  if (ec) return Error{"invalid bind address \"" + s.options.bind + "\""};
  tcp::endpoint endpoint(address, s.options.port);
  const std::string where =
      s.options.bind + ":" + std::to_string(s.options.port);
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Error{"cannot listen on " + where + ": " + ec.message(), ec};
  return Ok();
}

uint16_t Server::port() const {
  beast::error_code ec;
  auto ep = state_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void Server::start() {
  asio::co_spawn(state_->io, state_->accept_loop(), asio::detached);
}

void Server::shutdown(std::function<void()> on_drained) {
  auto& s = *state_;
  s.draining = true;
  s.on_drained = std::move(on_drained);
  beast::error_code ignored;
  s.acceptor.close(ignored);
  for (Connection* c : s.open) {
    if (c->idle) c->stream.cancel();
  }
  s.maybe_drained();
}

}  // namespace playground::http
