// A message's header as it goes on the wire (see wire.h).
#include "http/wire.h"

#include <boost/assert.hpp>

namespace playground::http {

// Literals appended as "..."sv: their length is known, no strlen per append.
using namespace std::string_view_literals;

// Sized first and then written by copies (see copy_to).
std::string header_bytes(const Response& response,
                         std::string_view more_fields) {
  constexpr std::string_view crlf = "\r\n"sv;
  const std::string_view reason = response.reason();
  // "HTTP/1.1 200 " is 13 bytes; the reason, CRLF; the fields; more; CRLF.
  size_t size = 13 + reason.size() + 2 + more_fields.size() + 2;
  for (const auto& field : response.base()) {
    size += field.name_string().size() + 2 + field.value().size() + 2;
  }
  std::string out(size, '\0');
  char* at = out.data();
  const unsigned version = response.version();
  // Three digits, as Beast writes them (a relayed code may be below 100).
  const unsigned code = response.result_int() % 1000;
  const char status_line[13] = {'H',
                                'T',
                                'T',
                                'P',
                                '/',
                                static_cast<char>('0' + version / 10 % 10),
                                '.',
                                static_cast<char>('0' + version % 10),
                                ' ',
                                static_cast<char>('0' + code / 100),
                                static_cast<char>('0' + code / 10 % 10),
                                static_cast<char>('0' + code % 10),
                                ' '};
  at = copy_to(at, {status_line, sizeof status_line});
  at = copy_to(at, reason);
  at = copy_to(at, crlf);
  for (const auto& field : response.base()) {
    at = copy_to(at, field.name_string());
    at = copy_to(at, ": "sv);
    at = copy_to(at, field.value());
    at = copy_to(at, crlf);
  }
  at = copy_to(at, more_fields);
  at = copy_to(at, crlf);
  BOOST_ASSERT(at == out.data() + out.size());
  return out;
}

}  // namespace playground::http
