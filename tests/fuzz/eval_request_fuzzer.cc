// Fuzz target: request bodies (JSON, urlencoded, multipart) as both services
// parse them (protocol::parse_eval_request over http::parse_urlencoded and
// http::parse_multipart).
//
// Input: the Content-Type value, a newline, then the body.
// Properties:
//  - the answer is a request or an invalid_request / unsupported_media_type
//    error (400/415), the same one every time;
//    415 exactly when the media type is not one of the three;
//  - code and stdin together are never longer than the body, and a timeout
//    is positive;
//  - a JSON request's fields are valid UTF-8;
//  - files and args keep their bounds: counts, every name valid, no NUL in
//    an argument, and with code and stdin never longer than the body;
//  - the request, encoded again as JSON, as a urlencoded form and as a
//    multipart form, parses back to the same request.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/utf8.h"
#include "fuzz_check.h"
#include "http/message.h"
#include "protocol/eval_request.h"

namespace {

using playground::protocol::EvalRequest;
using playground::protocol::is_supported_media_type;
using playground::protocol::parse_eval_request;

bool same(const EvalRequest& a, const EvalRequest& b) {
  return a.code == b.code && a.stdin_data == b.stdin_data &&
         a.timeout_ms == b.timeout_ms;
}

std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.') {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

void check_round_trip(std::string_view content_type, const std::string& body,
                      const EvalRequest& want) {
  auto got = parse_eval_request(content_type, body);
  if (!got) {
    std::fprintf(stderr, "re-encoded %.*s request refused: %s\n",
                 static_cast<int>(content_type.size()), content_type.data(),
                 got.error().message.c_str());
  }
  FUZZ_CHECK(got.ok());
  FUZZ_CHECK(same(*got, want));
}

void check_encodings(const EvalRequest& req) {
  const std::string timeout =
      req.timeout_ms ? std::to_string(*req.timeout_ms) : "";

  // JSON carries UTF-8 text only.
  if (playground::utf8::is_valid(req.code) &&
      playground::utf8::is_valid(req.stdin_data)) {
    std::string json = "{\"code\":";
    playground::json::append_string(json, req.code);
    json += ",\"stdin\":";
    playground::json::append_string(json, req.stdin_data);
    if (req.timeout_ms) json += ",\"timeout_ms\":" + timeout;
    json += "}";
    check_round_trip("application/json", json, req);
  }

  std::string form = "code=" + percent_encode(req.code) +
                     "&stdin=" + percent_encode(req.stdin_data);
  if (req.timeout_ms) form += "&timeout_ms=" + timeout;
  check_round_trip("application/x-www-form-urlencoded", form, req);

  // A boundary that occurs in neither field.
  std::string boundary;
  for (int i = 0;; ++i) {
    boundary = "pg" + std::to_string(i);
    const std::string delimiter = "\r\n--" + boundary;
    if (req.code.find(delimiter) == std::string::npos &&
        req.stdin_data.find(delimiter) == std::string::npos) {
      break;
    }
  }
  auto part = [&](std::string_view name, std::string_view value) {
    return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" +
           std::string(name) + "\"\r\n\r\n" + std::string(value) + "\r\n";
  };
  std::string multipart =
      part("code", req.code) + part("stdin", req.stdin_data);
  if (req.timeout_ms) multipart += part("timeout_ms", timeout);
  multipart += "--" + boundary + "--\r\n";
  check_round_trip("multipart/form-data; boundary=" + boundary, multipart, req);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string_view content_type = input.substr(0, newline);
  const std::string_view body = newline == std::string_view::npos
                                    ? std::string_view()
                                    : input.substr(newline + 1);

  auto req = parse_eval_request(content_type, body);
  auto again = parse_eval_request(content_type, body);
  FUZZ_CHECK(req.ok() == again.ok());
  const bool supported = is_supported_media_type(content_type);
  if (!req) {
    const auto& error = req.error();
    using playground::Errc;
    FUZZ_CHECK(error.code == Errc::invalid_request ||
               error.code == Errc::unsupported_media_type);
    FUZZ_CHECK((error.code == Errc::unsupported_media_type) == !supported);
    FUZZ_CHECK(!error.message.empty());
    FUZZ_CHECK(error.message == again.error().message);
    return 0;
  }
  FUZZ_CHECK(supported);
  FUZZ_CHECK(same(*req, *again));
  FUZZ_CHECK(req->code.size() + req->stdin_data.size() <= body.size());
  FUZZ_CHECK(!req->timeout_ms || *req->timeout_ms > 0);
  if (playground::http::has_media_type(content_type, "application/json")) {
    FUZZ_CHECK(playground::utf8::is_valid(req->code));
    FUZZ_CHECK(playground::utf8::is_valid(req->stdin_data));
  }
  FUZZ_CHECK(req->files.size() <= playground::protocol::kMaxFiles);
  FUZZ_CHECK(req->args.size() <= playground::protocol::kMaxArgs);
  size_t given = req->code.size() + req->stdin_data.size();
  for (const auto& f : req->files) {
    FUZZ_CHECK(playground::protocol::file_name_problem(f.name).empty());
    given += f.name.size() + f.content.size();
  }
  for (const auto& a : req->args) {
    FUZZ_CHECK(a.size() <= playground::protocol::kMaxArgBytes);
    FUZZ_CHECK(a.find('\0') == std::string::npos);
    given += a.size();
  }
  FUZZ_CHECK(given <= body.size());
  check_encodings(*req);
  return 0;
}
