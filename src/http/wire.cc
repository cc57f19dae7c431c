// A message's header as it goes on the wire (see wire.h).
#include "http/wire.h"

namespace playground::http {
namespace {

void append_version(std::string& out, unsigned version) {
  out += "HTTP/";
  out.push_back(static_cast<char>('0' + version / 10));
  out.push_back('.');
  out.push_back(static_cast<char>('0' + version % 10));
}

// Each field as "Name: value", then the blank line that ends the header.
template <class Fields>
void append_fields(std::string& out, const Fields& fields) {
  for (const auto& field : fields) {
    out += field.name_string();
    out += ": ";
    out += field.value();
    out += "\r\n";
  }
  out += "\r\n";
}

}  // namespace

std::string header_bytes(const Request& request) {
  std::string out;
  out.reserve(256);
  out += request.method_string();
  out.push_back(' ');
  out += request.target();
  out.push_back(' ');
  append_version(out, request.version());
  out += "\r\n";
  append_fields(out, request.base());
  return out;
}

std::string header_bytes(const Response& response) {
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
  out += "\r\n";
  append_fields(out, response.base());
  return out;
}

}  // namespace playground::http
