// JSON and text response builders (see message.h).
#include "http/message.h"

#include <algorithm>
#include <boost/assert.hpp>
#include <boost/json/parse.hpp>
#include <cctype>

#include "common/json.h"

namespace playground::http {

Response json_response(Status status, const boost::json::value& body) {
  Response res{status, 11};
  res.set(beast_http::field::content_type, "application/json");
  res.body() = json::to_text(body);
  res.prepare_payload();
  return res;
}

Response json_error(Status status, std::string_view message) {
  return json_response(status, boost::json::object{{"error", message}});
}

Status status_of(const Error& error) {
  if (error.code.category() != errc_category()) {
    return Status::internal_server_error;  // errno, a sandbox step: ours
  }
  switch (static_cast<Errc>(error.code.value())) {
    case Errc::invalid_request:
      return Status::bad_request;
    case Errc::unsupported_media_type:
      return Status::unsupported_media_type;
    case Errc::too_large:
      return Status::payload_too_large;
    case Errc::rate_limited:
      return Status::too_many_requests;
    case Errc::at_capacity:
    case Errc::unavailable:
    // Nobody reads this answer; the request's log line says 499.
    case Errc::client_gone:
      return Status::service_unavailable;
    case Errc::sandbox_failed:
      return Status::internal_server_error;
  }
  return Status::internal_server_error;
}

Error error_of(const Response& answer) {
  Errc code = Errc::unavailable;  // 5xx: no word on the run
  switch (answer.result()) {
    case Status::bad_request:
    case Status::not_found:
    case Status::method_not_allowed:
    case Status::unauthorized:
      code = Errc::invalid_request;
      break;
    case Status::unsupported_media_type:
      code = Errc::unsupported_media_type;
      break;
    case Status::payload_too_large:
      code = Errc::too_large;
      break;
    case Status::too_many_requests:
      code = Errc::rate_limited;
      break;
    case Status::service_unavailable:
      code = Errc::at_capacity;
      break;
    default:
      break;
  }
  std::string message =
      "The service answered " + std::to_string(answer.result_int()) + ".";
  boost::system::error_code ec;
  const boost::json::value body = boost::json::parse(answer.body(), ec);
  if (!ec && body.is_object()) {
    if (const auto* said = body.as_object().if_contains("error");
        said != nullptr && said->is_string()) {
      message = std::string(said->as_string());
    }
  }
  return {std::move(message), code};
}

Response refusal_response(Status status, const boost::json::value& body) {
  Response r = json_response(status, body);
  if (status == Status::service_unavailable ||
      status == Status::too_many_requests) {
    r.set(beast_http::field::retry_after, "1");
  }
  return r;
}

Response error_response(const Error& error) {
  return refusal_response(status_of(error),
                          boost::json::object{{"error", error.message}});
}

Response text_response(Status status, std::string body,
                       std::string_view content_type) {
  Response res{status, 11};
  res.set(beast_http::field::content_type, content_type);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

bool has_media_type(std::string_view content_type, std::string_view type) {
  // The usual case, the type as it is written: one comparison.
  if (content_type == type) return true;
  // Compared in place, spaces and tabs skipped and letters lowered: this
  // runs for every request, and a copy would allocate.
  size_t matched = 0;
  for (char c : content_type.substr(0, content_type.find(';'))) {
    if (c == ' ' || c == '\t') continue;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (matched == type.size() || c != type[matched]) return false;
    ++matched;
  }
  return matched == type.size();
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  auto lower = [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i] && lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string_view next_list_item(std::string_view& list) {
  const auto comma = list.find(',');
  const std::string_view item = trim_ows(list.substr(0, comma));
  list = comma == std::string_view::npos ? std::string_view()
                                         : list.substr(comma + 1);
  return item;
}

}  // namespace playground::http
