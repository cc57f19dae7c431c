// Fuzz target: arbitrary bytes read as an HTTP request by http::RequestReader
// (the services' parser, its fields in http::Fields), beside Beast's own
// request_parser with the same limits, fed in the same pieces.
//
// Input: a first byte that sets the size of the pieces, then the bytes on
// the wire.
// Properties:
//  - both parsers end the same way: the same error, or the same progress
//    (header done, message done);
//  - a request both read whole is the same request: method, target,
//    version, body, keep-alive, chunked, and the fields (Beast lists the
//    fields of one name together, in the order each name first came);
//  - http::Fields finds each field as the first of its name, by name
//    without case and by code; a copy lists the same fields; setting a
//    field leaves the others as they were.
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_check.h"
#include "http/request_reader.h"

namespace {

namespace beast = boost::beast;
namespace beast_http = boost::beast::http;
using playground::http::Field;
using playground::http::Fields;
using playground::http::RequestReader;
using List = std::vector<std::pair<std::string, std::string>>;

beast::error_code feed(beast_http::basic_parser<true>& parser,
                       std::string_view wire, size_t piece) {
  parser.eager(true);
  parser.header_limit(4096);
  parser.body_limit(4096);
  beast::error_code ec;
  std::string pending;
  while (!wire.empty() && !parser.is_done()) {
    const size_t n = std::min(piece, wire.size());
    pending.append(wire.data(), n);
    wire.remove_prefix(n);
    while (!pending.empty() && !parser.is_done()) {
      const size_t used =
          parser.put(boost::asio::buffer(pending.data(), pending.size()), ec);
      pending.erase(0, used);
      if (ec == beast_http::error::need_more) {
        ec = {};
        break;
      }
      if (ec) return ec;
    }
  }
  return ec;
}

// Ours, in Beast's order: the fields of a name together, names in the
// order they first came.
List grouped(const Fields& fields) {
  List out;
  std::vector<bool> taken(fields.size(), false);
  size_t i = 0;
  for (const Field& f : fields) {
    if (!taken[i]) {
      size_t j = 0;
      for (const Field& g : fields) {
        if (!taken[j] && playground::http::equal_ignoring_case(
                             g.name_string(), f.name_string())) {
          taken[j] = true;
          out.emplace_back(g.name_string(), g.value());
        }
        ++j;
      }
    }
    ++i;
  }
  return out;
}

List listed(const Fields& fields) {
  List out;
  for (const Field& f : fields) out.emplace_back(f.name_string(), f.value());
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t piece = data[0] % 64 + 1;
  const std::string_view wire(reinterpret_cast<const char*>(data + 1),
                              size - 1);
  RequestReader ours;
  beast_http::request_parser<beast_http::string_body> theirs;
  const beast::error_code our_ec = feed(ours, wire, piece);
  const beast::error_code their_ec = feed(theirs, wire, piece);
  FUZZ_CHECK(our_ec == their_ec);
  FUZZ_CHECK(ours.is_header_done() == theirs.is_header_done());
  FUZZ_CHECK(ours.is_done() == theirs.is_done());
  if (our_ec || !ours.is_done()) return 0;

  const playground::http::Request& a = ours.get();
  const auto& b = theirs.get();
  FUZZ_CHECK(a.method_string() == b.method_string());
  FUZZ_CHECK(a.target() == b.target());
  FUZZ_CHECK(a.version() == b.version());
  FUZZ_CHECK(a.body() == b.body());
  FUZZ_CHECK(ours.keep_alive() == theirs.keep_alive());
  FUZZ_CHECK(ours.chunked() == theirs.chunked());
  List beast_fields;
  for (const auto& f : b) beast_fields.emplace_back(f.name_string(), f.value());
  FUZZ_CHECK(grouped(a) == beast_fields);

  for (const Field& f : a) {
    const auto first = a.find(f.name_string());
    FUZZ_CHECK(first != a.end());
    FUZZ_CHECK(playground::http::equal_ignoring_case(first->name_string(),
                                                     f.name_string()));
    FUZZ_CHECK(a[f.name_string()] == first->value());
    FUZZ_CHECK(a.count(f.name_string()) == b.count(f.name_string()));
    if (f.name() != beast_http::field::unknown) {
      FUZZ_CHECK(a[f.name()] == first->value());
    }
  }
  const playground::http::Request copy = a;
  FUZZ_CHECK(listed(copy) == listed(a));
  FUZZ_CHECK(copy.target() == a.target());
  if (!a.empty()) {
    playground::http::Request changed = a;
    const std::string name(a.begin()->name_string());
    changed.set(name, "x");
    List others, others_after;
    for (const Field& f : a) {
      if (!playground::http::equal_ignoring_case(f.name_string(), name)) {
        others.emplace_back(f.name_string(), f.value());
      }
    }
    for (const Field& f : changed) {
      if (!playground::http::equal_ignoring_case(f.name_string(), name)) {
        others_after.emplace_back(f.name_string(), f.value());
      }
    }
    FUZZ_CHECK(others == others_after);
    FUZZ_CHECK(changed[name] == "x");
    FUZZ_CHECK(changed.count(name) == 1);
  }
  return 0;
}
