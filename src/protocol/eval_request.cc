// Parsing and validation of evaluation requests (see eval_request.h).
#include "protocol/eval_request.h"

#include <boost/json/array.hpp>
#include <boost/json/error.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/value.hpp>
#include <cmath>
#include <limits>
#include <string_view>
#include <utility>

#include "common/options.h"
#include "http/form.h"
#include "http/message.h"
#include "protocol/json_fields.h"

namespace playground::protocol {
namespace {

// The fields an evaluation request may hold, found in one pass over its
// object: each lookup by name cost about as much as the whole pass.
struct EvalFields {
  const boost::json::value* code = nullptr;
  const boost::json::value* stdin_text = nullptr;
  const boost::json::value* stdin_encoding = nullptr;
  const boost::json::value* output_encoding = nullptr;
  const boost::json::value* timeout_ms = nullptr;
  const boost::json::value* files = nullptr;
  const boost::json::value* args = nullptr;
};

// Each field by its name in the request.
using FieldSlot = const boost::json::value* EvalFields::*;
constexpr std::pair<std::string_view, FieldSlot> kEvalFieldNames[] = {
    {"code", &EvalFields::code},
    {"stdin", &EvalFields::stdin_text},
    {"stdin_encoding", &EvalFields::stdin_encoding},
    {"output_encoding", &EvalFields::output_encoding},
    {"timeout_ms", &EvalFields::timeout_ms},
    {"files", &EvalFields::files},
    {"args", &EvalFields::args}};

// Null for a field that is missing or null; other names are ignored.
EvalFields eval_fields(const boost::json::object& obj) {
  EvalFields f;
  for (const boost::json::key_value_pair& member : obj) {
    for (const auto& [name, slot] : kEvalFieldNames) {
      if (member.key() == name) {
        f.*slot = member.value().is_null() ? nullptr : &member.value();
        break;
      }
    }
  }
  return f;
}

Result<EvalRequest> from_json(std::string_view body) {
  // Everything is copied out of the parsed value before this returns: its
  // memory can live on this frame (a typical request needs no more).
  unsigned char scratch[2048];
  boost::json::monotonic_resource memory(scratch, sizeof scratch);
  auto parsed = parse_json_object(body, "a \"code\" field", &memory);
  if (!parsed) return parsed.error();
  const EvalFields fields = eval_fields(*parsed);

  EvalRequest req;
  auto code = code_from_json(fields.code);
  if (!code) return code.error();
  req.code = std::move(*code);

  if (const boost::json::value* in = fields.stdin_text) {
    if (!in->is_string())
      return bad_request("The \"stdin\" field must be a string.");
    auto bytes = decoded(*in, fields.stdin_encoding, "\"stdin_encoding\"");
    if (!bytes) return bytes.error();
    req.stdin_data = std::move(*bytes);
  }
  if (const boost::json::value* e = fields.output_encoding) {
    if (!e->is_string() ||
        (e->get_string() != "utf8" && e->get_string() != "base64")) {
      return bad_request("\"output_encoding\" must be \"utf8\" or \"base64\".");
    }
    req.output_base64 = e->get_string() == "base64";
  }
  auto timeout = timeout_from_json(fields.timeout_ms);
  if (!timeout) return timeout.error();
  req.timeout_ms = *timeout;
  if (fields.files != nullptr) {
    auto files = files_from_json(*fields.files);
    if (!files) return files.error();
    req.files = std::move(*files);
  }
  if (fields.args != nullptr) {
    auto args = args_from_json(*fields.args);
    if (!args) return args.error();
    req.args = std::move(*args);
  }
  return req;
}

Result<EvalRequest> from_form(const http::FormFields& fields) {
  EvalRequest req;
  const std::string* code = fields.get("code");
  if (code == nullptr) return bad_request("The \"code\" field is required.");
  req.code = *code;
  if (const std::string* in = fields.get("stdin")) req.stdin_data = *in;
  if (const std::string* t = fields.get("timeout_ms"); t && !t->empty()) {
    int64_t n = 0;
    if (!parse_int(*t, n)) {
      // All digits but too large for 64 bits: clamp like any large value.
      bool digits = t->find_first_not_of("0123456789") == std::string::npos;
      if (!digits) return timeout_ms_error();
      n = std::numeric_limits<int64_t>::max();
    }
    if (n <= 0) return timeout_ms_error();
    req.timeout_ms = n;
  }
  return req;
}

}  // namespace

std::string file_name_problem(std::string_view name) {
  if (name.empty()) return "is empty";
  if (name.size() > kMaxFileNameBytes) {
    return "is longer than " + std::to_string(kMaxFileNameBytes) + " bytes";
  }
  if (name.front() == '/') return "is absolute (names are relative to main.py)";
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return "contains a control character";
  }
  size_t parts = 0;
  for (size_t start = 0; start <= name.size();) {
    size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    std::string_view part = name.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") {
      return "has an empty, \".\" or \"..\" part";
    }
    if (++parts > kMaxFileNameParts) {
      return "has more than " + std::to_string(kMaxFileNameParts) + " parts";
    }
    start = end + 1;
  }
  if (name == "main.py") return "is the program's own (main.py)";
  return "";
}

bool is_supported_media_type(std::string_view content_type) {
  return http::has_media_type(content_type, "application/json") ||
         http::has_media_type(content_type,
                              "application/x-www-form-urlencoded") ||
         http::has_media_type(content_type, "multipart/form-data");
}

std::optional<http::Response> refuse_media_type(
    const http::RequestHeader& header) {
  if (is_supported_media_type(header[http::beast_http::field::content_type])) {
    return std::nullopt;
  }
  return http::json_error(http::Status::unsupported_media_type,
                          kUnsupportedMediaTypeMessage);
}

Result<EvalRequest> parse_eval_request(std::string_view content_type,
                                       std::string_view body) {
  if (http::has_media_type(content_type, "application/json")) {
    return from_json(body);
  }
  if (http::has_media_type(content_type, "application/x-www-form-urlencoded")) {
    auto fields = http::parse_urlencoded(body);
    if (!fields)
      return bad_request(
          "The form body is malformed: " + fields.error().message + ".");
    return from_form(*fields);
  }
  if (http::has_media_type(content_type, "multipart/form-data")) {
    auto fields = http::parse_multipart(content_type, body);
    if (!fields)
      return bad_request(
          "The form body is malformed: " + fields.error().message + ".");
    return from_form(*fields);
  }
  return Error{std::string(kUnsupportedMediaTypeMessage),
               Errc::unsupported_media_type};
}

}  // namespace playground::protocol
