// Keep-alive HTTP/1.1 client for one upstream origin (see client.h).
#include "http/client.h"

#include <openssl/ssl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/assert.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <charconv>
#include <optional>

#include "common/task.h"
#include "http/socket.h"
#include "http/wire.h"

namespace playground::http {

// Literals appended as "..."sv: their length is known, no strlen per append.
using namespace std::string_view_literals;

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using namespace asio::experimental::awaitable_operators;

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

Error fail(Failure failure, std::string message) {
  return Error{std::move(message), failure};
}

// Transport errors that mean the peer closed or reset the connection.
bool is_closed(const boost::system::error_code& ec) {
  return ec == beast_http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe ||
         ec == asio::error::connection_aborted ||
         ec == ssl::error::stream_truncated ||
         ec == beast_http::error::partial_message;
}

Failure classify(const boost::system::error_code& ec) {
  if (ec == beast::error::timeout) return Failure::timeout;
  if (is_closed(ec)) return Failure::closed;
  return Failure::protocol;
}

// Reads a response into a Response as Beast's parser would, but keeps of
// its fields only the first non-empty one of each kind in `kept`, under its
// usual name, and no reason phrase: each of the others is an allocation
// (and a field a sorted insert) per response that nobody reads.
class ResponseReader final : public beast_http::basic_parser<false> {
 public:
  explicit ResponseReader(const std::vector<beast_http::field>& kept)
      : kept_(kept) {}
  Response release() { return std::move(response_); }
  int status() const { return response_.result_int(); }

 private:
  using string_view = beast::string_view;
  void on_request_impl(beast_http::verb, string_view, string_view, int,
                       beast::error_code&) override {}  // a request's only
  void on_response_impl(int code, string_view, int version,
                        beast::error_code&) override {
    response_.result(static_cast<unsigned>(code));  // three digits, checked
    response_.version(static_cast<unsigned>(version));
  }
  void on_field_impl(beast_http::field name, string_view, string_view value,
                     beast::error_code&) override {
    if (!value.empty() &&
        std::find(kept_.begin(), kept_.end(), name) != kept_.end() &&
        response_.count(name) == 0) {
      response_.insert(name, value);
    }
  }
  void on_header_impl(beast::error_code&) override {}
  // The length is within the parser's body limit already.
  void on_body_init_impl(const boost::optional<std::uint64_t>& length,
                         beast::error_code&) override {
    if (length) response_.body().reserve(static_cast<size_t>(*length));
  }
  size_t on_body_impl(string_view body, beast::error_code&) override {
    response_.body().append(body.data(), body.size());
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, string_view,
                            beast::error_code&) override {}
  size_t on_chunk_body_impl(std::uint64_t, string_view body,
                            beast::error_code&) override {
    response_.body().append(body.data(), body.size());
    return body.size();
  }
  void on_finish_impl(beast::error_code&) override {}

  const std::vector<beast_http::field>& kept_;
  Response response_;
};

}  // namespace

const std::error_category& failure_category() {
  class Category final : public std::error_category {
   public:
    const char* name() const noexcept override { return "upstream"; }
    std::string message(int value) const override {
      return std::string(to_string(static_cast<Failure>(value)));
    }
  };
  static const Category category;
  return category;
}

Failure failure_of(const Error& error) {
  if (error.code.category() != failure_category()) return Failure::protocol;
  return static_cast<Failure>(error.code.value());
}

std::string_view to_string(Failure failure) {
  switch (failure) {
    case Failure::connect:
      return "connect";
    case Failure::timeout:
      return "timeout";
    case Failure::closed:
    case Failure::unanswered:
      return "closed";
    case Failure::protocol:
      return "protocol";
    case Failure::local:
      return "local";
    case Failure::cancelled:
      return "cancelled";
  }
  return "unknown";
}

// One connection: plain TCP or TLS over TCP, with its read buffer.
struct Client::Connection {
  std::optional<Stream> plain;
  std::optional<beast::ssl_stream<Stream>> secure;
  beast::flat_buffer buffer;
  std::string header;  // the request's, kept for its capacity
  Clock::time_point idle_since;
  // The last answer left it fit for another request (keep-alive, and its
  // end not marked by the close).
  bool reusable = false;

  Stream& tcp() { return secure ? beast::get_lowest_layer(*secure) : *plain; }
};

Client::Client(Executor executor, Origin origin, ssl::context* tls,
               ClientOptions options)
    : executor_(std::move(executor)),
      origin_(std::move(origin)),
      tls_(tls),
      options_(options) {
  const bool ipv6 = origin_.host.find(':') != std::string::npos;
  host_header_ = ipv6 ? "[" + origin_.host + "]" : origin_.host;
  if (origin_.port != (origin_.tls ? 443 : 80)) {
    host_header_ += ":" + std::to_string(origin_.port);
  }
  if (!is_ip_literal(origin_.host)) {
    names_ = std::make_unique<HostResolver>(
        executor_, origin_.host, origin_.port, std::chrono::seconds(10),
        options_.addresses);
  }
}

