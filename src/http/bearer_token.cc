// Bearer token checks (see bearer_token.h).
#include "http/bearer_token.h"

#include "http/message.h"

namespace playground::http {

bool bearer_token_matches(std::string_view authorization,
                          std::string_view token) {
  constexpr std::string_view kScheme = "Bearer ";
  if (token.empty() ||
      !equal_ignoring_case(authorization.substr(0, kScheme.size()), kScheme)) {
    return false;
  }
  std::string_view given = authorization.substr(kScheme.size());
  // Compare every byte whatever the first difference, so timing says nothing.
  unsigned char diff = given.size() == token.size() ? 0 : 1;
  for (size_t i = 0; i < given.size(); ++i) {
    diff |= static_cast<unsigned char>(given[i] ^ token[i % token.size()]);
  }
  return diff == 0;
}

std::optional<Response> require_token(const RequestHeader& header,
                                      std::string_view token) {
  if (token.empty() ||
      bearer_token_matches(header[beast_http::field::authorization], token)) {
    return std::nullopt;
  }
  Response r = json_error(Status::unauthorized,
                          "A valid Authorization: Bearer token is required.");
  r.set(beast_http::field::www_authenticate, "Bearer");
  return r;
}

std::optional<Response> require_ops_token(const RequestHeader& header,
                                          std::string_view token,
                                          bool public_ops) {
  if (public_ops) return std::nullopt;
  return require_token(header, token);
}

}  // namespace playground::http
