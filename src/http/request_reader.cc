// Reads a request into an http::Request (see request_reader.h).
#include "http/request_reader.h"

namespace playground::http {

void RequestReader::on_request_impl(beast_http::verb method,
                                    string_view method_string,
                                    string_view target, int version,
                                    error_code&) {
  request_.target(target);
  if (method == beast_http::verb::unknown) {
    request_.method_string(method_string);
  } else {
    request_.method(method);
  }
  request_.version(static_cast<unsigned>(version));
}

void RequestReader::on_field_impl(beast_http::field name,
                                  string_view name_string, string_view value,
                                  error_code&) {
  request_.insert(name, name_string, value);
}

// The length is within the parser's body limit already.
void RequestReader::on_body_init_impl(
    const boost::optional<std::uint64_t>& length, error_code& ec) {
  if (!length) return;
  if (*length > request_.body().max_size()) {
    ec = beast_http::error::buffer_overflow;
    return;
  }
  request_.body().reserve(static_cast<size_t>(*length));
}

size_t RequestReader::on_body_impl(string_view body, error_code& ec) {
  return on_chunk_body_impl(0, body, ec);
}

size_t RequestReader::on_chunk_body_impl(std::uint64_t, string_view body,
                                         error_code& ec) {
  std::string& into = request_.body();
  if (body.size() > into.max_size() - into.size()) {
    ec = beast_http::error::buffer_overflow;
    return 0;
  }
  into.append(body.data(), body.size());
  return body.size();
}

}  // namespace playground::http