Client::~Client() = default;

Task<Result<std::unique_ptr<Client::Connection>>> Client::connect(
    Clock::time_point request_deadline) {
  const auto deadline =
      std::min(request_deadline, Clock::now() + options_.connect_timeout);
  const std::string where = origin_.host + ":" + std::to_string(origin_.port);
  tcp::resolver::results_type endpoints;
  if (!names_) {
    endpoints = tcp::resolver::results_type::create(
        tcp::endpoint(asio::ip::make_address(origin_.host), origin_.port),
        origin_.host, std::to_string(origin_.port));
  } else {
    auto found = co_await names_->resolve(deadline);
    if (!found) co_return fail(Failure::connect, found.error().message);
    endpoints = std::move(*found);
  }

  Stream stream(executor_);
  stream.expires_at(deadline);
  auto [cec, endpoint] =
      co_await stream.async_connect(endpoints, use_task_nothrow);
  if (cec) {
    // Out of descriptors or memory here is this process's trouble, not the
    // backend's: it must not take the backend out of rotation.
    const bool local = cec == asio::error::no_descriptors ||
                       cec == asio::error::no_buffer_space ||
                       cec == asio::error::no_memory;
    // The name may point elsewhere now: look it up again.
    if (names_ && !local) names_->expire();
    co_return fail(local ? Failure::local : Failure::connect,
                   "cannot connect to " + where + ": " +
                       (cec == beast::error::timeout ? std::string("timed out")
                                                     : cec.message()));
  }
  boost::system::error_code ignored;
  stream.socket().set_option(tcp::no_delay(true), ignored);
  // Waiting for the connect left the socket registered for writability,
  // edge-triggered: the loop then took an EPOLLOUT event nobody waits for
  // with every request (strace: 4,010 for 4,000). Registered afresh, it is
  // watched for reading only, until a write would block.
  boost::system::error_code rec;
  const auto native = stream.socket().release(rec);
  if (!rec) {
    stream.socket().assign(endpoint.protocol(), native, rec);
    if (rec) {
      ::close(native);
      co_return fail(Failure::local, "cannot watch the connection to " + where +
                                         ": " + rec.message());
    }
  }

  auto connection = std::make_unique<Connection>();
  if (!origin_.tls) {
    connection->plain.emplace(std::move(stream));
    co_return connection;
  }
  auto& secure = connection->secure.emplace(std::move(stream), *tls_);
  // SNI takes names only; certificates are checked against names and IPs.
  if (!is_ip_literal(origin_.host)) {
    SSL_set_tlsext_host_name(secure.native_handle(), origin_.host.c_str());
  }
  secure.set_verify_mode(ssl::verify_peer);
  secure.set_verify_callback(ssl::host_name_verification(origin_.host));
  auto [hec] = co_await secure.async_handshake(ssl::stream_base::client,
                                               use_task_nothrow);
  if (hec) {
    co_return fail(Failure::connect,
                   "TLS handshake with " + where + " failed: " +
                       (hec == beast::error::timeout ? std::string("timed out")
                                                     : hec.message()));
  }
  co_return connection;
}

void Client::write_header(const OutgoingRequest& request,
                          std::string& out) const {
  // The caller's code vouches for these (see OutgoingRequest).
  BOOST_ASSERT(request.target.find_first_of(" \r\n") == std::string_view::npos);
  const std::string_view method = beast_http::to_string(request.method);
  // HTTP/1.1 keeps the connection alive unless told otherwise.
  constexpr std::string_view version_host = " HTTP/1.1\r\nHost: "sv;
  constexpr std::string_view length_name = "Content-Length: "sv;
  constexpr std::string_view crlf = "\r\n"sv;
  char digits[24];
  std::string_view length;
  if (!request.body.empty() || request.method == Verb::post) {
    const auto end =
        std::to_chars(digits, digits + sizeof digits, request.body.size()).ptr;
    length = {digits, static_cast<size_t>(end - digits)};
  }
  size_t size = method.size() + 1 + origin_.base_path.size() +
                request.target.size() + version_host.size() +
                host_header_.size() + crlf.size() + crlf.size();
  for (std::string_view field : request.fields) size += field.size();
  if (!length.empty()) size += length_name.size() + length.size() + crlf.size();
  // Sized first and then written by copies (see copy_to); the connection's
  // string keeps its capacity from request to request.
  out.resize(size);
  char* at = out.data();
  at = copy_to(at, method);
  at = copy_to(at, " "sv);
  at = copy_to(at, origin_.base_path);
  at = copy_to(at, request.target);
  at = copy_to(at, version_host);
  at = copy_to(at, host_header_);
  at = copy_to(at, crlf);
  for (std::string_view field : request.fields) at = copy_to(at, field);
  if (!length.empty()) {
    at = copy_to(at, length_name);
    at = copy_to(at, length);
    at = copy_to(at, crlf);
  }
  at = copy_to(at, crlf);
  BOOST_ASSERT(at == out.data() + out.size());
}

