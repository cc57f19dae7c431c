// The JSON fields shared by program-carrying requests (see json_fields.h).
#include "protocol/json_fields.h"

#include <boost/json/array.hpp>
#include <boost/json/error.hpp>
#include <boost/json/parser.hpp>
#include <cmath>
#include <limits>

#include "common/encoding.h"

namespace playground::protocol {
namespace {

Error bad(std::string message) { return bad_request(std::move(message)); }

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

Result<std::string> decoded(const boost::json::value& text,
                            const boost::json::value* encoding,
                            std::string_view what) {
  if (encoding == nullptr || encoding->is_null() ||
      (encoding->is_string() && encoding->get_string() == "utf8")) {
    return std::string(text.get_string());
  }
  if (!encoding->is_string() || encoding->get_string() != "base64") {
    return bad("The " + std::string(what) + " must be \"utf8\" or \"base64\".");
  }
  auto bytes = encoding::base64_decode(text.get_string());
  if (!bytes) return bad("Text said to be base64 is not valid base64.");
  return std::move(*bytes);
}

Error bad_request(std::string message) {
  return Error{std::move(message), Errc::invalid_request};
}

Error timeout_ms_error() {
  return bad_request(
      "\"timeout_ms\" must be a positive whole number of milliseconds.");
}

Result<boost::json::value> parse_json_body(std::string_view body,
                                           boost::json::storage_ptr storage) {
  boost::system::error_code ec;
  boost::json::parse_options options;
  options.max_depth = 32;
  // The parser's own stack, enough for 32 levels: on this one's.
  unsigned char scratch[1024];
  // The whole body at once: a parser told the text may go on (a
  // stream_parser) stops at its end to wait for more, and allocates the
  // state it would resume from, for every request.
  boost::json::parser parser({}, options, scratch);
  parser.reset(std::move(storage));
  const size_t consumed = parser.write(body.data(), body.size(), ec);
  if (ec) return bad(json_problem(body, consumed, ec));
  return parser.release();
}

Result<boost::json::object> parse_json_object(
    std::string_view body, std::string_view shape,
    boost::json::storage_ptr storage) {
  auto doc = parse_json_body(body, std::move(storage));
  if (!doc) return doc.error();
  if (!doc->is_object()) {
    return bad("The body must be a JSON object with " + std::string(shape) +
               ".");
  }
  return std::move(doc->get_object());
}

Result<std::string> code_from_json(const boost::json::object& obj) {
  return code_from_json(obj.if_contains("code"));
}

Result<std::string> code_from_json(const boost::json::value* code) {
  if (code == nullptr || code->is_null()) {
    return bad("The \"code\" field is required.");
  }
  if (!code->is_string()) return bad("The \"code\" field must be a string.");
  return std::string(code->get_string());
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
    auto bytes =
        decoded(*content, f->if_contains("encoding"), "a file's \"encoding\"");
    if (!bytes) return bytes.error();
    files.push_back({std::string(name->get_string()), std::move(*bytes)});
  }
  if (auto checked = check_files(files); !checked) return checked.error();
  return files;
}

Result<void> check_files(const std::vector<ProgramFile>& files) {
  if (files.size() > kMaxFiles) {
    return bad("At most " + std::to_string(kMaxFiles) +
               " files may be given besides the program.");
  }
  for (size_t i = 0; i < files.size(); ++i) {
    const ProgramFile& file = files[i];
    if (std::string why = file_name_problem(file.name); !why.empty()) {
      return bad("The file name \"" + file.name.substr(0, 64) + "\" " + why +
                 ".");
    }
    for (size_t j = 0; j < i; ++j) {
      const ProgramFile& earlier = files[j];
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
  }
  return {};
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

Result<std::optional<int64_t>> timeout_from_json(const boost::json::value* t) {
  if (t == nullptr || t->is_null()) return std::optional<int64_t>();
  if (t->is_int64()) {
    if (t->get_int64() <= 0) return timeout_ms_error();
    return std::optional<int64_t>(t->get_int64());
  }
  if (t->is_uint64()) {
    return std::optional<int64_t>(std::numeric_limits<int64_t>::max());
  }
  if (t->is_double()) {
    const double d = t->get_double();
    if (!(d >= 1) || std::floor(d) != d) return timeout_ms_error();
    return std::optional<int64_t>(d >= 9.2e18
                                      ? std::numeric_limits<int64_t>::max()
                                      : static_cast<int64_t>(d));
  }
  return timeout_ms_error();
}

}  // namespace playground::protocol
