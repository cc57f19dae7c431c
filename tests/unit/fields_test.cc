// http::Fields (the services' header fields) and http::RequestReader (a
// request parsed into them), against what Beast's basic_fields and
// request_parser do with the same input.
#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <cstring>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "http/message.h"
#include "http/request_reader.h"

namespace playground::http {
namespace {

using beast_http::field;

std::vector<std::pair<std::string, std::string>> listed(const Fields& f) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Field& one : f) {
    out.emplace_back(one.name_string(), one.value());
  }
  return out;
}

TEST(Fields, AreFoundByCodeOrByNameWithoutCase) {
  Response r{Status::ok, 11};
  r.insert(field::content_type, "  application/json \t");
  r.insert("x-custom", "one");
  r.insert("X-Custom", "two");
  r.insert("content-LENGTH", "12");
  EXPECT_EQ(r[field::content_type], "application/json") << "trimmed";
  EXPECT_EQ(r["Content-Type"], "application/json");
  EXPECT_EQ(r["X-CUSTOM"], "one") << "the first of the name";
  EXPECT_EQ(r.count("x-custom"), 2u);
  EXPECT_EQ(r[field::content_length], "12") << "a known name given as text";
  EXPECT_EQ(r.find(field::content_length)->name_string(), "content-LENGTH")
      << "spelled as given";
  EXPECT_EQ(r.find(field::content_type)->name_string(), "Content-Type");
  EXPECT_EQ(r["x-other"], "");
  EXPECT_EQ(r.find(field::server), r.end());
  EXPECT_EQ(r.count(field::server), 0u);
  EXPECT_EQ(listed(r), (std::vector<std::pair<std::string, std::string>>{
                           {"Content-Type", "application/json"},
                           {"x-custom", "one"},
                           {"X-Custom", "two"},
                           {"content-LENGTH", "12"}}))
      << "in insertion order";
}

// Names and tokens compare without case, reading none past their end (under
// AddressSanitizer, Beast's iequals fails this: it reads the byte after
// the last letters when they differ only in case).
TEST(Fields, NamesCompareWithoutCaseWithinTheirBytes) {
  auto exact = std::make_unique<char[]>(3);
  std::memcpy(exact.get(), "X-A", 3);
  const std::string_view at_the_end(exact.get(), 3);
  EXPECT_TRUE(equal_ignoring_case(at_the_end, "x-a"));
  EXPECT_TRUE(equal_ignoring_case("x-A", at_the_end));
  EXPECT_FALSE(equal_ignoring_case(at_the_end, "x-b"));
  EXPECT_FALSE(equal_ignoring_case(at_the_end, "x-a "));
  EXPECT_FALSE(equal_ignoring_case("[", "{")) << "letters only";
  EXPECT_TRUE(equal_ignoring_case("", ""));
}

TEST(Fields, SetReplacesEveryFieldOfTheNameAndEraseRemovesThem) {
  Response r{Status::ok, 11};
  r.insert("Via", "a");
  r.insert(field::server, "s");
  r.insert("via", "b");
  r.set("VIA", "c");
  EXPECT_EQ(listed(r), (std::vector<std::pair<std::string, std::string>>{
                           {"Server", "s"}, {"VIA", "c"}}));
  // A value that is the message's own (a view into its text).
  r.set(field::location, r[field::server]);
  r.set(field::server, r["via"]);
  EXPECT_EQ(r[field::location], "s");
  EXPECT_EQ(r[field::server], "c");
  EXPECT_EQ(r.erase("via"), 1u);
  EXPECT_EQ(r.erase("via"), 0u);
  EXPECT_EQ(r.erase(field::location), 1u);
  const auto next = r.erase(r.begin());
  EXPECT_EQ(next, r.end());
  EXPECT_TRUE(r.empty());
}

TEST(Fields, ManyLongFieldsSurviveTheBuffersGrowthAndCopies) {
  Request req{Verb::post, "/a/rather/long/target?with=a&query=string", 11};
  std::vector<std::string> values;
  for (int i = 0; i < 200; ++i) {
    values.push_back(
        std::string(static_cast<size_t>(i % 37 + 1), 'a' + i % 26));
    req.insert("X-Field-" + std::to_string(i), values.back());
    if (i % 3 == 0) req.erase("X-Field-" + std::to_string(i / 2));
  }
  Request copy = req;
  Request moved = std::move(copy);
  req.set(field::host, "example.org");  // the original changes alone
  for (const Request* r : {&req, &moved}) {
    EXPECT_EQ(r->target(), "/a/rather/long/target?with=a&query=string");
    EXPECT_EQ(r->method(), Verb::post);
    for (int i = 100; i < 200; ++i) {
      EXPECT_EQ((*r)["x-field-" + std::to_string(i)], values[i]) << i;
    }
  }
  EXPECT_EQ(moved.size() + 1, req.size());
  EXPECT_EQ(moved[field::host], "");
  Request assigned{Verb::get, "/", 11};
  assigned = moved;
  EXPECT_EQ(listed(assigned), listed(moved));
}

