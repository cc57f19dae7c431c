// HTTP message types shared by the server, its routes and the JSON helpers.
//
//   http::Response r = http::json_error(req, status::not_found, "no such
//   page");
//
// Every response of the services is JSON (errors included) except static UI
// files and /metrics, so the helpers here are the only way bodies are built.
#pragma once

#include <boost/beast/http.hpp>
#include <boost/json/value.hpp>
#include <string>

#include "common/error.h"
#include "http/fields.h"

namespace playground::http {

namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body, Fields>;
using RequestHeader = beast_http::request_header<Fields>;
using Response = beast_http::response<beast_http::string_body, Fields>;
using Status = beast_http::status;
using Verb = beast_http::verb;

// A response with `body` serialised as JSON and Content-Type application/json.
Response json_response(Status status, const boost::json::value& body);
// {"error": "<message>"} with the given status.
Response json_error(Status status, std::string_view message);
// A refusal with `body` (any API's shape): json_response, plus
// Retry-After: 1 when the status is 429 or 503, where trying again shortly
// helps (capacity comes back within a run's time).
Response refusal_response(Status status, const boost::json::value& body);
// The status that answers `error`: the one place where what failed (its
// code, see common/error.h) becomes an HTTP status.
Status status_of(const Error& error);
// The inverse, for an answer relayed from another service: its JSON
// "error" sentence (or its status's) with the Errc its status stands for.
Error error_of(const Response& answer);
// json_error(status_of(error), error.message).
Response error_response(const Error& error);
// A plain-text response (for /metrics).
Response text_response(Status status, std::string body,
                       std::string_view content_type);

// Whether a Content-Type value names the media type `type` (given in lower
// case), whatever its case, spaces and parameters:
// "Application/JSON ; charset=utf-8" has "application/json".
bool has_media_type(std::string_view content_type, std::string_view type);

// Whether `a` and `b` are the same text but for the case of ASCII letters.
// Not Beast's iequals: when the last letters differ only in case it reads a
// byte past the end, harmless in its own buffers (a field's text is
// followed by more) but not in a string view's.
bool equal_ignoring_case(std::string_view a, std::string_view b);

// `s` without leading and trailing spaces and tabs (HTTP's "optional
// whitespace" around header values, list items and parameters).
std::string_view trim_ows(std::string_view s);

// Takes the first item off a comma-separated header list ("a, b,c"), trimmed
// of optional whitespace, and leaves the rest in `list`.
std::string_view next_list_item(std::string_view& list);

}  // namespace playground::http
