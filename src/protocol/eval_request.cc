// Parsing and validation of evaluation requests (see eval_request.h).
#include "protocol/eval_request.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cmath>
#include <limits>

#include "common/options.h"
#include "http/form.h"
#include "http/message.h"

namespace playground::protocol {
namespace {

constexpr int kBadRequest = 400;
constexpr int kUnsupportedMediaType = 415;

Error bad(std::string message) {
  return Error{std::move(message), kBadRequest};
}

Error timeout_error() {
  return bad("\"timeout_ms\" must be a positive whole number of milliseconds.");
}

Result<EvalRequest> from_json(std::string_view body) {
  boost::system::error_code ec;
  boost::json::parse_options options;
  options.max_depth = 32;
  boost::json::value doc = boost::json::parse(body, ec, {}, options);
  if (ec) return bad("The body is not valid JSON: " + ec.message() + ".");
  const boost::json::object* obj = doc.if_object();
  if (obj == nullptr)
    return bad("The body must be a JSON object with a \"code\" field.");

  EvalRequest req;
  const boost::json::value* code = obj->if_contains("code");
  if (code == nullptr || code->is_null())
    return bad("The \"code\" field is required.");
  if (!code->is_string()) return bad("The \"code\" field must be a string.");
  req.code = std::string(code->get_string());

  if (const boost::json::value* in = obj->if_contains("stdin");
      in && !in->is_null()) {
    if (!in->is_string()) return bad("The \"stdin\" field must be a string.");
    req.stdin_data = std::string(in->get_string());
  }
  if (const boost::json::value* t = obj->if_contains("timeout_ms");
      t && !t->is_null()) {
    if (t->is_int64()) {
      if (t->get_int64() <= 0) return timeout_error();
      req.timeout_ms = t->get_int64();
    } else if (t->is_uint64()) {
      req.timeout_ms = std::numeric_limits<int64_t>::max();  // clamped later
    } else if (t->is_double()) {
      double d = t->get_double();
      if (!(d >= 1) || std::floor(d) != d) return timeout_error();
      req.timeout_ms = d >= 9.2e18 ? std::numeric_limits<int64_t>::max()
                                   : static_cast<int64_t>(d);
    } else {
      return timeout_error();
    }
  }
  return req;
}

Result<EvalRequest> from_form(const http::FormFields& fields) {
  EvalRequest req;
  const std::string* code = fields.get("code");
  if (code == nullptr) return bad("The \"code\" field is required.");
  req.code = *code;
  if (const std::string* in = fields.get("stdin")) req.stdin_data = *in;
  if (const std::string* t = fields.get("timeout_ms"); t && !t->empty()) {
    int64_t n = 0;
    if (!parse_int(*t, n)) {
      // All digits but too large for 64 bits: clamp like any large value.
      bool digits = t->find_first_not_of("0123456789") == std::string::npos;
      if (!digits) return timeout_error();
      n = std::numeric_limits<int64_t>::max();
    }
    if (n <= 0) return timeout_error();
    req.timeout_ms = n;
  }
  return req;
}

}  // namespace

bool is_supported_media_type(std::string_view content_type) {
  const std::string type = http::media_type(content_type);
  return type == "application/json" ||
         type == "application/x-www-form-urlencoded" ||
         type == "multipart/form-data";
}

Result<EvalRequest> parse_eval_request(std::string_view content_type,
                                       std::string_view body) {
  const std::string type = http::media_type(content_type);
  if (type == "application/json") return from_json(body);
  if (type == "application/x-www-form-urlencoded") {
    auto fields = http::parse_urlencoded(body);
    if (!fields)
      return bad("The form body is malformed: " + fields.error().message + ".");
    return from_form(*fields);
  }
  if (type == "multipart/form-data") {
    auto fields = http::parse_multipart(content_type, body);
    if (!fields)
      return bad("The form body is malformed: " + fields.error().message + ".");
    return from_form(*fields);
  }
  return Error{
      "Content-Type must be application/json, "
      "application/x-www-form-urlencoded "
      "or multipart/form-data.",
      kUnsupportedMediaType};
}

}  // namespace playground::protocol