TEST(Fields, KeepAliveAndChunkedAreWhatBeastMakesOfThem) {
  using BeastResponse = beast_http::response<beast_http::string_body>;
  struct Case {
    unsigned version;
    const char* connection;  // nullptr: none
    const char* transfer_encoding;
  };
  const Case cases[] = {
      {11, nullptr, nullptr},
      {10, nullptr, nullptr},
      {11, "close", "gzip"},
      {10, "keep-alive", "chunked"},
      {11, "Upgrade, close", "gzip, chunked"},
      {10, "upgrade, Keep-Alive", "chunked, gzip"},
      {11, "keep-alive", "gzip,chunked"},
  };
  for (const Case& c : cases) {
    for (bool keep : {true, false}) {
      for (bool chunked : {true, false}) {
        Response ours{Status::ok, c.version};
        BeastResponse theirs{Status::ok, c.version};
        if (c.connection) {
          ours.set(field::connection, c.connection);
          theirs.set(field::connection, c.connection);
        }
        if (c.transfer_encoding) {
          ours.set(field::transfer_encoding, c.transfer_encoding);
          theirs.set(field::transfer_encoding, c.transfer_encoding);
        }
        const std::string what =
            std::to_string(c.version) + " " +
            (c.connection ? c.connection : "-") + " " +
            (c.transfer_encoding ? c.transfer_encoding : "-") +
            (keep ? " keep" : " close") + (chunked ? " chunked" : "");
        EXPECT_EQ(ours.keep_alive(), theirs.keep_alive()) << what;
        EXPECT_EQ(ours.chunked(), theirs.chunked()) << what;
        ours.keep_alive(keep);
        theirs.keep_alive(keep);
        ours.chunked(chunked);
        theirs.chunked(chunked);
        EXPECT_EQ(ours.keep_alive(), keep) << what;
        EXPECT_EQ(ours.chunked(), chunked) << what;
        EXPECT_EQ(ours.keep_alive(), theirs.keep_alive()) << what;
        EXPECT_EQ(ours.chunked(), theirs.chunked()) << what;
      }
    }
  }
  Response sized{Status::ok, 11};
  sized.body() = "hello";
  sized.prepare_payload();
  EXPECT_EQ(sized[field::content_length], "5");
  EXPECT_TRUE(sized.has_content_length());
  sized.content_length(boost::none);
  EXPECT_FALSE(sized.has_content_length());
}

// Parses `wire` whole with our reader and with Beast's parser.
struct Parsed {
  boost::beast::error_code ours, theirs;
};
Parsed parse_both(std::string_view wire, RequestReader& ours,
                  beast_http::request_parser<beast_http::string_body>& theirs) {
  Parsed p;
  for (auto* parser :
       std::initializer_list<beast_http::basic_parser<true>*>{&ours, &theirs}) {
    parser->eager(true);
    parser->header_limit(1024);
    parser->body_limit(64);
    boost::beast::error_code& ec = parser == &ours ? p.ours : p.theirs;
    std::string_view rest = wire;
    while (!rest.empty() && !parser->is_done()) {
      const size_t used =
          parser->put(boost::asio::buffer(rest.data(), rest.size()), ec);
      rest.remove_prefix(used);
      if (ec) break;
    }
  }
  return p;
}

TEST(RequestReader, ReadsWhatBeastsParserReads) {
  const std::string requests[] = {
      "POST /python HTTP/1.1\r\nHost: x\r\nContent-Type:  application/json "
      "\r\nContent-Length: 5\r\nX-A: 1\r\nx-a: 2\r\n\r\nhello",
      "BREW /pot HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
      "POST /t HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n",
      "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: 65\r\n\r\n" + std::string(65, 'x'),
      "GET /\x01 HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\r\nBad Name: x\r\n\r\n",
  };
  for (const std::string& wire : requests) {
    RequestReader ours;
    beast_http::request_parser<beast_http::string_body> theirs;
    const Parsed p = parse_both(wire, ours, theirs);
    EXPECT_EQ(p.ours, p.theirs) << wire;
    EXPECT_EQ(ours.is_done(), theirs.is_done()) << wire;
    if (p.ours || !ours.is_done()) continue;
    const Request& a = ours.get();
    const auto& b = theirs.get();
    EXPECT_EQ(a.method_string(), b.method_string()) << wire;
    EXPECT_EQ(a.target(), b.target()) << wire;
    EXPECT_EQ(a.version(), b.version()) << wire;
    EXPECT_EQ(a.body(), b.body()) << wire;
    EXPECT_EQ(ours.keep_alive(), theirs.keep_alive()) << wire;
    EXPECT_EQ(ours.chunked(), theirs.chunked()) << wire;
    std::vector<std::pair<std::string, std::string>> beast_fields;
    for (const auto& f : b) {
      beast_fields.emplace_back(f.name_string(), f.value());
    }
    EXPECT_EQ(listed(a), beast_fields) << wire;
  }
}

}  // namespace
}  // namespace playground::http
