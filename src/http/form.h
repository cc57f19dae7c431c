// Form bodies: application/x-www-form-urlencoded and multipart/form-data.
//
//   auto fields = http::parse_form(content_type, body);
//   if (!fields) return bad_request(fields.error().message);
//   const std::string* code = fields->get("code");
//
// Both services accept a form as well as JSON, so a plain HTML form or
// `curl -F code=@main.py` works. Parsing is strict and bounded by the body:
// malformed input is an error, never a guess.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace playground::http {

class FormFields {
 public:
  void add(std::string name, std::string value);
  // The first value of `name`, or nullptr.
  const std::string* get(std::string_view name) const;
  size_t size() const { return fields_.size(); }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

Result<FormFields> parse_urlencoded(std::string_view body);
// `content_type` is the whole header value; its boundary parameter is used.
Result<FormFields> parse_multipart(std::string_view content_type,
                                   std::string_view body);

}  // namespace playground::http
