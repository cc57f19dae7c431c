// Parsing and validation of evaluation requests (see eval_request.h).
#include "protocol/eval_request.h"

#include <boost/json/array.hpp>
#include <boost/json/error.hpp>
#include <boost/json/stream_parser.hpp>
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

Result<std::vector<ProgramFile>> files_from_json(const boost::json::value& v) {
  const boost::json::array* list = v.if_array();
  if (list == nullptr) {
    return bad(
        "\"files\" must be a list of {\"name\": ..., \"content\": ...}.");
  }
  if (list->size() > kMaxFiles) {
    return bad("\"files\" may hold at most " + std::to_string(kMaxFiles) +
               " files.");
  }
  std::vector<ProgramFile> files;
  for (const boost::json::value& item : *list) {
    const boost::json::object* f = item.if_object();
    const boost::json::value* name = f ? f->if_contains("name") : nullptr;
    const boost::json::value* content = f ? f->if_contains("content") : nullptr;
    if (name == nullptr || !name->is_string() || content == nullptr ||
        !content->is_string()) {
      return bad(
          "Each of \"files\" must be {\"name\": \"...\", \"content\": "
          "\"...\"} with two strings.");
    }
    ProgramFile file{std::string(name->get_string()),
                     std::string(content->get_string())};
    if (std::string why = file_name_problem(file.name); !why.empty()) {
      return bad("The file name \"" + file.name.substr(0, 64) + "\" " + why +
                 ".");
    }
    for (const ProgramFile& earlier : files) {
      if (earlier.name == file.name) {
        return bad("The file \"" + file.name + "\" is given twice.");
      }
      // "a" and "a/b" cannot both be: one would have to be a directory.
      if (file.name.starts_with(earlier.name + "/") ||
          earlier.name.starts_with(file.name + "/")) {
        return bad("The files \"" + earlier.name + "\" and \"" + file.name +
                   "\" cannot both exist.");
      }
    }
    files.push_back(std::move(file));
  }
  return files;
}

Result<std::vector<std::string>> args_from_json(const boost::json::value& v) {
  const boost::json::array* list = v.if_array();
  if (list == nullptr) return bad("\"args\" must be a list of strings.");
  if (list->size() > kMaxArgs) {
    return bad("\"args\" may hold at most " + std::to_string(kMaxArgs) +
               " arguments.");
  }
  std::vector<std::string> args;
  for (const boost::json::value& item : *list) {
    if (!item.is_string()) return bad("\"args\" must be a list of strings.");
    std::string arg(item.get_string());
    if (arg.size() > kMaxArgBytes) {
      return bad("Each of \"args\" may be at most " +
                 std::to_string(kMaxArgBytes) + " bytes.");
    }
    // A real command line cannot carry one, so sys.argv never has it.
    if (arg.find('\0') != std::string::npos) {
      return bad("\"args\" may not contain a NUL character.");
    }
    args.push_back(std::move(arg));
  }
  return args;
}

namespace {

// What is wrong with a body that is not JSON, and where: "syntax error"
// alone does not help a client find a lone surrogate in its code.
std::string json_problem(std::string_view body, size_t at,
                         const boost::system::error_code& ec) {
  at = std::min(at, body.size());
  size_t line = 1, column = 1;
  for (size_t i = 0; i < at; ++i) {
    if (body[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  // A \uD800-\uDFFF escape that is not half of a pair (a string cut in the
  // middle of an emoji, or made by a UTF-16 encoder): Boost.JSON names the
  // pair's wrong half, but says only "syntax error" when a first half is
  // followed by anything but a second escape.
  auto high_surrogate_before = [&] {
    if (at < 6) return false;
    const std::string_view escape = body.substr(at - 6, 6);
    return escape[0] == '\\' && escape[1] == 'u' &&
           (escape[2] == 'd' || escape[2] == 'D') &&
           std::string_view("89abAB").find(escape[3]) != std::string_view::npos;
  };
  const bool lone_surrogate =
      ec == boost::json::error::illegal_leading_surrogate ||
      ec == boost::json::error::illegal_trailing_surrogate ||
      (ec == boost::json::error::syntax && high_surrogate_before());
  const std::string what =
      lone_surrogate
          ? "a \\u escape of a lone UTF-16 surrogate (half of a pair; "
            "characters beyond U+FFFF need both halves, e.g. \\ud83d\\ude00)"
          : ec.message();
  return "The body is not valid JSON: " + what + " at line " +
         std::to_string(line) + ", column " + std::to_string(column) + ".";
}

}  // namespace

Result<EvalRequest> from_json(std::string_view body) {
  boost::system::error_code ec;
  boost::json::parse_options options;
  options.max_depth = 32;
  boost::json::stream_parser parser({}, options);
  const size_t consumed = parser.write_some(body.data(), body.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) return bad(json_problem(body, consumed, ec));
  boost::json::value doc = parser.release();
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
  if (const boost::json::value* f = obj->if_contains("files");
      f && !f->is_null()) {
    auto files = files_from_json(*f);
    if (!files) return files.error();
    req.files = std::move(*files);
  }
  if (const boost::json::value* a = obj->if_contains("args");
      a && !a->is_null()) {
    auto args = args_from_json(*a);
    if (!args) return args.error();
    req.args = std::move(*args);
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
  const std::string type = http::media_type(content_type);
  return type == "application/json" ||
         type == "application/x-www-form-urlencoded" ||
         type == "multipart/form-data";
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
  return Error{std::string(kUnsupportedMediaTypeMessage),
               kUnsupportedMediaType};
}

}  // namespace playground::protocol