Task<Result<Response>> Client::exchange(Connection& c,
                                        const OutgoingRequest& request,
                                        Clock::time_point deadline,
                                        const std::stop_token& cancel,
                                        const std::stop_token& cancel_too) {
  // A stop aborts whatever is pending; the caller then drops the connection.
  // The callback runs on the thread that requests the stop, and touches the
  // socket without a lock (the frontend's loops run with
  // BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO): a stop must be requested on this
  // connection's loop.
  auto abort = [&c] { c.tcp().cancel(); };
  std::stop_callback on_cancel(cancel, abort);
  std::stop_callback on_cancel_too(cancel_too, abort);
  auto cancelled = [&] {
    return cancel.stop_requested() || cancel_too.stop_requested();
  };
  if (cancelled()) {
    co_return fail(Failure::cancelled, "the request was cancelled");
  }
  write_header(request, c.header);
  boost::system::error_code wec;
  if (c.secure) {
    c.tcp().expires_at(deadline);
    const std::array<asio::const_buffer, 2> message = {
        asio::buffer(c.header), asio::buffer(request.body)};
    std::tie(wec, std::ignore) =
        co_await asio::async_write(*c.secure, message, use_task_nothrow);
  } else {
    WrittenAtOnce w = write_at_once(*c.plain, c.header, request.body);
    if (w.rest_waits) {
      w.ec = co_await write_rest(*c.plain, c.header, request.body, w.bytes,
                                 deadline);
    }
    wec = w.ec;
    c.plain->expires_at(deadline);  // for the read
  }
  if (wec && cancelled()) {
    co_return fail(Failure::cancelled, "the request was cancelled");
  }
  if (wec) {
    co_return fail(classify(wec), "sending the request failed: " +
                                      std::string(wec == beast::error::timeout
                                                      ? "timed out"
                                                      : wec.message()));
  }

  // Interim 1xx answers (100 Continue, 103 Early Hints) precede the real
  // one: read past them, or the real answer would be left on the
  // connection for the next request to take.
  for (;;) {
    ResponseReader parser(options_.kept_fields);
    parser.body_limit(options_.response_limit);
    parser.header_limit(64 * 1024);
    const size_t buffered = c.buffer.size();
    boost::system::error_code rec;
    if (c.secure) {
      std::tie(rec, std::ignore) = co_await beast_http::async_read(
          *c.secure, c.buffer, parser, use_task_nothrow);
    } else {
      rec = co_await read_message(*c.plain, c.buffer, parser, Until::message);
    }
    if (rec && cancelled()) {
      co_return fail(Failure::cancelled, "the request was cancelled");
    }
    if (rec) {
      std::string what =
          rec == beast::error::timeout ? "timed out" : rec.message();
      const bool nothing = !parser.got_some() && buffered == 0;
      Failure failure = classify(rec);
      if (failure == Failure::closed && nothing) failure = Failure::unanswered;
      co_return fail(
          failure,
          (nothing ? "no response: " : "reading the response failed: ") + what);
    }
    if (parser.status() / 100 == 1) continue;
    c.tcp().expires_never();
    c.reusable = parser.keep_alive() && !parser.need_eof();
    co_return parser.release();
  }
}

Task<Result<Response>> Client::send(OutgoingRequest request,
                                    std::chrono::milliseconds timeout,
                                    std::stop_token cancel,
                                    std::stop_token cancel_too) {
  const auto deadline = Clock::now() + timeout;
  bool fresh_only = false;
  for (;;) {
    std::unique_ptr<Connection> connection = fresh_only ? nullptr : take_idle();
    const bool reused = connection != nullptr;
    if (!connection) {
      auto fresh = co_await connect(deadline);
      if (!fresh) co_return fresh.error();
      connection = std::move(*fresh);
    }
    auto response =
        co_await exchange(*connection, request, deadline, cancel, cancel_too);
    if (response) {
      // Bytes beyond the answer mean the two sides disagree about where
      // messages end: never hand that connection to another request.
      if (connection->reusable && connection->buffer.size() == 0) {
        keep_idle(std::move(connection));
      }
      co_return response;
    }
    // A kept-alive connection the server had closed while it sat idle: not
    // one byte came back, so send the request again, once, on a fresh
    // connection.
    if (reused && !fresh_only && response.error().code == Failure::unanswered &&
        Clock::now() < deadline) {
      fresh_only = true;
      continue;
    }
    co_return response.error();
  }
}

std::unique_ptr<Client::Connection> Client::take_idle() {
  const auto now = Clock::now();
  while (!idle_.empty()) {
    std::unique_ptr<Connection> c = std::move(idle_.back());
    idle_.pop_back();
    if (now - c->idle_since < options_.idle_ttl) return c;
  }
  return nullptr;
}

void Client::keep_idle(std::unique_ptr<Connection> connection) {
  connection->idle_since = Clock::now();
  idle_.push_back(std::move(connection));
  if (idle_.size() > options_.max_idle) idle_.erase(idle_.begin());
}

void Client::drop_idle() { idle_.clear(); }

}  // namespace playground::http
