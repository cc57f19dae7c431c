// Reads a request into an http::Request: Beast's request parser, with the
// fields kept in http::Fields (fields.h) and the body in a string.
//
//   http::RequestReader reader;
//   reader.header_limit(8192);
//   ... reader.put(bytes, ec) until reader.is_done() ...
//   http::Request& req = reader.get();
//
// beast_http::request_parser fills basic_fields only; the parsing, its
// limits and its checks (one Content-Length, no Transfer-Encoding beside
// it, valid tokens) are basic_parser's, unchanged.
#pragma once

#include <boost/beast/http/basic_parser.hpp>

#include "http/message.h"

namespace playground::http {

class RequestReader final : public beast_http::basic_parser<true> {
 public:
  Request& get() { return request_; }
  const Request& get() const { return request_; }

 private:
  using string_view = boost::beast::string_view;
  using error_code = boost::beast::error_code;

  void on_request_impl(beast_http::verb method, string_view method_string,
                       string_view target, int version,
                       error_code& ec) override;
  void on_response_impl(int, string_view, int, error_code&) override {}
  void on_field_impl(beast_http::field name, string_view name_string,
                     string_view value, error_code& ec) override;
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length,
                         error_code& ec) override;
  size_t on_body_impl(string_view body, error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  size_t on_chunk_body_impl(std::uint64_t, string_view body,
                            error_code& ec) override;
  void on_finish_impl(error_code&) override {}

  Request request_;
};

}  // namespace playground::http
