// Client: keep-alive HTTP/1.1 connections to one upstream origin, http or
// https, on Boost.Beast with C++20 coroutines.
//
//   http::Client client(io.get_executor(), origin, &tls, {});
//   const std::string_view fields[] = {"Content-Type: text/plain\r\n"};
//   auto res = co_await client.send({.method = Verb::post,
//                                    .target = "/py/eval",
//                                    .fields = fields,
//                                    .body = text},
//                                   30s);
//   if (!res) { switch (failure_of(res.error())) { ... } }
//
// A request goes out as the caller's bytes: its header is written from
// them into the connection's own buffer, its body straight from the
// caller's string (a proxied request is never copied or parsed again). A
// response keeps its status, its body and, of its fields, only the first
// non-empty one of each kind ClientOptions::kept_fields names: each other
// field would cost an allocation and a sorted insert that nobody reads.
//
// The frontend holds one Client per backend. Idle connections are reused,
// most recent first (older ones expire after `idle_ttl`). A request on a
// reused connection that gets not one byte back (the server closed it while
// it sat idle) is sent again, once, on a fresh connection, so a keep-alive
// race never surfaces as a failed request. Interim 1xx answers are skipped,
// and a connection with bytes left after an answer is never reused. A stop
// on the request's `cancel` closes its connection (the server sees its
// client leave) and fails it as `cancelled`. Not thread-safe: one Client
// belongs to one executor.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <memory>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/task.h"
#include "http/host_resolver.h"
#include "http/message.h"

namespace playground::http {

// Where requests go: scheme, host and port, plus a path prefix that every
// request target is appended to ("" or "/prefix", never a trailing slash).
struct Origin {
  bool tls = false;
  std::string host;  // name or IP literal (IPv6 without brackets)
  uint16_t port = 80;
  std::string base_path;
};

struct ClientOptions {
  // Time to resolve, connect and (https) complete the handshake, within the
  // request's own deadline (see HostResolver for how names are looked up).
  std::chrono::milliseconds connect_timeout{2'000};
  // Idle connections kept for reuse; more are closed.
  size_t max_idle = 64;
  // An idle connection older than this is closed instead of reused (it must
  // be shorter than the server's own idle timeout).
  std::chrono::milliseconds idle_ttl{30'000};
  // Largest response body accepted.
  size_t response_limit = 64 << 20;
  // The response fields kept in the Response (see above).
  std::vector<beast_http::field> kept_fields = {beast_http::field::content_type,
                                                beast_http::field::retry_after};
  // The host's last good addresses, shared with the clients of the same
  // origin on other event loops; none: this client's own alone.
  std::shared_ptr<KnownAddresses> addresses;
};

// Why a request got no usable response; the Error's `code`.
enum class Failure {
  connect = 1,  // resolve, connect or TLS handshake failed: nothing was sent
  timeout,      // no complete response within the deadline
  closed,       // the connection closed or reset before the response ended
  unanswered,   // closed before one byte of a response: `closed`, and safe
                // to send again when the connection had sat idle
  protocol,     // the response was not valid HTTP or exceeded the limit
  local,        // this process could not open a connection (descriptors)
  cancelled,    // the caller stopped waiting (its own client went away)
};
const std::error_category& failure_category();
inline std::error_code make_error_code(Failure f) {
  return {static_cast<int>(f), failure_category()};
}
// The failure of an Error from this client (Failure::protocol for others).
Failure failure_of(const Error& error);
// The metrics and log label: "connect", "timeout", "closed" (unanswered
// too), "protocol", "local", "cancelled".
std::string_view to_string(Failure failure);

// An HTTP/1.1 request as the caller holds it; the views must stay valid
// until send() completes.
struct OutgoingRequest {
  Verb method = Verb::get;
  // Appended to the origin's base path; from the caller's code, never a
  // client's bytes.
  std::string_view target;
  // Whole header lines, "Name: value\r\n", written one after the other as
  // they are: from the caller's code, or checked to hold no CR or LF. Host
  // and Content-Length are added by the client and must not be among them.
  std::span<const std::string_view> fields;
  std::string_view body;
};

class Client {
 public:
  // `tls` is used when origin.tls; it must outlive the client.
  Client(Executor executor, Origin origin, boost::asio::ssl::context* tls,
         ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends `request` (a POST or a body gets Content-Length) and reads the
  // whole response within `timeout`, connection set-up included. A stop on
  // `cancel` or on `cancel_too` abandons it and closes its connection. (Two
  // tokens, as a caller may have two reasons to stop, without a stop source
  // of its own, an allocation, to join them.)
  Task<Result<Response>> send(OutgoingRequest request,
                              std::chrono::milliseconds timeout,
                              std::stop_token cancel = {},
                              std::stop_token cancel_too = {});

  // Closes every idle connection (after the upstream was found down).
  void drop_idle();

 private:
  struct Connection;
  Task<Result<std::unique_ptr<Connection>>> connect(
      std::chrono::steady_clock::time_point deadline);
  Task<Result<Response>> exchange(
      Connection& connection, const OutgoingRequest& request,
      std::chrono::steady_clock::time_point deadline,
      const std::stop_token& cancel, const std::stop_token& cancel_too);
  // The request's header, as it goes on the wire, into `out`.
  void write_header(const OutgoingRequest& request, std::string& out) const;
  std::unique_ptr<Connection> take_idle();
  void keep_idle(std::unique_ptr<Connection> connection);

  Executor executor_;
  Origin origin_;
  boost::asio::ssl::context* tls_;
  ClientOptions options_;
  std::string host_header_;
  // Names only: an IP literal needs no lookup.
  std::unique_ptr<HostResolver> names_;
  std::vector<std::unique_ptr<Connection>> idle_;  // most recent last
};

}  // namespace playground::http

template <>
struct std::is_error_code_enum<playground::http::Failure> : std::true_type {};
