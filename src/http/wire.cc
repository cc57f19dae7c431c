// A message's header as it goes on the wire (see wire.h).
#include "http/wire.h"

namespace playground::http {

// Literals appended as "..."sv: their length is known, no strlen per append.
using namespace std::string_view_literals;

namespace {

void append_version(std::string& out, unsigned version) {
  out += "HTTP/"sv;
  out.push_back(static_cast<char>('0' + version / 10));
  out.push_back('.');
  out.push_back(static_cast<char>('0' + version % 10));
}

}  // namespace

std::string header_bytes(const Response& response,
                         std::string_view more_fields) {
  std::string out;
  out.reserve(256);
  append_version(out, response.version());
  // Three digits, as Beast writes them (a relayed code may be below 100).
  const unsigned code = response.result_int() % 1000;
  out.push_back(' ');
  out.push_back(static_cast<char>('0' + code / 100));
  out.push_back(static_cast<char>('0' + code / 10 % 10));
  out.push_back(static_cast<char>('0' + code % 10));
  out.push_back(' ');
  out += response.reason();
  out += "\r\n"sv;
  for (const auto& field : response.base()) {
    out += field.name_string();
    out += ": "sv;
    out += field.value();
    out += "\r\n"sv;
  }
  out += more_fields;
  out += "\r\n"sv;
  return out;
}

}  // namespace playground::http
