// Arbitrary program output to valid UTF-8, and JSON text with plain numbers.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cstdio>
#include <string_view>

#include "common/json.h"
#include "common/utf8.h"

namespace playground {
namespace {

TEST(Utf8, KeepsValidTextUnchanged) {
  const std::string text =
      "plain ascii, h\xC3\xA9llo, \xE2\x9C\x93, \xF0\x9F\x98\x80";
  EXPECT_TRUE(utf8::is_valid(text));
  EXPECT_EQ(utf8::make_valid(text), text);
}

TEST(Utf8, ReplacesEachInvalidSequenceWithOneReplacementCharacter) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(utf8::make_valid("a\xFF"
                             "b"),
            "a" + fffd + "b");
  EXPECT_EQ(utf8::make_valid("\xC0\xAF"), fffd + fffd);             // overlong
  EXPECT_EQ(utf8::make_valid("\xED\xA0\x80"), fffd + fffd + fffd);  // surrogate
  EXPECT_EQ(utf8::make_valid("\xE2\x82"), fffd);  // cut by the output cap
  EXPECT_EQ(utf8::make_valid("\xF4\x90\x80\x80"),
            fffd + fffd + fffd + fffd);  // > U+10FFFF
  EXPECT_EQ(utf8::make_valid("\xF8\x88\x80\x80\x80"),
            fffd + fffd + fffd + fffd + fffd);
}

TEST(Utf8, OutputIsAlwaysValidForEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  EXPECT_TRUE(utf8::is_valid(utf8::make_valid(all)));
}

TEST(JsonText, WritesDoublesInShortestDecimalForm) {
  boost::json::object o{
      {"a", 12.46}, {"b", 0.5}, {"c", 1000.0}, {"s", "x\"y"}, {"n", 3}};
  const std::string text = json::to_text(o);
  EXPECT_EQ(text, R"({"a":12.46,"b":0.5,"c":1000,"s":"x\"y","n":3})");
  EXPECT_EQ(boost::json::parse(text).at("a").as_double(), 12.46);
}

// Hundredths come out as the double of the same value would: the request
// log's durations moved from one to the other.
TEST(JsonText, HundredthsAreWrittenAsTheirDoubleWouldBe) {
  for (uint64_t h : {0ull, 1ull, 5ull, 10ull, 25ull, 99ull, 100ull, 150ull,
                     305ull, 1234ull, 99999ull, 123456789ull}) {
    std::string fast;
    json::append_hundredths(fast, h);
    std::string slow;
    json::append_text(slow, static_cast<double>(h) / 100);
    EXPECT_EQ(fast, slow) << h;
  }
  std::string text = "[";
  json::append_hundredths(text, 150);
  EXPECT_EQ(text, "[1.5");
}

TEST(JsonText, NonFiniteNumbersBecomeNull) {
  EXPECT_EQ(json::to_text(
                boost::json::array{std::numeric_limits<double>::infinity()}),
            "[null]");
}

TEST(JsonText, EscapesStringsSoTheyParseBackUnchanged) {
  std::string every_ascii;
  for (int c = 0; c < 128; ++c) every_ascii.push_back(static_cast<char>(c));
  const boost::json::object value{
      {"ascii", every_ascii},
      {"quote\"key\\", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x8d"},
      {"numbers",
       boost::json::array{-7, 18446744073709551615ull, 0.5, true, nullptr}},
      {"empty", boost::json::object{}}};
  const std::string text = json::to_text(value);
  EXPECT_EQ(boost::json::parse(text), boost::json::value(value)) << text;
  EXPECT_NE(text.find(R"(\u0001)"), std::string::npos);
  EXPECT_NE(text.find(R"(\n)"), std::string::npos);
  EXPECT_NE(text.find(R"(-7,18446744073709551615,0.5,true,null)"),
            std::string::npos)
      << text;
}

// Plain text is scanned eight bytes at a time: every byte that needs care
// (each control character, the quote, the backslash, a UTF-8 sequence,
// valid or not) is found at every place in a run, and the text around it is
// kept. Checked against the escaping JSON prescribes, byte by byte.
TEST(JsonText, EveryByteIsFoundAtEveryPlaceOfARun) {
  auto expected = [](const std::string& prefix, std::string_view middle,
                     const std::string& suffix) {
    std::string out = "\"" + prefix;
    for (unsigned char c : middle) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        default:
          if (c < 0x20) {
            char u[8];
            std::snprintf(u, sizeof u, "\\u%04x", c);
            out += u;
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
    }
    return out + suffix + "\"";
  };
  for (size_t length : {1u, 7u, 8u, 9u, 16u, 23u, 40u}) {
    for (size_t at = 0; at < length; ++at) {
      const std::string prefix(at, 'a');
      const std::string suffix(length - at - 1, 'z');
      for (int c = 0; c < 0x80; ++c) {
        const std::string middle(1, static_cast<char>(c));
        std::string out = "x";
        json::append_string(out, prefix + middle + suffix);
        ASSERT_EQ(out, "x" + expected(prefix, middle, suffix))
            << "byte " << c << " at " << at << " of " << length;
      }
      // A two-byte sequence (é) kept; a lone continuation byte replaced.
      std::string out;
      json::append_string(out, prefix + "\xc3\xa9" + suffix);
      EXPECT_EQ(out, "\"" + prefix + "\xc3\xa9" + suffix + "\"");
      out.clear();
      json::append_string(out, prefix + "\xa9" + suffix);
      EXPECT_EQ(out, "\"" + prefix + "\xef\xbf\xbd" + suffix + "\"")
          << "at " << at << " of " << length;
    }
  }
}

TEST(JsonText, InvalidUtf8BecomesReplacementCharactersSoTheTextParses) {
  const std::string text =
      json::to_text(boost::json::object{{"path", "/\xff\xfe caf\xc3"}});
  EXPECT_EQ(boost::json::parse(text).at("path").as_string(),
            "/\xef\xbf\xbd\xef\xbf\xbd caf\xef\xbf\xbd");
}

}  // namespace
}  // namespace playground
