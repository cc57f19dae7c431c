// A request's extra log fields (see log_fields.h).
#include "http/log_fields.h"

#include <algorithm>
#include <cassert>

#include "common/json.h"

namespace playground::http {

using namespace std::string_view_literals;

namespace {

// What a key may hold to be written as it is.
[[maybe_unused]] bool is_plain_key(std::string_view key) {
  constexpr std::string_view kReserved[] = {
      "ts", "level",  "msg", "method", "path",        "status",
      "ms", "remote", "in",  "out",    "write_error", "client_gone"};
  if (key.empty() || std::find(std::begin(kReserved), std::end(kReserved),
                               key) != std::end(kReserved)) {
    return false;
  }
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

void LogFields::set_field(std::string_view key, boost::json::value value) {
  assert(is_plain_key(key));
  for (Field& f : fields_) {
    if (f.key == key) {
      f.value = std::move(value);
      return;
    }
  }
  fields_.push_back({key, std::move(value)});
}

const boost::json::value* LogFields::find(std::string_view key) const {
  for (const Field& f : fields_) {
    if (f.key == key) return &f.value;
  }
  return nullptr;
}

void LogFields::append_to(std::string& line) const {
  for (const Field& f : fields_) {
    line += ",\""sv;
    line += f.key;
    line += "\":"sv;
    json::append_text(line, f.value);
  }
}

}  // namespace playground::http
