// Parsers for urlencoded and multipart form bodies (see form.h).
#include "http/form.h"

#include <algorithm>
#include <boost/beast/core/string.hpp>
#include <boost/url/pct_string_view.hpp>
#include <boost/url/url.hpp>
#include <optional>

#include "http/message.h"

namespace playground::http {
namespace {

namespace urls = boost::urls;

// A quoted-string's content: the quotes gone, each backslash escape resolved.
std::string unquote(std::string_view s) {
  if (s.size() < 2 || s.front() != '"') return std::string(s);
  std::string out;
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    if (s[i] == '\\') ++i;
    out.push_back(s[i]);
  }
  return out;
}

// The value of parameter `name` in a header value like
// `multipart/form-data; boundary="abc"` or `form-data; name="code"`
// (RFC 9110 5.6.6). Parsed here: Beast's param_list reads past the end of
// a value that ends in a parameter without "=" (`...; boundary`), found by
// the eval_request fuzzer. A parameter without a value is skipped.
std::optional<std::string> header_parameter(std::string_view value,
                                            std::string_view name) {
  constexpr size_t npos = std::string_view::npos;
  size_t at = value.find(';');  // the parameters follow the type
  while (at != npos) {
    const size_t start = at + 1;
    const size_t eq = value.find('=', start);
    const size_t semi = value.find(';', start);
    if (eq == npos || (semi != npos && semi < eq)) {
      at = semi;
      continue;
    }
    const std::string_view key = trim_ows(value.substr(start, eq - start));
    size_t from = eq + 1;
    while (from < value.size() && (value[from] == ' ' || value[from] == '\t')) {
      ++from;
    }
    std::string parameter;
    if (from < value.size() && value[from] == '"') {
      // A quoted-string ends at its first unescaped quote (or the value's
      // end); a ';' inside it is its own.
      size_t close = from + 1;
      while (close < value.size() && value[close] != '"') {
        close += value[close] == '\\' ? 2 : 1;
      }
      const size_t end = std::min(close + 1, value.size());
      parameter = unquote(value.substr(from, end - from));
      at = value.find(';', end);
    } else {
      const size_t end = semi == npos ? value.size() : semi;
      parameter = std::string(trim_ows(value.substr(from, end - from)));
      at = semi;
    }
    if (equal_ignoring_case(key, name)) return parameter;
  }
  return std::nullopt;
}

}  // namespace

void FormFields::add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

const std::string* FormFields::get(std::string_view name) const {
  for (const auto& [k, v] : fields_) {
    if (k == name) return &v;
  }
  return nullptr;
}

Result<FormFields> parse_urlencoded(std::string_view body) {
  const auto escaped = urls::make_pct_string_view(body);
  if (!escaped) {
    return Error{escaped.error() == urls::error::incomplete_encoding
                     ? "the form body has a truncated %-escape"
                     : "the form body has an invalid %-escape"};
  }
  // A form body is a URL query, except that clients (curl -d) also send
  // characters a query must escape ('"', '[', spaces, UTF-8): setting it as a
  // query escapes those and keeps the escapes it has, where parse_query would
  // refuse the body.
  urls::url query;
  query.set_encoded_query(*escaped);
  const urls::encoding_opts form{/*space_as_plus=*/true};
  FormFields fields;
  for (const urls::param_pct_view& p : query.encoded_params()) {
    if (p.key.empty() && !p.has_value) continue;  // "a=1&&b=2", or no body
    fields.add(p.key.decode(form), p.has_value ? p.value.decode(form) : "");
  }
  return fields;
}

Result<FormFields> parse_multipart(std::string_view content_type,
                                   std::string_view body) {
  auto boundary = header_parameter(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 200) {
    return Error{"the multipart Content-Type has no valid boundary parameter"};
  }
  const std::string delimiter = "--" + *boundary;
  const std::string part_delimiter = "\r\n" + delimiter;

  // The body starts with the first delimiter (a preamble is allowed before it).
  size_t pos;
  if (body.substr(0, delimiter.size()) == delimiter) {
    pos = delimiter.size();
  } else {
    pos = body.find(part_delimiter);
    if (pos == std::string_view::npos) {
      return Error{"the multipart body does not contain its boundary"};
    }
    pos += part_delimiter.size();
  }

  FormFields fields;
  for (;;) {
    // After a delimiter: "--" ends the body, CRLF starts a part.
    if (body.substr(pos, 2) == "--") return fields;
    if (body.substr(pos, 2) != "\r\n")
      return Error{"the multipart body is malformed"};
    pos += 2;
    size_t headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) {
      return Error{"a multipart part has no end of headers"};
    }
    std::optional<std::string> name;
    std::string_view headers = body.substr(pos, headers_end - pos);
    size_t line_start = 0;
    while (line_start <= headers.size()) {
      size_t line_end = headers.find("\r\n", line_start);
      std::string_view line =
          headers.substr(line_start, line_end == std::string_view::npos
                                         ? std::string_view::npos
                                         : line_end - line_start);
      if (equal_ignoring_case(line.substr(0, 20), "content-disposition:")) {
        std::string_view value = trim_ows(line.substr(20));
        if (!equal_ignoring_case(value.substr(0, 9), "form-data")) {
          return Error{"a multipart part is not form-data"};
        }
        name = header_parameter(value, "name");
      }
      if (line_end == std::string_view::npos) break;
      line_start = line_end + 2;
    }
    if (!name) return Error{"a multipart part has no name"};
    size_t content_start = headers_end + 4;
    size_t content_end = body.find(part_delimiter, content_start);
    if (content_end == std::string_view::npos) {
      return Error{"a multipart part is not closed by its boundary"};
    }
    fields.add(
        std::move(*name),
        std::string(body.substr(content_start, content_end - content_start)));
    pos = content_end + part_delimiter.size();
  }
}

}  // namespace playground::http
