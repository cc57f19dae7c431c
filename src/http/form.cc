// Parsers for urlencoded and multipart form bodies (see form.h).
#include "http/form.h"

#include <cctype>
#include <optional>

#include "http/message.h"

namespace playground::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= s.size()) {
        return Error{"the form body has a truncated %-escape"};
      }
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0)
        return Error{"the form body has an invalid %-escape"};
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool iequals_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

// The value of parameter `name` in a header value like
// `multipart/form-data; boundary="abc"` or `form-data; name="code"`.
std::optional<std::string> header_parameter(std::string_view value,
                                            std::string_view name) {
  size_t pos = value.find(';');
  while (pos != std::string_view::npos) {
    std::string_view rest = value.substr(pos + 1);
    size_t next = std::string_view::npos;
    // A quoted value may contain ';'.
    size_t eq = rest.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    std::string_view key = trim_ows(rest.substr(0, eq));
    std::string_view after = rest.substr(eq + 1);
    while (!after.empty() && after.front() == ' ') after.remove_prefix(1);
    std::string parsed;
    if (!after.empty() && after.front() == '"') {
      size_t i = 1;
      for (; i < after.size() && after[i] != '"'; ++i) {
        if (after[i] == '\\' && i + 1 < after.size()) ++i;
        parsed.push_back(after[i]);
      }
      if (i >= after.size()) return std::nullopt;  // unterminated quote
      size_t semi = after.find(';', i);
      next = semi == std::string_view::npos
                 ? semi
                 : (value.size() - after.size()) + semi;
    } else {
      size_t semi = after.find(';');
      parsed = std::string(trim_ows(after.substr(0, semi)));
      next = semi == std::string_view::npos
                 ? semi
                 : (value.size() - after.size()) + semi;
    }
    if (key.size() == name.size() && iequals_prefix(key, name)) return parsed;
    pos = next;
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
  FormFields fields;
  size_t start = 0;
  while (start <= body.size()) {
    size_t amp = body.find('&', start);
    std::string_view pair = body.substr(start, amp == std::string_view::npos
                                                   ? std::string_view::npos
                                                   : amp - start);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      auto name = percent_decode(pair.substr(0, eq));
      if (!name) return name.error();
      std::string value;
      if (eq != std::string_view::npos) {
        auto v = percent_decode(pair.substr(eq + 1));
        if (!v) return v.error();
        value = std::move(*v);
      }
      fields.add(std::move(*name), std::move(value));
    }
    if (amp == std::string_view::npos) break;
    start = amp + 1;
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
      if (iequals_prefix(line, "content-disposition:")) {
        std::string_view value = trim_ows(line.substr(20));
        if (!iequals_prefix(value, "form-data")) {
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
