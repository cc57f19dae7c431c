// Parsing and validation of grading requests (see grade_request.h).
#include "protocol/grade_request.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cmath>

#include "http/message.h"
#include "protocol/json_fields.h"

namespace playground::protocol {
namespace {

// An optional string field; absent and null give "".
Result<std::string> string_field(const boost::json::object& obj,
                                 std::string_view key, std::string_view where) {
  const boost::json::value* v = obj.if_contains(key);
  if (v == nullptr || v->is_null()) return std::string();
  if (!v->is_string()) {
    return bad_request(std::string(where) + "\"" + std::string(key) +
                       "\" must be a string.");
  }
  return std::string(v->get_string());
}

Result<std::optional<double>> tolerance(const boost::json::object& obj,
                                        std::string_view key) {
  const boost::json::value* v = obj.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<double>();
  if (!v->is_number()) {
    return bad_request("\"" + std::string(key) +
                       "\" must be a non-negative number.");
  }
  const double d = v->to_number<double>();
  if (!std::isfinite(d) || d < 0) {
    return bad_request("\"" + std::string(key) +
                       "\" must be a non-negative number.");
  }
  return std::optional<double>(d);
}

Result<grading::CompareOptions> compare_from_json(const boost::json::value* v) {
  grading::CompareOptions options;
  if (v == nullptr || v->is_null()) return options;
  const boost::json::object* obj = v->if_object();
  const boost::json::value* mode = obj ? obj->if_contains("mode") : v;
  const Error wrong = bad_request(
      "\"compare\" must be \"exact\", \"lines\" or \"tokens\", or {\"mode\": "
      "..., \"case_insensitive\", \"float_abs\", \"float_rel\"}.");
  if (mode == nullptr || !mode->is_string()) return wrong;
  const auto named = grading::compare_mode_named(mode->get_string());
  if (!named) return wrong;
  options.mode = *named;
  if (obj == nullptr) return options;
  if (const boost::json::value* c = obj->if_contains("case_insensitive");
      c && !c->is_null()) {
    if (!c->is_bool()) {
      return bad_request("\"case_insensitive\" must be true or false.");
    }
    options.case_insensitive = c->get_bool();
  }
  auto abs = tolerance(*obj, "float_abs");
  if (!abs) return abs.error();
  auto rel = tolerance(*obj, "float_rel");
  if (!rel) return rel.error();
  options.float_abs = *abs;
  options.float_rel = *rel;
  if (options.mode != grading::CompareMode::tokens &&
      (options.case_insensitive || options.float_abs || options.float_rel)) {
    return bad_request(
        "\"case_insensitive\", \"float_abs\" and \"float_rel\" apply to the "
        "\"tokens\" comparison only.");
  }
  return options;
}

Result<int64_t> points_from_json(const boost::json::value* v,
                                 const std::string& where) {
  if (v == nullptr || v->is_null()) return int64_t{1};
  if (!v->is_int64() || v->get_int64() < 0 || v->get_int64() > kMaxPoints) {
    return bad_request(where + "\"points\" must be a whole number from 0 to " +
                       std::to_string(kMaxPoints) + ".");
  }
  return v->get_int64();
}

Result<TestCase> case_from_json(const boost::json::value& v, size_t index) {
  const boost::json::object* obj = v.if_object();
  std::string where = "Test " + std::to_string(index + 1) + ": ";
  if (obj == nullptr) return bad_request(where + "must be a JSON object.");
  TestCase c;
  auto name = string_field(*obj, "name", where);
  if (!name) return name.error();
  c.name = name->empty() ? "test " + std::to_string(index + 1) : *name;
  if (c.name.size() > kMaxTestNameBytes) {
    return bad_request(where + "\"name\" may be at most " +
                       std::to_string(kMaxTestNameBytes) + " bytes.");
  }
  where = "Test \"" + c.name + "\": ";
  const boost::json::value* expected = obj->if_contains("expected_stdout");
  if (expected == nullptr || !expected->is_string()) {
    return bad_request(where + "\"expected_stdout\" (a string) is required.");
  }
  c.expected_stdout = std::string(expected->get_string());
  auto in = string_field(*obj, "stdin", where);
  if (!in) return in.error();
  c.stdin_data = std::move(*in);
  if (const boost::json::value* a = obj->if_contains("args");
      a && !a->is_null()) {
    auto args = args_from_json(*a);
    if (!args) return bad_request(where + args.error().message);
    c.args = std::move(*args);
  }
  auto timeout = timeout_from_json(obj->if_contains("timeout_ms"));
  if (!timeout) return bad_request(where + timeout.error().message);
  c.timeout_ms = *timeout;
  auto points = points_from_json(obj->if_contains("points"), where);
  if (!points) return points.error();
  c.points = *points;
  if (const boost::json::value* h = obj->if_contains("hidden");
      h && !h->is_null()) {
    if (!h->is_bool())
      return bad_request(where + "\"hidden\" must be true or false.");
    c.hidden = h->get_bool();
  }
  return c;
}

Result<std::vector<TestCase>> cases_from_json(const boost::json::value* v,
                                              int64_t default_timeout_ms) {
  const boost::json::array* list = v ? v->if_array() : nullptr;
  if (list == nullptr || list->empty()) {
    return bad_request(
        "\"tests\" (a non-empty list of test cases) is required.");
  }
  if (list->size() > kMaxTests) {
    return bad_request("\"tests\" may hold at most " +
                       std::to_string(kMaxTests) + " cases.");
  }
  std::vector<TestCase> cases;
  int64_t total_ms = 0;
  for (size_t i = 0; i < list->size(); ++i) {
    auto c = case_from_json((*list)[i], i);
    if (!c) return c.error();
    for (const TestCase& earlier : cases) {
      if (earlier.name == c->name) {
        return bad_request("Two tests are named \"" + c->name + "\".");
      }
    }
    total_ms += std::min(c->timeout_ms.value_or(default_timeout_ms),
                         kMaxTotalTimeoutMs + 1);
    if (total_ms > kMaxTotalTimeoutMs) {
      return bad_request("The tests' time limits add up to more than " +
                         std::to_string(kMaxTotalTimeoutMs / 1000) +
                         " s; split them over several requests.");
    }
    cases.push_back(std::move(*c));
  }
  return cases;
}

// A JSON object body, or 415 for another media type.
Result<boost::json::object> json_only_body(std::string_view content_type,
                                           std::string_view body,
                                           std::string_view shape) {
  if (!http::has_media_type(content_type, "application/json")) {
    return Error{std::string(kGradeMediaTypeMessage),
                 Errc::unsupported_media_type};
  }
  return parse_json_object(body, shape);
}

}  // namespace

std::optional<http::Response> refuse_non_json(
    const http::RequestHeader& header) {
  if (http::has_media_type(header[http::beast_http::field::content_type],
                           "application/json")) {
    return std::nullopt;
  }
  return http::json_error(http::Status::unsupported_media_type,
                          kGradeMediaTypeMessage);
}

Result<GradeRequest> parse_grade_request(std::string_view content_type,
                                         std::string_view body,
                                         int64_t default_timeout_ms) {
  auto obj = json_only_body(content_type, body, "\"code\" and \"tests\"");
  if (!obj) return obj.error();
  GradeRequest req;
  auto code = code_from_json(*obj);
  if (!code) return code.error();
  req.code = std::move(*code);
  if (const boost::json::value* f = obj->if_contains("files");
      f && !f->is_null()) {
    auto files = files_from_json(*f);
    if (!files) return files.error();
    req.files = std::move(*files);
  }
  auto compare = compare_from_json(obj->if_contains("compare"));
  if (!compare) return compare.error();
  req.compare = *compare;
  auto cases = cases_from_json(obj->if_contains("tests"), default_timeout_ms);
  if (!cases) return cases.error();
  req.tests = std::move(*cases);
  return req;
}

Result<std::string> exercise_submission(std::string_view content_type,
                                        std::string_view body) {
  auto obj = json_only_body(content_type, body, "a \"code\" field");
  if (!obj) return obj.error();
  return code_from_json(*obj);
}

}  // namespace playground::protocol
