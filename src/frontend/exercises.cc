// Loading and presenting exercises (see exercises.h).
#include "frontend/exercises.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "common/json.h"
#include "protocol/grade_request.h"
#include "protocol/json_fields.h"

namespace playground::frontend {
namespace {

bool valid_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
         });
}

Result<std::string> text_field(const boost::json::object& obj,
                               std::string_view key, bool required) {
  const boost::json::value* v = obj.if_contains(key);
  if (v == nullptr || v->is_null()) {
    if (required) return Error{"\"" + std::string(key) + "\" is required"};
    return std::string();
  }
  if (!v->is_string()) {
    return Error{"\"" + std::string(key) + "\" must be a string"};
  }
  return std::string(v->get_string());
}

bool is_hidden(const boost::json::value& test) {
  const boost::json::value* h = test.as_object().if_contains("hidden");
  return h != nullptr && h->is_bool() && h->get_bool();
}

int64_t points_of(const boost::json::value& test) {
  const boost::json::value* p = test.as_object().if_contains("points");
  return p != nullptr && p->is_int64() ? p->get_int64() : 1;
}

Result<std::string> read_small_file(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return Error{"cannot read it: " + ec.message()};
  if (size > kMaxExerciseFileBytes) {
    return Error{"it is larger than " + std::to_string(kMaxExerciseFileBytes) +
                 " bytes"};
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return Error{"cannot read it"};
  return text.str();
}

}  // namespace

Result<Exercise> Exercises::parse(std::string_view text,
                                  const std::string& origin) {
  auto fail = [&](const std::string& why) {
    return Error{"exercise " + origin + ": " + why};
  };
  auto doc = protocol::parse_json_body(text);
  if (!doc) return fail(doc.error().message);
  const boost::json::object* obj = doc->if_object();
  if (obj == nullptr) return fail("must be a JSON object");
  Exercise e;
  for (auto [key, target, required] :
       {std::tuple{"id", &e.id, true}, std::tuple{"title", &e.title, true},
        std::tuple{"statement", &e.statement, false},
        std::tuple{"starter_code", &e.starter_code, false}}) {
    auto v = text_field(*obj, key, required);
    if (!v) return fail(v.error().message);
    *target = std::move(*v);
  }
  if (!valid_id(e.id)) {
    return fail("\"id\" must be 1 to 64 of a-z, 0-9 and -");
  }
  const boost::json::value* compare = obj->if_contains("compare");
  e.compare = compare != nullptr ? *compare : boost::json::value("lines");
  if (const boost::json::value* tests = obj->if_contains("tests");
      tests != nullptr && tests->is_array()) {
    e.tests = tests->get_array();
  }
  // The exercise must make a valid grading request, as any submission will.
  auto checked = protocol::parse_grade_request(
      "application/json", e.grade_request(e.starter_code), 1000);
  if (!checked) return fail(checked.error().message);
  return e;
}

Result<Exercises> Exercises::load(const std::string& dir) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".json" && entry.is_regular_file()) {
      files.push_back(entry.path());
    }
  }
  if (ec)
    return Error{"cannot list the exercises in " + dir + ": " + ec.message()};
  if (files.size() > kMaxExercises) {
    return Error{dir + " holds more than " + std::to_string(kMaxExercises) +
                 " exercises"};
  }
  std::sort(files.begin(), files.end());
  Exercises set;
  for (const auto& path : files) {
    auto text = read_small_file(path);
    if (!text)
      return Error{"exercise " + path.string() + ": " + text.error().message};
    auto e = parse(*text, path.string());
    if (!e) return e.error();
    if (set.by_id_.count(e->id)) {
      return Error{"exercise " + path.string() + ": the id \"" + e->id +
                   "\" is taken by another file"};
    }
    set.by_id_.emplace(e->id, std::move(*e));
  }
  return set;
}

const Exercise* Exercises::find(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &it->second;
}

boost::json::array Exercises::list_json() const {
  boost::json::array list;
  for (const auto& [id, e] : by_id_) list.push_back(e.summary_json());
  return list;
}

boost::json::object Exercise::summary_json() const {
  size_t hidden = 0;
  for (const auto& t : tests) hidden += is_hidden(t);
  return {{"id", id},
          {"title", title},
          {"tests", tests.size() - hidden},
          {"hidden_tests", hidden}};
}

boost::json::object Exercise::public_json() const {
  boost::json::array visible;
  size_t hidden = 0;
  int64_t hidden_points = 0, max_score = 0;
  for (const auto& t : tests) {
    max_score += points_of(t);
    if (is_hidden(t)) {
      ++hidden;
      hidden_points += points_of(t);
      continue;
    }
    visible.push_back(t);
  }
  boost::json::object out{{"id", id},
                          {"title", title},
                          {"statement", statement},
                          {"starter_code", starter_code},
                          {"compare", compare},
                          {"tests", std::move(visible)},
                          {"hidden_tests", hidden},
                          {"hidden_points", hidden_points},
                          {"max_score", max_score}};
  return out;
}

std::string Exercise::grade_request(std::string_view code) const {
  return json::to_text(boost::json::object{
      {"code", code}, {"compare", compare}, {"tests", tests}});
}

}  // namespace playground::frontend
