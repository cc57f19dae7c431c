// Fuzz target: arbitrary bytes made into JSON text (common/utf8 and
// common/json), the path every program output, log line and error takes.
//
// Input: any bytes.
// Properties:
//  - utf8::is_valid agrees with Boost.JSON's own UTF-8 validation (an
//    independent implementation);
//  - utf8::make_valid gives valid UTF-8, leaves valid text unchanged, is
//    idempotent, at most triples the size, and repairs each part of the text
//    on its own (a valid prefix is kept as it is);
//  - json::append_string gives valid UTF-8 JSON without raw control
//    characters that Boost.JSON reads back as make_valid(input), exactly the
//    input when that was valid UTF-8;
//  - json::to_text of a document built from the input parses back to the
//    same document; doubles are written in the shortest form that reads back
//    exactly (checked with std::from_chars), non-finite ones as null.
#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/utf8.h"
#include "fuzz_check.h"

namespace {

namespace json = playground::json;
namespace utf8 = playground::utf8;

// The bytes as a JSON string literal, escaping only what JSON requires and
// leaving every other byte raw, so the parser has to judge the UTF-8.
std::string raw_literal(std::string_view bytes) {
  std::string out = "\"";
  for (unsigned char c : bytes) {
    if (c < 0x20 || c == '"' || c == '\\') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out + "\"";
}

void check_double(double d) {
  const std::string text = json::to_text(boost::json::value(d));
  if (!std::isfinite(d)) {
    FUZZ_CHECK(text == "null");
    return;
  }
  double back = 0;
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), back);
  FUZZ_CHECK(ec == std::errc() && end == text.data() + text.size());
  FUZZ_CHECK(back == d && std::signbit(back) == std::signbit(d));
  // Boost.JSON 1.81 reads doubles to within a few units in the last place,
  // subnormal ones only to within about 1e-320 (std::from_chars above is the
  // exact check of what we write).
  boost::system::error_code parse_ec;
  boost::json::value v = boost::json::parse(text, parse_ec);
  FUZZ_CHECK(!parse_ec && v.is_number());
  const double parsed = v.to_number<double>();
  FUZZ_CHECK(std::fabs(parsed - d) <= std::max(std::fabs(d) * 1e-15, 1e-320));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  const bool valid = utf8::is_valid(bytes);
  boost::system::error_code ec;
  boost::json::parse(raw_literal(bytes), ec);
  FUZZ_CHECK(valid == !ec);

  const std::string repaired = utf8::make_valid(bytes);
  FUZZ_CHECK(utf8::is_valid(repaired));
  FUZZ_CHECK((repaired == bytes) == valid);
  FUZZ_CHECK(utf8::make_valid(repaired) == repaired);
  FUZZ_CHECK(repaired.size() <= 3 * bytes.size());
  if (size > 0) {
    const size_t split = data[0] % (size + 1);
    const std::string_view head = bytes.substr(0, split);
    if (utf8::is_valid(head)) {
      FUZZ_CHECK(repaired ==
                 std::string(head) + utf8::make_valid(bytes.substr(split)));
    }
  }

  std::string literal;
  json::append_string(literal, bytes);
  FUZZ_CHECK(utf8::is_valid(literal));
  for (unsigned char c : literal) FUZZ_CHECK(c >= 0x20);
  boost::json::value parsed = boost::json::parse(literal, ec);
  FUZZ_CHECK(!ec && parsed.is_string());
  FUZZ_CHECK(parsed.get_string() == repaired);

  // A document with every kind of value, taken from the input.
  int64_t i = 0;
  uint64_t u = 0;
  double d = 0;
  std::memcpy(&i, data, std::min(size, sizeof i));
  std::memcpy(&u, data + size / 2, std::min(size - size / 2, sizeof u));
  if (size >= sizeof d) std::memcpy(&d, data + size - sizeof d, sizeof d);
  check_double(d);
  // "k" first: no clash with "nested".
  const std::string key = "k" + std::string(bytes.substr(0, size / 3));
  boost::json::value doc = boost::json::object{
      {key, boost::json::array{bytes, i, u, d, size % 2 == 0, nullptr,
                               boost::json::object{}, boost::json::array{}}},
      {"nested", boost::json::object{{"text", repaired}}}};
  const std::string text = json::to_text(doc);
  FUZZ_CHECK(utf8::is_valid(text));
  boost::json::value back = boost::json::parse(text, ec);
  FUZZ_CHECK(!ec && back.is_object());
  const boost::json::object& obj = back.get_object();
  FUZZ_CHECK(obj.size() == 2);
  FUZZ_CHECK(obj.at("nested").at("text").get_string() == repaired);
  {
    const boost::json::array& a = obj.at(utf8::make_valid(key)).get_array();
    FUZZ_CHECK(a.size() == 8);
    FUZZ_CHECK(a[0].get_string() == repaired);
    FUZZ_CHECK(a[1].to_number<int64_t>() == i);
    FUZZ_CHECK(a[2].to_number<uint64_t>() == u);
    FUZZ_CHECK(std::isfinite(d) ? a[3].is_number() : a[3].is_null());
    FUZZ_CHECK(a[4].get_bool() == (size % 2 == 0));
    FUZZ_CHECK(a[5].is_null());
    FUZZ_CHECK(a[6].get_object().empty() && a[7].get_array().empty());
  }
  return 0;
}
