// One request read and handled (see exchange.h).
#include "http/exchange.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <limits>

#include "common/task.h"
#include "http/handler_call.h"
#include "http/request_reader.h"
#include "http/wire.h"

namespace playground::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;

bool expects_continue(const RequestHeader& h) {
  return equal_ignoring_case(h[beast_http::field::expect], "100-continue");
}

// RFC 9112 6.1 and 6.3: a request whose Transfer-Encoding does not end in
// chunked, or that carries one in HTTP/1.0, has no length a server can trust;
// reading on would take its body for the next request (request smuggling).
// Beast already refuses Transfer-Encoding beside Content-Length and
// differing Content-Lengths.
bool has_untrusted_framing(const RequestReader& parser) {
  const RequestHeader& h = parser.get();
  if (h.count(beast_http::field::transfer_encoding) == 0) return false;
  return !parser.chunked() || h.version() < 11;
}

bool announces_body(const RequestReader& parser) {
  return parser.content_length().value_or(0) > 0 || parser.chunked();
}

Response too_large(size_t body_limit) {
  return json_error(Status::payload_too_large,
                    "The request body is larger than the limit of " +
                        std::to_string(body_limit) + " bytes.");
}

// A header that could not be read: 431 or 400, or no answer at all to a
// client that went away or idled out. The connection ends either way.
void header_failure(const beast::error_code& ec, size_t header_limit,
                    Exchange& ex) {
  ex.close_after = true;
  if (ec == beast_http::error::header_limit) {
    ex.method = "-";
    ex.response =
        json_error(Status::request_header_fields_too_large,
                   "The request headers are larger than the limit of " +
                       std::to_string(header_limit) + " bytes.");
    return;
  }
  if (ec == beast_http::error::end_of_stream || ec == beast::error::timeout ||
      ec == asio::error::connection_reset || ec == asio::error::eof ||
      ec == asio::error::operation_aborted) {
    return;  // the client went away or idled out
  }
  ex.method = "-";
  ex.response =
      json_error(Status::bad_request,
                 "The request is not valid HTTP/1.1: " + ec.message() + ".");
}

// A body that could not be read: 413, 408 or 400, or no answer to a client
// that went away.
std::optional<Response> body_failure(const beast::error_code& ec,
                                     size_t body_limit) {
  if (ec == beast_http::error::body_limit) return too_large(body_limit);
  if (ec == beast::error::timeout) {
    return json_error(Status::request_timeout,
                      "The request body did not arrive in time.");
  }
  if (ec == beast_http::error::end_of_stream || ec == asio::error::eof ||
      ec == asio::error::connection_reset) {
    return std::nullopt;
  }
  return json_error(
      Status::bad_request,
      "The request body could not be read: " + ec.message() + ".");
}

Response bodies_busy() {
  Response busy = json_error(Status::service_unavailable,
                             "Too many request bodies are being received at "
                             "once (from your address or in all); retry "
                             "shortly.");
  busy.set(beast_http::field::retry_after, "1");
  return busy;
}

// A request the header alone did not answer: its route, and the memory
// reserved for its body (given back when the request is done).
struct Admission {
  const Route* route = nullptr;  // none: `ex.response` answers the request
  std::optional<BodyBudget::Hold> hold;
};

// Everything decided on the header, before a byte of the body is read.
Admission admit(ServerState& s, const RequestReader& parser,
                const RequestContext& ctx, Exchange& ex) {
  auto close_with = [&](Response r) {
    ex.close_after = true;
    ex.response = std::move(r);
    return Admission{};
  };
  if (has_untrusted_framing(parser)) {
    return close_with(json_error(Status::bad_request,
                                 "Transfer-Encoding must end in chunked, in "
                                 "HTTP/1.1, without Content-Length."));
  }
  const bool has_body = announces_body(parser);
  // Answering before the body is read leaves it on the wire: close then
  // (and when the client asked to close).
  auto answer_early = [&](Response r) {
    if (has_body || !parser.keep_alive()) ex.close_after = true;
    ex.response = std::move(r);
    return Admission{};
  };
  Routing routing = s.router.route(parser.get());
  ex.route = routing.route;
  if (routing.refusal) return answer_early(std::move(*routing.refusal));
  const Route& route = *routing.route;
  if (route.precheck) {
    if (auto early = route.precheck(parser.get(), ctx))
      return answer_early(std::move(*early));
  }
  const size_t declared = parser.content_length().value_or(0);
  if (declared > route.body_limit)
    return close_with(too_large(route.body_limit));
  if (!has_body) return {.route = &route};
  auto hold = s.bodies.reserve(
      ctx.remote, parser.content_length().value_or(route.body_limit));
  if (!hold) return close_with(bodies_busy());
  return {.route = &route, .hold = std::move(hold)};
}

// "100 Continue" to a client that waits for it before sending the body;
// false when it cannot be written.
Task<bool> send_continue(Connection& c, unsigned version,
                         std::chrono::milliseconds timeout) {
  beast_http::response<beast_http::empty_body> go{Status::continue_, version};
  c.stream.expires_after(timeout);
  auto [ec, n] =
      co_await beast_http::async_write(c.stream, go, use_task_nothrow);
  co_return !ec;
}

}  // namespace

Task<void> read_and_handle(ServerState& s, Connection& c, ReadBuffer& buffer,
                           RequestContext& ctx, Exchange& ex) {
  // One parser takes the header, then (once admitted, under the route's
  // limit) the body: a second parser for the body, moved from a header-only
  // one, made the coroutine's frame too large for malloc's fast path.
  RequestReader parser;
  parser.header_limit(static_cast<uint32_t>(s.options.header_limit));
  // The route's limit applies once the route is known (admit); Beast's
  // default would otherwise answer "bad request" for any body over 1 MB.
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  // Usually the first read brought the whole request: parsed at once.
  beast::error_code hec;
  if (!parse_buffered(parser, buffer, Until::header, hec) && !hec) {
    c.stream.expires_after(s.options.header_timeout);
    hec = co_await read_message(c.stream, buffer, parser, Until::header);
  }
  if (hec) {
    header_failure(hec, s.options.header_limit, ex);
    co_return;
  }

  const RequestHeader& header = parser.get();
  ex.method = header.method_string();
  ex.path = shown_path(header.target());
  const Admission admitted = admit(s, parser, ctx, ex);
  if (admitted.route == nullptr) co_return;
  const Route& route = *admitted.route;
  if (announces_body(parser) && expects_continue(header)) {
    const bool sent =
        co_await send_continue(c, header.version(), s.options.write_timeout);
    if (!sent) co_return;  // no answer: the client is gone
  }

  parser.body_limit(route.body_limit);
  beast::error_code bec;
  if (!parse_buffered(parser, buffer, Until::message, bec) && !bec) {
    c.stream.expires_after(s.options.body_timeout);
    bec = co_await read_message(c.stream, buffer, parser, Until::message);
  }
  if (bec) {
    ex.close_after = true;
    ex.response = body_failure(bec, route.body_limit);
    co_return;
  }
  if (!parser.keep_alive()) ex.close_after = true;
  // The handler takes the request where the parser holds it.
  Request& req = parser.get();
  ex.body_bytes = req.body().size();
  const HandlerCall call{
      .path = ex.path,
      .socket = c.stream.socket(),
      .watches = route.cancel_on_disconnect && buffer.size() == 0 ? &s.watches
                                                                  : nullptr,
      .gone = &c.client_gone};
  co_await call_handler(route, req, ctx, call, ex.response);
}

}  // namespace playground::http
